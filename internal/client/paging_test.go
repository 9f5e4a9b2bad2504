package client

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
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
			// Z-API documents no largest page: a short first page is the
			// end once the page after it, at its length, is empty.
			wantZAPI:  []string{"page=1&pageSize=10", "page=2&pageSize=7"},
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
			// Z-API's short first page is not known to be the last
			// without a request more, which max_results does not need.
			name: "short first page", chats: 7, opts: ListOptions{PageSize: 10, MaxResults: 3},
			wantZ: "<nil>", wantE: "7", wantENoTotal: "7", wantPages: 1,
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
			// Z-API documents no largest page: a short page is the last
			// once page 1 shows the API serves pages of this size.
			name: "short last page", chats: 25, opts: ListOptions{Page: 3, PageSize: 10},
			wantFrom: 20, wantLen: 5, wantMore: false,
			wantZAPI:  []string{"page=3&pageSize=10", "page=1&pageSize=10"},
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
		t.Run(optionsName(opts), func(t *testing.T) {
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
