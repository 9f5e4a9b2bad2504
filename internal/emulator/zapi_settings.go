package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
)

// zapiSetting applies one PUT's value to an instance; a non-nil error is
// the API's refusal, and nothing is changed.
type zapiSetting struct {
	// field is the body field holding the value: "value", except for
	// update-notify-sent-by-me.
	field string
	set   func(in *zapiInstance, v json.RawMessage) *apiError
	// webhook marks a webhook URL write, whose "" clears the webhook.
	webhook bool
}

// zapiSettingWrites are Z-API's settings writes, by the last path segment,
// as its reference documents them. The initial-data webhook has no write
// endpoint there; it is set in the panel only.
var zapiSettingWrites = map[string]*zapiSetting{
	"update-webhook-received":       webhookSetting("receivedCallbackUrl"),
	"update-webhook-delivery":       webhookSetting("deliveryCallbackUrl"),
	"update-webhook-message-status": webhookSetting("messageStatusCallbackUrl"),
	"update-webhook-connected":      webhookSetting("connectedCallbackUrl"),
	"update-webhook-disconnected":   webhookSetting("disconnectedCallbackUrl"),
	"update-webhook-chat-presence":  webhookSetting("presenceChatCallbackUrl"),
	"update-auto-read-message":      boolSetting("value", func(in *zapiInstance) *bool { return &in.autoRead }),
	"update-call-reject-auto":       boolSetting("value", func(in *zapiInstance) *bool { return &in.rejectCalls }),
	"update-notify-sent-by-me":      boolSetting("notifySentByMe", func(in *zapiInstance) *bool { return &in.sentByMe }),
	"update-call-reject-message": {field: "value", set: func(in *zapiInstance, v json.RawMessage) *apiError {
		var s string
		if err := strictJSON(v, &s); err != nil {
			return zapiInvalid("value must be a string")
		}
		in.rejectMessage = s
		return nil
	}},
}

// ZAPIRefusedWebhook is Z-API's answer to a webhook URL that is not HTTPS.
const ZAPIRefusedWebhook = "Z-API does not accept webhooks that are not HTTPS"

func webhookSetting(field string) *zapiSetting {
	return &zapiSetting{field: "value", webhook: true, set: func(in *zapiInstance, v json.RawMessage) *apiError {
		var s string
		if err := strictJSON(v, &s); err != nil {
			return zapiInvalid("value must be a string")
		}
		if s != "" && !isHTTPSURL(s) {
			return zapiInvalid(ZAPIRefusedWebhook)
		}
		hooks := map[string]string{}
		for k, u := range in.hooks {
			hooks[k] = u
		}
		if s == "" {
			delete(hooks, field) // an empty value removes the webhook
		} else {
			hooks[field] = s
		}
		in.hooks = hooks // a new map: readers holding the old one see it whole
		return nil
	}}
}

func boolSetting(field string, at func(*zapiInstance) *bool) *zapiSetting {
	return &zapiSetting{field: field, set: func(in *zapiInstance, v json.RawMessage) *apiError {
		var b bool
		if err := strictJSON(v, &b); err != nil {
			return zapiInvalid(field + " must be a boolean")
		}
		*at(in) = b
		return nil
	}}
}

func zapiInvalid(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, message: msg}
}

// write serves one settings PUT: the body {"value": ...} (or
// {"notifySentByMe": ...}), answered {"value": true}. With IgnoreWrites
// the answer is the same and nothing changes.
func (z *zapiInstanceAPI) write(r *http.Request, f Faults, in *zapiInstance, s *zapiSetting) response {
	var body map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&body); err != nil || body == nil {
		return z.errorResponse(*zapiInvalid("the body must be a JSON object"))
	}
	v, ok := body[s.field]
	if !ok {
		return z.errorResponse(*zapiInvalid(s.field + " is required"))
	}
	if s.webhook && f.RefuseWebhookClears && string(bytes.TrimSpace(v)) == `""` {
		return z.errorResponse(*zapiInvalid(ZAPIRefusedWebhook))
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	target := in
	if f.IgnoreWrites {
		copied := *in
		target = &copied
	}
	if err := s.set(target, v); err != nil {
		return z.errorResponse(*err)
	}
	return jsonResponse(http.StatusOK, []byte(`{"value":true}`))
}

// strictJSON decodes v into dst; null is refused, as no setting is null.
func strictJSON(v json.RawMessage, dst any) error {
	if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return &json.UnsupportedValueError{Str: "null"}
	}
	return json.Unmarshal(v, dst)
}

// isHTTPSURL reports an absolute https URL with a host.
func isHTTPSURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}
