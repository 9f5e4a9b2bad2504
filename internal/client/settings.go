package client

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// InstanceSettings are the settings of an instance a write changes. A nil
// field (nil Webhooks, nil WebhookEvents) is left as it is.
type InstanceSettings struct {
	// Webhooks sets the URL of each event named, by the keys of
	// Instance.Webhooks; "" removes that event's webhook. Events not named
	// are left as they are.
	Webhooks map[string]string
	// WebhookEvents (EnviaAI) are the events its webhook receives; an
	// empty, non-nil list sets none.
	WebhookEvents     []string
	AutoReadMessages  *bool
	AutoTyping        *bool // EnviaAI
	RejectCalls       *bool // Z-API
	RejectCallMessage *string
	WebhookSentByMe   *bool // Z-API
}

// settingsBackend is the settings part of a backend's contract.
type settingsBackend interface {
	// checkSettings rejects settings the API does not have, before any
	// request.
	checkSettings(instanceID string, s InstanceSettings) error
	// writeSettings sends the writes; the caller reads the result back.
	writeSettings(ctx context.Context, h *transport.Transport, instanceID string, s InstanceSettings) error
	// instanceID is the instance a write or read of instanceID is for: the
	// configured one when it is empty.
	instanceID(instanceID string) string
}

// SettingsInstance is the instance UpdateInstanceSettings(instanceID)
// writes: instanceID, or the configured instance when it is empty.
func (c *Client) SettingsInstance(instanceID string) string {
	return c.api.instanceID(instanceID)
}

// UpdateInstanceSettings writes s to the instance (the configured one when
// instanceID is empty; on Z-API it may only be the configured one), then
// reads the instance back. A setting the API did not keep is a
// *SettingNotKeptError; a write whose outcome cannot be known (a timeout,
// a connection reset after sending, a 5xx the API does not mark as
// retryable) is an *OutcomeUnknownError and is never retried. Only writes
// the API cannot have applied are retried: a connection that was never
// made, 429, and 503 with Retry-After.
//
// An instance that is not connected is written as any other: when the read
// back cannot see a setting written (an endpoint refused because of it),
// that is an error; endpoints that give no setting may refuse.
//
// A write that fails, or whose outcome is unknown, is a *WriteError naming
// the settings written before it; the instance is not read back then. A
// setting not kept returns the instance as read back with the error.
func (c *Client) UpdateInstanceSettings(ctx context.Context, instanceID string, s InstanceSettings) (*Instance, error) {
	if err := c.CheckInstanceSettings(instanceID, s); err != nil {
		return nil, err
	}
	if err := c.api.writeSettings(ctx, c.core, instanceID, s); err != nil {
		return nil, err
	}
	read, err := c.ReadInstance(ctx, instanceID)
	if err != nil {
		return nil, fmt.Errorf("%s took the settings, but reading them back failed: %w", c.Backend(), err)
	}
	written := s.names()
	for _, u := range read.Unread {
		if slices.ContainsFunc(u.Attributes, func(a string) bool { return slices.Contains(written, a) }) {
			return nil, fmt.Errorf("%s took the settings, but %s could not be read to confirm them: %w", c.Backend(), u.Endpoint, u.Err)
		}
	}
	return &read.Instance, kept(c.Backend(), s, &read.Instance)
}

// CheckInstanceSettings rejects, without any request, settings that
// UpdateInstanceSettings would refuse: a setting the API does not have, an
// unknown webhook event, a webhook URL that is not https (or http to a
// loopback host), an instance the configured credentials cannot write.
// The error is an *OptionError naming the setting (webhooks.received for
// one webhook) or a *CredentialsError.
func (c *Client) CheckInstanceSettings(instanceID string, s InstanceSettings) error {
	return c.api.checkSettings(instanceID, s)
}

// IsEmpty tells settings that change nothing.
func (s InstanceSettings) IsEmpty() bool { return len(s.names()) == 0 }

// names are the provider-facing attribute names of the settings s sets.
func (s InstanceSettings) names() []string {
	var names []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		// EnviaAI reads webhook_events with its webhooks, from one endpoint.
		{"webhooks", s.Webhooks != nil}, {"webhooks", s.WebhookEvents != nil}, {"auto_read_messages", s.AutoReadMessages != nil},
		{"auto_typing", s.AutoTyping != nil}, {"reject_calls", s.RejectCalls != nil}, {"reject_call_message", s.RejectCallMessage != nil},
		{"webhook_sent_by_me", s.WebhookSentByMe != nil},
	} {
		if f.set {
			names = append(names, f.name)
		}
	}
	return names
}

// SettingNotKeptError is a setting the API acknowledged but that reads back
// different, or not at all.
type SettingNotKeptError struct {
	Backend string
	// Setting is the option's neutral name: auto_read_messages,
	// webhooks.received, webhook_events.
	Setting string
	Want    string
	// Got is the value read back; "" with Missing when none was.
	Got     string
	Missing bool
}

func (e *SettingNotKeptError) Error() string {
	if e.Missing {
		return fmt.Sprintf("%s acknowledged %s = %s, but reading the instance back does not report %s, so the change cannot be confirmed", e.Backend, e.Setting, e.Want, e.Setting)
	}
	return fmt.Sprintf("%s acknowledged %s = %s, but the instance reads back %s = %s: the API did not keep the value", e.Backend, e.Setting, e.Want, e.Setting, e.Got)
}

// ClearRefusedError is a webhook clear the API refused: neither API's
// reference says how a webhook is cleared, so the client sends the
// natural guess (Z-API {"value": ""}, EnviaAI webhookUrl: null), and an
// API may refuse it. Nothing was changed by the refused request.
type ClearRefusedError struct {
	Backend string
	// Setting is the webhook's neutral name: webhooks.received.
	Setting string
	// Sent is what the request sent to clear it.
	Sent string
	Err  *APIError
}

func (e *ClearRefusedError) Error() string {
	return fmt.Sprintf("%s refused to clear %s (sent as %s; its reference does not say how a webhook is cleared): %v",
		e.Backend, e.Setting, e.Sent, e.Err)
}

func (e *ClearRefusedError) Unwrap() error { return e.Err }

// refusedClear tells a refusal of the request itself (400 or 422, not a
// refusal of the credentials, the instance or the rate) from the rest.
func refusedClear(err error) (*APIError, bool) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 && apiErr.StatusCode != 422 {
		return nil, false
	}
	kind := apiKind(apiErr)
	return apiErr, kind == KindUnknown || kind == KindQueryRejected
}

// OutcomeUnknownError is a write that may or may not have been applied.
type OutcomeUnknownError struct {
	Backend string
	// Settings names what the write would have changed.
	Settings []string
	Err      error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s: the outcome of the write of %s is unknown, and it was not retried, as it may have been applied: %v",
		e.Backend, strings.Join(e.Settings, ", "), e.Err)
}

func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// WriteError is a write of settings that failed, or whose outcome is
// unknown, and the settings written before it. Err is the cause (an
// *OutcomeUnknownError, an *APIError, ...).
type WriteError struct {
	Backend string
	// Settings names what the failed request would have changed
	// (webhooks.received, auto_read_messages), in the order written.
	Settings []string
	// Written names the settings the API took before it, in order.
	Written []string
	Err     error
}

func (e *WriteError) Error() string {
	if len(e.Written) == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("%v; before it, %s took %s", e.Err, e.Backend, strings.Join(e.Written, ", "))
}

func (e *WriteError) Unwrap() error { return e.Err }

// kept compares what was written with what was read back.
func kept(backend string, s InstanceSettings, in *Instance) error {
	for _, key := range slices.Sorted(maps.Keys(s.Webhooks)) {
		want, got := s.Webhooks[key], in.Webhooks[key]
		if want != got {
			return &SettingNotKeptError{Backend: backend, Setting: "webhooks." + key, Want: shownURL(want), Got: shownURL(got)}
		}
	}
	// EnviaAI documents webhookEvents in the PATCH body only: neither its
	// answer nor the listing is said to carry them, so events that do not
	// read back are trusted. Only events the API does report are compared.
	if s.WebhookEvents != nil && in.WebhookEvents != nil {
		want := slices.Sorted(slices.Values(s.WebhookEvents))
		if !slices.Equal(slices.Compact(want), slices.Compact(slices.Sorted(slices.Values(in.WebhookEvents)))) {
			return &SettingNotKeptError{Backend: backend, Setting: "webhook_events", Want: fmt.Sprintf("%q", want), Got: transport.CutRunes(fmt.Sprintf("%q", in.WebhookEvents), transport.MaxQuotedRunes)}
		}
	}
	for _, b := range []struct {
		name      string
		want, got *bool
	}{
		{"auto_read_messages", s.AutoReadMessages, in.AutoReadMessages},
		{"auto_typing", s.AutoTyping, in.AutoTyping},
		{"reject_calls", s.RejectCalls, in.RejectCalls},
		{"webhook_sent_by_me", s.WebhookSentByMe, in.WebhookSentByMe},
	} {
		if err := keptValue(backend, b.name, b.want, b.got, strconv.FormatBool); err != nil {
			return err
		}
	}
	return keptValue(backend, "reject_call_message", s.RejectCallMessage, in.RejectCallMessage, quoteCut)
}

func keptValue[T comparable](backend, name string, want, got *T, show func(T) string) error {
	switch {
	case want == nil:
		return nil
	case got == nil:
		return &SettingNotKeptError{Backend: backend, Setting: name, Want: show(*want), Missing: true}
	case *got != *want:
		return &SettingNotKeptError{Backend: backend, Setting: name, Want: show(*want), Got: show(*got)}
	}
	return nil
}

// NoWebhook is how a SettingNotKeptError shows a webhook with no URL.
const NoWebhook = "(none)"

// shownURL is how an error shows a webhook URL: quoted and cut, without
// its user info, query or fragment, which may hold the receiver's secret
// (https://hooks.example.com/wh?token=...); "?…" marks what was left out.
// A value that does not parse as a URL is not shown, only its length.
func shownURL(raw string) string {
	if raw == "" {
		return NoWebhook
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("a value that is not a URL (%d bytes)", len(raw))
	}
	withheld := u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != ""
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	shown := u.String()
	if withheld {
		shown += "?…"
	}
	return quoteCut(shown)
}

// quoteCut quotes a value an error shows, escaped and cut.
func quoteCut(s string) string { return strconv.Quote(transport.CutRunes(s, transport.MaxQuotedRunes)) }

// CheckWebhookURL accepts a webhook URL as CheckBaseURL accepts a base URL
// (https, or plain http to a loopback host), with a path and query allowed.
// It never holds credentials: they would end in state and logs. The error
// never repeats the URL: at most its scheme and host.
func CheckWebhookURL(raw string) error {
	u, err := parseURL(raw)
	switch {
	case err != nil:
		return err
	case u.Host == "" || u.Hostname() == "":
		return errors.New("has no host; write it as https://host/path")
	case u.User != nil:
		return fmt.Errorf("must not hold a user name or password (%s)", urlHead(u))
	}
	return checkScheme(u)
}

// checkWebhooks checks each webhook's key against the API's events and its
// URL ("" removes it). readOnly are events the API reports but cannot set.
func checkWebhooks(backend string, hooks map[string]string, events, readOnly []string) error {
	for _, key := range slices.Sorted(maps.Keys(hooks)) {
		if slices.Contains(readOnly, key) {
			return &OptionError{Option: "webhooks." + key, Reason: fmt.Sprintf("%s has no write endpoint for the %q webhook, so it can only be set in its panel; the webhooks it can set are %s", backend, key, strings.Join(events, ", "))}
		}
		if !slices.Contains(events, key) {
			return &OptionError{Option: "webhooks." + key, Reason: unknownWebhook(backend, key, events)}
		}
		if u := hooks[key]; u != "" {
			if err := CheckWebhookURL(u); err != nil {
				return &OptionError{Option: "webhooks." + key, Reason: "the webhook URL " + err.Error()}
			}
		}
	}
	return nil
}

// zapiSettings and enviaSettings are the settings each API has, by their
// provider-facing names.
var (
	zapiSettings  = []string{"webhooks", "auto_read_messages", "reject_calls", "reject_call_message", "webhook_sent_by_me"}
	enviaSettings = []string{"webhooks", "webhook_events", "auto_read_messages", "auto_typing"}
)

// unknownWebhook says that backend has no webhook key, and which it has.
func unknownWebhook(backend, key string, events []string) string {
	if len(events) == 1 {
		return fmt.Sprintf("%s has no webhook event %q: it has one webhook, for every event, under the key %q", backend, key, events[0])
	}
	return fmt.Sprintf("%s has no webhook event %q; the events it has are %s", backend, key, strings.Join(events, ", "))
}

// unsupported names the first setting set in s that backend lacks, and
// the settings it has.
func unsupported(backend string, has []string, set map[string]bool) error {
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if set[name] {
			return &OptionError{Option: name, Reason: fmt.Sprintf("%s has no %s setting; the settings it has are %s", backend, name, strings.Join(has, ", "))}
		}
	}
	return nil
}
