package client

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pagedServer serves a list that ends after pagedServerEnd chats (so a
// read that takes a page longer than asked ends too), each page as long as
// count says for the page number (1-based) and the size a request asks
// for: Z-API's page and pageSize, or EnviaAI's offset and limit as page
// offset/limit+1 (with hasMore, no total). Chat ids are unique to their page.
func pagedServer(t *testing.T, backend string, count func(page, size int) int) string {
	t.Helper()
	srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		q := r.URL.Query()
		page, size := 0, 0
		if backend == BackendZAPI {
			page, _ = strconv.Atoi(q.Get("page"))
			size, _ = strconv.Atoi(q.Get("pageSize"))
		} else {
			offset, _ := strconv.Atoi(q.Get("offset"))
			size, _ = strconv.Atoi(q.Get("limit"))
			page = offset/max(size, 1) + 1
		}
		n := 0
		if (page-1)*size < pagedServerEnd {
			n = count(page, size)
		}
		if backend == BackendZAPI {
			writeRaw(w, http.StatusOK, zapiChats(page*1000, n))
			return
		}
		more := fmt.Sprintf(`"hasMore":%v`, page*size < pagedServerEnd)
		writeRaw(w, http.StatusOK, strings.Replace(enviaChats(page*1000, n), `"total":1000000,"hasMore":true`, more, 1))
	})
	return srv.URL
}

// pagedServerEnd is where pagedServer's list ends: no page starts past it.
const pagedServerEnd = 30

func pagedClient(t *testing.T, backend, base string, opts HTTPOptions) *Client {
	if backend == BackendZAPI {
		return newTestZAPI(t, base, opts)
	}
	return newTestEnviaAI(t, base, opts)
}

// One chat more than asked for is already a page longer than asked: the
// error names the page and both counts. That holds for the one-chat
// look-ahead Z-API needs after a full page too, which two chats fail.
func TestPageOneChatLongerThanAskedIsAnError(t *testing.T) {
	for _, tt := range []struct {
		name       string
		backend    string
		opts       ListOptions
		count      func(page, size int) int
		page, size int // the page that fails, and the size it was asked for
	}{
		{"Z-API first page", BackendZAPI, ListOptions{PageSize: 10},
			func(_, size int) int { return size + 1 }, 1, 10},
		{"Z-API later page", BackendZAPI, ListOptions{PageSize: 10},
			func(page, size int) int { return size + min(page-1, 1) }, 2, 10},
		{"Z-API one page", BackendZAPI, ListOptions{Page: 2, PageSize: 10},
			func(_, size int) int { return size + 1 }, 2, 10},
		{"Z-API look-ahead after a full page", BackendZAPI, ListOptions{Page: 1, PageSize: 10},
			func(_, size int) int {
				if size == 1 {
					return 2 // the look-ahead
				}
				return size
			}, 11, 1},
		{"EnviaAI first page", BackendEnviaAI, ListOptions{PageSize: 10},
			func(_, size int) int { return size + 1 }, 1, 10},
		{"EnviaAI later page", BackendEnviaAI, ListOptions{PageSize: 10},
			func(page, size int) int { return size + min(page-1, 1) }, 2, 10},
		{"EnviaAI one page", BackendEnviaAI, ListOptions{Page: 2, PageSize: 10},
			func(_, size int) int { return size + 1 }, 2, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := pagedServer(t, tt.backend, tt.count)
			list, err := pagedClient(t, tt.backend, base, testOptions()).ListChats(apiContext(t), tt.opts)
			if err == nil {
				t.Fatalf("%d chats came back, has_more %v: a page one chat longer than asked was taken", len(list.Chats), list.HasMore)
			}
			pe := assertAs[*PagingError](t, err)
			counts := regexp.MustCompile(fmt.Sprintf(`\b%d chats? w(as|ere) asked for and %d came\b`, tt.size, tt.size+1))
			if pe.Backend != tt.backend || pe.Page != tt.page || !counts.MatchString(pe.Reason) {
				t.Errorf("got %q, want a paging error at page %d that says %d chats were asked for and %d came", pe, tt.page, tt.size, tt.size+1)
			}
		})
	}
	// The bound itself is no error: a full page, then a look-ahead of one.
	for _, backend := range []string{BackendZAPI, BackendEnviaAI} {
		t.Run(backend+" pages exactly as long as asked", func(t *testing.T) {
			base := pagedServer(t, backend, func(_, size int) int { return size })
			list, err := pagedClient(t, backend, base, testOptions()).ListChats(apiContext(t), ListOptions{Page: 1, PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Chats) != 10 || !list.HasMore {
				t.Errorf("got %d chats, has_more %v; want 10 and true", len(list.Chats), list.HasMore)
			}
		})
	}
}

// An API that sends no total and, past the end of its list, starts over
// at page 1 repeats the first page: that page is a paging error, named,
// whether the API goes round again or then ends. (Each page repeated is
// new to the page before it, so only the comparison with the first page
// tells.)
func TestAPIThatWrapsBackToTheFirstPage(t *testing.T) {
	ids := [][]string{{"a", "b"}, {"c", "d"}}
	zapiPage := func(ids []string) string {
		objs := make([]string, len(ids))
		for i, id := range ids {
			objs[i] = `{"phone":"` + id + `"}`
		}
		return "[" + strings.Join(objs, ",") + "]"
	}
	enviaPage := func(ids []string, more bool) string {
		objs := make([]string, len(ids))
		for i, id := range ids {
			objs[i] = `{"chatId":"` + id + `"}`
		}
		return fmt.Sprintf(`{"success":true,"data":[%s],"pagination":{"hasMore":%v}}`, strings.Join(objs, ","), more)
	}
	for _, tt := range []struct {
		name string
		// page answers page n (1-based); the list it wraps holds two pages.
		page func(n int) string
	}{
		{"Z-API going round again", func(n int) string { return zapiPage(ids[(n-1)%2]) }},
		{"Z-API going round once, then ending", func(n int) string {
			if n > 3 {
				return "[]"
			}
			return zapiPage(ids[(n-1)%2])
		}},
		{"EnviaAI without a total going round again", func(n int) string { return enviaPage(ids[(n-1)%2], true) }},
		{"EnviaAI without a total going round once, then ending", func(n int) string {
			return enviaPage(ids[(n-1)%2], n < 3)
		}},
	} {
		for _, workers := range []int{1, 8} {
			t.Run(fmt.Sprintf("%s/%d workers", tt.name, workers), func(t *testing.T) {
				srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
					n, _ := strconv.Atoi(r.URL.Query().Get("page"))
					if strings.HasPrefix(tt.name, "EnviaAI") {
						offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
						n = offset/2 + 1
					}
					writeRaw(w, http.StatusOK, tt.page(n))
				})
				opts := testOptions()
				opts.MaxConcurrentRequests = workers
				backend := BackendZAPI
				if strings.HasPrefix(tt.name, "EnviaAI") {
					backend = BackendEnviaAI
				}
				list, err := pagedClient(t, backend, srv.URL, opts).ListChats(apiContext(t), ListOptions{PageSize: 2})
				if err == nil {
					t.Fatalf("the read ended with chats %v: the repeated first page was taken for the end of the list", chatIDs(list.Chats))
				}
				pe := assertAs[*PagingError](t, err)
				if pe.Page != 3 || !strings.Contains(pe.Error(), "page 3") || !strings.Contains(pe.Reason, "repeated chats already read") {
					t.Errorf("got %q, want a paging error at page 3 for repeating page 1", pe)
				}
			})
		}
	}
}

// EnviaAI's hasMore without a total: a page with no chats ends the list
// there, whatever hasMore says, and the read is complete (the README says
// so): the chats read, their number as the total, nothing more.
func TestEnviaAIEmptyPageEndsTheListWithoutATotal(t *testing.T) {
	for _, tt := range []struct {
		name string
		full int // the pages with chats before the empty one
	}{
		{"after a full page", 1},
		{"after two full pages", 2},
		{"as the first page", 0},
	} {
		for _, workers := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/%d workers", tt.name, workers), func(t *testing.T) {
				srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
					offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
					var objs []string
					if offset < 2*tt.full {
						objs = []string{fmt.Sprintf(`{"chatId":"c%d"}`, offset), fmt.Sprintf(`{"chatId":"c%d"}`, offset+1)}
					}
					writeRaw(w, http.StatusOK, `{"success":true,"data":[`+strings.Join(objs, ",")+`],"pagination":{"hasMore":true}}`)
				})
				opts := testOptions()
				opts.MaxConcurrentRequests = workers
				list, err := newTestEnviaAI(t, srv.URL, opts).ListChats(apiContext(t), ListOptions{PageSize: 2})
				if err != nil {
					t.Fatalf("got %v, want the chats before the empty page", err)
				}
				want := []string{}
				for i := range 2 * tt.full {
					want = append(want, fmt.Sprintf("c%d", i))
				}
				if got := chatIDs(list.Chats); !slices.Equal(got, want) || showInt(list.Total) != strconv.Itoa(len(want)) || list.HasMore {
					t.Errorf("chats %v, total %s, has_more %v; want %v, %d, false", got, showInt(list.Total), list.HasMore, want, len(want))
				}
				if got := rec.sortedQueries("offset"); !slices.Contains(got, fmt.Sprintf("offset=%d", 2*tt.full)) {
					t.Errorf("offsets %v: the empty page was never asked for", got)
				}
			})
		}
	}
}
