package client

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

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
	srv, rec := connServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
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
