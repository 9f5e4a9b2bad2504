package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// Z-API writes each setting with its own PUT .../{endpoint}, body
// {"value": ...} ({"notifySentByMe": ...} for webhook_sent_by_me), and
// answers {"value": true}. The initial-data webhook has no write endpoint
// in its reference, so it cannot be set here.

// zapiWebhookWrites are the webhook events Z-API can set, by their
// Instance.Webhooks keys.
var zapiWebhookWrites = map[string]string{
	"connected":      "update-webhook-connected",
	"delivery":       "update-webhook-delivery",
	"disconnected":   "update-webhook-disconnected",
	"message_status": "update-webhook-message-status",
	"presence_chat":  "update-webhook-chat-presence",
	"received":       "update-webhook-received",
}

// ZAPIWritableWebhooks are the webhook events UpdateInstanceSettings can
// set on Z-API.
var ZAPIWritableWebhooks = slices.Sorted(maps.Keys(zapiWebhookWrites))

// zapiWrite is one PUT: the setting's provider-facing name, its endpoint,
// and its body.
type zapiWrite struct {
	setting, endpoint string
	body              map[string]any
}

func (z *zapi) instanceID(id string) string {
	if id != "" {
		return id
	}
	return z.cfg.InstanceID
}

func (z *zapi) checkSettings(instanceID string, s InstanceSettings) error {
	if err := z.needInstance("the instance settings", ""); err != nil {
		return err
	}
	if instanceID != "" && instanceID != z.cfg.InstanceID {
		return &OptionError{Option: "instance_id", Kind: KindOneInstance,
			Reason: fmt.Sprintf("Z-API credentials write the settings of the one instance they name, %q, and %q is another one", z.cfg.InstanceID, instanceID)}
	}
	if err := unsupported(BackendZAPI, zapiSettings, map[string]bool{"webhook_events": s.WebhookEvents != nil, "auto_typing": s.AutoTyping != nil}); err != nil {
		return err
	}
	return checkWebhooks(BackendZAPI, s.Webhooks, ZAPIWritableWebhooks, []string{"initial_data"})
}

// writes lists the PUTs s needs, call rejection before its message.
func (z *zapi) writes(s InstanceSettings) []zapiWrite {
	var w []zapiWrite
	for _, key := range slices.Sorted(maps.Keys(s.Webhooks)) {
		w = append(w, zapiWrite{"webhooks." + key, zapiWebhookWrites[key], map[string]any{"value": s.Webhooks[key]}})
	}
	if s.AutoReadMessages != nil {
		w = append(w, zapiWrite{"auto_read_messages", "update-auto-read-message", map[string]any{"value": *s.AutoReadMessages}})
	}
	if s.RejectCalls != nil {
		w = append(w, zapiWrite{"reject_calls", "update-call-reject-auto", map[string]any{"value": *s.RejectCalls}})
	}
	if s.RejectCallMessage != nil {
		w = append(w, zapiWrite{"reject_call_message", "update-call-reject-message", map[string]any{"value": *s.RejectCallMessage}})
	}
	if s.WebhookSentByMe != nil {
		w = append(w, zapiWrite{"webhook_sent_by_me", "update-notify-sent-by-me", map[string]any{"notifySentByMe": *s.WebhookSentByMe}})
	}
	return w
}

// clears tells a write that clears a webhook. Z-API says it refuses URLs
// that are not HTTPS and not how a webhook is cleared: "" is a guess.
func (w zapiWrite) clears() bool {
	return strings.HasPrefix(w.setting, "webhooks.") && w.body["value"] == ""
}

var errNotConfirmed = errors.New(`want {"value": true}, the API's confirmation`)

// writeSettings sends one PUT per setting, in order; a failure is a
// *WriteError naming the settings written before it.
func (z *zapi) writeSettings(ctx context.Context, h *transport.Transport, _ string, s InstanceSettings) error {
	var written []string
	for _, w := range z.writes(s) {
		if err := z.put(ctx, h, w); err != nil {
			return &WriteError{Backend: BackendZAPI, Settings: []string{w.setting}, Written: written, Err: err}
		}
		written = append(written, w.setting)
	}
	return nil
}

func (z *zapi) put(ctx context.Context, h *transport.Transport, w zapiWrite) error {
	body, err := json.Marshal(w.body)
	if err != nil {
		return err // only strings and booleans are encoded
	}
	a, err := write(ctx, h, z, http.MethodPut, z.instanceURL(w.endpoint), z.instanceHeader(), body, []string{w.setting})
	if apiErr, ok := refusedClear(err); ok && w.clears() {
		return &ClearRefusedError{Backend: BackendZAPI, Setting: w.setting, Sent: "PUT " + w.endpoint + ` {"value": ""}`, Err: apiErr}
	}
	if err != nil {
		return err
	}
	var answer struct {
		Value flexBool `json:"value"`
	}
	if err := decodeObject(h, BackendZAPI, a, &answer, z); err != nil {
		return err
	}
	if !answer.Value.set || !answer.Value.val {
		return &DecodeError{Backend: BackendZAPI, StatusCode: a.Status, Index: -1, Field: "value", Err: errNotConfirmed, Excerpt: h.Excerpt(a.Body)}
	}
	return nil
}
