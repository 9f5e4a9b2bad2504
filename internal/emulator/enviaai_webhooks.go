package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// EnviaAI's webhooks API (enviaai-webhooks.md): POST and GET /v1/webhooks,
// GET, PUT and DELETE /v1/webhooks/{id}, GET /v1/webhooks/{id}/logs.
//
// Every answer that carries a webhook carries its secret in full (create,
// get, list, and the PUT answer), as the reference shows it on create and
// does not say it is left out elsewhere: a client must drop it itself.
// Where the reference is silent the emulator takes the narrow reading, so
// that nothing built against it relies on more than the reference gives:
// PUT takes url, events and name, and refuses secret and instanceId (the
// reference does not say it rotates secrets or moves webhooks); unknown
// body fields are refused; the listing takes no query parameters and is
// not paged; an unknown webhook id is 404 webhook_not_found.

const enviaWebhooksPath = "/v1/webhooks"

// The seeded webhooks.
const (
	// EnviaAIWebhookOrders belongs to the first EnviaAI instance and has
	// 130 deliveries, a failure among every nine, the recent failures with
	// a retry pending.
	EnviaAIWebhookOrders = "wh_orders"
	// EnviaAIWebhookLegacy belongs to the second EnviaAI instance, points
	// at an old host, and every one of its 12 deliveries succeeded.
	EnviaAIWebhookLegacy = "wh_legacy"
)

// enviaWebhookAPI serves the webhooks API. known tells the instances of
// the account.
type enviaWebhookAPI struct {
	apiKey string
	seed   int64
	known  func(id string) bool
	mu     sync.Mutex
	hooks  []*enviaWebhook // in creation order
	made   int             // webhooks created, for ids and secrets
}

type enviaWebhook struct {
	id, instanceID, url, name, secret, status string
	events                                    []string
	created                                   time.Time
	logs                                      []webhookLog // newest first
}

// webhookLog is one delivery as GET .../logs sends it.
type webhookLog struct {
	ID           string `json:"id"`
	Event        string `json:"event"`
	Status       string `json:"status"`
	StatusCode   int    `json:"statusCode"`
	ResponseTime int    `json:"responseTime"`
	Timestamp    string `json:"timestamp"`
	Error        string `json:"error,omitempty"`
	RetryCount   *int   `json:"retryCount,omitempty"`
	NextRetryAt  string `json:"nextRetryAt,omitempty"`
}

func newEnviaWebhooks(opts Options, known func(string) bool) *enviaWebhookAPI {
	w := &enviaWebhookAPI{apiKey: opts.EnviaAI.APIKey, seed: opts.Seed, known: known}
	ids := opts.EnviaAI.InstanceIDs
	if len(ids) > 0 {
		w.hooks = append(w.hooks, &enviaWebhook{
			id: EnviaAIWebhookOrders, instanceID: ids[0], url: HooksBase + "enviaai/orders", name: "Pedidos",
			secret: w.secret("orders"), status: "active", events: []string{"message.received", "message.sent", "message.delivered"},
			created: epoch.Add(-90 * day), logs: seededLogs(130, 9, []string{"message.received", "message.sent", "message.delivered"}),
		})
	}
	if len(ids) > 1 {
		w.hooks = append(w.hooks, &enviaWebhook{
			id: EnviaAIWebhookLegacy, instanceID: ids[1], url: "https://old-hooks.example.net/enviaai/legacy", name: "Legado",
			secret: w.secret("legacy"), status: "active", events: []string{"instance.connected", "instance.disconnected"},
			created: epoch.Add(-300 * day), logs: seededLogs(12, 0, []string{"instance.connected", "instance.disconnected"}),
		})
	}
	return w
}

// seededLogs are n deliveries, newest first, one every 7 minutes back from
// epoch; with every > 0, delivery i failed when i%every == 2. Failures
// among the 20 newest have a retry pending; older ones ran out of retries.
func seededLogs(n, every int, events []string) []webhookLog {
	codes := []int{500, 503, 404}
	logs := make([]webhookLog, n)
	for i := range logs {
		at := epoch.Add(-time.Duration(i) * 7 * time.Minute)
		l := webhookLog{ID: fmt.Sprintf("log_%03d", n-i), Event: events[i%len(events)], Status: "success", StatusCode: 200,
			ResponseTime: 80 + i%7*15, Timestamp: iso(at)}
		if every > 0 && i%every == 2 {
			retries := 5 // six attempts in all, none left
			l.Status, l.StatusCode, l.Error = "failed", codes[(i/every)%len(codes)], "Internal Server Error"
			if i < 20 {
				retries = 1 + i%3
				l.NextRetryAt = iso(at.Add(10 * time.Minute))
			}
			l.RetryCount = &retries
		}
		logs[i] = l
	}
	return logs
}

// secret is a deterministic signing secret.
func (w *enviaWebhookAPI) secret(salt string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d/%s", w.seed, salt))
	return "whsec_" + hex.EncodeToString(sum[:16])
}

// parseEnviaWebhookPath reads /v1/webhooks, /v1/webhooks/{id} and
// /v1/webhooks/{id}/logs.
func parseEnviaWebhookPath(path string) (id string, logs, ok bool) {
	if path == enviaWebhooksPath {
		return "", false, true
	}
	rest, found := strings.CutPrefix(path, enviaWebhooksPath+"/")
	if !found {
		return "", false, false
	}
	id, logs = strings.CutSuffix(rest, "/logs")
	return id, logs, id != "" && !strings.Contains(id, "/")
}

// methods are those each path serves.
func (w *enviaWebhookAPI) methods(path string) []string {
	switch id, logs, _ := parseEnviaWebhookPath(path); {
	case id == "":
		return []string{http.MethodGet, http.MethodPost}
	case logs:
		return []string{http.MethodGet}
	}
	return []string{http.MethodGet, http.MethodPut, http.MethodDelete}
}

func (w *enviaWebhookAPI) errorResponse(ae apiError) response {
	return (&enviaAPI{}).errorResponse(ae)
}

func (w *enviaWebhookAPI) invalid(msg string) response {
	return w.errorResponse(apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: msg})
}

func (w *enviaWebhookAPI) serve(r *http.Request, f Faults) response {
	if r.Header.Get("Authorization") != "Bearer "+w.apiKey {
		return w.errorResponse(apiError{status: http.StatusUnauthorized, code: "invalid_api_key", message: "Invalid or missing API key"})
	}
	id, logs, _ := parseEnviaWebhookPath(r.URL.Path)
	w.mu.Lock()
	defer w.mu.Unlock()
	if id == "" {
		if r.Method == http.MethodPost {
			return w.create(r, f)
		}
		items := make([][]byte, len(w.hooks))
		for i, h := range w.hooks {
			items[i] = mustJSON(h.wire())
		}
		return jsonResponse(http.StatusOK, append(appendList([]byte(`{"success":true,"data":`), items, f.Malformed == MalformedObject), '}'))
	}
	i := slices.IndexFunc(w.hooks, func(h *enviaWebhook) bool { return h.id == id })
	if i < 0 {
		return w.errorResponse(apiError{status: http.StatusNotFound, code: "webhook_not_found", message: "Webhook not found"})
	}
	switch {
	case logs:
		return w.logs(r, f, w.hooks[i])
	case r.Method == http.MethodPut:
		return w.update(r, f, i)
	case r.Method == http.MethodDelete:
		if !f.IgnoreWrites {
			w.hooks = slices.Delete(w.hooks, i, i+1)
		}
		return jsonResponse(http.StatusOK, []byte(`{"success":true}`))
	}
	return w.answer(w.hooks[i])
}

func (w *enviaWebhookAPI) answer(h *enviaWebhook) response {
	return jsonResponse(http.StatusOK, mustJSON(map[string]any{"success": true, "data": h.wire()}))
}

func (h *enviaWebhook) wire() map[string]any {
	return map[string]any{
		"id": h.id, "name": h.name, "url": h.url, "instanceId": h.instanceID, "events": h.events,
		"secret": h.secret, "status": h.status, "createdAt": iso(h.created),
	}
}

// webhookBody is a POST or PUT body; a field absent is nil.
type webhookBody struct {
	URL        json.RawMessage `json:"url"`
	InstanceID json.RawMessage `json:"instanceId"`
	Events     json.RawMessage `json:"events"`
	Name       json.RawMessage `json:"name"`
	Secret     json.RawMessage `json:"secret"`
}

func readWebhookBody(r *http.Request) (webhookBody, bool) {
	var b webhookBody
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	return b, dec.Decode(&b) == nil
}

// fields applies the body's url, events and name to h, each when present.
func (b *webhookBody) fields(h *enviaWebhook) *apiError {
	invalid := func(msg string) *apiError {
		return &apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: msg}
	}
	if b.URL != nil {
		if strictJSON(b.URL, &h.url) != nil {
			return invalid("url must be a string")
		}
		if !isHTTPSURL(h.url) {
			return &apiError{status: http.StatusBadRequest, code: "invalid_webhook_url", message: "The webhook URL must be a valid HTTPS URL"}
		}
	}
	if b.Events != nil {
		var events []string
		if strictJSON(b.Events, &events) != nil || len(events) == 0 {
			return invalid("events must be a non-empty list of event names")
		}
		for _, ev := range events {
			if !slices.Contains(EnviaAIWebhookEvents, ev) {
				return invalid("unknown webhook event " + ev)
			}
		}
		h.events = slices.Compact(slices.Sorted(slices.Values(events)))
	}
	if b.Name != nil && strictJSON(b.Name, &h.name) != nil {
		return invalid("name must be a string")
	}
	return nil
}

func (w *enviaWebhookAPI) create(r *http.Request, f Faults) response {
	b, ok := readWebhookBody(r)
	if !ok {
		return w.invalid("the body must be a JSON object of url, instanceId, events, name and secret")
	}
	h := &enviaWebhook{status: "active", created: epoch.Add(time.Duration(w.made+1) * time.Minute)}
	switch {
	case b.URL == nil:
		return w.invalid("url is required")
	case b.InstanceID == nil || strictJSON(b.InstanceID, &h.instanceID) != nil || h.instanceID == "":
		return w.invalid("instanceId is required")
	case b.Events == nil:
		return w.invalid("events is required")
	}
	if err := b.fields(h); err != nil {
		return w.errorResponse(*err)
	}
	if b.Secret != nil && (strictJSON(b.Secret, &h.secret) != nil || h.secret == "") {
		return w.invalid("secret must be a non-empty string")
	}
	if !w.known(h.instanceID) {
		return w.errorResponse(apiError{status: http.StatusNotFound, code: "instance_not_found", message: "Instance not found"})
	}
	w.made++
	h.id = fmt.Sprintf("wh_%06d", w.made)
	if h.secret == "" {
		h.secret = w.secret(h.id)
	}
	if !f.IgnoreWrites {
		w.hooks = append(w.hooks, h)
	}
	return w.answer(h)
}

func (w *enviaWebhookAPI) update(r *http.Request, f Faults, i int) response {
	b, ok := readWebhookBody(r)
	switch {
	case !ok:
		return w.invalid("the body must be a JSON object of url, events and name")
	case b.Secret != nil:
		return w.invalid("secret cannot be changed")
	case b.InstanceID != nil:
		return w.invalid("instanceId cannot be changed")
	}
	next := *w.hooks[i]
	if err := b.fields(&next); err != nil {
		return w.errorResponse(*err)
	}
	if !f.IgnoreWrites {
		w.hooks[i] = &next
	}
	return w.answer(&next)
}

func (w *enviaWebhookAPI) logs(r *http.Request, f Faults, h *enviaWebhook) response {
	q := r.URL.Query()
	limit, ok := intParam(q, "limit", enviaDefaultLimit)
	if !ok || limit < 1 || limit > enviaMaxLimit {
		return w.invalid("limit must be a number from 1 to 100")
	}
	status, ok := oneOf(q, "status", "", "success", "failed")
	if !ok {
		return w.invalid("status must be success or failed")
	}
	items := make([][]byte, 0, min(limit, len(h.logs)))
	for _, l := range h.logs {
		if len(items) == limit {
			break
		}
		if status == "" || l.Status == status {
			items = append(items, mustJSON(l))
		}
	}
	return jsonResponse(http.StatusOK, append(appendList([]byte(`{"success":true,"data":`), items, f.Malformed == MalformedObject), '}'))
}

// EnviaAIWebhooks returns every webhook as GET /v1/webhooks sends it, its
// secret included, in creation order.
func (s *Server) EnviaAIWebhooks() []map[string]any {
	s.webhooks.mu.Lock()
	defer s.webhooks.mu.Unlock()
	out := make([]map[string]any, len(s.webhooks.hooks))
	for i, h := range s.webhooks.hooks {
		out[i] = decodeAll([][]byte{mustJSON(h.wire())})[0]
	}
	return out
}

// EnviaAIWebhookSecret is the signing secret of a webhook, "" when there is
// no such webhook: what a test compares with the secret it configured.
func (s *Server) EnviaAIWebhookSecret(id string) string {
	s.webhooks.mu.Lock()
	defer s.webhooks.mu.Unlock()
	for _, h := range s.webhooks.hooks {
		if h.id == id {
			return h.secret
		}
	}
	return ""
}

// EnviaAIWebhookLogs returns every delivery of a webhook, newest first, as
// the logs endpoint sends them; nil for an unknown webhook.
func (s *Server) EnviaAIWebhookLogs(id string) []map[string]any {
	s.webhooks.mu.Lock()
	defer s.webhooks.mu.Unlock()
	for _, h := range s.webhooks.hooks {
		if h.id == id {
			items := make([][]byte, len(h.logs))
			for i := range h.logs {
				items[i] = mustJSON(h.logs[i])
			}
			return decodeAll(items)
		}
	}
	return nil
}

// knownInstance tells an instance of the EnviaAI account.
func (e *enviaInstanceAPI) knownInstance(id string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return slices.ContainsFunc(e.instances, func(in *enviaInstanceInfo) bool { return in.id == id })
}
