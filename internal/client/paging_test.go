package client

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func seq(format string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf(format, i))
	}
	return out
}

func TestReadsEveryPage(t *testing.T) {
	tests := []struct {
		name      string
		chats     int
		opts      ListOptions
		wantZAPI  []string // page=&pageSize= of each request, in order
		wantEnvia []string // offset=&limit=
	}{
		{
			name: "short last page", chats: 250, opts: ListOptions{},
			wantZAPI:  []string{"page=1&pageSize=100", "page=2&pageSize=100", "page=3&pageSize=100"},
			wantEnvia: []string{"offset=0&limit=100", "offset=100&limit=100", "offset=200&limit=100"},
		},
		{
			name: "list ends on a full page", chats: 200, opts: ListOptions{},
			// Z-API cannot tell a full last page from a middle one: the
			// empty page after it ends the list. EnviaAI says hasMore=false.
			wantZAPI:  []string{"page=1&pageSize=100", "page=2&pageSize=100", "page=3&pageSize=100"},
			wantEnvia: []string{"offset=0&limit=100", "offset=100&limit=100"},
		},
		{
			name: "small pages", chats: 23, opts: ListOptions{PageSize: 5},
			wantZAPI:  seq("page=%d&pageSize=5", 1, 5),
			wantEnvia: []string{"offset=0&limit=5", "offset=5&limit=5", "offset=10&limit=5", "offset=15&limit=5", "offset=20&limit=5"},
		},
		{
			name: "empty list", chats: 0, opts: ListOptions{},
			wantZAPI:  []string{"page=1&pageSize=100"},
			wantEnvia: []string{"offset=0&limit=100"},
		},
		{
			name: "one page", chats: 7, opts: ListOptions{PageSize: 10},
			wantZAPI:  []string{"page=1&pageSize=10"},
			wantEnvia: []string{"offset=0&limit=10"},
		},
	}
	for _, tt := range tests {
		chats := makeChats(tt.chats)
		for _, b := range backends(t, chats) {
			t.Run(tt.name+"/"+b.name, func(t *testing.T) {
				list, err := b.api.client(t, testOptions()).ListChats(t.Context(), tt.opts)
				if err != nil {
					t.Fatalf("ListChats: %v", err)
				}
				if got, want := chatIDs(list.Chats), b.api.ids(); !slices.Equal(got, want) {
					t.Errorf("got %d chats %v..., want %d", len(got), got[:min(3, len(got))], len(want))
				}
				if showInt(list.Total) != strconv.Itoa(tt.chats) || list.HasMore {
					t.Errorf("total %s has_more %v, want %d false", showInt(list.Total), list.HasMore, tt.chats)
				}
				want := tt.wantEnvia
				if b.name == BackendZAPI {
					want = tt.wantZAPI
				}
				if got := recQueries(b.api); !slices.Equal(got, want) {
					t.Errorf("requests\n got %v\nwant %v", got, want)
				}
			})
		}
	}
}

// recQueries renders each request's page location.
func recQueries(api *emuAPI) []string {
	var out []string
	keys := api.pageKeys()
	for _, r := range api.requests() {
		out = append(out, keys[0]+"="+r.Query.Get(keys[0])+"&"+keys[1]+"="+r.Query.Get(keys[1]))
	}
	return out
}

func TestEnviaAIHasMoreWithoutTotal(t *testing.T) {
	// Without pagination.total the client reads until hasMore is false.
	chats := makeChats(12)
	srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		var data []map[string]any
		for i := off; i < min(off+lim, len(chats)); i++ {
			data = append(data, chats[i].enviaJSON(i))
		}
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": data, "pagination": map[string]any{"hasMore": off+lim < len(chats)}})
	})
	opts := testOptions()
	opts.MaxConcurrentRequests = 4
	list, err := newTestEnviaAI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{PageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := chatIDs(list.Chats); !slices.Equal(got, seq("chat_%04d", 0, 11)) {
		t.Errorf("chats %v", got)
	}
	if showInt(list.Total) != "12" || list.HasMore {
		t.Errorf("total %s has_more %v", showInt(list.Total), list.HasMore)
	}
	if got := rec.sortedQueries("offset"); !strings.Contains(strings.Join(got, ","), "offset=10") {
		t.Errorf("offsets %v should reach 10", got)
	}
}

func TestMaxResults(t *testing.T) {
	tests := []struct {
		name       string
		chats      int
		opts       ListOptions
		want       int
		wantMore   bool
		wantZAPI   []string
		wantEnvia  []string
		wantZTotal string // Z-API knows the total only when it read the list to its end
		wantETotal string
	}{
		{
			name: "stops early", chats: 250, opts: ListOptions{MaxResults: 150}, want: 150, wantMore: true,
			wantZAPI:   []string{"page=1&pageSize=100", "page=2&pageSize=100"},
			wantEnvia:  []string{"offset=0&limit=100", "offset=100&limit=100"},
			wantZTotal: "<nil>", wantETotal: "250",
		},
		{
			name: "within the first page", chats: 250, opts: ListOptions{MaxResults: 10}, want: 10, wantMore: true,
			wantZAPI:   []string{"page=1&pageSize=100"},
			wantEnvia:  []string{"offset=0&limit=100"},
			wantZTotal: "<nil>", wantETotal: "250",
		},
		{
			name: "exactly all chats", chats: 250, opts: ListOptions{MaxResults: 250}, want: 250, wantMore: false,
			wantZAPI:   []string{"page=1&pageSize=100", "page=2&pageSize=100", "page=3&pageSize=100"},
			wantEnvia:  []string{"offset=0&limit=100", "offset=100&limit=100", "offset=200&limit=100"},
			wantZTotal: "250", wantETotal: "250",
		},
		{
			name: "exactly one full page", chats: 100, opts: ListOptions{MaxResults: 100}, want: 100, wantMore: false,
			wantZAPI:   []string{"page=1&pageSize=100", "page=2&pageSize=100"},
			wantEnvia:  []string{"offset=0&limit=100"},
			wantZTotal: "100", wantETotal: "100",
		},
		{
			name: "one more than the list", chats: 30, opts: ListOptions{MaxResults: 31, PageSize: 10}, want: 30, wantMore: false,
			wantZAPI:   seq("page=%d&pageSize=10", 1, 4),
			wantEnvia:  []string{"offset=0&limit=10", "offset=10&limit=10", "offset=20&limit=10"},
			wantZTotal: "30", wantETotal: "30",
		},
		{
			name: "one less than the list", chats: 30, opts: ListOptions{MaxResults: 29, PageSize: 10}, want: 29, wantMore: true,
			wantZAPI:   seq("page=%d&pageSize=10", 1, 3),
			wantEnvia:  []string{"offset=0&limit=10", "offset=10&limit=10", "offset=20&limit=10"},
			wantZTotal: "<nil>", wantETotal: "30",
		},
	}
	for _, tt := range tests {
		for _, b := range backends(t, makeChats(tt.chats)) {
			t.Run(tt.name+"/"+b.name, func(t *testing.T) {
				list, err := b.api.client(t, testOptions()).ListChats(t.Context(), tt.opts)
				if err != nil {
					t.Fatalf("ListChats: %v", err)
				}
				if got, want := chatIDs(list.Chats), b.api.ids()[:tt.want]; !slices.Equal(got, want) {
					t.Errorf("got %d chats, want the first %d", len(got), len(want))
				}
				if list.HasMore != tt.wantMore {
					t.Errorf("has_more %v, want %v", list.HasMore, tt.wantMore)
				}
				want, wantTotal := tt.wantEnvia, tt.wantETotal
				if b.name == BackendZAPI {
					want, wantTotal = tt.wantZAPI, tt.wantZTotal
				}
				if got := showInt(list.Total); got != wantTotal {
					t.Errorf("total %s, want %s", got, wantTotal)
				}
				if got := recQueries(b.api); !slices.Equal(got, want) {
					t.Errorf("requests\n got %v\nwant %v", got, want)
				}
			})
		}
	}
}

func TestMaxResultsStoppingOnTheLastPageCountsTheTotal(t *testing.T) {
	// When max_results is reached on the list's last page (short, or with
	// hasMore false), every chat has been read: the total is the number of
	// matching chats even where the API sends none.
	tests := []struct {
		name  string
		chats int
		opts  ListOptions
		// Totals for Z-API, EnviaAI, and EnviaAI without pagination.total.
		wantZ, wantE, wantENoTotal string
		wantPages                  int
	}{
		{
			name: "short last page", chats: 25, opts: ListOptions{PageSize: 10, MaxResults: 20},
			wantZ: "25", wantE: "25", wantENoTotal: "25", wantPages: 3,
		},
		{
			name: "the limit is the last chat but one", chats: 25, opts: ListOptions{PageSize: 10, MaxResults: 24},
			wantZ: "25", wantE: "25", wantENoTotal: "25", wantPages: 3,
		},
		{
			name: "short first page", chats: 7, opts: ListOptions{PageSize: 10, MaxResults: 3},
			wantZ: "7", wantE: "7", wantENoTotal: "7", wantPages: 1,
		},
		{
			// hasMore=false ends EnviaAI's list; a full Z-API page could be
			// followed by more, so Z-API stops without a total.
			name: "full last page", chats: 20, opts: ListOptions{PageSize: 10, MaxResults: 15},
			wantZ: "<nil>", wantE: "20", wantENoTotal: "20", wantPages: 2,
		},
		{
			name: "stops before the last page", chats: 25, opts: ListOptions{PageSize: 10, MaxResults: 12},
			wantZ: "<nil>", wantE: "25", wantENoTotal: "<nil>", wantPages: 2,
		},
		{
			// 7 chats match "ana", the last of them on the third Z-API page;
			// EnviaAI filters on the server and sends all 7 on one page.
			name: "filtered", chats: 25, opts: ListOptions{PageSize: 10, MaxResults: 6, Search: "ana"},
			wantZ: "7", wantE: "7", wantENoTotal: "7", wantPages: -1,
		},
	}
	for _, tt := range tests {
		chats := makeChats(tt.chats)
		noTotal := serveEnviaAI(t, chats)
		noTotal.noTotal = true
		apis := []struct {
			name, want string
			api        *emuAPI
		}{
			{BackendZAPI, tt.wantZ, serveZAPI(t, chats)},
			{BackendEnviaAI, tt.wantE, serveEnviaAI(t, chats)},
			{BackendEnviaAI + " without total", tt.wantENoTotal, noTotal},
		}
		for _, a := range apis {
			t.Run(tt.name+"/"+a.name, func(t *testing.T) {
				list, err := a.api.client(t, testOptions()).ListChats(t.Context(), tt.opts)
				if err != nil {
					t.Fatalf("ListChats: %v", err)
				}
				want, wantMore := window(matchingIDs(t, a.api.backend, chats, tt.opts), tt.opts)
				if got := chatIDs(list.Chats); !slices.Equal(got, want) {
					t.Errorf("chats\n got %v\nwant %v", got, want)
				}
				if list.HasMore != wantMore {
					t.Errorf("has_more %v, want %v", list.HasMore, wantMore)
				}
				if got := showInt(list.Total); got != a.want {
					t.Errorf("total %s, want %s", got, a.want)
				}
				if tt.wantPages > 0 && a.api.count() != tt.wantPages {
					t.Errorf("%d requests, want %d", a.api.count(), tt.wantPages)
				}
			})
		}
	}
}

func TestSinglePage(t *testing.T) {
	tests := []struct {
		name      string
		chats     int
		opts      ListOptions
		wantFrom  int // index of the first chat returned
		wantLen   int
		wantMore  bool
		wantZAPI  []string
		wantEnvia []string
	}{
		{
			name: "full page with chats after it", chats: 25, opts: ListOptions{Page: 2, PageSize: 10},
			wantFrom: 10, wantLen: 10, wantMore: true,
			// The probe asks for chat number 21 alone.
			wantZAPI:  []string{"page=2&pageSize=10", "page=21&pageSize=1"},
			wantEnvia: []string{"offset=10&limit=10"},
		},
		{
			name: "full last page", chats: 20, opts: ListOptions{Page: 2, PageSize: 10},
			wantFrom: 10, wantLen: 10, wantMore: false,
			wantZAPI:  []string{"page=2&pageSize=10", "page=21&pageSize=1"},
			wantEnvia: []string{"offset=10&limit=10"},
		},
		{
			name: "short last page makes no probe", chats: 25, opts: ListOptions{Page: 3, PageSize: 10},
			wantFrom: 20, wantLen: 5, wantMore: false,
			wantZAPI:  []string{"page=3&pageSize=10"},
			wantEnvia: []string{"offset=20&limit=10"},
		},
		{
			name: "page past the end", chats: 25, opts: ListOptions{Page: 9, PageSize: 10},
			wantFrom: 25, wantLen: 0, wantMore: false,
			wantZAPI:  []string{"page=9&pageSize=10"},
			wantEnvia: []string{"offset=80&limit=10"},
		},
		{
			name: "first page of the default size", chats: 150, opts: ListOptions{Page: 1},
			wantFrom: 0, wantLen: 100, wantMore: true,
			wantZAPI:  []string{"page=1&pageSize=100", "page=101&pageSize=1"},
			wantEnvia: []string{"offset=0&limit=100"},
		},
	}
	for _, tt := range tests {
		for _, b := range backends(t, makeChats(tt.chats)) {
			t.Run(tt.name+"/"+b.name, func(t *testing.T) {
				list, err := b.api.client(t, testOptions()).ListChats(t.Context(), tt.opts)
				if err != nil {
					t.Fatalf("ListChats: %v", err)
				}
				if got, want := chatIDs(list.Chats), b.api.ids()[tt.wantFrom:tt.wantFrom+tt.wantLen]; !slices.Equal(got, want) {
					t.Errorf("chats %v, want %v", got, want)
				}
				if list.HasMore != tt.wantMore {
					t.Errorf("has_more %v, want %v", list.HasMore, tt.wantMore)
				}
				want, wantTotal := tt.wantEnvia, strconv.Itoa(tt.chats)
				if b.name == BackendZAPI {
					want, wantTotal = tt.wantZAPI, "<nil>" // one page says nothing of the whole list
				}
				if got := showInt(list.Total); got != wantTotal {
					t.Errorf("total %s, want %s", got, wantTotal)
				}
				if got := recQueries(b.api); !slices.Equal(got, want) {
					t.Errorf("requests\n got %v\nwant %v", got, want)
				}
			})
		}
	}
}

func TestZAPIClientSideWorkWithPage(t *testing.T) {
	chats := makeChats(250)
	tests := []ListOptions{
		{Page: 2, PageSize: 10, UnreadOnly: true},
		{Page: 1, PageSize: 7, Search: "ANA"},
		{Page: 3, PageSize: 20, SortBy: SortByName, SortOrder: Ascending},
		{Page: 4, PageSize: 50, SortOrder: Descending},
		{Page: 2, PageSize: 15, Search: "bru", UnreadOnly: true, SortBy: SortByUnreadCount},
		{Page: 40, PageSize: 10, UnreadOnly: true}, // past the end
	}
	for _, opts := range tests {
		t.Run(fmt.Sprintf("%+v", opts), func(t *testing.T) {
			z := serveZAPI(t, chats)
			list, err := z.client(t, testOptions()).ListChats(t.Context(), opts)
			if err != nil {
				t.Fatalf("ListChats: %v", err)
			}
			matching := matchingIDs(t, BackendZAPI, chats, opts)
			want, wantMore := window(matching, opts)
			if got := chatIDs(list.Chats); !slices.Equal(got, want) {
				t.Errorf("chats\n got %v\nwant %v", got, want)
			}
			if list.HasMore != wantMore {
				t.Errorf("has_more %v, want %v", list.HasMore, wantMore)
			}
			if got := showInt(list.Total); got != strconv.Itoa(len(matching)) {
				t.Errorf("total %s, want %d matching chats", got, len(matching))
			}
			// Every page is read in the largest size, then sliced here.
			if got := recQueries(z); !slices.Equal(got, []string{"page=1&pageSize=100", "page=2&pageSize=100", "page=3&pageSize=100"}) {
				t.Errorf("requests %v", got)
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
			_, err := newTestZAPI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{PageSize: 3})
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
			_, err := newTestEnviaAI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{PageSize: 2})
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
		_, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{Page: 1, PageSize: 2})
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
	t.Run("fake with a wrong total", func(t *testing.T) {
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

func TestSortChats(t *testing.T) {
	at := utcp
	chats := []Chat{
		{ID: "1", Name: ptr("bob"), UnreadCount: ptr[int64](2), LastMessageTime: at("2024-01-02T00:00:00Z")},
		{ID: "2", Name: ptr("Álvaro"), UnreadCount: nil, LastMessageTime: at("2024-01-01T00:00:00Z")},
		{ID: "3", Name: nil, UnreadCount: ptr[int64](5), LastMessageTime: nil},
		{ID: "4", Name: ptr("Bob"), UnreadCount: ptr[int64](2), LastMessageTime: at("2024-01-02T00:00:00Z")},
		{ID: "5", Name: ptr("alice"), UnreadCount: ptr[int64](0), LastMessageTime: at("2024-01-03T00:00:00Z")},
		{ID: "6", Name: ptr("ÁLVARO"), UnreadCount: ptr[int64](2), LastMessageTime: nil},
		{ID: "7", Name: ptr("BOB"), UnreadCount: nil, LastMessageTime: at("2024-01-02T00:00:00Z")},
		{ID: "8", Name: ptr("Öbert"), UnreadCount: ptr[int64](1), LastMessageTime: at("2300-01-01T00:00:00Z")},
		{ID: "9", Name: ptr("öl"), UnreadCount: ptr[int64](1), LastMessageTime: at("1999-12-31T23:59:59.5Z")},
	}
	tests := []struct {
		by    SortField
		order SortOrder
		want  string
	}{
		// Ties keep the API's order; chats without the field go last.
		// Names collate without case: Álvaro sorts between alice and bob,
		// Öbert and öl by their letters, not after every ASCII name.
		{SortByName, Ascending, "5,2,6,1,4,7,8,9,3"},
		{SortByName, Descending, "9,8,1,4,7,2,6,5,3"},
		{SortByUnreadCount, Ascending, "5,8,9,1,4,6,3,2,7"},
		{SortByUnreadCount, Descending, "3,1,4,6,8,9,5,2,7"},
		{SortByLastMessageTime, Ascending, "9,2,1,4,7,5,8,3,6"},
		{SortByLastMessageTime, Descending, "8,5,1,4,7,2,9,3,6"},
	}
	for _, tt := range tests {
		t.Run(string(tt.by)+" "+string(tt.order), func(t *testing.T) {
			got := append([]Chat(nil), chats...)
			sortChats(got, tt.by, tt.order)
			if ids := strings.Join(chatIDs(got), ","); ids != tt.want {
				t.Errorf("got %s, want %s", ids, tt.want)
			}
		})
	}
}

func TestSortNamesByCollation(t *testing.T) {
	names := []string{"zulu", "Álvaro", "alpha", "Bravo", "ÉCLAIR", "eclair", "Echo", "ZULU", "Ångström", "Amber"}
	chats := make([]Chat, len(names))
	for i, n := range names {
		chats[i] = Chat{ID: n, Name: ptr(n)}
	}
	sortChats(chats, SortByName, Ascending)
	// Case is ignored (zulu and ZULU tie and keep their order); accents
	// sort beside their letters.
	want := "alpha,Álvaro,Amber,Ångström,Bravo,Echo,eclair,ÉCLAIR,zulu,ZULU"
	if got := strings.Join(chatIDs(chats), ","); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestLocalSortAndSearchThroughZAPI(t *testing.T) {
	raw := []map[string]any{
		{"phone": "5511000000001", "name": "bob", "unread": "2", "lastMessageTime": "1700000200"},
		{"phone": "5511000000002", "name": "Álvaro", "lastMessageTime": 1700000100000},
		{"phone": "5521000000003", "unread": "5"},
		{"phone": "5511000000004", "name": "Bob", "messagesUnread": 2, "lastMessageTime": "1700000200"},
		{"phone": "5531000000005", "name": "alice", "unread": "0", "lastMessageTime": "1700000300"},
	}
	tests := []struct {
		opts ListOptions
		want string
	}{
		{ListOptions{}, "5511000000001,5511000000002,5521000000003,5511000000004,5531000000005"},
		{ListOptions{SortOrder: Ascending}, "5511000000002,5511000000001,5511000000004,5531000000005,5521000000003"},
		{ListOptions{SortOrder: Descending}, "5531000000005,5511000000001,5511000000004,5511000000002,5521000000003"},
		{ListOptions{SortBy: SortByName}, "5511000000001,5511000000004,5511000000002,5531000000005,5521000000003"},
		{ListOptions{SortBy: SortByName, SortOrder: Ascending}, "5531000000005,5511000000002,5511000000001,5511000000004,5521000000003"},
		{ListOptions{SortBy: SortByUnreadCount}, "5521000000003,5511000000001,5511000000004,5531000000005,5511000000002"},
		{ListOptions{Search: "BOB"}, "5511000000001,5511000000004"},
		{ListOptions{Search: "álv"}, "5511000000002"},
		{ListOptions{Search: "ÁLV"}, "5511000000002"},
		{ListOptions{Search: "5521"}, "5521000000003"},
		{ListOptions{Search: "00000000"}, "5511000000001,5511000000002,5521000000003,5511000000004,5531000000005"},
		{ListOptions{Search: "nobody"}, ""},
		{ListOptions{UnreadOnly: true}, "5511000000001,5521000000003,5511000000004"},
		{ListOptions{UnreadOnly: true, Search: "b", SortBy: SortByName, SortOrder: Ascending}, "5511000000001,5511000000004"},
		{ListOptions{SortBy: SortByUnreadCount, MaxResults: 2}, "5521000000003,5511000000001"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.opts), func(t *testing.T) {
			z := serveZAPIRaw(t, marshalEach(raw))
			list, err := z.client(t, testOptions()).ListChats(t.Context(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(chatIDs(list.Chats), ","); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			// Search, unread and sort are the client's: Z-API gets page and pageSize only.
			for _, r := range z.requests() {
				if len(r.Query) != 2 {
					t.Errorf("query %q sends more than page and pageSize", r.Query.Encode())
				}
			}
		})
	}
}

func TestEnviaAIFiltersAndSortsOnTheServer(t *testing.T) {
	chats := makeChats(120)
	for _, opts := range []ListOptions{
		{Search: "ana"},
		{UnreadOnly: true, PageSize: 10},
		{SortBy: SortByName, SortOrder: Ascending, PageSize: 25},
		{SortOrder: Ascending, MaxResults: 33, PageSize: 10},
		{Search: "5511900000", UnreadOnly: true, SortBy: SortByUnreadCount},
	} {
		t.Run(fmt.Sprintf("%+v", opts), func(t *testing.T) {
			e := serveEnviaAI(t, chats)
			list, err := e.client(t, testOptions()).ListChats(t.Context(), opts)
			if err != nil {
				t.Fatal(err)
			}
			matching := e.matching(t, opts)
			want, wantMore := window(matching, opts)
			if got := chatIDs(list.Chats); !slices.Equal(got, want) {
				t.Errorf("chats\n got %v\nwant %v", got, want)
			}
			if list.HasMore != wantMore || showInt(list.Total) != strconv.Itoa(len(matching)) {
				t.Errorf("has_more %v total %s, want %v %d", list.HasMore, showInt(list.Total), wantMore, len(matching))
			}
		})
	}
}

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
			t.Run(fmt.Sprintf("%s/%+v", name, opts), func(t *testing.T) {
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

func TestFindChat(t *testing.T) {
	chats := makeChats(40)
	target := chats[27] // phone 5511900000027
	formatted := "+55 (11) 90000-0027"
	for _, b := range backends(t, chats) {
		t.Run(b.name+"/found", func(t *testing.T) {
			c := b.api.client(t, testOptions())
			chat, err := c.FindChat(t.Context(), formatted, "")
			if err != nil {
				t.Fatalf("FindChat: %v", err)
			}
			if showStr(chat.Phone) != strconv.Quote(target.phone) {
				t.Errorf("found %s, want %s", showStr(chat.Phone), target.phone)
			}
			if b.name == BackendEnviaAI {
				reqs := b.api.requests()
				if len(reqs) != 1 || reqs[0].Query.Get("search") != target.phone {
					t.Errorf("EnviaAI should narrow with search=%s, got %v", target.phone, reqs[0].Query)
				}
			}
		})
		t.Run(b.name+"/not found", func(t *testing.T) {
			c := b.api.client(t, testOptions())
			_, err := c.FindChat(t.Context(), "+1 (555) 010-9999", "")
			nf := assertAs[*ChatNotFoundError](t, err)
			// The phone is quoted as the user wrote it, so it can be found in the configuration.
			if nf.Phone != "+1 (555) 010-9999" || nf.Backend != b.name || !strings.Contains(err.Error(), `"+1 (555) 010-9999"`) {
				t.Errorf("got %+v (%v)", nf, err)
			}
			if KindOf(err) != KindNoChat {
				t.Errorf("kind %d, want KindNoChat", KindOf(err))
			}
		})
		t.Run(b.name+"/a longer phone holding the digits is not a match", func(t *testing.T) {
			c := b.api.client(t, testOptions())
			_, err := c.FindChat(t.Context(), "1190000002", "")
			assertAs[*ChatNotFoundError](t, err)
		})
	}
	t.Run("Z-API rejects instance_id", func(t *testing.T) {
		z := serveZAPI(t, chats)
		_, err := z.client(t, testOptions()).FindChat(t.Context(), target.phone, otherInstanceID)
		oe := assertAs[*OptionError](t, err)
		if oe.Option != "instance_id" || z.count() != 0 {
			t.Errorf("option %q, %d requests", oe.Option, z.count())
		}
	})
	t.Run("EnviaAI reads another instance", func(t *testing.T) {
		e := serveEnviaAI(t, chats)
		if _, err := e.client(t, testOptions()).FindChat(t.Context(), target.phone, otherInstanceID); err != nil {
			t.Fatal(err)
		}
		if got := e.requests()[0].Query.Get("instanceId"); got != otherInstanceID {
			t.Errorf("instanceId %q", got)
		}
	})
	t.Run("two chats with the phone", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeRaw(w, http.StatusOK, `{"success":true,"data":[{"chatId":"a","phone":"5511999999999"},{"chatId":"b","phone":"+55 11 99999-9999"}],"pagination":{"total":2,"hasMore":false}}`)
		})
		_, err := newTestEnviaAI(t, srv.URL, testOptions()).FindChat(t.Context(), "5511999999999", "")
		amb := assertAs[*AmbiguousPhoneError](t, err)
		if !slices.Equal(amb.IDs, []string{"a", "b"}) || !strings.Contains(err.Error(), "2 chats") || KindOf(err) != KindAmbiguousPhone {
			t.Errorf("got %v (ids %v), want an error naming both chats, with a hint", err, amb.IDs)
		}
	})
}

// enviaPagesServer answers each EnviaAI request with the body pages holds
// for its offset.
func enviaPagesServer(t *testing.T, pages map[string]string) (*httptest.Server, *recorder) {
	return rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeRaw(w, http.StatusOK, pages[r.URL.Query().Get("offset")])
	})
}
