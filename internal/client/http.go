package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// HTTPOptions tune the transport both backends share. Zero values take the
// defaults below.
type HTTPOptions struct {
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
	// X-RateLimit-Reset or a retryAfter field in a 429 body.
	MaxRetryAfter time.Duration
	// MaxBodyBytes caps any answer's body; a longer one is an error that
	// names the answer's status. A page's answer is capped lower, by the
	// chats it asked for (see pageBodyLimit), and so are a listing's pages.
	MaxBodyBytes int64
	Logger       Logger
	// Transport replaces the pooled default transport (tests).
	Transport http.RoundTripper
}

// Defaults for HTTPOptions.
const (
	DefaultRequestTimeout        = 30 * time.Second
	DefaultMaxRetries            = 4
	DefaultMaxConcurrentRequests = 16
	DefaultMinRetryWait          = 500 * time.Millisecond
	DefaultMaxRetryWait          = 15 * time.Second
	DefaultMaxRetryAfter         = 60 * time.Second
	DefaultMaxBodyBytes          = 32 << 20
)

func (o HTTPOptions) withDefaults() HTTPOptions {
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

// Logger receives the client's log lines; the provider routes them to tflog.
// Field values never hold a credential.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

// httpCore sends requests (reads, and writes retried only while the API
// cannot have applied them) with pacing and redaction, and hands a 2xx body
// to a decoder. It knows nothing of either API's JSON.
type httpCore struct {
	backend   string
	opts      HTTPOptions
	attempter *attempter
	pacer     *pacer
	secrets   *strings.Replacer
	// longestSecret is the length of the longest form secrets replaces, at
	// least 1 (see clip).
	longestSecret int
	// secretList is what secrets replaces, as given.
	secretList []string
	// gate, when set, bounds the requests in flight at once.
	gate chan struct{}
	// limit, when set, caps answers' bodies below MaxBodyBytes (see capped).
	limit *bodyLimit
}

// newHTTPCore builds the transport of one backend. wait reads the wait a
// 429 body asks for; nil for an API that names none.
func newHTTPCore(backend string, opts HTTPOptions, wait bodyWait, secrets ...string) *httpCore {
	opts = opts.withDefaults()
	p := newPacer(opts.MaxRetryAfter)
	h := &httpCore{
		backend: backend,
		opts:    opts,
		attempter: &attempter{
			base: opts.Transport, timeout: opts.RequestTimeout, maxBody: opts.MaxBodyBytes, pacer: p, bodyWait: wait,
		},
		pacer: p,
	}
	h.secrets, h.longestSecret = newRedactor(secrets)
	h.secretList = secrets
	return h
}

// withSecrets is the same transport (retries, pacing, rate-limit state)
// that also redacts extra, credentials an API sent back and the client
// uses, and sends at most MaxConcurrentRequests requests at once.
func (h *httpCore) withSecrets(extra []string) *httpCore {
	d := *h
	d.secretList = append(slices.Clip(h.secretList), extra...)
	d.secrets, d.longestSecret = newRedactor(d.secretList)
	d.gate = make(chan struct{}, h.opts.MaxConcurrentRequests)
	return &d
}

// newRedactor replaces each secret, as written, as escaped in a URL and as
// escaped in a JSON string (an API may quote what it was sent inside a JSON
// body, which error excerpts show as sent), and says how long the longest
// form it replaces is.
func newRedactor(secrets []string) (*strings.Replacer, int) {
	var pairs []string
	longest := 1
	for _, s := range secrets {
		if s == "" {
			continue
		}
		forms := []string{s, url.PathEscape(s), url.QueryEscape(s), (&url.URL{Path: s}).EscapedPath(), pathSegment(s)}
		forms = append(forms, jsonEscapes(s)...)
		for _, form := range forms {
			pairs = append(pairs, form, "REDACTED")
			longest = max(longest, len(form))
		}
	}
	return strings.NewReplacer(pairs...), longest
}

func (h *httpCore) redact(s string) string { return h.secrets.Replace(s) }

// jsonEscapes are the ways JSON encoders write s inside a string: Go's
// (which escapes <, > and & as \u003c and the like), with / escaped as \/
// (as PHP's does), and each with upper-case hex digits.
func jsonEscapes(s string) []string {
	b, _ := json.Marshal(s) // a string always encodes
	goForm := string(b[1 : len(b)-1])
	upper := unicodeEscape.ReplaceAllStringFunc(goForm, strings.ToUpper)
	upper = strings.ReplaceAll(upper, `\U`, `\u`)
	slashed := strings.ReplaceAll(goForm, "/", `\/`)
	return []string{goForm, upper, slashed, strings.ReplaceAll(upper, "/", `\/`)}
}

var unicodeEscape = regexp.MustCompile(`\\u[0-9a-f]{4}`)

// answer is a response whose body has been read within the size cap.
type answer struct {
	status   int
	body     []byte
	attempts int
	header   http.Header
}

func (a *answer) ok() bool { return a.status >= 200 && a.status <= 299 }

// get sends one GET (with retries) and returns the final answer, 2xx or not.
func (h *httpCore) get(ctx context.Context, u *url.URL, header http.Header) (*answer, error) {
	return h.do(ctx, http.MethodGet, u, header, nil, readRetryPolicy)
}

// do sends one request, retried as retry says, and returns the final
// answer, 2xx or not.
func (h *httpCore) do(ctx context.Context, method string, u *url.URL, header http.Header, body []byte, retry retryPolicy) (*answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("building the %s request: %s", h.backend, h.redact(err.Error()))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	// Z-API answers 415 without it, even on a GET.
	req.Header.Set("Content-Type", "application/json")
	if h.opts.UserAgent != "" {
		req.Header.Set("User-Agent", h.opts.UserAgent)
	}
	h.opts.Logger.Debug(ctx, "Sending request", map[string]any{"backend": h.backend, "method": method, "url": h.redact(u.String())})

	if h.gate != nil {
		if err := h.takeSlot(ctx); err != nil {
			return nil, err
		}
		defer func() { <-h.gate }()
	}
	start := time.Now()
	r, attempts, err := h.send(ctx, req, body, retry)
	if r == nil {
		return nil, h.requestError(ctx, err, attempts)
	}
	if limit := h.bodyLimit(); int64(len(r.body)) > limit.bytes {
		return nil, &DecodeError{Backend: h.backend, StatusCode: r.status, Index: -1, Err: limit}
	}
	h.opts.Logger.Debug(ctx, "Received response", map[string]any{
		"backend": h.backend, "status": r.status, "bytes": len(r.body), "attempts": attempts,
		"duration_ms": time.Since(start).Milliseconds(),
	})
	return &answer{status: r.status, body: r.body, attempts: attempts, header: r.header}, nil
}

// takeSlot waits for one of the gate's slots, saying so in the log when
// every slot is taken.
func (h *httpCore) takeSlot(ctx context.Context) error {
	select {
	case h.gate <- struct{}{}:
		return nil
	default:
	}
	h.opts.Logger.Debug(ctx, "Waiting for a free request slot", map[string]any{"backend": h.backend, "slots": cap(h.gate)})
	select {
	case h.gate <- struct{}{}:
		return nil
	case <-ctx.Done():
		return h.requestError(ctx, ctx.Err(), 0)
	}
}

// requestError turns a failure with no usable answer into a redacted error.
func (h *httpCore) requestError(ctx context.Context, err error, attempts int) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("the read of %s stopped before it finished: %w", h.backend, context.Cause(ctx))
	}
	reqErr := &RequestError{Backend: h.backend, Attempts: attempts, Err: errors.New(printable(h.clip(rootCause(err), maxQuotedRunes))), neverSent: neverSent(err)}
	if errors.Is(err, errAttemptTimeout) {
		reqErr.Timeout = h.opts.RequestTimeout
	}
	return reqErr
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

// bearer is the Authorization header that carries token.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// errorReader reads an API's error body; each backend is one.
type errorReader interface {
	apiError(r redactor, a *answer) *APIError
}

// getJSON sends one GET and returns a 2xx answer; any other is the API's
// error, as api reads it.
func (h *httpCore) getJSON(ctx context.Context, api errorReader, u *url.URL, header http.Header) (*answer, error) {
	a, err := h.get(ctx, u, header)
	if err != nil {
		return nil, err
	}
	if !a.ok() {
		return nil, api.apiError(h, a)
	}
	return a, nil
}

// write sends one write (settings, a webhook) and returns its 2xx answer. It is retried
// only while the API cannot have applied it; a failure after the request
// may have reached the API is an *OutcomeUnknownError.
func (h *httpCore) write(ctx context.Context, api errorReader, method string, u *url.URL, header http.Header, body []byte, settings []string) (*answer, error) {
	a, err := h.do(ctx, method, u, header, body, writeRetryPolicy)
	if err != nil {
		var reqErr *RequestError
		if errors.As(err, &reqErr) && reqErr.neverSent {
			return nil, err
		}
		return nil, &OutcomeUnknownError{Backend: h.backend, Settings: settings, Err: err}
	}
	if a.ok() {
		return a, nil
	}
	apiErr := api.apiError(h, a)
	if a.status >= 500 && !retryableWrite(a.status, a.header) {
		return nil, &OutcomeUnknownError{Backend: h.backend, Settings: settings, Err: apiErr}
	}
	return nil, apiErr
}
