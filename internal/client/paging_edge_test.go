package client

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
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
	if got := chatIDs(list.Chats); !equalStrings(got, []string{"5511999999999", "5511000000001"}) {
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

// With max_results, Z-API (which gives no total) is asked for no more pages
// at once than the chats still wanted can fill.
func TestMaxResultsLimitsSpeculativePages(t *testing.T) {
	chats := makeChats(1000)
	z := newZAPIFake(t, chats)
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
}

func TestRedactorCoversEveryURLForm(t *testing.T) {
	const token = "ab;c d/é"
	h := newHTTPCore(BackendZAPI, HTTPOptions{}, nil, token)
	u := mustURL(t, "https://api.z-api.io").JoinPath("instances", "i", "token", token, "chats")
	for _, s := range []string{u.String(), u.Path, u.EscapedPath(), "token=" + token} {
		if got := h.redact(s); strings.Contains(got, "ab;c") || strings.Contains(got, "c%20d") {
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
