package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"
)

// closedAddr is a loopback address nothing listens on.
func closedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// failFirst answers the first n attempts at each page with fail, then lets
// the API answer.
func failFirst(n int, fail func(w http.ResponseWriter, r *http.Request)) (fault, *atomic.Int32) {
	var mu sync.Mutex
	tries := map[string]int{}
	var failed atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, _ int) bool {
		mu.Lock()
		k := tries[r.URL.RawQuery]
		tries[r.URL.RawQuery]++
		mu.Unlock()
		if k >= n {
			return false
		}
		failed.Add(1)
		fail(w, r)
		return true
	}, &failed
}

// listWithin runs ListChats and fails the test if it does not return
// within guard (a hang guard, not a speed requirement).
func listWithin(ctx context.Context, t *testing.T, guard time.Duration, c *Client, opts ListOptions) (*ChatList, error) {
	t.Helper()
	type result struct {
		list *ChatList
		err  error
	}
	done := make(chan result, 1)
	go func() {
		list, err := c.ListChats(ctx, opts)
		done <- result{list, err}
	}()
	select {
	case r := <-done:
		return r.list, r.err
	case <-time.After(guard):
		t.Fatalf("ListChats did not return within %v", guard)
		return nil, nil
	}
}

func TestRetriesRideOutTransientFaults(t *testing.T) {
	httpDate := func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }
	tests := []struct {
		name       string
		status     int
		retryAfter func() string
	}{
		{"429 with Retry-After seconds", http.StatusTooManyRequests, func() string { return "1" }},
		{"429 with Retry-After HTTP date", http.StatusTooManyRequests, httpDate},
		{"429 without Retry-After", http.StatusTooManyRequests, nil},
		{"500", http.StatusInternalServerError, nil},
		{"502", http.StatusBadGateway, nil},
		{"503", http.StatusServiceUnavailable, nil},
		{"503 with Retry-After", http.StatusServiceUnavailable, func() string { return "1" }},
		{"504", http.StatusGatewayTimeout, nil},
	}
	chats := makeChats(250)
	for _, tt := range tests {
		for _, b := range backends(t, chats) {
			t.Run(tt.name+"/"+b.name, func(t *testing.T) {
				f, failed := failFirst(2, func(w http.ResponseWriter, r *http.Request) {
					if tt.retryAfter != nil {
						w.Header().Set("Retry-After", tt.retryAfter())
					}
					writeJSON(w, tt.status, map[string]any{"error": "try again later"})
				})
				b.api.setFault(f)
				log := readWholeList(t, b.api, 250)
				// Three pages, each failing twice before it is served.
				if n, f := b.api.count(), failed.Load(); n != 9 || f != 6 {
					t.Errorf("%d requests with %d failures, want 9 and 6", n, f)
				}
				if retries := retryLines(log, "status="+strconv.Itoa(tt.status)); retries != 6 {
					t.Errorf("%d retry log lines naming status %d, want 6", retries, tt.status)
				}
			})
		}
	}
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	for _, b := range backends(t, makeChats(150)) {
		t.Run(b.name, func(t *testing.T) {
			refused := closedAddr(t)
			var dials atomic.Int32
			opts := testOptions()
			opts.Transport = &http.Transport{
				DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					if dials.Add(1) <= 2 {
						addr = refused
					}
					return (&net.Dialer{}).DialContext(ctx, network, addr)
				},
			}
			list, err := b.api.client(t, opts).ListChats(t.Context(), ListOptions{})
			if err != nil {
				t.Fatalf("ListChats: %v", err)
			}
			if got := chatIDs(list.Chats); !slices.Equal(got, b.api.ids()) {
				t.Errorf("got %d chats, want %d", len(got), len(b.api.ids()))
			}
			if dials.Load() < 3 {
				t.Errorf("%d dials, want the two refused ones and a good one", dials.Load())
			}
		})
	}
}

func TestConnectionRefusedForever(t *testing.T) {
	base := "http://" + closedAddr(t)
	for name, c := range map[string]*Client{
		BackendZAPI:    newTestZAPI(t, base, testOptions()),
		BackendEnviaAI: newTestEnviaAI(t, base, testOptions()),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.ListChats(t.Context(), ListOptions{})
			re := assertAs[*RequestError](t, err)
			if re.Attempts != 4 || re.Timeout != 0 || re.Backend != name {
				t.Errorf("attempts %d timeout %v backend %q; want 4, 0, %s", re.Attempts, re.Timeout, re.Backend, name)
			}
			if !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "4 attempts") {
				t.Errorf("error %q should give the cause and the attempts", err)
			}
			if KindOf(err) != KindUnreachable {
				t.Errorf("kind %d, want KindUnreachable", KindOf(err))
			}
			// The HTTP library's "Get <url>:" prefix is dropped, not just redacted.
			if strings.Contains(err.Error(), "/instances/") || strings.Contains(err.Error(), "/v1/") {
				t.Errorf("error %q quotes the request URL", err)
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
}

// resetConnection closes the connection at once with a TCP reset.
func resetConnection(t testing.TB, w http.ResponseWriter) { hangUp(t, w, true) }

// hangUp closes the connection under the handler: with a TCP reset, or
// with an orderly close that ends whatever body was under way.
func hangUp(t testing.TB, w http.ResponseWriter, reset bool) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// bodyStart is the start of a 200 answer of the backend r is sent to: valid
// JSON so far, cut before the list ends.
func bodyStart(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/v1/") {
		return `{"success":true,"data":[{"chatId":"chat_0000","phone":"5511900000000"},`
	}
	return `[{"phone":"5511900000000","name":"Ana"},`
}

// cutBody answers 200 with the start of a body, then hangs up mid-body.
// With announce, the headers promise a longer body (Content-Length);
// without it, the body is chunked.
func cutBody(t testing.TB, announce, reset bool) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		start := bodyStart(r)
		w.Header().Set("Content-Type", "application/json")
		if announce {
			w.Header().Set("Content-Length", strconv.Itoa(len(start)+5000))
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(start))
		w.(http.Flusher).Flush()
		hangUp(t, w, reset)
	}
}

func TestBodyCutShortIsRetried(t *testing.T) {
	tests := []struct {
		name            string
		announce, reset bool
	}{
		{"reset after part of a body of announced length", true, true},
		{"reset after part of a chunked body", false, true},
		{"closed after part of a body of announced length", true, false},
		{"closed after part of a chunked body", false, false},
	}
	for _, tt := range tests {
		for _, b := range backends(t, makeChats(250)) {
			t.Run(tt.name+"/"+b.name, func(t *testing.T) {
				// The first attempt at each page is cut; the second is whole.
				f, failed := failFirst(1, cutBody(t, tt.announce, tt.reset))
				b.api.setConnFault(f)
				log := readWholeList(t, b.api, 250)
				if n, f := b.api.count(), failed.Load(); n != 6 || f != 3 {
					t.Errorf("%d requests with %d cut short, want 6 and 3 (each page cut once)", n, f)
				}
				if retries := retryLines(log, ""); retries != 3 {
					t.Errorf("%d retry log lines, want 3", retries)
				}
			})
		}
	}
}

func TestConnectionResetIsRetried(t *testing.T) {
	for _, b := range backends(t, makeChats(250)) {
		t.Run(b.name, func(t *testing.T) {
			f, failed := failFirst(1, func(w http.ResponseWriter, r *http.Request) { resetConnection(t, w) })
			b.api.setConnFault(f)
			list, err := b.api.client(t, testOptions()).ListChats(t.Context(), ListOptions{})
			if err != nil {
				t.Fatalf("ListChats: %v", err)
			}
			if got := chatIDs(list.Chats); !slices.Equal(got, b.api.ids()) {
				t.Errorf("got %d chats, want %d", len(got), len(b.api.ids()))
			}
			if failed.Load() != 3 {
				t.Errorf("%d resets, want one per page", failed.Load())
			}
		})
	}
	t.Run("forever", func(t *testing.T) {
		srv, rec := connServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { resetConnection(t, w) })
		_, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{})
		re := assertAs[*RequestError](t, err)
		if re.Attempts != 4 || rec.count() != 4 {
			t.Errorf("attempts %d, server saw %d; want 4 and 4", re.Attempts, rec.count())
		}
		assertNoSecret(t, "error", err.Error())
	})
	t.Run("mid-body forever", func(t *testing.T) {
		// Every body is cut after the headers: each cut is retried, then the
		// run fails with the connection error, never a partial list.
		for _, name := range []string{BackendZAPI, BackendEnviaAI} {
			t.Run(name, func(t *testing.T) {
				srv, rec := connServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { cutBody(t, true, true)(w, r) })
				c := newTestZAPI(t, srv.URL, testOptions())
				if name == BackendEnviaAI {
					c = newTestEnviaAI(t, srv.URL, testOptions())
				}
				list, err := c.ListChats(t.Context(), ListOptions{})
				if err == nil || list != nil {
					t.Fatalf("got %v, %v; want an error and no list", list, err)
				}
				re := assertAs[*RequestError](t, err)
				if re.Attempts != 4 || rec.count() != 4 || re.Timeout != 0 {
					t.Errorf("attempts %d, server saw %d, timeout %v; want 4, 4, 0", re.Attempts, rec.count(), re.Timeout)
				}
				if !strings.Contains(err.Error(), "4 attempts") {
					t.Errorf("error %q should count the attempts", err)
				}
				assertNoSecret(t, "error", err.Error())
			})
		}
	})
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 409, 415, 422, 501} {
		for _, b := range backends(t, makeChats(5)) {
			t.Run(fmt.Sprintf("%d/%s", status, b.name), func(t *testing.T) {
				b.api.setFault(func(w http.ResponseWriter, r *http.Request, _ int) bool {
					writeJSON(w, status, map[string]any{"error": "no"})
					return true
				})
				_, err := b.api.client(t, testOptions()).ListChats(t.Context(), ListOptions{})
				ae := assertAs[*APIError](t, err)
				if ae.StatusCode != status || ae.Attempts != 1 || b.api.count() != 1 {
					t.Errorf("status %d attempts %d requests %d; want %d, 1, 1", ae.StatusCode, ae.Attempts, b.api.count(), status)
				}
				if strings.Contains(err.Error(), "attempts") {
					t.Errorf("error %q speaks of attempts for a single one", err)
				}
			})
		}
	}
}

func TestRetriesStopAfterMaxRetries(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		for _, retries := range []int{0, 2} {
			for _, b := range backends(t, makeChats(5)) {
				t.Run(fmt.Sprintf("%d/%d retries/%s", status, retries, b.name), func(t *testing.T) {
					b.api.setFault(func(w http.ResponseWriter, r *http.Request, _ int) bool {
						writeJSON(w, status, map[string]any{"success": false, "error": map[string]any{"code": "overloaded", "message": "busy"}})
						return true
					})
					opts := testOptions()
					opts.MaxRetries = retries
					_, err := b.api.client(t, opts).ListChats(t.Context(), ListOptions{})
					ae := assertAs[*APIError](t, err)
					want := retries + 1
					if ae.StatusCode != status || ae.Attempts != want || b.api.count() != want {
						t.Errorf("status %d attempts %d requests %d; want %d, %d, %d", ae.StatusCode, ae.Attempts, b.api.count(), status, want, want)
					}
					if want > 1 && !strings.Contains(err.Error(), fmt.Sprintf("after %d attempts", want)) {
						t.Errorf("error %q should count the attempts", err)
					}
					if KindOf(err) == KindUnknown {
						t.Error("no kind")
					}
				})
			}
		}
	}
}

// stall is how far a hanging server gets before it stops answering.
type stall int

const (
	stallBeforeHeaders stall = iota
	stallAfterHeaders        // status and headers sent, no body byte
	stallMidBody             // headers and the start of the body sent
)

// hangingServer stops answering at the given point until the client gives
// up or the test ends.
func hangingServer(t *testing.T, at stall) (string, *recorder) {
	done := make(chan struct{})
	srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if at >= stallAfterHeaders {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			if at == stallMidBody {
				_, _ = w.Write([]byte(bodyStart(r)))
			}
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	t.Cleanup(func() { close(done) }) // runs before the server closes
	return srv.URL, rec
}

func TestRequestTimeout(t *testing.T) {
	for _, name := range []string{BackendZAPI, BackendEnviaAI} {
		t.Run(name, func(t *testing.T) {
			base, rec := hangingServer(t, stallBeforeHeaders)
			opts := testOptions()
			opts.RequestTimeout = 50 * time.Millisecond
			opts.MaxRetries = 2
			sent := countRoundTrips(&opts)
			c := newTestZAPI(t, base, opts)
			if name == BackendEnviaAI {
				c = newTestEnviaAI(t, base, opts)
			}
			_, err := listWithin(t.Context(), t, 20*time.Second, c, ListOptions{})
			re := assertAs[*RequestError](t, err)
			// The server may not get to a request before the attempt times
			// out, so it sees at most as many as were sent.
			if re.Timeout != 50*time.Millisecond || re.Attempts != 3 || sent.Load() != 3 || rec.count() > 3 {
				t.Errorf("timeout %v attempts %d sent %d seen %d; want 50ms, 3, 3, at most 3", re.Timeout, re.Attempts, sent.Load(), rec.count())
			}
			if !strings.Contains(err.Error(), "50ms") || KindOf(err) != KindTimeout {
				t.Errorf("error %q / kind %d should name the timeout", err, KindOf(err))
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
}

func TestBodyStallIsRetriedThenTimesOut(t *testing.T) {
	// A body that stops arriving after the headers times the attempt out
	// like a server that never answers: each attempt is retried, and the
	// run fails naming the timeout.
	tests := []struct {
		name    string
		at      stall
		retries int
	}{
		{"no body byte after the headers", stallAfterHeaders, 2},
		{"part of the body after the headers", stallMidBody, 2},
		{"part of the body, no retries", stallMidBody, 0},
	}
	for _, tt := range tests {
		for _, name := range []string{BackendZAPI, BackendEnviaAI} {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				base, rec := hangingServer(t, tt.at)
				opts := testOptions()
				opts.RequestTimeout = 50 * time.Millisecond
				opts.MaxRetries = tt.retries
				sent := countRoundTrips(&opts)
				c := newTestZAPI(t, base, opts)
				if name == BackendEnviaAI {
					c = newTestEnviaAI(t, base, opts)
				}
				list, err := listWithin(t.Context(), t, 20*time.Second, c, ListOptions{})
				if list != nil {
					t.Errorf("a list came with the error: %v", chatIDs(list.Chats))
				}
				re := assertAs[*RequestError](t, err)
				want := tt.retries + 1
				// As above, the server sees at most the requests sent.
				if re.Timeout != 50*time.Millisecond || re.Attempts != want || int(sent.Load()) != want || rec.count() > want || re.Backend != name {
					t.Errorf("timeout %v attempts %d sent %d seen %d backend %q; want 50ms, %d, %d, at most %d, %s",
						re.Timeout, re.Attempts, sent.Load(), rec.count(), re.Backend, want, want, want, name)
				}
				if !strings.Contains(err.Error(), "50ms") || KindOf(err) != KindTimeout {
					t.Errorf("error %q / kind %d should name the timeout", err, KindOf(err))
				}
				assertNoSecret(t, "error", err.Error())
			})
		}
	}
}

// cancelOnRetry cancels a read when the client logs that it will wait to
// retry.
type cancelOnRetry struct{ cancel context.CancelFunc }

func (cancelOnRetry) Debug(context.Context, string, map[string]any) {}

func (c cancelOnRetry) Warn(_ context.Context, msg string, _ map[string]any) {
	if msg == "Retrying request" {
		c.cancel()
	}
}

func TestContextCancellationStopsTheWait(t *testing.T) {
	for _, name := range []string{BackendZAPI, BackendEnviaAI} {
		t.Run(name, func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				w.Header().Set("Retry-After", "60")
				writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "slow down"})
			})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			opts := testOptions()
			opts.MaxRetryAfter = 0 // the default cap: a minute
			// Cancel as the client starts to wait, which it logs: before
			// that, the cancellation would find the 429 still being judged.
			opts.Logger = cancelOnRetry{cancel}
			c := newTestZAPI(t, srv.URL, opts)
			if name == BackendEnviaAI {
				c = newTestEnviaAI(t, srv.URL, opts)
			}
			_, err := listWithin(ctx, t, 20*time.Second, c, ListOptions{})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want an error wrapping context.Canceled", err)
			}
			if rec.count() != 1 {
				t.Errorf("%d requests, want 1: the retry waits for Retry-After", rec.count())
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
	t.Run("canceled before the first request", func(t *testing.T) {
		srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeRaw(w, 200, "[]") })
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(ctx, ListOptions{})
		if !errors.Is(err, context.Canceled) || rec.count() != 0 {
			t.Errorf("got %v after %d requests, want context.Canceled and none", err, rec.count())
		}
	})
	t.Run("pacer wait ends with the context", func(t *testing.T) {
		var n atomic.Int32
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			// The first answer spends the window until a minute from now.
			if n.Add(1) == 1 {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Minute).Unix(), 10))
				writeRaw(w, http.StatusOK, `[{"phone":"1"},{"phone":"2"}]`)
				return
			}
			writeRaw(w, http.StatusOK, `[]`)
		})
		opts := testOptions()
		opts.MaxRetryAfter = time.Minute
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		_, err := listWithin(ctx, t, 20*time.Second, newTestZAPI(t, srv.URL, opts), ListOptions{PageSize: 2})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)
	resp := func(status int, retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	const lo, hi, capRA = 100 * time.Millisecond, time.Second, time.Minute
	t.Run("Retry-After", func(t *testing.T) {
		tests := []struct {
			name string
			resp *http.Response
			want time.Duration
		}{
			{"429 seconds", resp(429, "30"), 30 * time.Second},
			{"503 seconds", resp(503, "5"), 5 * time.Second},
			{"429 zero", resp(429, "0"), 0},
			{"capped", resp(429, "3600"), capRA},
			{"too large for an integer", resp(429, "99999999999999999999999"), capRA},
			{"HTTP date", resp(429, now.Add(10*time.Second).Format(http.TimeFormat)), 10 * time.Second},
			{"HTTP date beyond the cap", resp(503, now.Add(2*time.Hour).Format(http.TimeFormat)), capRA},
			{"HTTP date in the past", resp(429, now.Add(-time.Hour).Format(http.TimeFormat)), 0},
		}
		for _, tt := range tests {
			if got := backoff(lo, hi, capRA, 3, tt.resp, now); got != tt.want {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}
	})
	t.Run("exponential with jitter", func(t *testing.T) {
		tests := []struct {
			attempt int
			resp    *http.Response
			ceiling time.Duration
		}{
			{0, nil, 100 * time.Millisecond},
			{1, nil, 200 * time.Millisecond},
			{2, resp(500, "30"), 400 * time.Millisecond}, // Retry-After counts on 429 and 503 only
			{3, resp(429, "soon"), 800 * time.Millisecond},
			{4, resp(502, ""), time.Second},
			{10, nil, time.Second},
			{29, nil, time.Second},
			{30, nil, time.Second},
			{63, nil, time.Second},
			{1000, nil, time.Second},
		}
		for _, tt := range tests {
			lowest, highest := time.Duration(math.MaxInt64), time.Duration(0)
			for range 300 {
				got := backoff(lo, hi, capRA, tt.attempt, tt.resp, now)
				lowest, highest = min(lowest, got), max(highest, got)
				if got < tt.ceiling/2 || got > tt.ceiling {
					t.Fatalf("attempt %d: %v outside [%v, %v]", tt.attempt, got, tt.ceiling/2, tt.ceiling)
				}
			}
			if lowest == highest {
				t.Errorf("attempt %d: every wait was %v; want jitter", tt.attempt, lowest)
			}
		}
	})
	t.Run("a large minimum does not overflow", func(t *testing.T) {
		for _, attempt := range []int{20, 28, 29, 30, 40} {
			got := backoff(20*time.Second, 10*time.Minute, capRA, attempt, nil, now)
			if got < 5*time.Minute || got > 10*time.Minute {
				t.Errorf("attempt %d: %v outside [5m, 10m]", attempt, got)
			}
		}
	})
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
	answer := func(status int, headers ...string) *http.Response {
		h := http.Header{}
		for i := 0; i < len(headers); i += 2 {
			h.Set(headers[i], headers[i+1])
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	reset := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name      string
		resp      *http.Response
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

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

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
			tr := &attemptTransport{
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
			resp, err := tr.RoundTrip(req)
			after := time.Now()
			if err != nil {
				t.Fatalf("RoundTrip: %v", err)
			}
			defer resp.Body.Close()
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
			if got, err := io.ReadAll(resp.Body); err != nil || string(got) != tt.body {
				t.Errorf("body %q (%v), want %q", got, err, tt.body)
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
			var api *emuAPI = serveZAPI(t, chats)
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

func TestBodyOverTheCap(t *testing.T) {
	for _, b := range backends(t, makeChats(100)) {
		t.Run(b.name, func(t *testing.T) {
			opts := testOptions()
			opts.MaxBodyBytes = 1024
			_, err := b.api.client(t, opts).ListChats(t.Context(), ListOptions{})
			de := assertAs[*DecodeError](t, err)
			if !errors.Is(err, errBodyTooLarge) || !strings.Contains(err.Error(), "1024") || de.StatusCode != http.StatusOK {
				t.Errorf("got %v (status %d)", err, de.StatusCode)
			}
			if b.api.count() != 1 {
				t.Errorf("%d requests, want 1", b.api.count())
			}
		})
	}
	t.Run("error answer over the cap keeps its status", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeRaw(w, http.StatusForbidden, "<html>"+strings.Repeat("denied ", 1000)+"</html>")
		})
		opts := testOptions()
		opts.MaxBodyBytes = 1024
		_, err := newTestZAPI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{})
		de := assertAs[*DecodeError](t, err)
		if de.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), "403") {
			t.Errorf("status %d in %q, want 403", de.StatusCode, err)
		}
	})
	t.Run("exactly at the cap", func(t *testing.T) {
		body := `[{"phone":"1"}]`
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeRaw(w, http.StatusOK, body) })
		opts := testOptions()
		opts.MaxBodyBytes = int64(len(body))
		if _, err := newTestZAPI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{}); err != nil {
			t.Errorf("a body of exactly MaxBodyBytes was refused: %v", err)
		}
	})
}

func TestReadBody(t *testing.T) {
	errBroken := errors.New("connection broke")
	tests := []struct {
		name     string
		body     int   // bytes the server sends
		size     int64 // the announced length; -1 when none
		limit    int64
		wantLen  int
		wantCap  int // 0: any
		wantErr  error
		breakOff bool // the body fails after its bytes
	}{
		{name: "announced length: one buffer of that size", body: 1000, size: 1000, limit: 4096, wantLen: 1000, wantCap: 1001},
		{name: "empty body", body: 0, size: 0, limit: 4096, wantLen: 0, wantCap: 1},
		{name: "unknown length", body: 1000, size: -1, limit: 4096, wantLen: 1000},
		{name: "unknown length, many reads", body: 3000, size: -1, limit: 4096, wantLen: 3000},
		{name: "exactly the cap", body: 4096, size: 4096, limit: 4096, wantLen: 4096},
		{name: "over the cap: one byte more, no further", body: 10000, size: 10000, limit: 4096, wantLen: 4097},
		{name: "over the cap, unknown length", body: 10000, size: -1, limit: 4096, wantLen: 4097},
		{name: "announced length beyond the cap is not allocated", body: 10, size: 1 << 40, limit: 4096, wantLen: 10, wantCap: 512},
		{name: "broken mid-body", body: 1000, size: 5000, limit: 4096, wantErr: errBroken, breakOff: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(strings.Repeat("x", tt.body))
			if tt.breakOff {
				r = io.MultiReader(r, iotest.ErrReader(errBroken))
			}
			got, err := readBody(iotest.HalfReader(r), tt.limit, tt.size)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("got %d bytes, %v; want no body and %v", len(got), err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != tt.wantLen {
				t.Fatalf("got %d bytes, %v; want %d", len(got), err, tt.wantLen)
			}
			if tt.wantCap > 0 && cap(got) != tt.wantCap {
				t.Errorf("buffer of %d bytes, want %d", cap(got), tt.wantCap)
			}
		})
	}
}

func TestBrokenBodies(t *testing.T) {
	tests := []struct {
		name    string
		backend string
		body    string
		excerpt string // the excerpt starts with this
	}{
		{"HTML error page", BackendZAPI, "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center>nginx</center></body></html>", "<!DOCTYPE html> <html><head><title>502 Bad Gateway"},
		{"HTML error page", BackendEnviaAI, "<html><body>Service Unavailable</body></html>", "<html><body>Service Unavailable"},
		{"truncated JSON", BackendZAPI, `[{"phone":"5511999999999","name":"Ana"},{"phone":"55119`, `[{"phone":"5511999999999"`},
		{"truncated JSON", BackendEnviaAI, `{"success":true,"data":[{"chatId":"a"`, `{"success":true,"data":[{"chatId":"a"`},
		{"empty body", BackendZAPI, "", "(empty body)"},
		{"empty body", BackendEnviaAI, "  \n ", "(empty body)"},
		{"null", BackendZAPI, "null", "null"},
		{"null", BackendEnviaAI, "null", "null"},
		{"null list", BackendEnviaAI, `{"success":true,"data":null}`, `{"success":true,"data":null}`},
		{"missing list", BackendEnviaAI, `{"success":true}`, `{"success":true}`},
		{"object where a list belongs", BackendZAPI, `{"chats":[{"phone":"1"}]}`, `{"chats":`},
		{"object where a list belongs", BackendEnviaAI, `{"success":true,"data":{"chatId":"a"}}`, `{"success":true,"data":{"chatId"`},
		{"list where an object belongs", BackendEnviaAI, `[{"chatId":"a"}]`, `[{"chatId":"a"}]`},
		{"a string", BackendZAPI, `"ok"`, `"ok"`},
		{"a number in the list", BackendZAPI, `[{"phone":"1"},5]`, `[{"phone":"1"},5]`},
		{"long garbage", BackendZAPI, strings.Repeat("garbage ", 500), "garbage garbage"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.backend, func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, http.StatusOK, tt.body)
			})
			c := newTestZAPI(t, srv.URL, testOptions())
			if tt.backend == BackendEnviaAI {
				c = newTestEnviaAI(t, srv.URL, testOptions())
			}
			list, err := c.ListChats(t.Context(), ListOptions{})
			de := assertAs[*DecodeError](t, err)
			if list != nil {
				t.Errorf("a list came with the error")
			}
			if de.Backend != tt.backend || de.StatusCode != http.StatusOK {
				t.Errorf("backend %q status %d", de.Backend, de.StatusCode)
			}
			if !strings.HasPrefix(de.Excerpt, tt.excerpt) {
				t.Errorf("excerpt %q should start with %q", de.Excerpt, tt.excerpt)
			}
			if n := utf8.RuneCountInString(de.Excerpt); n > excerptRunes+1 {
				t.Errorf("excerpt of %d runes, want at most %d", n, excerptRunes+1)
			}
			if !strings.Contains(err.Error(), strconv.Quote(de.Excerpt)) || !strings.Contains(err.Error(), tt.backend) || !strings.Contains(err.Error(), "200") {
				t.Errorf("error %q should name the backend, the status and the excerpt", err)
			}
			if KindOf(err) != KindUnexpectedBody {
				t.Errorf("kind %d, want KindUnexpectedBody", KindOf(err))
			}
			if rec.count() != 1 {
				t.Errorf("%d requests, want 1 (a broken 200 is not retried)", rec.count())
			}
		})
	}
}

func TestExcerptNeverHoldsPartOfASecret(t *testing.T) {
	c := newTestZAPI(t, "http://127.0.0.1:1", HTTPOptions{})
	// Whitespace collapses in the excerpt, which brings a secret near the
	// cut within the excerpt's reach.
	for offset := 4*excerptRunes - len(testToken) - 2; offset <= 4*excerptRunes+2; offset++ {
		body := "<p>" + strings.Repeat(" ", offset-3) + testToken + " tail</p>"
		got := c.core.excerpt([]byte(body))
		for n := 6; n <= len(testToken); n++ {
			if strings.Contains(got, testToken[:n]) {
				t.Fatalf("offset %d: excerpt %q holds %d characters of the token", offset, got, n)
			}
		}
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	echo := "<html>GET /instances/" + testInstanceID + "/token/" + testToken + "/chats failed; Client-Token: " + testClientToken +
		"; Authorization: Bearer " + testAPIKey + "</html>"
	type scenario struct {
		name    string
		opts    func(*HTTPOptions)
		handler func(w http.ResponseWriter, r *http.Request, n int)
		refused bool
		wantErr bool
	}
	scenarios := []scenario{
		{name: "success", handler: func(w http.ResponseWriter, r *http.Request, n int) {
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				writeRaw(w, 200, `{"success":true,"data":[{"chatId":"a","phone":"1"}],"pagination":{"total":1,"hasMore":false}}`)
				return
			}
			writeRaw(w, 200, `[{"phone":"1"}]`)
		}},
		{name: "retry then success", handler: func(w http.ResponseWriter, r *http.Request, n int) {
			if n <= 2 {
				writeRaw(w, 503, echo)
				return
			}
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				writeRaw(w, 200, `{"success":true,"data":[],"pagination":{"total":0,"hasMore":false}}`)
				return
			}
			writeRaw(w, 200, `[]`)
		}},
		{name: "retries exhausted", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) { writeRaw(w, 502, echo) }},
		{name: "API error quoting the secrets", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 401, map[string]any{"success": false, "error": map[string]any{
				"code":    "invalid_api_key " + testAPIKey,
				"message": "token " + testToken + " / " + testClientToken + " / key " + testAPIKey + " refused",
			}})
		}},
		{name: "Z-API error text quoting the secrets", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 400, map[string]any{"error": "token " + testToken + " and Client-Token " + testClientToken + " and " + testAPIKey})
		}},
		{name: "decode failure echoing the request", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) { writeRaw(w, 200, echo) }},
		{name: "field holding a secret", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeRaw(w, 200, `{"success":true,"data":[{"chatId":"a","isGroup":"`+testAPIKey+`"}]}`)
		}},
		{name: "Z-API field holding a secret", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeRaw(w, 200, `[{"phone":"1","archived":"`+testToken+`"}]`)
		}},
		{name: "timeout", wantErr: true, opts: func(o *HTTPOptions) { o.RequestTimeout = 30 * time.Millisecond; o.MaxRetries = 1 },
			handler: func(w http.ResponseWriter, r *http.Request, n int) { <-r.Context().Done() }},
		{name: "connection refused", wantErr: true, refused: true},
		{name: "connection reset", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) { resetConnection(t, w) }},
	}
	for _, sc := range scenarios {
		for _, backend := range []string{BackendZAPI, BackendEnviaAI} {
			t.Run(sc.name+"/"+backend, func(t *testing.T) {
				base := "http://" + closedAddr(t)
				if !sc.refused {
					srv, _ := connServer(t, sc.handler)
					base = srv.URL
				}
				log := &captureLogger{}
				opts := testOptions()
				opts.Logger = log
				if sc.opts != nil {
					sc.opts(&opts)
				}
				c := newTestZAPI(t, base, opts)
				if backend == BackendEnviaAI {
					c = newTestEnviaAI(t, base, opts)
				}
				_, err := listWithin(t.Context(), t, 20*time.Second, c, ListOptions{})
				own := secretsOf(backend)
				if _, errFind := c.FindChat(t.Context(), "+55 11 0000-0000", ""); errFind != nil {
					assertNoSecretOf(t, "FindChat error", errFind.Error(), own...)
				}
				if sc.wantErr && err == nil {
					t.Fatal("want an error")
				}
				if err != nil {
					assertNoSecretOf(t, "error", err.Error(), own...)
					assertNoSecretOf(t, "error (%+v)", fmt.Sprintf("%+v", err), own...)
					for e := err; e != nil; e = errors.Unwrap(e) {
						assertNoSecretOf(t, "wrapped error", e.Error(), own...)
					}
				}
				lines := log.all()
				if len(lines) == 0 {
					t.Fatal("nothing was logged")
				}
				for _, line := range lines {
					assertNoSecretOf(t, "log line", line, own...)
				}
				if backend == BackendZAPI && !strings.Contains(strings.Join(lines, "\n"), "/token/REDACTED/chats") {
					t.Errorf("the request log should show the redacted URL:\n%s", strings.Join(lines, "\n"))
				}
			})
		}
	}
}

func TestRedirectsDoNotCarrySecretsAway(t *testing.T) {
	// The target is "localhost" while the API is "127.0.0.1": another host.
	target, seen := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			writeRaw(w, 200, `{"success":true,"data":[],"pagination":{"total":0,"hasMore":false}}`)
			return
		}
		writeRaw(w, 200, `[]`)
	})
	targetURL := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	api, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, targetURL+"/elsewhere"+r.URL.Path[strings.LastIndex(r.URL.Path, "/"):], http.StatusFound)
	})
	for _, c := range []*Client{newTestZAPI(t, api.URL, testOptions()), newTestEnviaAI(t, api.URL, testOptions())} {
		_, err := c.ListChats(t.Context(), ListOptions{})
		if err == nil {
			t.Fatalf("%s: a redirect was followed", c.Backend())
		}
		assertNoSecret(t, "error", err.Error())
		if kind := KindOf(err); kind != KindRedirect {
			t.Errorf("%s: kind %d, want KindRedirect", c.Backend(), kind)
		}
	}
	for _, r := range seen.all() {
		for k, v := range r.Header {
			assertNoSecret(t, "header "+k+" sent to another host", strings.Join(v, ","))
		}
		assertNoSecret(t, "path sent to another host", r.Path)
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		url     string
		wantErr string // a word the error must hold; "" accepts the URL
	}{
		{"https://api.z-api.io", ""},
		{"https://api.z-api.io/", ""},
		{"https://api.enviaai.app:8443/base", ""},
		{"HTTPS://api.z-api.io", ""},
		{"http://localhost", ""},
		{"http://LocalHost:8080", ""},
		{"http://127.0.0.1:9999", ""},
		{"http://127.10.20.30", ""},
		{"http://[::1]:8080", ""},
		{"http://example.com", "plain http"},
		{"http://localhost.example.com", "plain http"},
		{"http://10.0.0.1:8080", "plain http"},
		{"http://[::2]", "plain http"},
		{"ftp://api.z-api.io", "https://"},
		{"ws://localhost", "https://"},
		{"https://", "no host"},
		{"api.z-api.io", "no host"},
		{"", "no host"},
		{"https://user:s3cretpass@api.z-api.io", "credentials"},
		{"http://admin:s3cretpass@localhost", "credentials"},
		{"https://api.z-api.io?token=1", "query"},
		{"https://api.z-api.io#frag", "fragment"},
		{"://missing-scheme", "not a URL"},
	}
	for _, tt := range tests {
		err := CheckBaseURL(tt.url)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckBaseURL(%q) = %v, want ok", tt.url, err)
		case tt.wantErr != "" && err == nil:
			t.Errorf("CheckBaseURL(%q) accepted, want an error about %s", tt.url, tt.wantErr)
		case err != nil && !strings.Contains(err.Error(), tt.wantErr):
			t.Errorf("CheckBaseURL(%q) = %q, want it to mention %q", tt.url, err, tt.wantErr)
		case err != nil && strings.Contains(err.Error(), "s3cretpass"):
			t.Errorf("CheckBaseURL(%q) = %q quotes the password", tt.url, err)
		}
		if tt.wantErr != "" && tt.url != "" { // "" is the default URL
			if c, err := NewZAPI(ZAPIConfig{BaseURL: tt.url, InstanceID: "i", Token: "t"}, HTTPOptions{}); err == nil || c != nil {
				t.Errorf("NewZAPI(%q) accepted it", tt.url)
			}
			if c, err := NewEnviaAI(EnviaAIConfig{BaseURL: tt.url, APIKey: "k", InstanceID: "i"}, HTTPOptions{}); err == nil || c != nil {
				t.Errorf("NewEnviaAI(%q) accepted it", tt.url)
			}
		}
	}
	t.Run("defaults", func(t *testing.T) {
		z := newTestZAPI(t, "", HTTPOptions{})
		if got := z.api.(*zapi).chatsURL.String(); got != DefaultZAPIBaseURL+"/instances/"+testInstanceID+"/token/"+testToken+"/chats" {
			t.Errorf("Z-API URL %q", got)
		}
		e := newTestEnviaAI(t, "", HTTPOptions{})
		if got := e.api.(*enviaAI).chatsURL.String(); got != DefaultEnviaAIBaseURL+"/v1/messages/chats" {
			t.Errorf("EnviaAI URL %q", got)
		}
		if z.Backend() != BackendZAPI || e.Backend() != BackendEnviaAI {
			t.Errorf("backends %q %q", z.Backend(), e.Backend())
		}
	})
}

func TestHTTPOptionDefaults(t *testing.T) {
	o := HTTPOptions{MaxRetries: -3}.withDefaults()
	if o.RequestTimeout != DefaultRequestTimeout || o.MaxRetries != 0 || o.MaxConcurrentRequests != DefaultMaxConcurrentRequests ||
		o.RetryWaitMin != DefaultMinRetryWait || o.RetryWaitMax != DefaultMaxRetryWait || o.MaxRetryAfter != DefaultMaxRetryAfter ||
		o.MaxBodyBytes != DefaultMaxBodyBytes || o.Logger == nil || o.Transport == nil {
		t.Errorf("defaults not applied: %+v", o)
	}
	if o := (HTTPOptions{MaxRetries: 2, RequestTimeout: time.Second}).withDefaults(); o.MaxRetries != 2 || o.RequestTimeout != time.Second {
		t.Errorf("set values overridden: %+v", o)
	}
}

// readWholeList lists every chat of api with a capturing logger, checks that
// all n came back in order with the total, and returns the log.
func readWholeList(t *testing.T, api *emuAPI, n int) *captureLogger {
	t.Helper()
	log := &captureLogger{}
	opts := testOptions()
	opts.Logger = log
	list, err := api.client(t, opts).ListChats(t.Context(), ListOptions{})
	if err != nil {
		t.Fatalf("ListChats: %v", err)
	}
	if got := chatIDs(list.Chats); !slices.Equal(got, api.ids()) {
		t.Errorf("got %d chats, want all %d in order", len(got), len(api.ids()))
	}
	if showInt(list.Total) != strconv.Itoa(n) || list.HasMore {
		t.Errorf("total %s has_more %v, want %d false", showInt(list.Total), list.HasMore, n)
	}
	return log
}

// retryLines counts the retry log lines that contain want.
func retryLines(log *captureLogger, want string) int {
	n := 0
	for _, line := range log.all() {
		if strings.HasPrefix(line, "WARN Retrying request") && strings.Contains(line, want) {
			n++
		}
	}
	return n
}
