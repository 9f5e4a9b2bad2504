package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// EnviaAIWebhookEvents are the event names PATCH /v1/instances/{id}
// accepts in webhookEvents.
var EnviaAIWebhookEvents = []string{
	"message.received", "message.sent", "message.delivered", "message.read", "message.failed",
	"instance.connected", "instance.disconnected", "instance.qr_updated",
}

// parseEnviaInstanceWrite reads /v1/instances/{id}.
func parseEnviaInstanceWrite(path string) (id string, ok bool) {
	id, found := strings.CutPrefix(path, enviaInstancesPath+"/")
	return id, found && id != "" && !strings.Contains(id, "/")
}

// method is PATCH for /v1/instances/{id}, GET for the rest.
func (e *enviaInstanceAPI) method(path string) string {
	if _, ok := parseEnviaInstanceWrite(path); ok {
		return http.MethodPatch
	}
	return http.MethodGet
}

// enviaPatch is a PATCH body: every field optional, settings either nested
// or as dotted names, as the reference shows both.
type enviaPatch struct {
	Name          *string         `json:"name"`
	WebhookURL    json.RawMessage `json:"webhookUrl"`
	WebhookEvents json.RawMessage `json:"webhookEvents"`
	Settings      *struct {
		AutoRead   json.RawMessage `json:"autoRead"`
		AutoTyping json.RawMessage `json:"autoTyping"`
	} `json:"settings"`
	AutoRead   json.RawMessage `json:"settings.autoRead"`
	AutoTyping json.RawMessage `json:"settings.autoTyping"`
}

// patch serves PATCH /v1/instances/{id}. The whole body is checked before
// anything changes; with IgnoreWrites the answer is the one an applied
// write gets, and nothing changes.
func (e *enviaInstanceAPI) patch(r *http.Request, f Faults, id string) response {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := slices.IndexFunc(e.instances, func(in *enviaInstanceInfo) bool { return in.id == id })
	if i < 0 {
		return e.errorResponse(apiError{status: http.StatusNotFound, code: "instance_not_found", message: "Instance not found"})
	}
	var body enviaPatch
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&body); err != nil {
		return e.invalid("the body must be a JSON object")
	}
	next := *e.instances[i]
	if f.RefuseWebhookClears && body.clears() {
		return e.errorResponse(apiError{status: http.StatusBadRequest, code: "invalid_webhook_url", message: "The webhook URL must be a valid HTTPS URL"})
	}
	if err := body.apply(&next); err != nil {
		return e.errorResponse(*err)
	}
	if !f.IgnoreWrites {
		e.instances[i] = &next // a new value: readers holding the old one see it whole
	}
	// The answer holds what the reference documents: not webhookEvents.
	return jsonResponse(http.StatusOK, mustJSON(map[string]any{"success": true, "data": map[string]any{
		"id": next.id, "name": next.name, "webhookUrl": orNull(next.webhook),
		"settings": map[string]any{"autoRead": next.autoRead, "autoTyping": next.autoTyping},
	}}))
}

// clears reports a body whose webhookUrl is null or "".
func (p *enviaPatch) clears() bool {
	var u *string
	return len(p.WebhookURL) > 0 && json.Unmarshal(p.WebhookURL, &u) == nil && (u == nil || *u == "")
}

func (e *enviaInstanceAPI) invalid(msg string) response {
	return e.errorResponse(apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: msg})
}

func (p *enviaPatch) apply(in *enviaInstanceInfo) *apiError {
	invalid := func(msg string) *apiError {
		return &apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: msg}
	}
	if p.Name != nil {
		in.name = *p.Name
	}
	if len(p.WebhookURL) > 0 {
		var u *string // null clears the webhook
		if json.Unmarshal(p.WebhookURL, &u) != nil {
			return invalid("webhookUrl must be a string or null")
		}
		switch {
		case u == nil || *u == "":
			in.webhook = ""
		case !isHTTPSURL(*u):
			return &apiError{status: http.StatusBadRequest, code: "invalid_webhook_url", message: "The webhook URL must be a valid HTTPS URL"}
		default:
			in.webhook = *u
		}
	}
	if len(p.WebhookEvents) > 0 {
		var events []string
		if strictJSON(p.WebhookEvents, &events) != nil {
			return invalid("webhookEvents must be a list of event names")
		}
		for _, ev := range events {
			if !slices.Contains(EnviaAIWebhookEvents, ev) {
				return invalid("unknown webhook event " + ev)
			}
		}
		in.webhookEvents = append([]string{}, events...)
	}
	for _, s := range []struct {
		name         string
		nested, flat json.RawMessage
		dst          *bool
	}{
		{"settings.autoRead", p.nestedAutoRead(), p.AutoRead, &in.autoRead},
		{"settings.autoTyping", p.nestedAutoTyping(), p.AutoTyping, &in.autoTyping},
	} {
		for _, raw := range []json.RawMessage{s.nested, s.flat} {
			if len(raw) > 0 && strictJSON(raw, s.dst) != nil {
				return invalid(s.name + " must be a boolean")
			}
		}
	}
	return nil
}

func (p *enviaPatch) nestedAutoRead() json.RawMessage {
	if p.Settings == nil {
		return nil
	}
	return p.Settings.AutoRead
}

func (p *enviaPatch) nestedAutoTyping() json.RawMessage {
	if p.Settings == nil {
		return nil
	}
	return p.Settings.AutoTyping
}
