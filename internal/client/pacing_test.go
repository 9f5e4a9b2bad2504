package client

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

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

func pacerUntil(p *pacer) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.until
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
			if got := pacerUntil(p); !got.Equal(tt.wantUntil) {
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
		if got := pacerUntil(p); !got.Equal(now.Add(30 * time.Second)) {
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

// rateLimitBody is EnviaAI's 429 body, retryAfter in seconds.
func rateLimitBody(seconds int) string {
	return `{"success":false,"error":{"code":"rate_limit_exceeded","message":"Rate limit exceeded","retryAfter":` + strconv.Itoa(seconds) + `}}`
}

func TestEnviaRetryAfter(t *testing.T) {
	tests := []struct {
		body   string
		want   time.Duration
		wantOK bool
	}{
		{rateLimitBody(7), 7 * time.Second, true},
		{`{"success":false,"error":{"code":"rate_limited","message":"Too many requests"},"retryAfter":3}`, 3 * time.Second, true},
		{`{"error":"slow down","retryAfter":4}`, 4 * time.Second, true},
		{`{"error":{"retryAfter":2},"retryAfter":9}`, 2 * time.Second, true},
		{`{"error":{"retryAfter":-1},"retryAfter":6}`, 6 * time.Second, true},
		{`{"error":{"retryAfter":"5"}}`, 5 * time.Second, true},
		{`{"error":{"retryAfter":" 5 "}}`, 5 * time.Second, true},
		{`{"error":{"retryAfter":1.5}}`, 1500 * time.Millisecond, true},
		{`{"error":{"retryAfter":0}}`, 0, true},
		{`{"error":{"retryAfter":99999999}}`, 24 * time.Hour, true},
		{`{"error":{"retryAfter":1e300}}`, 24 * time.Hour, true},
		{`{"error":{"retryAfter":-1}}`, 0, false},
		{`{"error":{"retryAfter":null}}`, 0, false},
		{`{"error":{"retryAfter":""}}`, 0, false},
		{`{"error":{"retryAfter":"soon"}}`, 0, false},
		{`{"error":{"retryAfter":"NaN"}}`, 0, false},
		{`{"error":{"retryAfter":"Inf"}}`, 0, false},
		{`{"error":{"retryAfter":true}}`, 0, false},
		{`{"error":{"retryAfter":{}}}`, 0, false},
		{`{"success":false,"error":{"code":"rate_limit_exceeded","message":"Rate limit exceeded"}}`, 0, false},
		{`[{"retryAfter":3}]`, 0, false},
		{`null`, 0, false},
		{``, 0, false},
		{`<html>429 Too Many Requests</html>`, 0, false},
	}
	for _, tt := range tests {
		got, ok := enviaRetryAfter([]byte(tt.body))
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("enviaRetryAfter(%s) = %v, %v; want %v, %v", tt.body, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestWaitNamedInA429Body(t *testing.T) {
	// One answer through the transport: the wait it asks for must reach
	// both the backoff and the shared pacer, capped at MaxRetryAfter.
	const lo, hi, capRA = 100 * time.Millisecond, time.Second, time.Minute
	tests := []struct {
		name       string
		backend    string
		status     int
		retryAfter string // the Retry-After header, when sent
		body       string
		want       time.Duration
		asked      bool // false: no wait asked, the backoff is exponential
	}{
		{"429 with error.retryAfter", BackendEnviaAI, 429, "", rateLimitBody(30), 30 * time.Second, true},
		{"429 with a top-level retryAfter", BackendEnviaAI, 429, "", `{"success":false,"retryAfter":12}`, 12 * time.Second, true},
		{"429 with retryAfter beyond the cap", BackendEnviaAI, 429, "", rateLimitBody(3600), capRA, true},
		{"429 with retryAfter 0", BackendEnviaAI, 429, "", rateLimitBody(0), 0, true},
		{"the header wins over the body", BackendEnviaAI, 429, "5", rateLimitBody(30), 5 * time.Second, true},
		{"an unreadable header leaves the body", BackendEnviaAI, 429, "soon", rateLimitBody(30), 30 * time.Second, true},
		{"429 naming no wait", BackendEnviaAI, 429, "", `{"success":false,"error":{"code":"rate_limit_exceeded"}}`, 0, false},
		{"a 503 body is not read for a wait", BackendEnviaAI, 503, "", rateLimitBody(30), 0, false},
		{"a 200 body is not read for a wait", BackendEnviaAI, 200, "", `{"success":true,"data":[],"retryAfter":30}`, 0, false},
		{"Z-API names no wait in its bodies", BackendZAPI, 429, "", rateLimitBody(30), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wait bodyWait
			if tt.backend == BackendEnviaAI {
				wait = enviaRetryAfter
			}
			p := newPacer(capRA)
			tr := &attempter{
				base: roundTripFunc(func(*http.Request) (*http.Response, error) {
					h := http.Header{}
					if tt.retryAfter != "" {
						h.Set("Retry-After", tt.retryAfter)
					}
					return &http.Response{StatusCode: tt.status, Header: h, ContentLength: -1, Body: io.NopCloser(strings.NewReader(tt.body))}, nil
				}),
				timeout: 10 * time.Second, maxBody: 1 << 20, pacer: p, bodyWait: wait,
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
			until := pacerUntil(p)
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

func TestRetryAfterInA429Body(t *testing.T) {
	// The first request is refused with a 429 that names its wait only in
	// the body; the retry and every later request wait for it (capped).
	const capRA = 300 * time.Millisecond
	tests := []struct {
		name    string
		backend string
		body    string
		waits   bool
	}{
		{"error.retryAfter", BackendEnviaAI, rateLimitBody(1), true},
		{"top-level retryAfter", BackendEnviaAI, `{"success":false,"error":{"code":"rate_limit_exceeded","message":"Rate limit exceeded"},"retryAfter":1}`, true},
		{"Z-API has no such field", BackendZAPI, rateLimitBody(1), false},
	}
	chats := makeChats(120)
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.backend, func(t *testing.T) {
			api := serveZAPI(t, chats)
			if tt.backend == BackendEnviaAI {
				api = serveEnviaAI(t, chats)
			}
			var n atomic.Int32
			api.setFault(func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if n.Add(1) == 1 {
					writeRaw(w, http.StatusTooManyRequests, tt.body)
					return true
				}
				return false
			})
			opts := testOptions()
			opts.MaxRetryAfter = capRA
			c := api.client(t, opts)
			list, err := c.ListChats(t.Context(), ListOptions{PageSize: 50})
			if err != nil {
				t.Fatalf("ListChats: %v", err)
			}
			if got := chatIDs(list.Chats); !slices.Equal(got, api.ids()) {
				t.Errorf("got %d chats, want all %d", len(got), len(api.ids()))
			}
			reqs := api.requests()
			if len(reqs) != 4 {
				t.Fatalf("%d requests, want 4: the refused one and three pages", len(reqs))
			}
			until := pacerUntil(c.core.pacer)
			if !tt.waits {
				if !until.IsZero() {
					t.Errorf("the pacer waits until %v for a body field the API does not send", until)
				}
				return
			}
			if want := reqs[0].At.Add(capRA); until.Before(want) {
				t.Errorf("the pacer waits until %v, want at least %v (the 429 plus the capped wait)", until, want)
			}
			for i, r := range reqs[1:] {
				if gap := r.At.Sub(reqs[0].At); gap < capRA {
					t.Errorf("request %d came %v after the 429, want at least %v", i+2, gap, capRA)
				}
			}
		})
	}
}

func TestSpentWindowDelaysTheNextRequest(t *testing.T) {
	for _, b := range backends(t, makeChats(60)) {
		t.Run(b.name, func(t *testing.T) {
			var n atomic.Int32
			b.api.setFault(func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if n.Add(1) == 1 {
					w.Header().Set("X-RateLimit-Limit", "20")
					w.Header().Set("X-RateLimit-Remaining", "0")
					w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10))
				}
				return false
			})
			opts := testOptions()
			opts.MaxRetryAfter = 40 * time.Millisecond // the small window
			opts.MaxConcurrentRequests = 8
			c := b.api.client(t, opts)
			list, err := c.ListChats(t.Context(), ListOptions{PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Chats) != 60 {
				t.Errorf("%d chats, want 60", len(list.Chats))
			}
			until := pacerUntil(c.core.pacer)
			reqs := b.api.requests()
			if !until.After(reqs[0].At) {
				t.Fatalf("the spent window left no wait: until %v, first request at %v", until, reqs[0].At)
			}
			for i, r := range reqs[1:] {
				if r.At.Before(until) {
					t.Errorf("request %d arrived %v before the window reset", i+2, until.Sub(r.At))
				}
			}
		})
	}
}

// windowLimit is a server-side rate limit of limit requests per window,
// sent as EnviaAI does: X-RateLimit-* on every answer, 429 with
// Retry-After and a retryAfter body field beyond the limit.
type windowLimit struct {
	start         time.Time
	window        time.Duration
	limit         int
	mu            sync.Mutex
	index, used   int
	rejected, oks atomic.Int32
}

func (l *windowLimit) wrap(answer func(http.ResponseWriter, *http.Request)) fault {
	return func(w http.ResponseWriter, r *http.Request, _ int) bool {
		now := time.Now()
		l.mu.Lock()
		if i := int(now.Sub(l.start) / l.window); i != l.index {
			l.index, l.used = i, 0
		}
		l.used++
		used, end := l.used, l.start.Add(time.Duration(l.index+1)*l.window)
		l.mu.Unlock()
		// The reset is a Unix time in whole seconds, rounded up.
		resetAt := (end.UnixNano() + int64(time.Second) - 1) / int64(time.Second)
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(l.limit))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(l.limit-used, 0)))
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(resetAt, 10))
		if used > l.limit {
			l.rejected.Add(1)
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, map[string]any{
				"success": false, "error": map[string]any{"code": "rate_limited", "message": "Too many requests"}, "retryAfter": 1,
			})
			return true
		}
		l.oks.Add(1)
		answer(w, r)
		return true
	}
}

func TestRateLimitedServerServesTheWholeList(t *testing.T) {
	// 20 requests per window, 2,000 chats in pages of 50, 8 at a time. The
	// window is 200ms and Retry-After / X-RateLimit-Reset are capped to it,
	// which scales the 2-second windows of the real API down.
	chats := makeChats(2000)
	const window = 200 * time.Millisecond
	for _, name := range []string{BackendZAPI, BackendEnviaAI} {
		t.Run(name, func(t *testing.T) {
			var api *emuAPI
			var answer func(http.ResponseWriter, *http.Request)
			if name == BackendZAPI {
				z := serveZAPI(t, chats)
				api, answer = z, z.answer
			} else {
				e := serveEnviaAI(t, chats)
				api, answer = e, e.answer
			}
			lim := &windowLimit{start: time.Now(), window: window, limit: 20}
			api.setFault(lim.wrap(answer))
			opts := testOptions()
			opts.MaxConcurrentRequests = 8
			opts.MaxRetryAfter = window
			opts.MaxRetries = 10
			list, err := listWithin(t.Context(), t, 60*time.Second, api.client(t, opts), ListOptions{PageSize: 50})
			if err != nil {
				t.Fatalf("the run failed after %d answers and %d rejections: %v", lim.oks.Load(), lim.rejected.Load(), err)
			}
			if got := chatIDs(list.Chats); !slices.Equal(got, api.ids()) {
				t.Errorf("got %d chats, want all 2000 in order", len(got))
			}
			t.Logf("%d answers, %d rejected with 429", lim.oks.Load(), lim.rejected.Load())
		})
	}
}
