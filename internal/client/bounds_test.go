package client

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// zapiChats is a Z-API page of n chats from first on.
func zapiChats(first, n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"phone":"55%09d","name":"c%d"}`, first+i, first+i)
	}
	return "[" + strings.Join(items, ",") + "]"
}

// enviaChats is an EnviaAI page of n chats that says more follow.
func enviaChats(first, n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"chatId":"c%d"}`, first+i)
	}
	return `{"success":true,"data":[` + strings.Join(items, ",") + `],"pagination":{"total":1000000,"hasMore":true}}`
}

// A page with more chats than were asked for is a paging error that says
// how many were asked for and how many came, on every path that reads one.
func TestPageLongerThanAskedIsAnError(t *testing.T) {
	for _, tt := range []struct {
		name    string
		backend string
		opts    ListOptions
		asked   int
	}{
		{"Z-API one page", BackendZAPI, ListOptions{Page: 2, PageSize: 100}, 100},
		{"Z-API every page", BackendZAPI, ListOptions{PageSize: 10}, 10},
		{"Z-API with max_results", BackendZAPI, ListOptions{PageSize: 10, MaxResults: 5}, 10},
		{"EnviaAI one page", BackendEnviaAI, ListOptions{Page: 2, PageSize: 100}, 100},
		{"EnviaAI every page", BackendEnviaAI, ListOptions{PageSize: 10}, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sent := tt.asked + tt.asked/2
			want := fmt.Sprintf("%d chats were asked for and %d came", tt.asked, sent)
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				count := sent
				if n > 50 {
					count = 0 // the list ends, so a read that does not stop here ends too
				}
				if tt.backend == BackendZAPI {
					writeRaw(w, http.StatusOK, zapiChats(n*1000, count))
					return
				}
				writeRaw(w, http.StatusOK, enviaChats(n*1000, count))
			})
			opts := testOptions()
			opts.MaxConcurrentRequests = 4
			c := newTestZAPI(t, srv.URL, opts)
			if tt.backend == BackendEnviaAI {
				c = newTestEnviaAI(t, srv.URL, opts)
			}
			list, err := c.ListChats(apiContext(t), tt.opts)
			if err == nil {
				t.Fatalf("%d chats came back, has_more %v, from pages of %d where %d were asked for", len(list.Chats), list.HasMore, sent, tt.asked)
			}
			pe := assertAs[*PagingError](t, err)
			if !strings.Contains(pe.Error(), want) {
				t.Errorf("the error %q does not say %q", pe, want)
			}
			if rec.count() > 1+opts.MaxConcurrentRequests {
				t.Errorf("%d requests: the read went on after the first page longer than asked", rec.count())
			}
		})
	}
}

// countingTransport records the most body bytes read from one answer and
// the most answers in flight at once.
type countingTransport struct {
	base               http.RoundTripper
	inFlight, maxIn    atomic.Int64
	mu                 sync.Mutex
	maxRead, responses int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	n := c.inFlight.Add(1)
	for m := c.maxIn.Load(); n > m && !c.maxIn.CompareAndSwap(m, n); m = c.maxIn.Load() {
	}
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		c.inFlight.Add(-1)
		return nil, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body, t: c}
	return resp, nil
}

type countingBody struct {
	io.ReadCloser
	t    *countingTransport
	read int64
	done bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *countingBody) Close() error {
	if !b.done {
		b.done = true
		b.t.inFlight.Add(-1)
		b.t.mu.Lock()
		b.t.maxRead = max(b.t.maxRead, b.read)
		b.t.responses++
		b.t.mu.Unlock()
	}
	return b.ReadCloser.Close()
}

// An API whose pages never end is read no further than the page asked
// for needs, however many pages are read at once: what is in flight stays
// within max_concurrent_requests × (1 MiB + 64 KiB per chat asked for).
func TestBodyCapFollowsThePageSize(t *testing.T) {
	endless := func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(`{"phone":"5511","name":"x"},`, 1000))
		if _, err := w.Write([]byte("[")); err != nil {
			return
		}
		for {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading
			}
		}
	}
	for _, size := range []int{1, 10, 100} {
		for _, workers := range []int{1, 8} {
			t.Run(fmt.Sprintf("pages of %d, %d at once", size, workers), func(t *testing.T) {
				srv, _ := connServer(t, endless)
				counter := &countingTransport{base: http.DefaultTransport.(*http.Transport).Clone()}
				opts := testOptions()
				opts.MaxConcurrentRequests = workers
				opts.Transport = counter
				_, err := newTestZAPI(t, srv.URL, opts).ListChats(apiContext(t), ListOptions{PageSize: size})
				de := assertAs[*DecodeError](t, err)
				limit := int64(PageBodyBase + size*PageBodyPerChat)
				if counter.maxRead > limit+1 {
					t.Errorf("%d bytes read from one answer, want at most the %d a page of %d needs", counter.maxRead, limit, size)
				}
				if got := counter.maxIn.Load(); got > int64(workers) {
					t.Errorf("%d answers in flight, want at most %d", got, workers)
				}
				msg := de.Error()
				if !strings.Contains(msg, fmt.Sprintf("allowed for a page of %d chat", size)) || !strings.Contains(msg, fmt.Sprint(limit)) ||
					strings.Contains(msg, "number 1 on the page") || strings.Contains(msg, "body began") {
					t.Errorf("the error %q should say the body was over the limit for the page, and how large the limit is", msg)
				}
				if kind := KindOf(err); kind != KindTooLarge {
					t.Errorf("kind %d, want KindTooLarge", kind)
				}
			})
		}
	}
}

// A body the page's cap allows is read whole: 2 MiB is over the cap of a
// page of 10 chats and within that of a page of 100.
func TestBodyWithinThePageCapIsRead(t *testing.T) {
	long := strings.Repeat("n", 200<<10)
	body := `[` + strings.TrimSuffix(strings.Repeat(`{"phone":"5511","name":"`+long+`"},`, 10), ",") + `]`
	srv, _ := rawServer(t, firstPageOnly(body))
	c := newTestZAPI(t, srv.URL, testOptions())
	if _, err := c.ListChats(t.Context(), ListOptions{Page: 1, PageSize: 100}); err != nil {
		t.Errorf("page size 100: %v", err)
	}
	_, err := c.ListChats(t.Context(), ListOptions{Page: 1, PageSize: 10})
	if de := assertAs[*DecodeError](t, err); !strings.Contains(de.Error(), "a page of 10 chats") {
		t.Errorf("page size 10: %v", err)
	}
}

// A read that would keep more than MaxBytes of chats stops there, however
// many pages the API would still serve.
func TestMaxBytesStopsTheReadEarly(t *testing.T) {
	for _, backend := range []string{BackendZAPI, BackendEnviaAI} {
		t.Run(backend, func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				count := 10
				if n > 200 {
					count = 0 // the list ends, so a read that does not stop early ends too
				}
				if backend == BackendZAPI {
					writeRaw(w, http.StatusOK, zapiChats(n*1000, count))
					return
				}
				writeRaw(w, http.StatusOK, strings.Replace(enviaChats(n*1000, count), `"hasMore":true`, fmt.Sprintf(`"hasMore":%v`, count > 0), 1))
			})
			opts := testOptions()
			opts.MaxConcurrentRequests = 4
			c := newTestZAPI(t, srv.URL, opts)
			if backend == BackendEnviaAI {
				c = newTestEnviaAI(t, srv.URL, opts)
			}
			list := ListOptions{PageSize: 10, MaxBytes: 1000, SizeOf: func(*Chat) int { return 10 }}
			_, err := c.ListChats(apiContext(t), list)
			tooLarge := assertAs[*TooLargeError](t, err)
			if tooLarge.Chats != 101 || !strings.Contains(err.Error(), "1000 bytes") {
				t.Errorf("stopped at %d chats: %v; want 101 (the first chat past 1000 bytes)", tooLarge.Chats, err)
			}
			if rec.count() > 11+opts.MaxConcurrentRequests {
				t.Errorf("%d requests: the read went on past the limit", rec.count())
			}
			// With page or max_results the result holds fewer chats than the
			// read keeps, so the limit is the caller's to apply to the result.
			list.Page, list.SortBy, list.MaxBytes = 1, SortByName, 50
			if _, err := c.ListChats(t.Context(), list); err != nil {
				t.Errorf("page 1: %v", err)
			}
		})
	}
}
