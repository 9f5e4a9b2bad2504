package client

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// Webhook is one of an account's own webhooks (EnviaAI's /v1/webhooks), as
// the API reads it back. Its signing secret is never held here: the API's
// answers may carry it, and it is dropped at decode. A field the API did
// not send is nil.
type Webhook struct {
	ID         string
	InstanceID *string
	URL        *string
	Name       *string
	// Events is nil when the API sent none.
	Events    []string
	Status    *string
	CreatedAt *time.Time
}

// WebhookSpec is a webhook to create.
type WebhookSpec struct {
	// InstanceID is the instance it belongs to; the configured one when "".
	InstanceID string
	URL        string
	Events     []string
	// Name is left to the API when nil.
	Name *string
	// Secret is the signing secret to set; "" lets the API generate one.
	// It is sent once, in the create request, and kept nowhere.
	Secret string
}

// WebhookChange is a change to a webhook; a nil field (nil Events) is
// left as it is.
type WebhookChange struct {
	URL    *string
	Events []string
	Name   *string
}

// IsEmpty tells a change that changes nothing.
func (c WebhookChange) IsEmpty() bool { return c.URL == nil && c.Events == nil && c.Name == nil }

// Delivery is one delivery of a webhook, counts and times only: its
// payload and the receiver's answer are not read.
type Delivery struct {
	ID         string
	Event      *string
	Succeeded  *bool // nil when the status is neither success nor failed
	StatusCode *int64
	Timestamp  *time.Time
	RetryCount *int64
	// NextRetryAt is when a failed delivery is tried again.
	NextRetryAt *time.Time
}

// Delivery statuses the logs filter on.
const (
	DeliverySucceeded = "success"
	DeliveryFailed    = "failed"
)

// MaxDeliveries is the most deliveries one logs request returns.
const MaxDeliveries = 100

// DeliveryOptions choose the deliveries read: the Limit newest (1 to
// MaxDeliveries), of one Status ("" for both).
type DeliveryOptions struct {
	Limit  int
	Status string
}

// Validate rejects options the API would refuse.
func (o DeliveryOptions) Validate() error {
	if o.Limit < 1 || o.Limit > MaxDeliveries {
		return &OptionError{Option: "limit", Reason: fmt.Sprintf("must be from 1 to %d", MaxDeliveries), Kind: KindQueryRejected}
	}
	if o.Status != "" && o.Status != DeliverySucceeded && o.Status != DeliveryFailed {
		return &OptionError{Option: "status", Reason: fmt.Sprintf("must be %q or %q", DeliverySucceeded, DeliveryFailed), Kind: KindQueryRejected}
	}
	return nil
}

// webhookBackend is the webhooks part of a backend's contract: EnviaAI
// serves it, Z-API answers every call with a *NoWebhooksError.
type webhookBackend interface {
	checkWebhook(spec WebhookSpec) error
	createWebhook(ctx context.Context, h *transport.Transport, spec WebhookSpec) (*Webhook, error)
	readWebhook(ctx context.Context, h *transport.Transport, id string) (*Webhook, error)
	updateWebhook(ctx context.Context, h *transport.Transport, id string, change WebhookChange) error
	deleteWebhook(ctx context.Context, h *transport.Transport, id string) error
	listWebhooks(ctx context.Context, h *transport.Transport) ([]Webhook, error)
	webhookDeliveries(ctx context.Context, h *transport.Transport, id string, opts DeliveryOptions) ([]Delivery, error)
}

// NoWebhooksError is a webhooks call to an API that has no webhooks API.
type NoWebhooksError struct {
	Backend string
}

func (e *NoWebhooksError) Error() string {
	return e.Backend + " has no webhooks API: its webhooks are settings of an instance"
}

// WebhookNotFoundError is a webhook id the API does not know.
type WebhookNotFoundError struct {
	Backend, ID string
	Err         error
}

func (e *WebhookNotFoundError) Error() string {
	return fmt.Sprintf("%s has no webhook %q", e.Backend, e.ID)
}

func (e *WebhookNotFoundError) Unwrap() error { return e.Err }

// WebhookInstance is the instance a spec with instanceID "" belongs to.
func (c *Client) WebhookInstance(instanceID string) string {
	if instanceID != "" {
		return instanceID
	}
	return c.SettingsInstance("")
}

// CheckWebhook rejects, without any request, a webhook CreateWebhook would
// refuse: on an API without webhooks, a URL that is not https (or http to
// a loopback host), no event or an unknown one, an instance id that cannot
// be one. The error is a *NoWebhooksError or an *OptionError naming the
// argument (url, events, instance_id, secret); it never repeats the URL
// nor the secret.
func (c *Client) CheckWebhook(spec WebhookSpec) error {
	return c.api.checkWebhook(spec)
}

// CreateWebhook creates a webhook and reads it back. The create is retried
// only when the API cannot have applied it. When its outcome is unknown
// (an *OutcomeUnknownError), the instance's webhooks are read: a webhook
// that was not there before and matches the spec is returned along with
// the error, so the caller can record what the API holds. A webhook
// created whose read back failed is returned with the error too.
func (c *Client) CreateWebhook(ctx context.Context, spec WebhookSpec) (*Webhook, error) {
	if err := c.CheckWebhook(spec); err != nil {
		return nil, err
	}
	spec.InstanceID = c.WebhookInstance(spec.InstanceID)
	before, err := c.api.listWebhooks(ctx, c.core)
	if err != nil {
		return nil, redactSecret(err, spec.Secret)
	}
	created, err := c.api.createWebhook(ctx, c.core, spec)
	if err != nil {
		if !errors.As(err, new(*OutcomeUnknownError)) {
			return nil, redactSecret(err, spec.Secret)
		}
		return c.adopt(ctx, spec, before, redactSecret(err, spec.Secret))
	}
	read, err := c.api.readWebhook(ctx, c.core, created.ID)
	if err != nil {
		return created, fmt.Errorf("%s created webhook %q, but reading it back failed: %w", c.Backend(), created.ID, err)
	}
	return read, keptWebhook(c.Backend(), WebhookChange{URL: &spec.URL, Events: spec.Events, Name: spec.Name}, read)
}

// adopt finds the one webhook a create of unknown outcome may have made:
// not among before, on the spec's instance, with its URL and events.
func (c *Client) adopt(ctx context.Context, spec WebhookSpec, before []Webhook, cause error) (*Webhook, error) {
	after, err := c.api.listWebhooks(ctx, c.core)
	if err != nil {
		return nil, cause
	}
	var found []Webhook
	for _, w := range after {
		old := slices.ContainsFunc(before, func(b Webhook) bool { return b.ID == w.ID })
		if !old && deref(w.InstanceID) == spec.InstanceID && deref(w.URL) == spec.URL && sameEvents(w.Events, spec.Events) {
			found = append(found, w)
		}
	}
	if len(found) != 1 {
		return nil, cause
	}
	return &found[0], cause
}

// ReadWebhook reads one webhook; one the API does not know is a
// *WebhookNotFoundError.
func (c *Client) ReadWebhook(ctx context.Context, id string) (*Webhook, error) {
	if err := checkWebhookID(id); err != nil {
		return nil, err
	}
	return c.api.readWebhook(ctx, c.core, id)
}

// UpdateWebhook writes change to a webhook and reads it back; the webhook
// read is returned whenever it could be read, with the error of a write
// that failed, may have failed or was not kept (a *SettingNotKeptError
// naming url, events or name), so the caller records what the API holds.
// The write is retried only when the API cannot have applied it.
func (c *Client) UpdateWebhook(ctx context.Context, id string, change WebhookChange) (*Webhook, error) {
	if err := checkWebhookID(id); err != nil {
		return nil, err
	}
	if err := checkWebhookChange(change); err != nil {
		return nil, err
	}
	var writeErr error
	if !change.IsEmpty() {
		writeErr = c.api.updateWebhook(ctx, c.core, id, change)
	}
	read, err := c.api.readWebhook(ctx, c.core, id)
	switch {
	case err != nil && writeErr != nil:
		return nil, writeErr
	case err != nil:
		return nil, fmt.Errorf("%s took the change of webhook %q, but reading it back failed: %w", c.Backend(), id, err)
	case writeErr != nil:
		return read, writeErr
	}
	return read, keptWebhook(c.Backend(), change, read)
}

// DeleteWebhook deletes a webhook; one already gone is not an error. It is
// retried only when the API cannot have applied it.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	if err := checkWebhookID(id); err != nil {
		return err
	}
	err := c.api.deleteWebhook(ctx, c.core, id)
	if errors.As(err, new(*WebhookNotFoundError)) {
		return nil
	}
	return err
}

// ListWebhooks lists the account's webhooks, those of one instance when
// instanceID is set.
func (c *Client) ListWebhooks(ctx context.Context, instanceID string) ([]Webhook, error) {
	all, err := c.api.listWebhooks(ctx, c.core)
	if err != nil || instanceID == "" {
		return all, err
	}
	return slices.DeleteFunc(all, func(w Webhook) bool { return deref(w.InstanceID) != instanceID }), nil
}

// WebhookDeliveries reads a webhook's newest deliveries, newest first.
func (c *Client) WebhookDeliveries(ctx context.Context, id string, opts DeliveryOptions) ([]Delivery, error) {
	if err := checkWebhookID(id); err != nil {
		return nil, err
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return c.api.webhookDeliveries(ctx, c.core, id, opts)
}

// DeliverySummary is what a list of deliveries adds up to.
type DeliverySummary struct {
	Deliveries, Succeeded, Failed int64
	// FailureRate is Failed over Deliveries, nil when there are none.
	FailureRate *float64
	// LastSuccessAt and LastFailureAt are the newest timestamps of each;
	// LastFailureStatusCode is the status of the newest failure.
	LastSuccessAt, LastFailureAt *time.Time
	LastFailureStatusCode        *int64
	// FailedEvents are the events with a failed delivery, sorted.
	FailedEvents []string
	// PendingRetries are failed deliveries with a next retry scheduled.
	PendingRetries int64
}

// SummarizeDeliveries adds deliveries up. A delivery whose status is
// neither success nor failed counts in Deliveries only.
func SummarizeDeliveries(ds []Delivery) DeliverySummary {
	s := DeliverySummary{Deliveries: int64(len(ds)), FailedEvents: []string{}}
	var lastFailure *Delivery
	for i := range ds {
		d := &ds[i]
		switch {
		case d.Succeeded == nil:
			continue
		case *d.Succeeded:
			s.Succeeded++
			s.LastSuccessAt = newest(s.LastSuccessAt, d.Timestamp)
			continue
		}
		s.Failed++
		if d.NextRetryAt != nil {
			s.PendingRetries++
		}
		if d.Event != nil && !slices.Contains(s.FailedEvents, *d.Event) {
			s.FailedEvents = append(s.FailedEvents, *d.Event)
		}
		if lastFailure == nil || d.Timestamp != nil && (lastFailure.Timestamp == nil || d.Timestamp.After(*lastFailure.Timestamp)) {
			lastFailure = d
		}
	}
	slices.Sort(s.FailedEvents)
	if lastFailure != nil {
		s.LastFailureAt, s.LastFailureStatusCode = lastFailure.Timestamp, lastFailure.StatusCode
	}
	if s.Deliveries > 0 {
		rate := float64(s.Failed) / float64(s.Deliveries)
		s.FailureRate = &rate
	}
	return s
}

func newest(a, b *time.Time) *time.Time {
	if a == nil || b != nil && b.After(*a) {
		return b
	}
	return a
}

// keptWebhook compares a change with the webhook read back.
func keptWebhook(backend string, change WebhookChange, w *Webhook) error {
	if change.URL != nil {
		if err := keptValue(backend, "url", change.URL, w.URL, shownURL); err != nil {
			return err
		}
	}
	if change.Events != nil && !sameEvents(change.Events, w.Events) {
		want := fmt.Sprintf("%q", slices.Sorted(slices.Values(change.Events)))
		if w.Events == nil {
			return &SettingNotKeptError{Backend: backend, Setting: "events", Want: want, Missing: true}
		}
		return &SettingNotKeptError{Backend: backend, Setting: "events", Want: want, Got: transport.CutRunes(fmt.Sprintf("%q", slices.Sorted(slices.Values(w.Events))), transport.MaxQuotedRunes)}
	}
	return keptValue(backend, "name", change.Name, w.Name, quoteCut)
}

// sameEvents compares two lists of events as sets.
func sameEvents(a, b []string) bool {
	return slices.Equal(slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b))))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkWebhookID refuses an id that would not stay one path segment.
func checkWebhookID(id string) error {
	if id == "" || strings.ContainsAny(id, "/?#%\\") || strings.Trim(id, ".") == "" {
		return &OptionError{Option: "id", Reason: fmt.Sprintf("%q cannot be a webhook id: it is named in the request path, so it must not be empty, hold /, ?, #, %%, \\ or be only dots", id)}
	}
	return nil
}

// checkWebhookChange checks what a change sets, as CheckWebhook does.
func checkWebhookChange(c WebhookChange) error {
	if c.URL != nil {
		if err := CheckWebhookEndpoint(*c.URL); err != nil {
			return &OptionError{Option: "url", Reason: err.Error()}
		}
	}
	if c.Events != nil {
		return checkWebhookEvents(c.Events)
	}
	return nil
}

// checkWebhookEvents refuses an empty list and an unknown event.
func checkWebhookEvents(events []string) error {
	if len(events) == 0 {
		return &OptionError{Option: "events", Reason: "at least one event is needed"}
	}
	for _, ev := range events {
		if !slices.Contains(EnviaAIWebhookEvents, ev) {
			return &OptionError{Option: "events", Reason: fmt.Sprintf("%q is not an event; the events are %s", ev, strings.Join(EnviaAIWebhookEvents, ", "))}
		}
	}
	return nil
}

// CheckWebhookEndpoint accepts a webhook URL as CheckWebhookURL does
// (https, or plain http to a loopback host; no user or password), and says
// why not without repeating the URL: its path or query may hold a token
// the receiving server checks.
func CheckWebhookEndpoint(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("is not a URL")
	case u.User != nil:
		return errors.New("must not hold a user name or password")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("has no host; write it as https://host/path")
	case u.Scheme == "https", u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return errors.New("must start with https:// (http:// is accepted only for localhost, 127.0.0.0/8 and ::1)")
}

// redactSecret replaces a secret that was sent wherever an error quotes
// what the API answered, in place: the errors are the client's own.
func redactSecret(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	r := strings.NewReplacer(secret, "REDACTED")
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		apiErr.Code, apiErr.Message, apiErr.Excerpt = r.Replace(apiErr.Code), r.Replace(apiErr.Message), r.Replace(apiErr.Excerpt)
	}
	var decErr *DecodeError
	if errors.As(err, &decErr) {
		decErr.Excerpt = r.Replace(decErr.Excerpt)
		if decErr.Err != nil && strings.Contains(decErr.Err.Error(), secret) {
			decErr.Err = errors.New(r.Replace(decErr.Err.Error()))
		}
	}
	var reqErr *RequestError
	if errors.As(err, &reqErr) && reqErr.Err != nil && strings.Contains(reqErr.Err.Error(), secret) {
		reqErr.Err = errors.New(r.Replace(reqErr.Err.Error()))
	}
	if strings.Contains(err.Error(), secret) {
		return errors.New(r.Replace(err.Error())) // a wrapper of its own words
	}
	return err
}
