package client

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

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
			until := c.core.PacedUntil()
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
			until := c.core.PacedUntil()
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
