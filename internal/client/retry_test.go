package client

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
