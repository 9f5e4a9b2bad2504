package emulator

import (
	"cmp"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEnviaAI_Errors(t *testing.T) {
	s := New(Options{Chats: 5})
	const inst = "instanceId=inst_demo"
	tests := []struct {
		name   string
		query  string
		header http.Header
		status int
		code   string
	}{
		{"no Authorization", inst, nil, 401, "invalid_api_key"},
		{"wrong key", inst, http.Header{"Authorization": {"Bearer nope"}}, 401, "invalid_api_key"},
		{"not Bearer", inst, http.Header{"Authorization": {"Basic demo-api-key"}}, 401, "invalid_api_key"},
		{"bare key", inst, http.Header{"Authorization": {"demo-api-key"}}, 401, "invalid_api_key"},
		{"no instanceId", "limit=5", enviaAuth, 400, "invalid_parameters"},
		{"unknown instance", "instanceId=inst_nope", enviaAuth, 404, "invalid_instance"},
		{"disconnected instance", "instanceId=inst_disconnected", enviaAuth, 409, "instance_disconnected"},
		{"limit 0", inst + "&limit=0", enviaAuth, 400, "invalid_parameters"},
		{"limit 101", inst + "&limit=101", enviaAuth, 400, "invalid_parameters"},
		{"limit -1", inst + "&limit=-1", enviaAuth, 400, "invalid_parameters"},
		{"limit abc", inst + "&limit=abc", enviaAuth, 400, "invalid_parameters"},
		{"limit 2.5", inst + "&limit=2.5", enviaAuth, 400, "invalid_parameters"},
		{"offset -1", inst + "&offset=-1", enviaAuth, 400, "invalid_parameters"},
		{"offset x", inst + "&offset=x", enviaAuth, 400, "invalid_parameters"},
		{"unreadOnly yes", inst + "&unreadOnly=yes", enviaAuth, 400, "invalid_parameters"},
		{"unreadOnly 1", inst + "&unreadOnly=1", enviaAuth, 400, "invalid_parameters"},
		{"unreadOnly TRUE", inst + "&unreadOnly=TRUE", enviaAuth, 400, "invalid_parameters"},
		{"sortBy name", inst + "&sortBy=name", enviaAuth, 400, "invalid_parameters"},
		{"sortBy createdAt", inst + "&sortBy=createdAt", enviaAuth, 400, "invalid_parameters"},
		{"sortOrder up", inst + "&sortOrder=up", enviaAuth, 400, "invalid_parameters"},
		{"sortOrder DESC", inst + "&sortOrder=DESC", enviaAuth, 400, "invalid_parameters"},
		{"bad parameter on unknown instance", "instanceId=inst_nope&limit=0", enviaAuth, 400, "invalid_parameters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(s, enviaAIPath+"?"+tc.query, tc.header)
			body := decode[errorBody](t, rec)
			if rec.Code != tc.status || body.Success == nil || *body.Success || body.Error.Code != tc.code || body.Error.Message == "" {
				t.Errorf("got %d %s, want %d with code %s", rec.Code, rec.Body, tc.status, tc.code)
			}
			if strings.Contains(rec.Body.String(), "demo-api-key") {
				t.Errorf("the body repeats the key: %s", rec.Body)
			}
		})
	}
}

func TestEnviaAI_Paging(t *testing.T) {
	s := New(Options{Chats: 300})
	all := s.EnviaAIChats("inst_demo")
	tests := []struct {
		query         string
		from, to      int
		limit, offset int
		hasMore       bool
	}{
		{"", 0, 50, 50, 0, true},
		{"&limit=&offset=", 0, 50, 50, 0, true},
		{"&limit=100", 0, 100, 100, 0, true},
		{"&limit=1", 0, 1, 1, 0, true},
		{"&limit=7&offset=3", 3, 10, 7, 3, true},
		{"&limit=100&offset=200", 200, 300, 100, 200, false},
		{"&limit=100&offset=250", 250, 300, 100, 250, false},
		{"&limit=1&offset=298", 298, 299, 1, 298, true},
		{"&limit=1&offset=299", 299, 300, 1, 299, false},
		{"&offset=300", 300, 300, 50, 300, false},
		{"&offset=100000", 300, 300, 50, 100000, false},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			p := enviaList(t, s, "instanceId=inst_demo"+tc.query)
			if !reflect.DeepEqual(p.Data, all[tc.from:tc.to]) {
				t.Errorf("got %d chats, want chats [%d, %d)", len(p.Data), tc.from, tc.to)
			}
			pg := p.Pagination
			if pg.Total != 300 || pg.Limit != tc.limit || pg.Offset != tc.offset || pg.HasMore != tc.hasMore {
				t.Errorf("pagination %+v", pg)
			}
		})
	}
	if got := enviaAll(t, s, "instanceId=inst_demo"); !reflect.DeepEqual(got, all) {
		t.Error("walking every page did not give every chat in default order")
	}
}

func TestEnviaAI_SearchAndUnreadOnly(t *testing.T) {
	s := New(Options{Seed: 5})
	all := s.EnviaAIChats("inst_demo")
	phone := all[17]["phone"].(string)
	tests := []struct {
		query string
		keep  func(c map[string]any) bool
	}{
		{"search=s%C3%A3o", matches("são")},
		{"search=S%C3%83O+PAULO", matches("são paulo")},
		{"search=silva", matches("silva")},
		{"search=" + phone[4:10], matches(phone[4:10])},
		{"search=5511", func(c map[string]any) bool {
			return strings.Contains(c["phone"].(string), "5511") || matches("5511")(c)
		}},
		{"search=%E5%B1%B1%E7%94%B0", matches("山田")},
		{"search=no-such-chat", func(map[string]any) bool { return false }},
		{"unreadOnly=true", hasUnread},
		{"unreadOnly=false", func(map[string]any) bool { return true }},
		{"search=a&unreadOnly=true", func(c map[string]any) bool { return matches("a")(c) && hasUnread(c) }},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			var want []map[string]any
			for _, c := range all {
				if tc.keep(c) {
					want = append(want, c)
				}
			}
			got := enviaAll(t, s, "instanceId=inst_demo&"+tc.query)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %d chats, want %d", len(got), len(want))
			}
			if tc.query != "search=no-such-chat" && len(want) == 0 {
				t.Errorf("the query matches nothing, so it proves nothing")
			}
		})
	}
}

// matches is the documented search: a case-insensitive substring of
// contactName or phone.
func matches(sub string) func(map[string]any) bool {
	return func(c map[string]any) bool {
		name, _ := c["contactName"].(string)
		return strings.Contains(strings.ToLower(name), sub) || strings.Contains(c["phone"].(string), sub)
	}
}

func hasUnread(c map[string]any) bool { return c["unreadCount"].(float64) > 0 }

func TestEnviaAI_Sort(t *testing.T) {
	s := New(Options{Seed: 11})
	position := map[string]int{}
	for i, c := range s.EnviaAIChats("inst_demo") {
		position[c["chatId"].(string)] = i
	}
	tests := []struct {
		sortBy      string
		key         func(c map[string]any) (any, bool)
		someMissing bool
	}{
		{"lastMessageAt", func(c map[string]any) (any, bool) {
			m, ok := c["lastMessage"].(map[string]any)
			if !ok {
				return nil, false
			}
			return m["timestamp"], true // ISO 8601 in UTC with ms sorts as text
		}, true},
		{"unreadCount", func(c map[string]any) (any, bool) { return c["unreadCount"], true }, false},
		{"contactName", func(c map[string]any) (any, bool) {
			name, ok := c["contactName"].(string)
			return strings.ToLower(name), ok
		}, true},
	}
	for _, tc := range tests {
		for _, order := range []string{"asc", "desc", ""} {
			t.Run(tc.sortBy+" "+order, func(t *testing.T) {
				query := "instanceId=inst_demo&sortBy=" + tc.sortBy
				if order != "" {
					query += "&sortOrder=" + order
				}
				got := enviaAll(t, s, query)
				if len(got) != len(position) {
					t.Fatalf("got %d chats, want %d", len(got), len(position))
				}
				missing, ties := checkSorted(t, got, tc.key, order != "asc", position)
				if ties == 0 || tc.someMissing != (missing > 0) {
					t.Errorf("%d ties and %d chats without the key: the data does not exercise the rules", ties, missing)
				}
			})
		}
	}
}

// checkSorted holds for a stable sort and nothing else: keys in order,
// missing keys last, equal keys in default order. It counts the chats
// without a key and the ties it saw.
func checkSorted(t *testing.T, chats []map[string]any, key func(map[string]any) (any, bool), desc bool, position map[string]int) (missing, ties int) {
	t.Helper()
	for i := 1; i < len(chats); i++ {
		a, b := chats[i-1], chats[i]
		ka, oka := key(a)
		kb, okb := key(b)
		c := compareAny(ka, kb)
		if desc {
			c = -c
		}
		tie := oka == okb && c == 0
		switch {
		case !oka && okb:
			t.Fatalf("chat %d has no key but chat %d has one", i-1, i)
		case oka && okb && c > 0:
			t.Fatalf("chats %d and %d are out of order: %v, %v", i-1, i, ka, kb)
		case tie && position[a["chatId"].(string)] > position[b["chatId"].(string)]:
			t.Fatalf("chats %d and %d tie but are not in default order", i-1, i)
		}
		if !okb {
			missing++
		}
		if tie {
			ties++
		}
	}
	return missing, ties
}

func compareAny(a, b any) int {
	switch a := a.(type) {
	case string:
		bs, _ := b.(string)
		return strings.Compare(a, bs)
	case float64:
		bf, _ := b.(float64)
		return cmp.Compare(a, bf)
	}
	return 0
}

var isoMillis = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// TestEnviaAI_WireShape checks every chat against the reference and that
// each optional shape shows up.
func TestEnviaAI_WireShape(t *testing.T) {
	want := []string{
		"no contactName", "no profilePicUrl", "no lastMessage", "group", "unread",
		"non-ASCII name", "text", "image", "audio", "document",
	}
	for _, opts := range []Options{{}, {Seed: 99}, {Chats: len(enviaShowcase)}} {
		s := New(opts)
		for _, inst := range []string{"inst_demo", "inst_support"} {
			found := map[string]bool{}
			ids := map[string]bool{}
			for _, c := range s.EnviaAIChats(inst) {
				for _, f := range enviaShapes(t, c) {
					found[f] = true
				}
				if ids[c["chatId"].(string)] {
					t.Errorf("chatId %v appears twice", c["chatId"])
				}
				ids[c["chatId"].(string)] = true
			}
			for _, f := range want {
				if !found[f] && (inst == "inst_demo" || opts.Chats == 0) {
					t.Errorf("seed %d, %d chats, %s: no chat with %s", opts.Seed, opts.Chats, inst, f)
				}
			}
		}
	}
}

func enviaShapes(t *testing.T, c map[string]any) []string {
	t.Helper()
	var f []string
	if id, _ := c["chatId"].(string); !strings.HasPrefix(id, "chat_") {
		t.Errorf("chatId %#v", c["chatId"])
	}
	if phone, _ := c["phone"].(string); phone == "" {
		t.Errorf("phone %#v", c["phone"])
	}
	if at, _ := c["createdAt"].(string); !isoMillis.MatchString(at) {
		t.Errorf("createdAt %#v", c["createdAt"])
	}
	if n, ok := c["unreadCount"].(float64); !ok || n < 0 {
		t.Errorf("unreadCount %#v", c["unreadCount"])
	} else if n > 0 {
		f = append(f, "unread")
	}
	if g, ok := c["isGroup"].(bool); !ok {
		t.Errorf("isGroup %#v", c["isGroup"])
	} else if g {
		f = append(f, "group")
	}
	switch name, ok := c["contactName"].(string); {
	case !ok:
		f = append(f, "no contactName")
	case len(name) != utf8.RuneCountInString(name):
		f = append(f, "non-ASCII name")
	}
	if _, ok := c["profilePicUrl"].(string); !ok {
		f = append(f, "no profilePicUrl")
	}
	m, ok := c["lastMessage"].(map[string]any)
	if !ok {
		return append(f, "no lastMessage")
	}
	ts, _ := m["timestamp"].(string)
	if id, _ := m["messageId"].(string); !isoMillis.MatchString(ts) || id == "" || m["content"] == "" || ts < c["createdAt"].(string) {
		t.Errorf("lastMessage %v of chat created %v", m, c["createdAt"])
	}
	if _, ok := m["isFromMe"].(bool); !ok {
		t.Errorf("isFromMe %#v", m["isFromMe"])
	}
	typ, _ := m["type"].(string)
	switch typ {
	case "text", "image", "audio", "document":
	default:
		t.Errorf("type %q", typ)
	}
	return append(f, typ)
}

func TestEnviaAI_InstancesHaveTheirOwnData(t *testing.T) {
	s := New(Options{Chats: 50})
	demo, support := s.EnviaAIChats("inst_demo"), s.EnviaAIChats("inst_support")
	if len(support) != 6 {
		t.Errorf("inst_support has %d chats, want 6", len(support))
	}
	if reflect.DeepEqual(demo[:len(support)], support) {
		t.Error("inst_support repeats inst_demo's chats")
	}
	p := enviaList(t, s, "instanceId=inst_support&limit=100")
	if !reflect.DeepEqual(p.Data, support) || p.Pagination.Total != 6 {
		t.Errorf("inst_support serves %d chats (total %d)", len(p.Data), p.Pagination.Total)
	}
}

func TestEnviaAI_CachesEachQueryOnce(t *testing.T) {
	s := New(Options{Chats: 200})
	in := s.envia.instances["inst_demo"]
	cached := func() int {
		in.mu.Lock()
		defer in.mu.Unlock()
		return len(in.cache)
	}
	enviaList(t, s, "instanceId=inst_demo&sortBy=contactName&offset=0")
	first := in.order(listKey{sortBy: sortByContactName, desc: true})
	enviaList(t, s, "instanceId=inst_demo&sortBy=contactName&offset=100&limit=10")
	if cached() != 1 || &in.order(listKey{sortBy: sortByContactName, desc: true})[0] != &first[0] {
		t.Errorf("the same query with another page was sorted again (%d cached)", cached())
	}
	for i := range maxCachedQueries + 10 {
		enviaList(t, s, fmt.Sprintf("instanceId=inst_demo&search=q%d", i))
	}
	if n := cached(); n == 0 || n > maxCachedQueries {
		t.Errorf("%d queries cached, want 1 to %d", n, maxCachedQueries)
	}
}

func BenchmarkEnviaAIPage100k(b *testing.B) {
	s := New(Options{Chats: 100_000})
	queries := []string{"", "&sortBy=contactName&sortOrder=asc", "&unreadOnly=true&sortBy=unreadCount"}
	for _, q := range queries { // build the cached orders outside the timing
		get(s, enviaAIPath+"?instanceId=inst_demo"+q, enviaAuth)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		target := fmt.Sprintf("%s?instanceId=inst_demo&limit=100&offset=%d%s", enviaAIPath, (i*100)%99_900, queries[i%len(queries)])
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer demo-api-key")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func TestEnviaAI_UnfilteredTotalFault(t *testing.T) {
	s := New(Options{Seed: 5, Chats: 60})
	filtered := enviaList(t, s, "instanceId=inst_demo&unreadOnly=true&limit=100")
	s.SetFaults(Faults{EnviaAIUnfilteredTotal: true})
	p := enviaList(t, s, "instanceId=inst_demo&unreadOnly=true&limit=100")
	if p.Pagination.Total != 60 || len(p.Data) != len(filtered.Data) || p.Pagination.HasMore {
		t.Errorf("unreadOnly under EnviaAIUnfilteredTotal: total %d, %d chats, hasMore %v; want total 60, %d chats, no more",
			p.Pagination.Total, len(p.Data), p.Pagination.HasMore, len(filtered.Data))
	}
	if len(filtered.Data) >= 60 || filtered.Pagination.Total != len(filtered.Data) {
		t.Errorf("the filtered read is not a proper subset: total %d, %d chats", filtered.Pagination.Total, len(filtered.Data))
	}
}
