package client

import (
	"context"
	"errors"
	"io"
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

// attemptTransport runs one attempt: it waits for the pacer, then bounds the
// attempt, body included, by the per-request timeout. Waiting for the pacer
// is not charged to the timeout, so a rate limit never reads as a hang.
type attemptTransport struct {
	base    http.RoundTripper
	timeout time.Duration
	pacer   *pacer
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if n, ok := req.Context().Value(attemptCounterKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	if err := t.pacer.wait(req.Context()); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), t.timeout, errAttemptTimeout)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		if context.Cause(ctx) == errAttemptTimeout {
			return nil, errAttemptTimeout
		}
		return nil, err
	}
	t.pacer.observe(resp, time.Now())
	resp.Body = &attemptBody{ReadCloser: resp.Body, ctx: ctx, cancel: cancel}
	return resp, nil
}

// attemptBody ends the attempt's timeout when the body is closed, and names
// the timeout when it cut a body short.
type attemptBody struct {
	io.ReadCloser
	ctx    context.Context
	cancel context.CancelFunc
}

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF && context.Cause(b.ctx) == errAttemptTimeout {
		err = errAttemptTimeout
	}
	return n, err
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// pacer is the rate-limit state one account shares across concurrent page
// reads: when the API says the window is spent (X-RateLimit-Remaining: 0) or
// asks to wait (429 with Retry-After), every request waits until then.
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
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
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

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(24*time.Hour/time.Second))) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// backoff is the wait before retry number attempt+1: what Retry-After asks
// for on a 429 or 503, capped at maxRetryAfter; otherwise exponential from
// lo, capped at hi, with full jitter over its upper half.
func backoff(lo, hi, maxRetryAfter time.Duration, attempt int, resp *http.Response, now time.Time) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
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
