package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// errAttemptTimeout is one attempt running out of the per-request timeout.
var errAttemptTimeout = errors.New("request timeout")

type attemptCounterKey struct{}

// countAttempts returns a context whose attempts attemptTransport counts.
func countAttempts(ctx context.Context) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, attemptCounterKey{}, n), n
}

// bodyWait reads the wait before the next request that a 429 body asks
// for, for an API that names one in its error body (EnviaAI's retryAfter).
type bodyWait func(body []byte) (time.Duration, bool)

// attemptTransport runs one attempt: it waits for the pacer, then sends the
// request and reads the whole body, both within the per-request timeout. The
// body is read here rather than after the retries, so a connection reset or
// a timeout halfway through a body fails the attempt and is retried like any
// connection error, never handed on as a short answer. Waiting for the pacer
// is not charged to the timeout, so a rate limit never reads as a hang.
type attemptTransport struct {
	base    http.RoundTripper
	timeout time.Duration
	// maxBody caps the body; one byte more is read to tell that a body is
	// over the cap, and the answer keeps its status (httpCore.get reports it).
	maxBody  int64
	pacer    *pacer
	bodyWait bodyWait // nil when the API names no wait in its bodies
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if n, ok := req.Context().Value(attemptCounterKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	if err := t.pacer.wait(req.Context()); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), t.timeout, errAttemptTimeout)
	defer cancel()
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		return nil, attemptError(ctx, err)
	}
	maxBody := t.maxBody
	if l, ok := req.Context().Value(bodyLimitKey{}).(*bodyLimit); ok {
		maxBody = min(maxBody, l.bytes)
	}
	data, err := readBody(resp.Body, maxBody, resp.ContentLength)
	_ = resp.Body.Close()
	if err != nil {
		return nil, attemptError(ctx, err)
	}
	body := &answerBody{data: data}
	body.Reset(data)
	if resp.StatusCode == http.StatusTooManyRequests && t.bodyWait != nil {
		body.wait, body.waitSet = t.bodyWait(data)
	}
	resp.Body = body
	t.pacer.observe(resp, time.Now())
	return resp, nil
}

// attemptError names the per-request timeout when it is what ended the
// attempt; any other failure is returned as it is.
func attemptError(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errAttemptTimeout) {
		return errAttemptTimeout
	}
	return err
}

// answerBody is a body attemptTransport has read whole. Reading it reads
// data, the one buffer the body was read into.
type answerBody struct {
	bytes.Reader
	data []byte
	// wait is the wait a 429 body asked for, when waitSet.
	wait    time.Duration
	waitSet bool
}

func (*answerBody) Close() error { return nil }

// readBody reads r to its end, but no further than limit+1 bytes: a body
// longer than limit is over the cap, and reading more would be waste. The
// bytes go into one buffer; when the server announces the length, the
// buffer is made that size at once and never grows.
func readBody(r io.Reader, limit, size int64) ([]byte, error) {
	capacity := int64(bytes.MinRead)
	if size >= 0 && size < limit {
		capacity = size + 1 // the extra byte lets the final read see EOF without growing
	}
	if limit < math.MaxInt64 {
		r = io.LimitReader(r, limit+1)
	}
	buf := make([]byte, 0, capacity)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// pacer is the rate-limit state one account shares across concurrent page
// reads: when the API says the window is spent (X-RateLimit-Remaining: 0) or
// asks to wait (429 with Retry-After, or a wait named in its body), every
// request waits until then.
type pacer struct {
	maxWait time.Duration
	mu      sync.Mutex
	until   time.Time
}

func newPacer(maxWait time.Duration) *pacer { return &pacer{maxWait: maxWait} }

func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	d := time.Until(p.until)
	p.mu.Unlock()
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(min(d, p.maxWait))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-timer.C:
		return nil
	}
}

func (p *pacer) observe(resp *http.Response, now time.Time) {
	var until time.Time
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("X-RateLimit-Reset")), 10, 64); err == nil {
			until = time.Unix(reset, 0)
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := askedWait(resp, now); ok {
			until = later(until, now.Add(d))
		}
	}
	if until.IsZero() {
		return
	}
	until = earlier(until, now.Add(p.maxWait))
	p.mu.Lock()
	p.until = later(p.until, until)
	p.mu.Unlock()
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// askedWait is the wait an answer asks for before the next request: its
// Retry-After header, or on a 429 without a readable one, the wait its body
// names (see bodyWait). Callers cap it.
func askedWait(resp *http.Response, now time.Time) (time.Duration, bool) {
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d, true
	}
	if body, ok := resp.Body.(*answerBody); ok && body.waitSet && resp.StatusCode == http.StatusTooManyRequests {
		return body.wait, true
	}
	return 0, false
}

// maxAskedWait bounds a wait read from an answer before any cap applies, so
// a huge value cannot overflow time.Duration.
const maxAskedWait = 24 * time.Hour

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && secs > 0 {
		// More seconds than an integer holds is a wait longer than any cap.
		return maxAskedWait, true
	}
	if err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(maxAskedWait/time.Second))) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// backoff is the wait before retry number attempt+1: what a 429 or 503 asks
// for (askedWait), capped at maxRetryAfter; otherwise exponential from lo,
// capped at hi, with full jitter over its upper half.
func backoff(lo, hi, maxRetryAfter time.Duration, attempt int, resp *http.Response, now time.Time) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := askedWait(resp, now); ok {
			return min(d, maxRetryAfter)
		}
	}
	ceiling := hi
	// lo<<attempt <= hi, tested without the shift overflowing.
	if attempt >= 0 && attempt < 63 && lo <= hi>>attempt {
		ceiling = lo << attempt
	}
	half := ceiling / 2
	return half + rand.N(ceiling-half+1)
}
