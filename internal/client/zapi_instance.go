package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// Z-API reads an instance from GET .../status (the link's health),
// GET .../me (its data and settings) and GET .../queue/count (its unsent
// messages), and lists a partner account's instances from GET /instances
// with the partner token. The token /me sends back is not decoded; the
// listing's are decoded only for a detailed listing, which uses each to
// read its own instance and then drops it (listInstances).

type zapiStatus struct {
	Connected           flexBool   `json:"connected"`
	Error               flexString `json:"error"`
	SmartphoneConnected flexBool   `json:"smartphoneConnected"`
}

type zapiMe struct {
	ID                      flexString `json:"id"`
	Name                    flexString `json:"name"`
	Due                     flexTime   `json:"due"`
	Connected               flexBool   `json:"connected"`
	PaymentStatus           flexString `json:"paymentStatus"`
	Created                 zapiDate   `json:"created"`
	ConnectedCallbackURL    flexString `json:"connectedCallbackUrl"`
	DeliveryCallbackURL     flexString `json:"deliveryCallbackUrl"`
	DisconnectedCallbackURL flexString `json:"disconnectedCallbackUrl"`
	MessageStatusCallback   flexString `json:"messageStatusCallbackUrl"`
	PresenceChatCallbackURL flexString `json:"presenceChatCallbackUrl"`
	ReceivedCallbackURL     flexString `json:"receivedCallbackUrl"`
	InitialDataCallbackURL  flexString `json:"initialDataCallbackUrl"`
	ReceiveCallbackSentByMe flexBool   `json:"receiveCallbackSentByMe"`
	CallRejectAuto          flexBool   `json:"callRejectAuto"`
	CallRejectMessage       flexString `json:"callRejectMessage"`
	AutoReadMessage         flexBool   `json:"autoReadMessage"`
}

// zapiQueueCount is GET .../queue/count. The reference gives the count as
// size, typed a string in one version of it and a number in its example:
// both are read, and anything that is not a whole number of 0 or more is
// an error naming the field. The reference is silent on every other field
// and form (a body without size, "" or null): the count is then not sent,
// and queued_messages is null.
type zapiQueueCount struct {
	Size flexCount `json:"size"`
}

type zapiPartnerPage struct {
	Total     flexCount              `json:"total"`
	TotalPage flexCount              `json:"totalPage"`
	Content   *[]zapiPartnerInstance `json:"content"`
}

type zapiPartnerInstance struct {
	ID                  flexString `json:"id"`
	Name                flexString `json:"name"`
	Created             zapiDate   `json:"created"`
	Due                 flexTime   `json:"due"`
	PaymentStatus       flexString `json:"paymentStatus"`
	DeliveryCallbackURL flexString `json:"deliveryCallbackUrl"`
	PhoneConnected      flexBool   `json:"phoneConnected"`
	WhatsappConnected   flexBool   `json:"whatsappConnected"`
}

// zapiPartnerToken is the one field of a listing entry read only for a
// detailed listing: the instance's token, a credential.
type zapiPartnerToken struct {
	Token flexString `json:"token"`
}

// zapiDate is flexTime plus the plain dates ("2022-03-29") and
// space-separated times the reference's "string (date)" may stand for.
//
// The reference types created "string (date)" and gives no format, so the
// forms read here are guesses: any other form is kept in odd, unread, and
// costs this one value (null, with a warning), never the read of the rest.
type zapiDate struct {
	flexTime
	odd []byte
}

func (d *zapiDate) UnmarshalJSON(data []byte) error {
	*d = zapiDate{}
	if d.flexTime.UnmarshalJSON(data) == nil {
		return nil
	}
	if s, quoted, uerr := unquote(data); uerr == nil && quoted {
		for _, layout := range []string{time.DateOnly, time.DateTime} {
			if t, perr := time.Parse(layout, s); perr == nil {
				// A date outside the years a time attribute holds costs
				// this value too.
				if t, ok, err := inYears(t, data); err == nil && ok {
					d.opt = sent(t)
					return nil
				}
				break
			}
		}
	}
	d.flexTime, d.odd = flexTime{}, bytes.Clone(data)
	return nil
}

// skipped is the value of an attribute d left unread, for a warning: the
// value as sent, redacted, cut and escaped.
func (d *zapiDate) skipped(r redactor, attribute string) []SkippedValue {
	if d.odd == nil {
		return nil
	}
	return []SkippedValue{{Attribute: attribute, Value: transport.Printable(r.Clip(string(d.odd), valueRunes))}}
}

// Attributes each endpoint gives, for a partial read's warning.
var (
	zapiStatusAttributes = []string{"status", "connected", "status_message", "phone_connected"}
	zapiMeAttributes     = []string{"name", "created_at", "expires_at", "payment_status", "webhooks", "auto_read_messages", "reject_calls", "reject_call_message", "webhook_sent_by_me"}
	zapiQueueAttributes  = []string{"queued_messages"}
)

func (z *zapi) instanceURL(endpoint ...string) *url.URL {
	return z.instanceURLOf(z.cfg.InstanceID, z.cfg.Token, endpoint...)
}

func (z *zapi) instanceURLOf(id, token string, endpoint ...string) *url.URL {
	return transport.JoinSegments(z.base, append([]string{"instances", id, "token", token}, endpoint...)...)
}

// instanceHeader is the header of every request to the instance (its chats
// included): the Client-Token, when one is configured.
func (z *zapi) instanceHeader() http.Header {
	h := http.Header{}
	if z.cfg.ClientToken != "" {
		h.Set("Client-Token", z.cfg.ClientToken)
	}
	return h
}

func (z *zapi) readInstance(ctx context.Context, h *transport.Transport, _ string) (*InstanceRead, error) {
	if err := z.needInstance("the instance", ""); err != nil {
		return nil, err
	}
	return z.readInstanceOf(ctx, h, z.cfg.InstanceID, z.cfg.Token)
}

// readInstanceOf reads the instance id with its token from /status, /me
// and queue/count at once. /status and /me may refuse because the
// instance is disconnected, and the queue for any reason of its own (see
// refused), at the cost of their attributes only.
func (z *zapi) readInstanceOf(ctx context.Context, h *transport.Transport, id, token string) (*InstanceRead, error) {
	var status zapiStatus
	var me zapiMe
	var queue zapiQueueCount
	get := func(into func(*transport.Answer) error, endpoint ...string) func(context.Context) error {
		return func(ctx context.Context) error {
			a, err := getJSON(ctx, h, z, z.instanceURLOf(id, token, endpoint...), z.instanceHeader())
			if err != nil {
				return err
			}
			return into(a)
		}
	}
	statusPart := &endpointRead{name: "GET /status", attributes: zapiStatusAttributes, read: get(func(a *transport.Answer) error { return decodeObject(h, BackendZAPI, a, &status, nil) }, "status")}
	mePart := &endpointRead{name: "GET /me", attributes: zapiMeAttributes, read: get(func(a *transport.Answer) error { return decodeObject(h, BackendZAPI, a, &me, z) }, "me")}
	queuePart := &endpointRead{name: "GET /queue/count", attributes: zapiQueueAttributes, tolerated: refused, optional: true,
		read: get(func(a *transport.Answer) error { return decodeObject(h, BackendZAPI, a, &queue, z) }, "queue", "count")}
	unread, err := readParts(ctx, statusPart, mePart, queuePart)
	if err != nil {
		return nil, err
	}
	in := Instance{ID: id}
	if mePart.err == nil {
		in = me.instance(id)
	}
	if statusPart.err == nil {
		in.Connected = status.Connected.ptr()
		in.StatusMessage = status.Error.ptr()
		in.PhoneConnected = status.SmartphoneConnected.ptr()
	}
	if mePart.err == nil {
		in.Skipped = me.Created.skipped(h, "created_at")
	}
	if queuePart.err == nil {
		in.QueuedMessages = queue.Size.ptr()
	}
	in.Status = connectedStatus(in.Connected)
	return &InstanceRead{Instance: in, Unread: unread}, nil
}

// connectedStatus is Z-API's two states, from its connected flag.
func connectedStatus(connected *bool) *string {
	if connected == nil {
		return nil
	}
	s := StatusDisconnected
	if *connected {
		s = StatusConnected
	}
	return &s
}

func (r *zapiMe) instance(configuredID string) Instance {
	id := r.ID.val
	if id == "" {
		id = configuredID
	}
	hooks := map[string]string{}
	for key, u := range map[string]flexString{
		"connected": r.ConnectedCallbackURL, "delivery": r.DeliveryCallbackURL, "disconnected": r.DisconnectedCallbackURL,
		"message_status": r.MessageStatusCallback, "presence_chat": r.PresenceChatCallbackURL, "received": r.ReceivedCallbackURL,
		"initial_data": r.InitialDataCallbackURL,
	} {
		if u.val != "" {
			hooks[key] = u.val
		}
	}
	return Instance{
		ID:                id,
		Name:              r.Name.ptr(),
		Connected:         r.Connected.ptr(),
		CreatedAt:         r.Created.ptr(),
		ExpiresAt:         r.Due.ptr(),
		PaymentStatus:     r.PaymentStatus.ptr(),
		Webhooks:          hooks,
		AutoReadMessages:  r.AutoReadMessage.ptr(),
		RejectCalls:       r.CallRejectAuto.ptr(),
		RejectCallMessage: r.CallRejectMessage.ptr(),
		WebhookSentByMe:   r.ReceiveCallbackSentByMe.ptr(),
	}
}

// zapiPartnerPageSize is the page length of the partner listing.
const zapiPartnerPageSize = 100

// filtersStatus: the partner listing has no status filter.
func (z *zapi) filtersStatus(string) bool { return false }

var _ instanceBackend = (*zapi)(nil)

func (z *zapi) listInstances(ctx context.Context, h *transport.Transport, opts InstanceListOptions, sink instanceSink) (*instanceListing, error) {
	if z.cfg.PartnerToken == "" {
		return nil, &CredentialsError{Backend: BackendZAPI, Read: "every instance of the account", Missing: CredentialPartnerToken}
	}
	var tokens map[string]string
	if opts.Details {
		tokens = map[string]string{}
	}
	listing, err := readInstancePages(ctx, h, BackendZAPI, zapiPartnerPageSize, sink, func(ctx context.Context, h *transport.Transport, index int) (*instancePage, error) {
		q := url.Values{"page": {strconv.Itoa(index + 1)}, "pageSize": {strconv.Itoa(zapiPartnerPageSize)}}
		if opts.Search != "" {
			q.Set("query", opts.Search)
		}
		u := transport.JoinSegments(z.base, "instances")
		u.RawQuery = q.Encode()
		a, err := getJSON(ctx, h, z, u, bearer(z.cfg.PartnerToken))
		if err != nil {
			return nil, err
		}
		var body zapiPartnerPage
		if err := decodeObject(h, BackendZAPI, a, &body, z); err != nil {
			return nil, err
		}
		if body.Content == nil {
			return nil, decodeError[zapiPartnerPage](h, BackendZAPI, a, errNullInstanceList, "")
		}
		if tokens != nil {
			if err := partnerTokens(a.Body, *body.Content, tokens); err != nil {
				return nil, &DecodeError{Backend: BackendZAPI, StatusCode: a.Status, Index: -1, Field: "content[].token", Err: err}
			}
		}
		p := &instancePage{total: body.Total.ptr()}
		for i, raw := range *body.Content {
			if raw.ID.val == "" {
				return nil, &DecodeError{Backend: BackendZAPI, StatusCode: a.Status, Index: -1, Field: "content[" + strconv.Itoa(i) + "].id", Err: errMissingInstanceID}
			}
			in := raw.instance()
			in.Skipped = raw.Created.skipped(h, "created_at")
			p.instances = append(p.instances, in)
		}
		p.last = len(*body.Content) < zapiPartnerPageSize || (body.TotalPage.set && int64(index+1) >= body.TotalPage.val)
		return p, nil
	})
	if listing != nil {
		listing.tokens = tokens
	}
	return listing, err
}

// partnerTokens adds the token of each entry of a listing page to tokens,
// by instance id. An entry without a token, or with one that is not a
// string, adds none: its instance's detail read fails alone. The error
// quotes nothing of the body.
func partnerTokens(body []byte, entries []zapiPartnerInstance, tokens map[string]string) error {
	var page struct {
		Content []json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(body, &page); err != nil || len(page.Content) != len(entries) {
		return errors.New("the entries could not be read again for their tokens")
	}
	for i, raw := range page.Content {
		var entry zapiPartnerToken
		if json.Unmarshal(raw, &entry) == nil && entry.Token.val != "" {
			tokens[entries[i].ID.val] = entry.Token.val
		}
	}
	return nil
}

// errNoToken is a listing entry that carried no token to read its
// instance with.
var errNoToken = errors.New("the partner listing gave no token for the instance, so it could not be read in full")

// readListed reads a listed instance with the token its listing entry
// carried; the token goes into the request path only.
func (z *zapi) readListed(ctx context.Context, h *transport.Transport, listed *Instance, token string) (*InstanceRead, error) {
	if token == "" {
		return nil, errNoToken
	}
	return z.readInstanceOf(ctx, h, listed.ID, token)
}

func (r *zapiPartnerInstance) instance() Instance {
	hooks := map[string]string{}
	if r.DeliveryCallbackURL.val != "" {
		hooks["delivery"] = r.DeliveryCallbackURL.val
	}
	connected := r.WhatsappConnected.ptr()
	return Instance{
		ID:             r.ID.val,
		Name:           r.Name.ptr(),
		Status:         connectedStatus(connected),
		Connected:      connected,
		PhoneConnected: r.PhoneConnected.ptr(),
		CreatedAt:      r.Created.ptr(),
		ExpiresAt:      r.Due.ptr(),
		PaymentStatus:  r.PaymentStatus.ptr(),
		Webhooks:       hooks,
	}
}

// needInstance reports a read that needs the instance id and token on a
// client configured with the partner token only.
func (z *zapi) needInstance(read, _ string) error {
	if z.cfg.InstanceID == "" || z.cfg.Token == "" {
		return &CredentialsError{Backend: BackendZAPI, Read: read, Missing: CredentialInstance}
	}
	return nil
}

var (
	errNullInstanceList  = errors.New("the instance list is missing or null")
	errMissingInstanceID = errors.New("the instance has no identifier")
)
