package client

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// inflightLimiter wraps a handler, counting requests in flight. A request
// leaves the count before its answer is sent, so the client cannot see an
// answer while the server still counts the request. When gate is set, the
// fan-out's first requests wait (up to a guard) for a second one to arrive,
// which proves the client really runs requests side by side.
type inflightLimiter struct {
	cur, peak atomic.Int32
	gate      bool
	opened    chan struct{}
	once      sync.Once
	first     func(r *http.Request) bool
}

func newInflight(gate bool, first func(r *http.Request) bool) *inflightLimiter {
	return &inflightLimiter{gate: gate, opened: make(chan struct{}), first: first}
}

func (l *inflightLimiter) open() { l.once.Do(func() { close(l.opened) }) }

func (l *inflightLimiter) wrap(next func(http.ResponseWriter, *http.Request)) fault {
	return func(w http.ResponseWriter, r *http.Request, _ int) bool {
		n := l.cur.Add(1)
		for {
			p := l.peak.Load()
			if n <= p || l.peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n >= 2 {
			l.open()
		}
		if l.gate && !l.first(r) {
			select {
			case <-l.opened:
			case <-time.After(3 * time.Second): // guard for a client that never overlaps
				l.open()
			}
		}
		rec := httptest.NewRecorder()
		next(rec, r)
		l.cur.Add(-1)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return true
	}
}

func TestConcurrencyGivesTheSameResults(t *testing.T) {
	chats := makeChats(330)
	optionSets := []ListOptions{
		{PageSize: 20},
		{PageSize: 15, Search: "ana"},
		{PageSize: 10, UnreadOnly: true},
		{PageSize: 25, SortBy: SortByName, SortOrder: Ascending},
		{PageSize: 20, SortBy: SortByUnreadCount},
		{PageSize: 20, SortOrder: Ascending},
		{PageSize: 20, MaxResults: 77},
		{PageSize: 10, UnreadOnly: true, SortBy: SortByLastMessageTime, MaxResults: 50},
		{Page: 3, PageSize: 20, SortBy: SortByName},
		{Page: 2, PageSize: 30, Search: "br", UnreadOnly: true},
	}
	for _, opts := range optionSets {
		for _, name := range []string{BackendZAPI, BackendEnviaAI} {
			t.Run(name+"/"+optionsName(opts), func(t *testing.T) {
				results := map[int]*ChatList{}
				for _, workers := range []int{1, 8} {
					var api *emuAPI
					var answer func(http.ResponseWriter, *http.Request)
					var first func(r *http.Request) bool
					if name == BackendZAPI {
						z := serveZAPI(t, chats)
						api, answer = z, z.answer
						first = func(r *http.Request) bool {
							return r.URL.Query().Get("page") == "1" || r.URL.Query().Get("pageSize") == "1"
						}
					} else {
						e := serveEnviaAI(t, chats)
						api, answer = e, e.answer
						first = func(r *http.Request) bool { return r.URL.Query().Get("offset") == "0" }
					}
					// A single EnviaAI page is one request: nothing to overlap.
					fansOut := name != BackendEnviaAI || opts.Page == 0
					lim := newInflight(workers > 1 && fansOut, first)
					api.setFault(lim.wrap(answer))
					opt := testOptions()
					opt.MaxConcurrentRequests = workers
					list, err := api.client(t, opt).ListChats(t.Context(), opts)
					if err != nil {
						t.Fatalf("%d workers: %v", workers, err)
					}
					results[workers] = list
					if p := lim.peak.Load(); p > int32(workers) {
						t.Errorf("%d requests in flight with a cap of %d", p, workers)
					}
					if workers > 1 && fansOut && api.count() > 2 && lim.peak.Load() < 2 {
						t.Errorf("%d workers never overlapped", workers)
					}
					want, wantMore := window(matchingIDs(t, name, chats, opts), opts)
					if got := chatIDs(list.Chats); !slices.Equal(got, want) {
						t.Errorf("%d workers: chats differ from the whole list\n got %v\nwant %v", workers, got, want)
					}
					if list.HasMore != wantMore {
						t.Errorf("%d workers: has_more %v, want %v", workers, list.HasMore, wantMore)
					}
				}
				one, eight := results[1], results[8]
				if !slices.Equal(chatIDs(one.Chats), chatIDs(eight.Chats)) || one.HasMore != eight.HasMore || showInt(one.Total) != showInt(eight.Total) {
					t.Errorf("1 and 8 workers differ: %d/%v/%s vs %d/%v/%s", len(one.Chats), one.HasMore, showInt(one.Total), len(eight.Chats), eight.HasMore, showInt(eight.Total))
				}
				for i := range one.Chats {
					if showChat(one.Chats[i]) != showChat(eight.Chats[i]) {
						t.Errorf("chat %d differs between 1 and 8 workers", i)
						break
					}
				}
			})
		}
	}
}
