package client

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
)

// Z-API's own reference example lists two chats with one phone (its chat
// id). Split across pages, the second is a duplicate to drop, not a sign
// that the API ignores the page.
func TestDuplicateIDAcrossPagesIsNotAnIgnoredPage(t *testing.T) {
	chats := []string{
		`{"phone":"5511999999999","name":"Z-API SUPPORT","lastMessageTime":"1622991687"}`,
		`{"phone":"5511999999999","name":"Z-api - Team","lastMessageTime":"1622990503"}`,
		`{"phone":"5511000000001","name":"Other","lastMessageTime":"1622990000"}`,
	}
	srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		lo, hi := min((page-1)*size, len(chats)), min(page*size, len(chats))
		writeRaw(w, http.StatusOK, "["+strings.Join(chats[lo:hi], ",")+"]")
	})
	c := newTestZAPI(t, srv.URL, testOptions())
	list, err := c.ListChats(t.Context(), ListOptions{PageSize: 1})
	if err != nil {
		t.Fatalf("reading every page: %v", err)
	}
	if got := chatIDs(list.Chats); !slices.Equal(got, []string{"5511999999999", "5511000000001"}) {
		t.Errorf("chats = %v, want the duplicate dropped", got)
	}
	one, err := c.ListChats(t.Context(), ListOptions{Page: 1, PageSize: 1})
	if err != nil {
		t.Fatalf("reading one page: %v", err)
	}
	if !one.HasMore {
		t.Error("has_more = false after the first of three chats")
	}
}

// An API that ignores the page but does not repeat it exactly (here the
// same chats, rotated on every answer) must still end the read with an
// error after a bounded number of requests: Z-API gives no total to stop at.
func TestAPIThatIgnoresThePageAndShufflesIt(t *testing.T) {
	chats := []string{`{"phone":"a"}`, `{"phone":"b"}`, `{"phone":"c"}`}
	for _, workers := range []int{1, 8} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				k := n % len(chats)
				writeRaw(w, http.StatusOK, "["+strings.Join(append(chats[k:], chats[:k]...), ",")+"]")
			})
			opts := testOptions()
			opts.MaxConcurrentRequests = workers
			_, err := newTestZAPI(t, srv.URL, opts).ListChats(apiContext(t), ListOptions{PageSize: 3})
			// Which page gives the API away depends on the order in which
			// concurrent requests reach it (a rotation can repeat the first
			// page exactly), so only the bound is fixed: the second page at
			// the earliest, the last stale page allowed at the latest.
			pe := assertAs[*PagingError](t, err)
			if pe.Page < 2 || pe.Page > 1+maxStalePages || !strings.Contains(pe.Reason, "ignore the page") {
				t.Errorf("got %+v, want an ignored-page error at page 2 to %d", pe, 1+maxStalePages)
			}
			if n, most := rec.count(), 1+maxStalePages+workers; n > most {
				t.Errorf("%d requests, want at most %d: the read must stop, not loop", n, most)
			}
		})
	}
}

// A page that repeats the one before it (not the first) is an error at
// once, named as such.
func TestAPIThatRepeatsThePreviousPage(t *testing.T) {
	srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Query().Get("page") == "1" {
			writeRaw(w, http.StatusOK, `[{"phone":"a"},{"phone":"b"}]`)
			return
		}
		writeRaw(w, http.StatusOK, `[{"phone":"c"},{"phone":"d"}]`)
	})
	_, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(apiContext(t), ListOptions{PageSize: 2})
	pe := assertAs[*PagingError](t, err)
	if pe.Page != 3 || !strings.Contains(pe.Reason, "repeated chats already read") {
		t.Errorf("got %+v, want an error at page 3 for repeating page 2", pe)
	}
}

// One page of chats already read is not yet an error: the list may have
// shifted. The read goes on and ends normally when the next page brings
// new chats.
func TestOnePageOfChatsAlreadyReadIsNotAnError(t *testing.T) {
	pages := [][]string{{"a", "b"}, {"b", "a"}, {"c"}}
	srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var objs []string
		if page >= 1 && page <= len(pages) {
			for _, id := range pages[page-1] {
				objs = append(objs, `{"phone":"`+id+`"}`)
			}
		}
		writeRaw(w, http.StatusOK, "["+strings.Join(objs, ",")+"]")
	})
	list, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := chatIDs(list.Chats); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("chats = %v", got)
	}
}

// An EnviaAI server that serves fewer chats than asked while saying more
// follow would make the next offset skip chats; that is an error, with or
// without a total, never a shorter list.
func TestShortPageWithMoreToComeIsAnError(t *testing.T) {
	const served = 2 // the server's own cap; the client asks for 3
	ids := []string{"a", "b", "c", "d", "e", "f", "g"}
	for _, withTotal := range []bool{false, true} {
		t.Run(fmt.Sprintf("total sent %v", withTotal), func(t *testing.T) {
			srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				lo, hi := min(offset, len(ids)), min(offset+served, len(ids))
				var objs []string
				for _, id := range ids[lo:hi] {
					objs = append(objs, `{"chatId":"`+id+`"}`)
				}
				pagination := fmt.Sprintf(`"hasMore":%v`, hi < len(ids))
				if withTotal {
					pagination += fmt.Sprintf(`,"total":%d`, len(ids))
				}
				writeRaw(w, http.StatusOK, `{"success":true,"data":[`+strings.Join(objs, ",")+`],"pagination":{`+pagination+`}}`)
			})
			_, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 3})
			pe := assertAs[*PagingError](t, err)
			if pe.Page != 1 || !strings.Contains(pe.Reason, "2 chats where 3 were asked for") {
				t.Errorf("got %+v", pe)
			}
		})
	}
	t.Run("one page asked for is returned as is", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			writeRaw(w, http.StatusOK, `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"}],"pagination":{"hasMore":true}}`)
		})
		list, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{Page: 1, PageSize: 3})
		if err != nil || len(list.Chats) != 2 || !list.HasMore {
			t.Errorf("got %+v, %v; want the 2 chats and has_more", list, err)
		}
	})
}

// With max_results, Z-API (which gives no total) is asked for no more pages
// at once than the chats still wanted can fill.
func TestMaxResultsLimitsSpeculativePages(t *testing.T) {
	chats := makeChats(1000)
	z := serveZAPI(t, chats)
	opts := testOptions()
	opts.MaxConcurrentRequests = 8
	list, err := z.client(t, opts).ListChats(t.Context(), ListOptions{PageSize: 100, MaxResults: 150})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Chats) != 150 || !list.HasMore {
		t.Errorf("got %d chats, has_more %v; want 150 and true", len(list.Chats), list.HasMore)
	}
	if n := z.count(); n != 2 {
		t.Errorf("%d requests for 150 chats in pages of 100, want 2", n)
	}
	// EnviaAI's total bounds the pages too, but max_results bounds them further.
	e := serveEnviaAI(t, chats)
	list, err = e.client(t, opts).ListChats(t.Context(), ListOptions{PageSize: 100, MaxResults: 150})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Chats) != 150 || !list.HasMore {
		t.Errorf("EnviaAI: got %d chats, has_more %v; want 150 and true", len(list.Chats), list.HasMore)
	}
	if n := e.count(); n != 2 {
		t.Errorf("EnviaAI: %d requests for 150 chats in pages of 100, want 2", n)
	}
	// While the last page needed is held, no page past it is asked for:
	// the read runs in a bubble with the emulator in-process, and the
	// page at offset 20 is held until every goroutine of the read is
	// blocked (synctest.Wait), so a client that would ask for more has
	// asked by then.
	e = serveEnviaAI(t, chats)
	synctest.Test(t, func(t *testing.T) {
		held := make(chan struct{})
		e.setFault(func(_ http.ResponseWriter, r *http.Request, _ int) bool {
			if r.URL.Query().Get("offset") == "20" {
				<-held
			}
			return false
		})
		opts := opts
		opts.Transport = inProcess(e.emu)
		read := make(chan error, 1)
		go func() {
			_, err := e.client(t, opts).ListChats(t.Context(), ListOptions{PageSize: 10, MaxResults: 25})
			read <- err
		}()
		synctest.Wait()
		asked := e.rec.sortedQueries("offset")
		close(held)
		if err := <-read; err != nil {
			t.Fatal(err)
		}
		want := []string{"offset=0", "offset=10", "offset=20"}
		if !slices.Equal(asked, want) {
			t.Errorf("EnviaAI asked for %v while offset 20 was held, want offsets 0, 10 and 20 only", asked)
		}
		if got := e.rec.sortedQueries("offset"); !slices.Equal(got, want) {
			t.Errorf("EnviaAI asked for %v, want offsets 0, 10 and 20 only", got)
		}
	})
}

// inProcess is a transport that hands each request to h in the calling
// goroutine, with no connection: a read over it can run in a synctest
// bubble.
func inProcess(h http.Handler) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result(), nil
	})
}

func TestRedactorCoversEveryURLForm(t *testing.T) {
	const token = "ab;c d/é"
	h := newTransport(BackendZAPI, HTTPOptions{}, nil, token)
	u := mustURL(t, "https://api.z-api.io").JoinPath("instances", "i", "token", token, "chats")
	for _, s := range []string{u.String(), u.Path, u.EscapedPath(), "token=" + token, "token=" + url.QueryEscape(token)} {
		if got := h.Redact(s); strings.Contains(got, "ab;c") || strings.Contains(got, "c%20d") {
			t.Errorf("redact(%q) = %q still shows the token", s, got)
		}
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Z-API gives no total. Asked for one page, the provider knows the total
// only when that page is the first and nothing follows it.
func TestZAPIOnePageTotal(t *testing.T) {
	tests := []struct {
		chats, page, size int
		want              string
	}{
		{2, 1, 5, "2"},     // a short first page holds every chat
		{5, 1, 5, "5"},     // a full first page with nothing after it
		{6, 1, 5, "<nil>"}, // more follow
		{7, 2, 5, "<nil>"}, // earlier pages were not read
		{0, 1, 5, "0"},     // no chats at all
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d chats, page %d of %d", tt.chats, tt.page, tt.size), func(t *testing.T) {
			z := serveZAPI(t, makeChats(tt.chats))
			list, err := z.client(t, testOptions()).ListChats(t.Context(), ListOptions{Page: tt.page, PageSize: tt.size})
			if err != nil {
				t.Fatal(err)
			}
			if got := showInt(list.Total); got != tt.want {
				t.Errorf("total %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDuplicatesAcrossPagesAreDropped(t *testing.T) {
	// Offset pages shift when a chat arrives mid-read: c and e come again.
	pages := map[string]string{
		"1": `[{"phone":"a"},{"phone":"b"},{"phone":"c"}]`,
		"2": `[{"phone":"c"},{"phone":"d"},{"phone":"e"}]`,
		"3": `[{"phone":"e"},{"phone":"f"}]`,
	}
	srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeRaw(w, http.StatusOK, pages[r.URL.Query().Get("page")])
	})
	list, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := chatIDs(list.Chats); !slices.Equal(got, []string{"a", "b", "c", "d", "e", "f"}) {
		t.Errorf("chats %v", got)
	}
	if showInt(list.Total) != "6" {
		t.Errorf("total %s, want 6", showInt(list.Total))
	}

	t.Run("EnviaAI", func(t *testing.T) {
		// c moved from the first page to the second; the total still holds.
		pages := map[string]string{
			"0": `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"},{"chatId":"c"}],"pagination":{"total":4,"hasMore":true}}`,
			"3": `{"success":true,"data":[{"chatId":"c"},{"chatId":"d"}],"pagination":{"total":4,"hasMore":false}}`,
		}
		srv, _ := enviaPagesServer(t, pages)
		list, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		if got := chatIDs(list.Chats); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
			t.Errorf("chats %v", got)
		}
	})
	t.Run("EnviaAI insertion mid-read is an error, not a silent loss", func(t *testing.T) {
		// z arrived at the front after the first page: b comes again and
		// z is never seen, so the pages cannot add up to the total.
		pages := map[string]string{
			"0": `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"}],"pagination":{"total":4,"hasMore":true}}`,
			"2": `{"success":true,"data":[{"chatId":"b"},{"chatId":"c"}],"pagination":{"total":5,"hasMore":true}}`,
			"4": `{"success":true,"data":[{"chatId":"d"}],"pagination":{"total":5,"hasMore":false}}`,
		}
		srv, _ := enviaPagesServer(t, pages)
		_, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 2})
		assertAs[*PagingError](t, err)
	})
}

func TestAPIThatIgnoresThePage(t *testing.T) {
	for _, workers := range []int{1, 8} {
		t.Run(fmt.Sprintf("Z-API/%d workers", workers), func(t *testing.T) {
			page := `[{"phone":"a"},{"phone":"b"},{"phone":"c"}]`
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, http.StatusOK, page)
			})
			opts := testOptions()
			opts.MaxConcurrentRequests = workers
			_, err := newTestZAPI(t, srv.URL, opts).ListChats(apiContext(t), ListOptions{PageSize: 3})
			pe := assertAs[*PagingError](t, err)
			if pe.Page != 2 || pe.Backend != BackendZAPI || !strings.Contains(pe.Reason, "ignore the page") {
				t.Errorf("got %+v", pe)
			}
			if n := rec.count(); n > 1+workers {
				t.Errorf("%d requests, want at most %d: the read must stop, not loop", n, 1+workers)
			}
			if KindOf(err) != KindPaging {
				t.Errorf("kind %d, want KindPaging", KindOf(err))
			}
		})
		t.Run(fmt.Sprintf("EnviaAI/%d workers", workers), func(t *testing.T) {
			page := `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"}],"pagination":{"total":300,"hasMore":true}}`
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, http.StatusOK, page)
			})
			opts := testOptions()
			opts.MaxConcurrentRequests = workers
			_, err := newTestEnviaAI(t, srv.URL, opts).ListChats(apiContext(t), ListOptions{PageSize: 2})
			pe := assertAs[*PagingError](t, err)
			if pe.Page != 2 {
				t.Errorf("got %+v", pe)
			}
			if n := rec.count(); n > 1+workers {
				t.Errorf("%d requests, want at most %d", n, 1+workers)
			}
		})
	}
	t.Run("Z-API probe answered with a chat already read", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeRaw(w, http.StatusOK, `[{"phone":"a"},{"phone":"b"}]`)
		})
		_, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(apiContext(t), ListOptions{Page: 1, PageSize: 2})
		assertAs[*PagingError](t, err)
	})
}

func TestEnviaAIPagesShortOfTotal(t *testing.T) {
	tests := []struct {
		name  string
		pages map[string]string
	}{
		{
			name: "fewer chats than total",
			pages: map[string]string{
				"0": `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"}],"pagination":{"total":5,"hasMore":true}}`,
				"2": `{"success":true,"data":[{"chatId":"c"}],"pagination":{"total":5,"hasMore":false}}`,
			},
		},
		{
			name: "hasMore still true after the pages the total promised",
			pages: map[string]string{
				"0": `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"}],"pagination":{"total":4,"hasMore":true}}`,
				"2": `{"success":true,"data":[{"chatId":"b"},{"chatId":"c"}],"pagination":{"total":4,"hasMore":true}}`,
			},
		},
		{
			name: "more chats than total",
			pages: map[string]string{
				"0": `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"}],"pagination":{"total":3,"hasMore":true}}`,
				"2": `{"success":true,"data":[{"chatId":"c"},{"chatId":"d"}],"pagination":{"total":3,"hasMore":false}}`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				body, ok := tt.pages[r.URL.Query().Get("offset")]
				if !ok {
					body = `{"success":true,"data":[],"pagination":{"total":5,"hasMore":false}}`
				}
				writeRaw(w, http.StatusOK, body)
			})
			list, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 2})
			pe := assertAs[*PagingError](t, err)
			if pe.Backend != BackendEnviaAI || !strings.Contains(pe.Error(), "changed while it was read") {
				t.Errorf("got %v", pe)
			}
			if list != nil {
				t.Errorf("partial list returned alongside the error: %v", chatIDs(list.Chats))
			}
		})
	}
	t.Run("every counted chat read though hasMore stays true", func(t *testing.T) {
		// The total is what the API promised; once every chat it counted
		// has been read, a stale hasMore does not fail the run.
		pages := map[string]string{
			"0": `{"success":true,"data":[{"chatId":"a"},{"chatId":"b"}],"pagination":{"total":4,"hasMore":true}}`,
			"2": `{"success":true,"data":[{"chatId":"c"},{"chatId":"d"}],"pagination":{"total":4,"hasMore":true}}`,
		}
		srv, rec := enviaPagesServer(t, pages)
		list, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := chatIDs(list.Chats); !slices.Equal(got, []string{"a", "b", "c", "d"}) || showInt(list.Total) != "4" || list.HasMore {
			t.Errorf("chats %v total %s has_more %v", got, showInt(list.Total), list.HasMore)
		}
		if got := rec.queries("offset"); !slices.Equal(got, []string{"offset=0", "offset=2"}) {
			t.Errorf("requests %v", got)
		}
	})
	t.Run("a server with a wrong total", func(t *testing.T) {
		e := serveEnviaAI(t, makeChats(30))
		e.totalOffset = 7
		_, err := e.client(t, testOptions()).ListChats(t.Context(), ListOptions{PageSize: 10})
		pe := assertAs[*PagingError](t, err)
		if !strings.Contains(pe.Reason, "37") || !strings.Contains(pe.Reason, "30") {
			t.Errorf("reason %q should give both counts", pe.Reason)
		}
	})
}

func TestOptionErrorsSendNothing(t *testing.T) {
	tests := []struct {
		name     string
		opts     ListOptions
		option   string
		backends []string
	}{
		{"instance_id on Z-API", ListOptions{InstanceID: otherInstanceID}, "instance_id", []string{BackendZAPI}},
		{"negative page", ListOptions{Page: -1}, "page", []string{BackendZAPI, BackendEnviaAI}},
		{"page size too large", ListOptions{PageSize: 101}, "page_size", []string{BackendZAPI, BackendEnviaAI}},
		{"negative page size", ListOptions{PageSize: -5}, "page_size", []string{BackendZAPI, BackendEnviaAI}},
		{"negative max results", ListOptions{MaxResults: -1}, "max_results", []string{BackendZAPI, BackendEnviaAI}},
		{"bad sort field", ListOptions{SortBy: "created_at"}, "sort_by", []string{BackendZAPI, BackendEnviaAI}},
		{"bad sort order", ListOptions{SortOrder: "up"}, "sort_order", []string{BackendZAPI, BackendEnviaAI}},
	}
	for _, tt := range tests {
		for _, b := range backends(t, makeChats(3)) {
			if !strings.Contains(strings.Join(tt.backends, ","), b.name) {
				continue
			}
			t.Run(tt.name+"/"+b.name, func(t *testing.T) {
				list, err := b.api.client(t, testOptions()).ListChats(t.Context(), tt.opts)
				oe := assertAs[*OptionError](t, err)
				if oe.Option != tt.option || oe.Reason == "" {
					t.Errorf("got option %q reason %q, want %q", oe.Option, oe.Reason, tt.option)
				}
				if !strings.HasPrefix(err.Error(), tt.option+": ") {
					t.Errorf("error %q should start with the option", err)
				}
				if list != nil {
					t.Error("a list came with the error")
				}
				if n := b.api.count(); n != 0 {
					t.Errorf("%d requests sent, want none", n)
				}
			})
		}
	}
	t.Run("valid edge values", func(t *testing.T) {
		for _, opts := range []ListOptions{{PageSize: 100}, {PageSize: 1, Page: 1}, {MaxResults: 1}, {SortBy: SortByName, SortOrder: Ascending}} {
			if err := opts.Validate(); err != nil {
				t.Errorf("%+v: %v", opts, err)
			}
		}
	})
}
