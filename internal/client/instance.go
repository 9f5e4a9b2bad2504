package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Instance is one WhatsApp instance as both APIs describe it. A nil pointer
// (or nil Webhooks) means the API did not send the field, or the endpoint
// that sends it could not be read.
type Instance struct {
	ID string
	// Status is connected, disconnected, connecting or qr_pending.
	Status         *string
	Name           *string
	Connected      *bool
	StatusMessage  *string
	PhoneConnected *bool
	Phone          *string
	ProfileName    *string
	ProfilePicURL  *string
	CreatedAt      *time.Time
	ConnectedAt    *time.Time
	LastSeenAt     *time.Time
	ExpiresAt      *time.Time
	PaymentStatus  *string
	// Webhooks maps an event to its URL; empty when the API reports none set.
	Webhooks map[string]string
	// WebhookEvents are the events EnviaAI's webhook receives; nil when
	// the API does not send them, which its reference does not say it
	// ever does.
	WebhookEvents     []string
	AutoReadMessages  *bool
	AutoTyping        *bool
	RejectCalls       *bool
	RejectCallMessage *string
	WebhookSentByMe   *bool
	Stats             *InstanceStats
	Health            *InstanceHealth
	// Skipped are values the API sent in a form the client does not read;
	// their attributes are nil.
	Skipped []SkippedValue
}

// InstanceStats are today's message counts (EnviaAI).
type InstanceStats struct {
	MessagesSentToday, MessagesReceivedToday, ActiveChats, UnreadMessages *int64
}

// InstanceHealth is the link's health (EnviaAI).
type InstanceHealth struct {
	UptimeSeconds, LatencyMS *int64
	MessageDeliveryRate      *float64
}

// The instance states, by their provider-facing names.
const (
	StatusConnected    = "connected"
	StatusDisconnected = "disconnected"
	StatusConnecting   = "connecting"
	StatusQRPending    = "qr_pending"
)

// InstanceStatuses lists every instance state.
var InstanceStatuses = []string{StatusConnected, StatusDisconnected, StatusConnecting, StatusQRPending}

// InstanceRead is one instance and what could not be read of it.
type InstanceRead struct {
	Instance Instance
	// Unread lists the endpoints that refused to answer because the
	// instance is not connected; their attributes are nil in Instance.
	Unread []UnreadPart
}

// SkippedValue is a value an API sent in a form its reference does not fix
// and the client does not read: the attribute (by its provider-facing
// name) is nil, and the rest of the read stands.
type SkippedValue struct {
	Attribute string
	// Value is the value as sent (JSON), redacted, cut and escaped.
	Value string
}

// UnreadPart is an endpoint that refused to answer, the attributes (by
// their provider-facing names) it would have given, and its answer.
type UnreadPart struct {
	Endpoint   string
	Attributes []string
	Err        error
}

// InstanceListOptions are the backend-neutral arguments of an instance
// listing. The zero value lists every instance.
type InstanceListOptions struct {
	// Status keeps instances in this state (one of InstanceStatuses).
	Status string
	// Search keeps instances whose name or id contains it, ignoring case.
	Search string
	// MaxResults, when positive, returns at most that many instances.
	MaxResults int
}

// Validate rejects options no backend can serve.
func (o InstanceListOptions) Validate() error {
	switch {
	case o.Status != "" && !slices.Contains(InstanceStatuses, o.Status):
		return &OptionError{Option: "status", Reason: fmt.Sprintf("unknown instance status %q", o.Status)}
	case o.MaxResults < 0:
		return &OptionError{Option: "max_results", Reason: fmt.Sprintf("must be at least 1, got %d", o.MaxResults)}
	}
	return nil
}

// keep applies the filters on the client. Status is applied whatever the
// API did (EnviaAI cannot filter qr_pending, Z-API filters nothing), which
// changes nothing where the API filtered already; search only where the
// API does not search itself.
func (o InstanceListOptions) keep(in *Instance, search bool) bool {
	if o.Status != "" && (in.Status == nil || *in.Status != o.Status) {
		return false
	}
	if search && o.Search != "" {
		lower := strings.ToLower(o.Search)
		return strings.Contains(strings.ToLower(in.ID), lower) || containsFold(in.Name, lower)
	}
	return true
}

// InstanceList is the result of an instance listing.
type InstanceList struct {
	Instances []Instance
	// Total is the number of instances that match, beyond MaxResults too.
	Total int64
}

// instanceBackend is an API adapter that reads instances.
type instanceBackend interface {
	readInstance(ctx context.Context, c *Client, instanceID string) (*InstanceRead, error)
	// listInstances reads every page, with the filters the API serves.
	listInstances(ctx context.Context, c *Client, opts InstanceListOptions) ([]Instance, error)
}

// CredentialsError is a read the configured credentials cannot make.
type CredentialsError struct {
	Backend string
	// Read names what was asked ("chats", "the instance", "instances").
	Read string
	// Missing is the credential the read needs and the client lacks.
	Missing Credential
}

// Credential names a credential a read may need.
type Credential string

// The credentials a Z-API read may lack.
const (
	CredentialPartnerToken Credential = "the partner token"
	CredentialInstance     Credential = "the instance id and token"
)

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("reading %s from %s needs %s, which is not configured", e.Read, e.Backend, e.Missing)
}

// ReadInstance reads the configured instance, or on EnviaAI another one of
// the account when instanceID is set (on Z-API it may name the configured
// one). An instance that is not connected is
// read as such; when one of its endpoints refuses to answer because of it,
// the others' fields are returned and the refusal is in Unread.
func (c *Client) ReadInstance(ctx context.Context, instanceID string) (*InstanceRead, error) {
	if instanceID != "" && !c.api.serves().otherInstances && instanceID == c.SettingsInstance("") {
		instanceID = "" // the configured instance, named
	}
	if instanceID != "" && !c.api.serves().otherInstances {
		return nil, &OptionError{Option: "instance_id", Kind: KindOneInstance, Reason: c.Backend() + " has no other instances to choose from"}
	}
	return c.api.(instanceBackend).readInstance(ctx, c, instanceID)
}

// ListInstances lists the instances of the account.
func (c *Client) ListInstances(ctx context.Context, opts InstanceListOptions) (*InstanceList, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	all, err := c.api.(instanceBackend).listInstances(ctx, c, opts)
	if err != nil {
		return nil, err
	}
	search := !c.api.serves().instanceSearch
	kept := all[:0]
	for i := range all {
		if opts.keep(&all[i], search) {
			kept = append(kept, all[i])
		}
	}
	list := &InstanceList{Instances: kept, Total: int64(len(kept))}
	if opts.MaxResults > 0 && len(kept) > opts.MaxResults {
		list.Instances = kept[:opts.MaxResults]
	}
	return list, nil
}

// getJSON sends one GET and returns a 2xx answer; any other is the API's
// error.
func (c *Client) getJSON(ctx context.Context, u *url.URL, header http.Header) (*answer, error) {
	a, err := c.core.get(ctx, u, header)
	if err != nil {
		return nil, err
	}
	if !a.ok() {
		return nil, c.api.apiError(c.core, a)
	}
	return a, nil
}

// disconnected tells whether err is an API's refusal to answer because the
// instance is not connected to WhatsApp.
func disconnected(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.Code == "instance_disconnected" || strings.Contains(strings.ToLower(apiErr.Message), "not connected")
}

// endpointRead is one of two endpoints read at once for one instance.
type endpointRead struct {
	name       string
	attributes []string
	read       func(ctx context.Context) error
	err        error
}

// readBoth reads two endpoints concurrently. A refusal because the instance
// is disconnected becomes an UnreadPart when the other endpoint answered;
// any other failure is the error.
func readBoth(ctx context.Context, parts ...*endpointRead) ([]UnreadPart, error) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Go(func() { p.err = p.read(ctx) })
	}
	wg.Wait()
	var unread []UnreadPart
	for _, p := range parts {
		switch {
		case p.err == nil:
		case disconnected(p.err):
			unread = append(unread, UnreadPart{Endpoint: p.name, Attributes: p.attributes, Err: p.err})
		default:
			return nil, p.err
		}
	}
	if len(unread) == len(parts) {
		return nil, parts[0].err
	}
	return unread, nil
}

// maxInstancePages bounds a listing whose API never says it ended.
const maxInstancePages = 10_000

// instancePage is one decoded page of an instance listing.
type instancePage struct {
	instances []Instance
	last      bool
	total     *int64
}

// readInstancePages reads pages from index 0 until one says it is the
// last, and checks that each page moves the listing on.
func readInstancePages(ctx context.Context, backend string, size int, fetch func(ctx context.Context, index int) (*instancePage, error)) ([]Instance, error) {
	var all []Instance
	seen := map[string]bool{}
	bound := maxInstancePages
	for index := 0; ; index++ {
		if index >= bound {
			return nil, &PagingError{Backend: backend, Page: index + 1, Reason: "it kept announcing more instances past the number it said it holds"}
		}
		p, err := fetch(ctx, index)
		if err != nil {
			return nil, err
		}
		if index == 0 && p.total != nil {
			bound = min(bound, pagesFor(int(max(*p.total, 0)), size)+1)
		}
		for _, in := range p.instances {
			if seen[in.ID] {
				return nil, &PagingError{Backend: backend, Page: index + 1, Reason: "it repeated instance " + strconv.Quote(in.ID) + " already read on an earlier page"}
			}
			seen[in.ID] = true
		}
		all = append(all, p.instances...)
		if p.last {
			return all, nil
		}
		if len(p.instances) == 0 {
			return nil, &PagingError{Backend: backend, Page: index + 1, Reason: "it sent an empty page but said more instances follow"}
		}
	}
}
