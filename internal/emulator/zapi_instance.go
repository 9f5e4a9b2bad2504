package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// zapiInstanceAPI serves Z-API's instance reads: GET .../status,
// GET .../me and GET .../queue/count of each instance, and the partner
// listing GET /instances. The queue's entries (POST .../queue), which hold
// recipients and message texts, are not served.
type zapiInstanceAPI struct {
	creds ZAPICredentials
	// mu guards the settings of instances, which writes change
	// (zapi_settings.go).
	mu        sync.RWMutex
	instances []*zapiInstance
	// start is when the server was built: paid periods end a fixed time
	// after it, so every read of one server gives the same due date.
	start time.Time
}

func newZAPIInstances(opts Options, start time.Time) *zapiInstanceAPI {
	return &zapiInstanceAPI{creds: opts.ZAPI, instances: zapiInstances(opts), start: start}
}

// parseZAPIInstancePath splits /instances/{instanceId}/token/{token}/{endpoint},
// where endpoint is status, me, queue/count or one of the settings writes.
func parseZAPIInstancePath(path string) (instance, token, endpoint string, ok bool) {
	parts := strings.Split(path, "/")
	if len(parts) == 7 && parts[5] == "queue" && parts[6] == "count" {
		parts = append(parts[:5], zapiQueueCount)
	}
	if len(parts) != 6 || parts[0] != "" || parts[1] != "instances" || parts[3] != "token" ||
		(parts[5] != "status" && parts[5] != "me" && parts[5] != zapiQueueCount && zapiSettingWrites[parts[5]] == nil) {
		return "", "", "", false
	}
	return parts[2], parts[4], parts[5], parts[2] != "" && parts[4] != ""
}

// zapiQueueCount is the queue count's endpoint, as parseZAPIInstancePath
// names it.
const zapiQueueCount = "queue/count"

// ZAPIQueueRefusal is the error Faults.RefuseQueue answers queue/count with.
const ZAPIQueueRefusal = "Queue not available"

func (z *zapiInstanceAPI) serve(r *http.Request, f Faults) response {
	if r.URL.Path == "/instances" {
		return z.partnerList(r, f)
	}
	in, err := z.authorize(r, f)
	if err != nil {
		return z.errorResponse(*err)
	}
	_, _, endpoint, _ := parseZAPIInstancePath(r.URL.Path)
	if set := zapiSettingWrites[endpoint]; set != nil {
		return z.write(r, f, in, set)
	}
	z.mu.RLock()
	defer z.mu.RUnlock()
	switch {
	case endpoint == zapiQueueCount && f.RefuseQueue:
		return z.errorResponse(apiError{status: http.StatusBadRequest, message: ZAPIQueueRefusal})
	case endpoint == zapiQueueCount:
		// Served while disconnected too: that is when messages pile up.
		// size is a string, as one version of the reference types it.
		return jsonResponse(http.StatusOK, fmt.Appendf(nil, `{"size":"%d"}`, in.queued))
	}
	if endpoint == "status" {
		return jsonResponse(http.StatusOK, mustJSON(map[string]any{
			"connected": in.connected, "error": in.sentence, "smartphoneConnected": in.phoneConnected,
		}))
	}
	if in.meRefused {
		return z.errorResponse(apiError{status: http.StatusBadRequest, message: "You are not connected."})
	}
	return jsonResponse(http.StatusOK, mustJSON(in.me(z.start)))
}

// authorize checks the Client-Token as the chat endpoint does, then the
// instance and its token.
func (z *zapiInstanceAPI) authorize(r *http.Request, f Faults) (*zapiInstance, *apiError) {
	if err := checkClientToken(r, z.creds, f); err != nil {
		return nil, err
	}
	id, token, _, _ := parseZAPIInstancePath(r.URL.Path)
	for _, in := range z.instances {
		if in.id == id && in.token == token {
			return in, nil
		}
	}
	return nil, &apiError{status: http.StatusNotFound, message: "Instance not found"}
}

func (in *zapiInstance) me(start time.Time) map[string]any {
	due := start.Add(in.due).UnixMilli()
	if in.dueSeconds {
		due /= 1000
	}
	m := map[string]any{
		"id": in.id, "token": in.token, "name": in.name, "due": due, "connected": in.connected,
		"paymentStatus": in.paymentStatus, "created": iso(in.created),
		"receiveCallbackSentByMe": in.sentByMe, "callRejectAuto": in.rejectCalls,
		"callRejectMessage": in.rejectMessage, "autoReadMessage": in.autoRead,
	}
	for _, field := range zapiHookFields {
		m[field] = in.hooks[field] // "" when unset, as the API sends it
	}
	return m
}

// partnerList serves GET /instances?page=&pageSize=&query= to the partner
// token; every entry carries its instance's token, as the real API's do.
func (z *zapiInstanceAPI) partnerList(r *http.Request, f Faults) response {
	if z.creds.PartnerToken == "" || r.Header.Get("Authorization") != "Bearer "+z.creds.PartnerToken {
		return z.errorResponse(apiError{status: http.StatusUnauthorized, message: "Unauthorized"})
	}
	q := r.URL.Query()
	page, size, err := zapiPaging(q)
	if err != nil {
		return z.errorResponse(*err)
	}
	if f.IgnorePage {
		page = 1
	}
	query := strings.ToLower(q.Get("query"))
	z.mu.RLock()
	defer z.mu.RUnlock()
	var match []*zapiInstance
	for _, in := range z.instances {
		if query == "" || strings.Contains(strings.ToLower(in.name), query) || strings.Contains(strings.ToLower(in.id), query) {
			match = append(match, in)
		}
	}
	start := len(match)
	if page-1 <= len(match)/size {
		start = min((page-1)*size, len(match))
	}
	end := min(start+size, len(match))
	items := make([][]byte, 0, end-start)
	for _, in := range match[start:end] {
		items = append(items, mustJSON(map[string]any{
			"id": in.id, "name": in.name, "token": in.token, "tenant": "demo-tenant", "created": iso(in.created),
			"due": z.start.Add(in.due).UnixMilli(), "paymentStatus": in.paymentStatus,
			"deliveryCallbackUrl": in.hooks["deliveryCallbackUrl"], "phoneConnected": in.phoneConnected,
			"whatsappConnected": in.connected, "middleware": "web",
		}))
	}
	body := fmt.Appendf(nil, `{"total":%d,"totalPage":%d,"pageSize":%d,"page":%d,"content":`,
		len(match), (len(match)+size-1)/size, size, page)
	body = appendList(body, items, f.Malformed == MalformedObject)
	return jsonResponse(http.StatusOK, append(body, '}'))
}

// method is PUT for the settings writes, GET for the rest.
func (z *zapiInstanceAPI) method(path string) string {
	if _, _, endpoint, _ := parseZAPIInstancePath(path); zapiSettingWrites[endpoint] != nil {
		return http.MethodPut
	}
	return http.MethodGet
}

func (z *zapiInstanceAPI) errorResponse(e apiError) response {
	return jsonResponse(e.status, mustJSON(map[string]string{"error": e.message}))
}

// ZAPIQueued is how many messages the Z-API instance id holds in its
// queue, as queue/count sends it; false for an unknown instance.
func (s *Server) ZAPIQueued(id string) (int, bool) {
	for _, in := range s.zapiInst.instances {
		if in.id == id {
			return in.queued, true
		}
	}
	return 0, false
}
