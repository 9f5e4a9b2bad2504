package transport

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

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

// pausedUntil is when the next request may go.
func (p *pacer) pausedUntil() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.until
}

func (p *pacer) observe(r *reply, now time.Time) {
	var until time.Time
	if r.header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(strings.TrimSpace(r.header.Get("X-RateLimit-Reset")), 10, 64); err == nil {
			until = time.Unix(reset, 0)
		}
	}
	if r.status == http.StatusTooManyRequests {
		if d, ok := askedWait(r, now); ok {
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

// askedWait is the wait a reply asks for before the next request: its
// Retry-After header, or on a 429 without a readable one, the wait its body
// names (see BodyWait). Callers cap it.
func askedWait(r *reply, now time.Time) (time.Duration, bool) {
	if d, ok := parseRetryAfter(r.header.Get("Retry-After"), now); ok {
		return d, true
	}
	if r.bodyWaitSet && r.status == http.StatusTooManyRequests {
		return r.bodyWait, true
	}
	return 0, false
}

// MaxAskedWait bounds a wait read from an answer before any cap applies, so
// a huge value cannot overflow time.Duration.
const MaxAskedWait = 24 * time.Hour

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && secs > 0 {
		// More seconds than an integer holds is a wait longer than any cap.
		return MaxAskedWait, true
	}
	if err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(MaxAskedWait/time.Second))) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// backoff is the wait before retry number attempt+1: what a 429 or 503 asks
// for (askedWait), capped at maxRetryAfter; otherwise exponential from lo,
// capped at hi, with full jitter over its upper half. r is nil when the
// attempt brought no reply.
func backoff(lo, hi, maxRetryAfter time.Duration, attempt int, r *reply, now time.Time) time.Duration {
	if r != nil && (r.status == http.StatusTooManyRequests || r.status == http.StatusServiceUnavailable) {
		if d, ok := askedWait(r, now); ok {
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
