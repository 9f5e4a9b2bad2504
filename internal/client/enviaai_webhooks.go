package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// EnviaAI's webhooks API (enviaai-webhooks.md): POST and GET /v1/webhooks,
// GET, PUT and DELETE /v1/webhooks/{id}, GET /v1/webhooks/{id}/logs.
//
// What the reference states and what it leaves open, and how this adapter
// reads each:
//   - The create answer's fields (id, name, url, instanceId, events, secret,
//     status, createdAt) are stated; GET and the listing are assumed to send
//     the same object, and a field either leaves out is null, never made up.
//   - The secret is in the create answer, and GET and the listing may carry
//     it, in full or masked. No decoded type has a field for it, so it is
//     dropped at decode, as Z-API's instance tokens and EnviaAI's QR codes
//     are; an error that quotes a body redacts a "secret" field
//     (transport.SecretField), and one that quotes a secret this client sent
//     redacts it (redactSecret).
//   - PUT's body is not stated: the create fields are a guess, so a change
//     sends url, events and name only, and is read back and compared; a
//     value the API did not keep is an error, not a silent success. Whether
//     PUT rotates a secret is not stated, so nothing sends one there: a new
//     secret means a new webhook (a create, which does take one).
//   - The listing's query parameters and paging are not stated: it is read
//     as one answer, within the transport's body cap, and filtered by
//     instance here.
//   - An unknown webhook is a 404 whose error code is not stated: a 404 with
//     EnviaAI's error envelope (any code but an instance's or a key's) is
//     "no such webhook"; a 404 without it (a wrong base URL, a proxy) is an
//     error, so that a webhook is never dropped from state on a bad route.
//   - The answer status of create, PUT and DELETE is not stated: any 2xx.

// enviaWebhookWire is a webhook as the API sends it, less its secret.
type enviaWebhookWire struct {
	ID         flexString `json:"id"`
	InstanceID flexString `json:"instanceId"`
	URL        flexString `json:"url"`
	Name       flexString `json:"name"`
	Events     *[]string  `json:"events"`
	Status     flexString `json:"status"`
	CreatedAt  flexTime   `json:"createdAt"`
}

type enviaWebhookBody struct {
	Success flexBool          `json:"success"`
	Data    *enviaWebhookWire `json:"data"`
}

type enviaWebhooksBody struct {
	Success flexBool            `json:"success"`
	Data    *[]enviaWebhookWire `json:"data"`
}

// enviaDeliveryWire is a delivery, less its error text: counts and times
// are what is read.
type enviaDeliveryWire struct {
	ID          flexString `json:"id"`
	Event       flexString `json:"event"`
	Status      flexString `json:"status"`
	StatusCode  flexInt    `json:"statusCode"`
	Timestamp   flexTime   `json:"timestamp"`
	RetryCount  flexInt    `json:"retryCount"`
	NextRetryAt flexTime   `json:"nextRetryAt"`
}

type enviaDeliveriesBody struct {
	Success flexBool             `json:"success"`
	Data    *[]enviaDeliveryWire `json:"data"`
}

var (
	errMissingWebhookID = errors.New("the webhook has no identifier")
	errNullWebhookList  = errors.New("the webhook list is missing or null")
)

// Bodies of the logs endpoint are capped by the deliveries asked for.
const (
	deliveriesBodyBase        = 1 << 20
	deliveriesBodyPerDelivery = 16 << 10
)

func (w *enviaWebhookWire) webhook() Webhook {
	hook := Webhook{
		ID: w.ID.val, InstanceID: w.InstanceID.ptr(), URL: w.URL.ptr(), Name: w.Name.ptr(),
		Status: w.Status.ptr(), CreatedAt: w.CreatedAt.ptr(),
	}
	if w.Events != nil {
		hook.Events = append([]string{}, *w.Events...)
	}
	return hook
}

func (e *enviaAI) webhookURL(segments ...string) *url.URL {
	return transport.JoinSegments(e.base, append([]string{"v1", "webhooks"}, segments...)...)
}

func (e *enviaAI) checkWebhook(spec WebhookSpec) error {
	id := e.instanceID(spec.InstanceID)
	if id == "" {
		return &OptionError{Option: "instance_id", Reason: "no instance is named, and the client has no instance of its own"}
	}
	if err := checkEnviaInstanceID(id); err != nil {
		return err
	}
	if err := CheckWebhookEndpoint(spec.URL); err != nil {
		return &OptionError{Option: "url", Reason: err.Error()}
	}
	return checkWebhookEvents(spec.Events)
}

func (e *enviaAI) createWebhook(ctx context.Context, h *transport.Transport, spec WebhookSpec) (*Webhook, error) {
	body := map[string]any{"url": spec.URL, "instanceId": spec.InstanceID, "events": spec.Events}
	if spec.Name != nil {
		body["name"] = *spec.Name
	}
	if spec.Secret != "" {
		body["secret"] = spec.Secret
	}
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err // strings and lists of strings only
	}
	a, err := write(ctx, h, e, http.MethodPost, e.webhookURL(), e.header(), data, []string{"the new webhook"})
	if err != nil {
		return nil, err
	}
	return e.decodeWebhook(h, a)
}

func (e *enviaAI) decodeWebhook(h *transport.Transport, a *transport.Answer) (*Webhook, error) {
	var body enviaWebhookBody
	if err := decodeEnvia(h, a, &body, e); err != nil {
		return nil, err
	}
	if body.Data == nil {
		return nil, &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: -1, Field: "data", Err: errNotAnObject, Excerpt: h.Excerpt(a.Body)}
	}
	if body.Data.ID.val == "" {
		return nil, &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: -1, Field: "data.id", Err: errMissingWebhookID, Excerpt: h.Excerpt(a.Body)}
	}
	hook := body.Data.webhook()
	return &hook, nil
}

func (e *enviaAI) readWebhook(ctx context.Context, h *transport.Transport, id string) (*Webhook, error) {
	a, err := getJSON(ctx, h, e, e.webhookURL(id), e.header())
	if err != nil {
		return nil, webhookGone(id, err)
	}
	return e.decodeWebhook(h, a)
}

// webhookGone turns EnviaAI's 404 for a webhook into a
// *WebhookNotFoundError (see the note at the top of this file).
func webhookGone(id string, err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && apiErr.Code != "" &&
		apiErr.Code != "instance_not_found" && apiErr.Code != "invalid_instance" && apiErr.Code != "invalid_api_key" {
		return &WebhookNotFoundError{Backend: BackendEnviaAI, ID: id, Err: err}
	}
	return err
}

func (e *enviaAI) updateWebhook(ctx context.Context, h *transport.Transport, id string, change WebhookChange) error {
	body, names := map[string]any{}, []string(nil)
	if change.URL != nil {
		body["url"], names = *change.URL, append(names, "url")
	}
	if change.Events != nil {
		body["events"], names = change.Events, append(names, "events")
	}
	if change.Name != nil {
		body["name"], names = *change.Name, append(names, "name")
	}
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	a, err := write(ctx, h, e, http.MethodPut, e.webhookURL(id), e.header(), data, names)
	if err != nil {
		return webhookGone(id, err)
	}
	var head struct {
		Success flexBool `json:"success"`
	}
	return decodeEnvia(h, a, &head, e)
}

func (e *enviaAI) deleteWebhook(ctx context.Context, h *transport.Transport, id string) error {
	a, err := write(ctx, h, e, http.MethodDelete, e.webhookURL(id), e.header(), nil, []string{"the deletion of webhook " + strconv.Quote(id)})
	if err != nil {
		return webhookGone(id, err)
	}
	if len(a.Body) == 0 {
		return nil // no body is stated for the answer
	}
	var head struct {
		Success flexBool `json:"success"`
	}
	return decodeEnvia(h, a, &head, e)
}

func (e *enviaAI) listWebhooks(ctx context.Context, h *transport.Transport) ([]Webhook, error) {
	a, err := getJSON(ctx, h, e, e.webhookURL(), e.header())
	if err != nil {
		return nil, err
	}
	var body enviaWebhooksBody
	if err := decodeEnvia(h, a, &body, e); err != nil {
		return nil, err
	}
	if body.Data == nil {
		return nil, decodeError[enviaWebhooksBody](h, BackendEnviaAI, a, errNullWebhookList, "data")
	}
	hooks := make([]Webhook, len(*body.Data))
	for i := range *body.Data {
		w := &(*body.Data)[i]
		if w.ID.val == "" {
			return nil, &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: -1, Field: fmt.Sprintf("data[%d].id", i), Err: errMissingWebhookID, Excerpt: h.Excerpt(a.Body)}
		}
		hooks[i] = w.webhook()
	}
	return hooks, nil
}

func (e *enviaAI) webhookDeliveries(ctx context.Context, h *transport.Transport, id string, opts DeliveryOptions) ([]Delivery, error) {
	u := e.webhookURL(id, "logs")
	q := url.Values{"limit": {strconv.Itoa(opts.Limit)}}
	if opts.Status != "" {
		q.Set("status", opts.Status)
	}
	u.RawQuery = q.Encode()
	limit := transport.BodyLimit{Bytes: deliveriesBodyBase + int64(opts.Limit)*deliveriesBodyPerDelivery, What: fmt.Sprintf("%d deliveries", opts.Limit)}
	a, err := getJSON(ctx, h.Capped(limit), e, u, e.header())
	if err != nil {
		return nil, webhookGone(id, err)
	}
	var body enviaDeliveriesBody
	if err := decodeEnvia(h, a, &body, e); err != nil {
		return nil, err
	}
	if body.Data == nil {
		return nil, decodeError[enviaDeliveriesBody](h, BackendEnviaAI, a, errors.New("the delivery list is missing or null"), "data")
	}
	if n := len(*body.Data); n > opts.Limit {
		return nil, &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: -1, Field: "data",
			Err: fmt.Errorf("%d deliveries were asked for and %d came, so the API does not apply limit as documented", opts.Limit, n), Excerpt: h.Excerpt(a.Body)}
	}
	out := make([]Delivery, len(*body.Data))
	for i, d := range *body.Data {
		out[i] = Delivery{ID: d.ID.val, Event: d.Event.ptr(), StatusCode: d.StatusCode.ptr(), Timestamp: d.Timestamp.ptr(),
			RetryCount: d.RetryCount.ptr(), NextRetryAt: d.NextRetryAt.ptr()}
		switch d.Status.val {
		case DeliverySucceeded, DeliveryFailed:
			ok := d.Status.val == DeliverySucceeded
			out[i].Succeeded = &ok
		}
		if opts.Status != "" && d.Status.val != opts.Status {
			return nil, &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: -1, Field: fmt.Sprintf("data[%d].status", i),
				Err: fmt.Errorf("deliveries of status %q were asked for and one of another status came", opts.Status), Excerpt: h.Excerpt(a.Body)}
		}
	}
	return out, nil
}
