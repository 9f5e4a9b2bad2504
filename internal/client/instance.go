package client

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
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
	// QueuedMessages is how many messages the instance has accepted and
	// not yet sent (Z-API's queue count).
	QueuedMessages *int64
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
	// MaxResults, when positive, returns at most that many instances, and
	// the read stops once it has them.
	MaxResults int
	// MaxBytes, when positive, ends the read with an
	// *InstancesTooLargeError as soon as the instances it keeps take more
	// than that many bytes by SizeOf (required with it).
	MaxBytes int64
	SizeOf   func(*Instance) int
	// Details reads each instance the listing keeps in full as well, as
	// ReadInstance reads one: Z-API's /status, /me and queue/count with
	// the token its listing entry carries (three requests an instance),
	// EnviaAI's status endpoint (one). The reads run at once, at most
	// MaxConcurrentRequests requests in flight.
	Details bool
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
	// Total is the number of instances that match, beyond MaxResults too:
	// counted when every page was read, else the API's own total when it
	// counts what the filters keep; nil when neither is known.
	Total *int64
	// Incomplete lists, with Details, the instances whose detail read
	// failed or was partial, in listing order.
	Incomplete []IncompleteInstance
}

// IncompleteInstance is an instance of a detailed listing that could not
// be read in full.
type IncompleteInstance struct {
	ID string
	// Err, when set, is why its detail read failed: the instance has its
	// listing's attributes, and the rest are nil.
	Err error
	// Unread are the endpoints of its detail read that refused to answer;
	// their attributes are the listing's where it gives them, else nil.
	Unread []UnreadPart
}

// InstancesTooLargeError is a listing stopped by InstanceListOptions.MaxBytes.
type InstancesTooLargeError struct {
	Backend string
	// Instances is how many instances had been kept when the read stopped.
	Instances int
	MaxBytes  int64
}

func (e *InstancesTooLargeError) Error() string {
	return fmt.Sprintf("the %d instances read from %s so far take more than %s", e.Instances, e.Backend, transport.SizeText(e.MaxBytes))
}

// instanceBackend is the instances part of a backend's contract.
type instanceBackend interface {
	readInstance(ctx context.Context, h *transport.Transport, instanceID string) (*InstanceRead, error)
	// listInstances reads the pages, with the filters the API serves, and
	// hands each instance to sink until sink has enough.
	listInstances(ctx context.Context, h *transport.Transport, opts InstanceListOptions, sink instanceSink) (*instanceListing, error)
	// filtersStatus tells whether the listing filters on status on the
	// server, so that its total counts only instances in it.
	filtersStatus(status string) bool
	// readListed reads an instance its listing gave in full, with the
	// token the listing gave for it ("" where the API gives none); the
	// result holds only what the detail read gave.
	readListed(ctx context.Context, h *transport.Transport, listed *Instance, token string) (*InstanceRead, error)
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

// The credentials a read may lack.
const (
	CredentialPartnerToken Credential = "the partner token"
	CredentialInstance     Credential = "the instance id and token"
	// CredentialInstanceID is EnviaAI's: an API key without an instance
	// lists the account's instances, and reads one only when named.
	CredentialInstanceID Credential = "an instance id"
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
		return nil, c.oneInstance()
	}
	return c.api.readInstance(ctx, c.core, instanceID)
}

// oneInstance refuses a read of another instance than the configured one,
// on an API whose credentials name one instance (Z-API).
func (c *Client) oneInstance() error {
	return &OptionError{Option: "instance_id", Kind: KindOneInstance,
		Reason: fmt.Sprintf("%s credentials reach one instance, the one they name (%q): another instance of the account, even one its listing shows, needs its own id and token", c.Backend(), c.SettingsInstance(""))}
}

// ListInstances lists the instances of the account. It reads no further
// than MaxResults instances need, nor than MaxBytes allows.
func (c *Client) ListInstances(ctx context.Context, opts InstanceListOptions) (*InstanceList, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	search := !c.api.serves().instanceSearch
	kept := &instanceSlice{opts: opts, search: search && opts.Search != "", backend: c.Backend()}
	listing, err := c.api.listInstances(ctx, c.core, opts, kept)
	if err != nil {
		return nil, err
	}
	list := &InstanceList{Instances: kept.instances}
	if opts.Details {
		// The tokens live in listing.tokens until this returns, and in no
		// other place.
		if list.Incomplete, err = c.readDetails(ctx, list.Instances, listing.tokens); err != nil {
			return nil, err
		}
		if err := opts.checkSize(c.Backend(), list.Instances); err != nil {
			return nil, err
		}
	}
	local := kept.search || opts.Status != "" && !c.api.filtersStatus(opts.Status)
	switch {
	case listing.complete:
		n := int64(kept.matched)
		list.Total = &n
	case !local:
		list.Total = listing.total
	}
	return list, nil
}

// checkSize applies MaxBytes again to instances grown by their details.
func (o InstanceListOptions) checkSize(backend string, instances []Instance) error {
	if o.MaxBytes <= 0 {
		return nil
	}
	var total int64
	for i := range instances {
		if total += int64(o.SizeOf(&instances[i])); total > o.MaxBytes {
			return &InstancesTooLargeError{Backend: backend, Instances: i + 1, MaxBytes: o.MaxBytes}
		}
	}
	return nil
}

// readDetails reads each listed instance in full, at once, and lays what
// it gives over its listing attributes. An instance whose read fails keeps
// its listing attributes and is Incomplete; a failure every instance would
// meet (credentials refused, the read's own deadline) is the error.
func (c *Client) readDetails(ctx context.Context, instances []Instance, tokens map[string]string) ([]IncompleteInstance, error) {
	secrets := make([]string, 0, len(tokens))
	for _, in := range instances {
		if tok := tokens[in.ID]; tok != "" {
			secrets = append(secrets, tok)
		}
	}
	detail := c.core.WithSecrets(secrets)
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reads := make([]*InstanceRead, len(instances))
	errs := make([]error, len(instances))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(instances), c.core.MaxConcurrentRequests()) {
		wg.Go(func() {
			for i := range next {
				reads[i], errs[i] = c.api.readListed(ctx, detail, &instances[i], tokens[instances[i].ID])
				if errs[i] != nil && failsEveryInstance(errs[i]) {
					cancel() // the others would meet it too
				}
			}
		})
	}
	for i := range instances {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		// Credentials refused, or the read's own deadline passed.
		if err != nil && (failsEveryInstance(err) || parent.Err() != nil) {
			return nil, err
		}
	}
	var incomplete []IncompleteInstance
	for i := range instances {
		switch {
		case errs[i] != nil:
			incomplete = append(incomplete, IncompleteInstance{ID: instances[i].ID, Err: errs[i]})
		default:
			instances[i] = withListing(reads[i].Instance, &instances[i])
			if len(reads[i].Unread) > 0 {
				incomplete = append(incomplete, IncompleteInstance{ID: instances[i].ID, Unread: reads[i].Unread})
			}
		}
	}
	return incomplete, nil
}

// failsEveryInstance tells a detail read's failure that the reads of the
// other instances would meet too: the credentials refused, or the base
// URL redirecting.
func failsEveryInstance(err error) bool {
	switch KindOf(err) {
	case KindClientTokenMissing, KindClientTokenRefused, KindCredentialsRefused, KindForbidden, KindRedirect:
		return true
	}
	return false
}

// withListing is an instance's detail read, with the listing's id and the
// listing's value of each field the detail read did not give.
func withListing(detail Instance, listed *Instance) Instance {
	// The listings skip only created_at: the listing's skip stands where
	// the listing's created_at does.
	skipped := listed.Skipped
	if detail.CreatedAt != nil || len(detail.Skipped) > 0 {
		skipped = detail.Skipped
	}
	d, l := reflect.ValueOf(&detail).Elem(), reflect.ValueOf(listed).Elem()
	for i := range d.NumField() {
		switch f := d.Field(i); f.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			if f.IsNil() {
				f.Set(l.Field(i))
			}
		}
	}
	detail.ID, detail.Skipped = listed.ID, skipped
	return detail
}

// instanceSink takes the instances a listing reads, in order.
type instanceSink interface {
	keep(in *Instance) error
	// enough says that no later instance can change what the sink holds.
	enough() bool
}

// instanceSlice keeps the instances the options' filters keep, up to
// MaxResults, and counts every one that matches.
type instanceSlice struct {
	opts      InstanceListOptions
	search    bool // apply Search here
	backend   string
	instances []Instance
	matched   int
	bytes     int64
}

func (s *instanceSlice) keep(in *Instance) error {
	if !s.opts.keep(in, s.search) {
		return nil
	}
	s.matched++
	if s.opts.MaxResults > 0 && len(s.instances) >= s.opts.MaxResults {
		return nil
	}
	s.instances = append(s.instances, *in)
	if s.opts.MaxBytes > 0 {
		if s.bytes += int64(s.opts.SizeOf(in)); s.bytes > s.opts.MaxBytes {
			return &InstancesTooLargeError{Backend: s.backend, Instances: len(s.instances), MaxBytes: s.opts.MaxBytes}
		}
	}
	return nil
}

func (s *instanceSlice) enough() bool {
	return s.opts.MaxResults > 0 && s.matched >= s.opts.MaxResults
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

// endpointRead is one of the endpoints read at once for one instance.
type endpointRead struct {
	name       string
	attributes []string
	read       func(ctx context.Context) error
	// tolerated tells a failure that costs only this endpoint's attributes
	// (an UnreadPart); nil means a refusal because the instance is
	// disconnected.
	tolerated func(error) bool
	// optional: the read stands on the other endpoints alone, so it
	// fails only when every endpoint that is not optional failed.
	optional bool
	err      error
}

// readParts reads endpoints concurrently. A failure the endpoint tolerates
// becomes an UnreadPart while an endpoint that is not optional answered;
// any other failure is the error.
func readParts(ctx context.Context, parts ...*endpointRead) ([]UnreadPart, error) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Go(func() { p.err = p.read(ctx) })
	}
	wg.Wait()
	var unread []UnreadPart
	var firstRequired error
	answered := false
	for _, p := range parts {
		tolerated := p.tolerated
		if tolerated == nil {
			tolerated = disconnected
		}
		switch {
		case p.err == nil:
			answered = answered || !p.optional
			continue
		case !tolerated(p.err):
			return nil, p.err
		}
		unread = append(unread, UnreadPart{Endpoint: p.name, Attributes: p.attributes, Err: p.err})
		if !p.optional && firstRequired == nil {
			firstRequired = p.err
		}
	}
	if !answered && firstRequired != nil {
		return nil, firstRequired
	}
	return unread, nil
}

// refused tells an answer of the API that refuses one endpoint, apart
// from what every endpoint of the instance would answer: the credentials
// refused (authentication), the instance unknown, or no answer at all.
func refused(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch KindOf(err) {
	case KindClientTokenMissing, KindClientTokenRefused, KindCredentialsRefused, KindForbidden, KindUnknownInstance, KindRedirect:
		return false
	}
	return true
}

// maxInstancePages bounds a listing whose API never says it ended.
const maxInstancePages = 10_000

// instancePage is one decoded page of an instance listing.
type instancePage struct {
	instances []Instance
	last      bool
	total     *int64
}

// instanceListing is how a listing's read went: whether it read the last
// page, and the total the API sent on its first.
type instanceListing struct {
	complete bool
	total    *int64
	// tokens are the instances' own tokens by id, which Z-API's listing
	// sends: kept for a detailed listing only, to read each instance.
	tokens map[string]string
}

// readInstancePages reads pages of size instances from index 0 until one
// says it is the last or sink has enough, and checks that each page moves
// the listing on and holds no more than was asked for. Each page's body is
// capped by its size (see itemsBodyLimit): fetch sends through h capped
// so, and what the read holds follows from what was asked for.
func readInstancePages(ctx context.Context, h *transport.Transport, backend string, size int, sink instanceSink,
	fetch func(ctx context.Context, h *transport.Transport, index int) (*instancePage, error)) (*instanceListing, error) {
	h = h.Capped(itemsBodyLimit(size, "instances"))
	listing := &instanceListing{}
	seen := map[string]bool{}
	bound := maxInstancePages
	for index := 0; ; index++ {
		if index >= bound {
			return nil, &PagingError{Backend: backend, Page: index + 1, Reason: "it kept announcing more instances past the number it said it holds"}
		}
		p, err := fetch(ctx, h, index)
		if err != nil {
			return nil, err
		}
		if len(p.instances) > size {
			return nil, &PagingError{Backend: backend, Page: index + 1,
				Reason: fmt.Sprintf("%d instances were asked for and %d came, so the API does not page as asked", size, len(p.instances))}
		}
		if index == 0 && p.total != nil {
			listing.total = p.total
			bound = min(bound, pagesFor(int(min(*p.total, int64(size*maxInstancePages))), size)+1)
		}
		for i := range p.instances {
			in := &p.instances[i]
			if seen[in.ID] {
				return nil, &PagingError{Backend: backend, Page: index + 1, Reason: "it repeated instance " + strconv.Quote(in.ID) + " already read on an earlier page"}
			}
			seen[in.ID] = true
			if err := sink.keep(in); err != nil {
				return nil, err
			}
		}
		if p.last {
			listing.complete = true
			return listing, nil
		}
		if len(p.instances) == 0 {
			return nil, &PagingError{Backend: backend, Page: index + 1, Reason: "it sent an empty page but said more instances follow"}
		}
		if sink.enough() {
			return listing, nil
		}
	}
}
