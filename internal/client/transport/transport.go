// Package transport is the wire under both APIs' adapters: it sends one
// account's requests with retries, a shared rate-limit pace and a bound on
// the requests in flight, reads each answer's body within a size cap, and
// makes text an API sent fit to quote (credentials redacted, cut and
// escaped). It hands a caller the status, header and body of the final
// answer, or a *RequestError when there was none, and knows nothing of
// either API's JSON: what a body means, and what a non-2xx answer says, is
// the caller's to read.
package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Options tune a Transport. Zero values take the defaults below.
type Options struct {
	UserAgent string
	// RequestTimeout bounds one attempt, from sending to the last body byte;
	// a body cut short by it, or by a reset, fails the attempt, which is retried.
	RequestTimeout time.Duration
	// MaxRetries is how many times a failed attempt is repeated; negative is 0.
	MaxRetries int
	// MaxConcurrentRequests bounds the pages read at once.
	MaxConcurrentRequests int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff (the
	// shortest and the longest wait).
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter caps a wait the API asks for with Retry-After,
	// X-RateLimit-Reset or a wait named in a 429 body (see BodyWait).
	MaxRetryAfter time.Duration
	// MaxBodyBytes caps any answer's body; a longer one is a *LimitError
	// that names the answer's status. A caller may cap an answer lower
	// (see Transport.Capped).
	MaxBodyBytes int64
	Logger       Logger
	// Transport replaces the pooled default transport (tests).
	Transport http.RoundTripper
}

// Defaults for Options.
const (
	DefaultRequestTimeout        = 30 * time.Second
	DefaultMaxRetries            = 4
	DefaultMaxConcurrentRequests = 16
	DefaultMinRetryWait          = 500 * time.Millisecond
	DefaultMaxRetryWait          = 15 * time.Second
	DefaultMaxRetryAfter         = 60 * time.Second
	DefaultMaxBodyBytes          = 32 << 20
)

func (o Options) withDefaults() Options {
	setDefault(&o.RequestTimeout, DefaultRequestTimeout)
	setDefault(&o.RetryWaitMin, DefaultMinRetryWait)
	setDefault(&o.RetryWaitMax, DefaultMaxRetryWait)
	setDefault(&o.MaxRetryAfter, DefaultMaxRetryAfter)
	setDefault(&o.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&o.MaxConcurrentRequests, DefaultMaxConcurrentRequests)
	o.MaxRetries = max(o.MaxRetries, 0)
	if o.Logger == nil {
		o.Logger = nopLogger{}
	}
	if o.Transport == nil {
		o.Transport = cleanhttp.DefaultPooledTransport()
	}
	return o
}

func setDefault[T time.Duration | int | int64](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// Logger receives the transport's log lines; the provider routes them to
// tflog. Field values never hold a credential.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

// Transport sends one backend's requests (reads, and writes retried only
// while the API cannot have applied them) with pacing and redaction. It is
// safe for concurrent use; the copies WithSecrets and Capped make share its
// rate-limit state.
type Transport struct {
	backend   string
	opts      Options
	attempter *attempter
	pacer     *pacer
	secrets   *strings.Replacer
	// longestSecret is the length of the longest form secrets replaces, at
	// least 1 (see Clip).
	longestSecret int
	// secretList is what secrets replaces, as given.
	secretList []string
	// gate, when set, bounds the requests in flight at once.
	gate chan struct{}
	// limit, when set, caps answers' bodies below MaxBodyBytes (see Capped).
	limit *BodyLimit
	// withheld names the JSON fields whose values Clip never quotes.
	withheld func(field string) bool
}

// API is what a transport knows of the API it sends to.
type API struct {
	// Name names the API in errors and logs.
	Name string
	// BodyWait reads the wait a 429 body asks for; nil for an API that
	// names none.
	BodyWait BodyWait
	// Withheld names JSON fields whose values Clip never quotes besides
	// those that name a credential (see SecretField), which it never
	// quotes either; nil for none.
	Withheld func(field string) bool
}

// New builds the transport of one API. secrets are the credentials to
// redact from everything quoted or logged.
func New(api API, opts Options, secrets ...string) *Transport {
	opts = opts.withDefaults()
	p := newPacer(opts.MaxRetryAfter)
	t := &Transport{
		backend:   api.Name,
		opts:      opts,
		attempter: newAttempter(opts, p, api.BodyWait),
		pacer:     p,
		withheld:  SecretField,
	}
	if api.Withheld != nil {
		t.withheld = func(field string) bool { return SecretField(field) || api.Withheld(field) }
	}
	t.secrets, t.longestSecret = newRedactor(secrets)
	t.secretList = secrets
	return t
}

// WithSecrets is the same transport (retries, pacing, rate-limit state)
// that also redacts extra, credentials an API sent back and the caller
// uses, and sends at most MaxConcurrentRequests requests at once.
func (t *Transport) WithSecrets(extra []string) *Transport {
	d := *t
	d.secretList = append(slices.Clip(t.secretList), extra...)
	d.secrets, d.longestSecret = newRedactor(d.secretList)
	d.gate = make(chan struct{}, t.opts.MaxConcurrentRequests)
	return &d
}

// Backend names the API the transport sends to, as errors and logs do.
func (t *Transport) Backend() string { return t.backend }

// MaxConcurrentRequests is how many requests a caller may have in flight
// at once (Options.MaxConcurrentRequests, or its default).
func (t *Transport) MaxConcurrentRequests() int { return t.opts.MaxConcurrentRequests }

// PacedUntil is when the shared rate-limit state lets the next request go;
// zero when no answer has asked for a wait.
func (t *Transport) PacedUntil() time.Time { return t.pacer.pausedUntil() }

// Answer is a response whose body has been read within the size cap.
type Answer struct {
	Status   int
	Body     []byte
	Attempts int
	Header   http.Header
}

// OK reports a 2xx status.
func (a *Answer) OK() bool { return a.Status >= 200 && a.Status <= 299 }

// OutcomeUnknown reports a write's answer that leaves open whether the API
// applied it: a 5xx other than one saying it did not (see retryableWrite).
func (a *Answer) OutcomeUnknown() bool {
	return a.Status >= 500 && !retryableWrite(a.Status, a.Header)
}

// Get sends one GET, retried while a retry may pass, and returns the final
// answer, 2xx or not.
func (t *Transport) Get(ctx context.Context, u *url.URL, header http.Header) (*Answer, error) {
	return t.do(ctx, http.MethodGet, u, header, nil, readRetryPolicy)
}

// Write sends one write (method PUT, PATCH, POST or DELETE) with body,
// retried only while the API cannot have applied it, and returns the final
// answer, 2xx or not. A *RequestError whose NeverSent is set reached no API.
func (t *Transport) Write(ctx context.Context, method string, u *url.URL, header http.Header, body []byte) (*Answer, error) {
	return t.do(ctx, method, u, header, body, writeRetryPolicy)
}

// do sends one request, retried as retry says, and returns the final
// answer, 2xx or not.
func (t *Transport) do(ctx context.Context, method string, u *url.URL, header http.Header, body []byte, retry retryPolicy) (*Answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("building the %s request: %s", t.backend, t.Redact(err.Error()))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	// Z-API answers 415 without it, even on a GET.
	req.Header.Set("Content-Type", "application/json")
	if t.opts.UserAgent != "" {
		req.Header.Set("User-Agent", t.opts.UserAgent)
	}
	t.opts.Logger.Debug(ctx, "Sending request", map[string]any{"backend": t.backend, "method": method, "url": t.Redact(u.String())})

	if t.gate != nil {
		if err := t.takeSlot(ctx, method); err != nil {
			return nil, err
		}
		defer func() { <-t.gate }()
	}
	start := time.Now()
	r, attempts, err := t.send(ctx, req, body, retry)
	if r == nil {
		return nil, t.requestError(ctx, method, err, attempts)
	}
	if limit := t.bodyLimit(); int64(len(r.body)) > limit.Bytes {
		return nil, &LimitError{Backend: t.backend, StatusCode: r.status, Limit: *limit}
	}
	t.opts.Logger.Debug(ctx, "Received response", map[string]any{
		"backend": t.backend, "status": r.status, "bytes": len(r.body), "attempts": attempts,
		"duration_ms": time.Since(start).Milliseconds(),
	})
	return &Answer{Status: r.status, Body: r.body, Attempts: attempts, Header: r.header}, nil
}

// takeSlot waits for one of the gate's slots, saying so in the log when
// every slot is taken.
func (t *Transport) takeSlot(ctx context.Context, method string) error {
	select {
	case t.gate <- struct{}{}:
		return nil
	default:
	}
	t.opts.Logger.Debug(ctx, "Waiting for a free request slot", map[string]any{"backend": t.backend, "slots": cap(t.gate)})
	select {
	case t.gate <- struct{}{}:
		return nil
	case <-ctx.Done():
		return t.requestError(ctx, method, ctx.Err(), 0)
	}
}

// requestError turns a failure with no usable answer into a redacted
// error, which calls the request a read or a write by its method.
func (t *Transport) requestError(ctx context.Context, method string, err error, attempts int) error {
	if ctx.Err() != nil {
		return fmt.Errorf("the %s of %s stopped before it finished: %w", operation(method), t.backend, context.Cause(ctx))
	}
	reqErr := &RequestError{Backend: t.backend, Attempts: attempts, Err: errors.New(Printable(t.Clip(rootCause(err), MaxQuotedRunes))), NeverSent: neverSent(err)}
	if errors.Is(err, errAttemptTimeout) {
		reqErr.Timeout = t.opts.RequestTimeout
	}
	return reqErr
}

// operation names what a request of method does: a read or a write.
func operation(method string) string {
	if method == http.MethodGet || method == http.MethodHead {
		return "read"
	}
	return "write"
}

// rootCause drops url.Error's "Get <url>:" prefix, which holds the Z-API
// token; the cause alone is what the user needs.
func rootCause(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err.Error()
	}
	return err.Error()
}
