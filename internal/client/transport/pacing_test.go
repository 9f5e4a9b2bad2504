package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// rateLimitBody is a 429 body that names its wait, in seconds.
func rateLimitBody(seconds int) string {
	return fmt.Sprintf(`{"success":false,"retryAfter":%d}`, seconds)
}

// bodyRetryAfter reads the wait rateLimitBody names: an API's BodyWait.
func bodyRetryAfter(body []byte) (time.Duration, bool) {
	var b struct {
		RetryAfter *int64 `json:"retryAfter"`
	}
	if json.Unmarshal(body, &b) != nil || b.RetryAfter == nil {
		return 0, false
	}
	return time.Duration(*b.RetryAfter) * time.Second, true
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"   ", 0, false},
		{"5", 5 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"0", 0, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"abc", 0, false},
		{"99999999999", 24 * time.Hour, true},
		{"99999999999999999999", 24 * time.Hour, true},
		{"+99999999999999999999", 24 * time.Hour, true},
		{"-99999999999999999999", 0, false},
		{"Tue, 03 Feb 2026 12:01:30 GMT", 90 * time.Second, true},
		{"Tuesday, 03-Feb-26 12:01:00 GMT", time.Minute, true},
		{"Tue Feb  3 12:00:10 2026", 10 * time.Second, true},
		{"Tue, 03 Feb 2026 11:00:00 GMT", 0, true},
		{"Tue, 03 Feb 2026 12:01:30", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// waits reports whether the pacer would make a request wait, without
// waiting: with a canceled context, wait returns at once either way.
func waits(p *pacer) bool {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return p.wait(ctx) != nil
}

func TestPacer(t *testing.T) {
	now := time.Now()
	answer := func(status int, headers ...string) *reply {
		h := http.Header{}
		for i := 0; i < len(headers); i += 2 {
			h.Set(headers[i], headers[i+1])
		}
		return &reply{status: status, header: h}
	}
	reset := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name      string
		resp      *reply
		wantUntil time.Time // zero: no wait
	}{
		{"no rate limit headers", answer(200), time.Time{}},
		{"remaining requests", answer(200, "X-RateLimit-Remaining", "3", "X-RateLimit-Reset", reset(30*time.Second)), time.Time{}},
		{"window spent", answer(200, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset(30*time.Second)), time.Unix(now.Add(30*time.Second).Unix(), 0)},
		{"window spent, reset beyond the cap", answer(200, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset(time.Hour)), now.Add(time.Minute)},
		{"window spent without a reset", answer(200, "X-RateLimit-Remaining", "0"), time.Time{}},
		{"reset is not a number", answer(200, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "soon"), time.Time{}},
		{"429 Retry-After", answer(429, "Retry-After", "20"), now.Add(20 * time.Second)},
		{"429 Retry-After beyond the cap", answer(429, "Retry-After", "900"), now.Add(time.Minute)},
		{"Retry-After on a 200 is ignored", answer(200, "Retry-After", "20"), time.Time{}},
		{"429 and a spent window: the later", answer(429, "Retry-After", "5", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset(40*time.Second)), time.Unix(now.Add(40*time.Second).Unix(), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPacer(time.Minute)
			p.observe(tt.resp, now)
			if got := p.pausedUntil(); !got.Equal(tt.wantUntil) {
				t.Errorf("until %v, want %v", got, tt.wantUntil)
			}
			if want := tt.wantUntil.After(time.Now()); waits(p) != want {
				t.Errorf("waits %v, want %v", !want, want)
			}
		})
	}
	t.Run("a shorter wait never shortens a longer one", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(answer(429, "Retry-After", "30"), now)
		p.observe(answer(429, "Retry-After", "1"), now)
		p.observe(answer(200), now)
		if got := p.pausedUntil(); !got.Equal(now.Add(30 * time.Second)) {
			t.Errorf("until %v, want 30s from now", got)
		}
	})
	t.Run("a reset in the past does not wait", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(answer(200, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset(-10*time.Second)), now)
		if waits(p) {
			t.Error("the pacer waits for a window that has already reset")
		}
	})
	t.Run("the wait is capped even for a state set by hand", func(t *testing.T) {
		p := newPacer(10 * time.Millisecond)
		p.mu.Lock()
		p.until = time.Now().Add(time.Hour)
		p.mu.Unlock()
		done := make(chan error, 1)
		go func() { done <- p.wait(t.Context()) }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("wait: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the wait outlived its cap")
		}
	})
}

func TestWaitNamedInA429Body(t *testing.T) {
	// One answer through the transport: the wait it asks for must reach
	// both the backoff and the shared pacer, capped at MaxRetryAfter.
	const lo, hi, capRA = 100 * time.Millisecond, time.Second, time.Minute
	tests := []struct {
		name       string
		wait       BodyWait
		status     int
		retryAfter string // the Retry-After header, when sent
		body       string
		want       time.Duration
		asked      bool // false: no wait asked, the backoff is exponential
	}{
		{"429 with retryAfter", bodyRetryAfter, 429, "", rateLimitBody(30), 30 * time.Second, true},
		{"429 with retryAfter beyond the cap", bodyRetryAfter, 429, "", rateLimitBody(3600), capRA, true},
		{"429 with retryAfter 0", bodyRetryAfter, 429, "", rateLimitBody(0), 0, true},
		{"the header wins over the body", bodyRetryAfter, 429, "5", rateLimitBody(30), 5 * time.Second, true},
		{"an unreadable header leaves the body", bodyRetryAfter, 429, "soon", rateLimitBody(30), 30 * time.Second, true},
		{"429 naming no wait", bodyRetryAfter, 429, "", `{"success":false,"error":{"code":"rate_limit_exceeded"}}`, 0, false},
		{"a 503 body is not read for a wait", bodyRetryAfter, 503, "", rateLimitBody(30), 0, false},
		{"a 200 body is not read for a wait", bodyRetryAfter, 200, "", `{"success":true,"data":[],"retryAfter":30}`, 0, false},
		{"an API that names no wait in its bodies", nil, 429, "", rateLimitBody(30), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPacer(capRA)
			tr := &attempter{
				client: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
					h := http.Header{}
					if tt.retryAfter != "" {
						h.Set("Retry-After", tt.retryAfter)
					}
					return &http.Response{StatusCode: tt.status, Header: h, ContentLength: -1, Body: io.NopCloser(strings.NewReader(tt.body))}, nil
				})},
				timeout: 10 * time.Second, maxBody: 1 << 20, pacer: p, bodyWait: tt.wait,
			}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1:1/", nil)
			if err != nil {
				t.Fatal(err)
			}
			before := time.Now()
			resp, err := tr.send(req)
			after := time.Now()
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			if got := backoff(lo, hi, capRA, 3, resp, after); tt.asked && got != tt.want {
				t.Errorf("backoff %v, want %v", got, tt.want)
			} else if !tt.asked && (got < 400*time.Millisecond || got > 800*time.Millisecond) {
				t.Errorf("backoff %v, want the exponential wait in [400ms, 800ms]", got)
			}
			until := p.pausedUntil()
			switch {
			case tt.asked && tt.status == http.StatusTooManyRequests && tt.want > 0:
				if until.Before(before.Add(tt.want)) || until.After(after.Add(tt.want)) {
					t.Errorf("pacer waits until %v, want %v after the answer", until, tt.want)
				}
			case until.After(after):
				t.Errorf("pacer waits until %v, want no wait", until)
			}
			// The body is still there for the decoder, whole.
			if string(resp.body) != tt.body {
				t.Errorf("body %q, want %q", resp.body, tt.body)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{
		"", "0", "5", " 7 ", "-1", "1.5", "abc", "99999999999", "99999999999999999999",
		"Tue, 03 Feb 2026 12:01:30 GMT", "Tuesday, 03-Feb-26 12:01:00 GMT", "Tue Feb  3 12:00:10 2026",
		"Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "1770120000",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)
	const lo, hi, maxWait = time.Millisecond, time.Second, time.Minute
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %v, %v", v, d, ok)
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && d > 24*time.Hour {
			t.Fatalf("%q waits %v, beyond a day", v, d)
		}
		for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusInternalServerError} {
			resp := &reply{status: status, header: http.Header{"Retry-After": {v}}}
			if w := backoff(lo, hi, maxWait, 2, resp, now); w < 0 || w > max(hi, maxWait) {
				t.Fatalf("backoff for %d with Retry-After %q is %v", status, v, w)
			}
		}
		// Neither header makes the pacer wait beyond its cap.
		p := newPacer(maxWait)
		p.observe(&reply{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {v}}}, now)
		p.observe(&reply{status: http.StatusOK, header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {v}}}, now)
		if until := p.pausedUntil(); until.After(now.Add(maxWait)) {
			t.Fatalf("%q makes the pacer wait until %v, beyond the cap", v, until)
		}
	})
}
