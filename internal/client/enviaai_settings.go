package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// EnviaAI writes every setting at once with PATCH /v1/instances/{id},
// answered {"success": true, "data": {...}}.

// EnviaAIWebhookEvents are the event names EnviaAI's webhookEvents takes.
var EnviaAIWebhookEvents = []string{
	"instance.connected", "instance.disconnected", "instance.qr_updated", "message.delivered",
	"message.failed", "message.read", "message.received", "message.sent",
}

// enviaWebhookKeys are the Instance.Webhooks keys of EnviaAI: its one
// webhook receives every event chosen.
var enviaWebhookKeys = []string{"all"}

func (e *enviaAI) checkSettings(instanceID string, s InstanceSettings) error {
	if err := e.needInstance("the instance settings", instanceID); err != nil {
		return err
	}
	if err := checkEnviaInstanceID(e.instanceID(instanceID)); err != nil {
		return err
	}
	if err := unsupported(BackendEnviaAI, enviaSettings, map[string]bool{
		"reject_calls": s.RejectCalls != nil, "reject_call_message": s.RejectCallMessage != nil, "webhook_sent_by_me": s.WebhookSentByMe != nil,
	}); err != nil {
		return err
	}
	for _, ev := range s.WebhookEvents {
		if !slices.Contains(EnviaAIWebhookEvents, ev) {
			return &OptionError{Option: "webhook_events", Reason: fmt.Sprintf("EnviaAI has no webhook event %q; its events are %s", ev, strings.Join(EnviaAIWebhookEvents, ", "))}
		}
	}
	return checkWebhooks(BackendEnviaAI, s.Webhooks, enviaWebhookKeys, nil)
}

// patchBody is the PATCH body of s, and the settings it changes; nil when
// s changes nothing.
func (e *enviaAI) patchBody(s InstanceSettings) (map[string]any, []string) {
	body, settings := map[string]any{}, []string(nil)
	if u, ok := s.Webhooks["all"]; ok {
		body["webhookUrl"], settings = u, append(settings, "webhooks.all")
		if u == "" {
			body["webhookUrl"] = nil
		}
	}
	if s.WebhookEvents != nil {
		body["webhookEvents"], settings = append([]string{}, s.WebhookEvents...), append(settings, "webhook_events")
	}
	flags := map[string]any{}
	if s.AutoReadMessages != nil {
		flags["autoRead"], settings = *s.AutoReadMessages, append(settings, "auto_read_messages")
	}
	if s.AutoTyping != nil {
		flags["autoTyping"], settings = *s.AutoTyping, append(settings, "auto_typing")
	}
	if len(flags) > 0 {
		body["settings"] = flags
	}
	if len(body) == 0 {
		return nil, nil
	}
	return body, settings
}

// clearRefused tells a refused PATCH that cleared the webhook whose refusal
// is the clear's: invalid_webhook_url, or any refusal of a PATCH that held
// nothing else. EnviaAI types webhookUrl a string and does not say whether
// null (sent here) or "" clears it.
func (e *enviaAI) clearRefused(body map[string]any, apiErr *APIError) bool {
	u, ok := body["webhookUrl"]
	if !ok || u != nil {
		return false
	}
	return apiErr.Code == "invalid_webhook_url" || len(body) == 1
}

// writeSettings sends one PATCH; a failure is a *WriteError naming every
// setting it holds.
func (e *enviaAI) writeSettings(ctx context.Context, h *transport.Transport, instanceID string, s InstanceSettings) error {
	body, settings := e.patchBody(s)
	if body == nil {
		return nil
	}
	if err := e.patch(ctx, h, instanceID, body, settings); err != nil {
		return &WriteError{Backend: BackendEnviaAI, Settings: settings, Err: err}
	}
	return nil
}

func (e *enviaAI) patch(ctx context.Context, h *transport.Transport, instanceID string, body map[string]any, settings []string) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err // only strings, lists of strings and booleans are encoded
	}
	u := transport.JoinSegments(e.base, "v1", "instances", e.instanceID(instanceID))
	a, err := write(ctx, h, e, http.MethodPatch, u, e.header(), data, settings)
	if apiErr, ok := refusedClear(err); ok && e.clearRefused(body, apiErr) {
		return &ClearRefusedError{Backend: BackendEnviaAI, Setting: "webhooks.all", Sent: "PATCH /v1/instances/{id} with webhookUrl: null", Err: apiErr}
	}
	if err != nil {
		return err
	}
	var answer struct {
		Success flexBool         `json:"success"`
		Data    *json.RawMessage `json:"data"`
	}
	if err := decodeEnvia(h, a, &answer, e); err != nil {
		return err
	}
	if answer.Data == nil || firstByte(*answer.Data) != '{' {
		return &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: -1, Field: "data", Err: errNotAnObject, Excerpt: h.Excerpt(a.Body)}
	}
	return nil
}
