package emulator

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf8"
)

func TestZAPI_Paging(t *testing.T) {
	s := New(Options{Chats: 25})
	all := s.ZAPIChats()
	tests := []struct {
		query      string
		ignorePage bool
		from, to   int
	}{
		{"page=1&pageSize=10", false, 0, 10},
		{"page=2&pageSize=10", false, 10, 20},
		{"page=3&pageSize=10", false, 20, 25},
		{"page=4&pageSize=10", false, 25, 25},
		{"page=1&pageSize=25", false, 0, 25},
		{"page=2&pageSize=25", false, 25, 25},
		{"page=1&pageSize=1", false, 0, 1},
		{"page=25&pageSize=1", false, 24, 25},
		{"page=9223372036854775807&pageSize=1000", false, 25, 25},
		{"page=3&pageSize=10", true, 0, 10},
		{"page=99&pageSize=5", true, 0, 5},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s ignorePage=%v", tc.query, tc.ignorePage), func(t *testing.T) {
			s.SetFaults(Faults{IgnorePage: tc.ignorePage})
			got := zapiPage(t, s, tc.query)
			if want := all[tc.from:tc.to]; !reflect.DeepEqual(got, want) {
				t.Errorf("got %d chats, want chats [%d, %d)", len(got), tc.from, tc.to)
			}
		})
	}
}

func TestZAPI_PageSizeIsCapped(t *testing.T) {
	s := New(Options{Chats: 1500})
	all := s.ZAPIChats()
	if got := zapiPage(t, s, "page=1&pageSize=5000"); !reflect.DeepEqual(got, all[:zapiMaxPageSize]) {
		t.Errorf("page 1 of size 5000 has %d chats, want the first %d", len(got), zapiMaxPageSize)
	}
	if got := zapiPage(t, s, "page=2&pageSize=5000"); !reflect.DeepEqual(got, all[zapiMaxPageSize:]) {
		t.Errorf("page 2 of size 5000 has %d chats, want the remaining %d", len(got), len(all)-zapiMaxPageSize)
	}
}

func TestZAPI_Errors(t *testing.T) {
	s := New(Options{Chats: 5})
	const ok = "?page=1&pageSize=5"
	tests := []struct {
		name   string
		target string
		header http.Header
		status int
		body   string
	}{
		{"no Client-Token", zapiPath + ok, nil, 400, `{"error":"null not allowed"}`},
		{"empty Client-Token", zapiPath + ok, http.Header{"Client-Token": {""}}, 400, `{"error":"null not allowed"}`},
		{"wrong Client-Token", zapiPath + ok, http.Header{"Client-Token": {"s3cret-guess"}}, 403, `{"error":"Client-Token not allowed"}`},
		{"wrong token", "/instances/demo-instance/token/nope/chats" + ok, zapiAuth, 404, `{"error":"Instance not found"}`},
		{"unknown instance", "/instances/other/token/demo-token/chats" + ok, zapiAuth, 404, `{"error":"Instance not found"}`},
		{"disconnected", "/instances/disconnected-instance/token/demo-token/chats" + ok, zapiAuth, 400, `{"error":"You are not connected."}`},
		{"disconnected, wrong token", "/instances/disconnected-instance/token/nope/chats" + ok, zapiAuth, 404, `{"error":"Instance not found"}`},
		{"no page", zapiPath + "?pageSize=5", zapiAuth, 400, `{"error":"page is required"}`},
		{"page 0", zapiPath + "?page=0&pageSize=5", zapiAuth, 400, `{"error":"page must be a positive integer"}`},
		{"page -1", zapiPath + "?page=-1&pageSize=5", zapiAuth, 400, `{"error":"page must be a positive integer"}`},
		{"page abc", zapiPath + "?page=abc&pageSize=5", zapiAuth, 400, `{"error":"page must be a positive integer"}`},
		{"page 1.5", zapiPath + "?page=1.5&pageSize=5", zapiAuth, 400, `{"error":"page must be a positive integer"}`},
		{"no pageSize", zapiPath + "?page=1", zapiAuth, 400, `{"error":"pageSize is required"}`},
		{"pageSize 0", zapiPath + "?page=1&pageSize=0", zapiAuth, 400, `{"error":"pageSize must be a positive integer"}`},
		{"no query", zapiPath, zapiAuth, 400, `{"error":"page is required"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(s, tc.target, tc.header)
			if rec.Code != tc.status || rec.Body.String() != tc.body {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestZAPI_Order(t *testing.T) {
	chats := New(Options{Seed: 3}).ZAPIChats()
	pinnedDone := false
	for i, c := range chats {
		pinned := truthy(t, c["pinned"])
		if pinned && pinnedDone {
			t.Fatalf("chat %d is pinned after an unpinned chat", i)
		}
		pinnedDone = !pinned
		if i > 0 && truthy(t, chats[i-1]["pinned"]) == pinned && unixMillis(t, c) > unixMillis(t, chats[i-1]) {
			t.Fatalf("chat %d is newer than chat %d in the same pinned group", i, i-1)
		}
	}
}

func TestZAPI_SupportChatAndUniquePhones(t *testing.T) {
	for _, n := range []int{1, 12, 300} {
		chats := New(Options{Chats: n}).ZAPIChats()
		phones := map[string]bool{}
		support := 0
		for _, c := range chats {
			phone := c["phone"].(string)
			if phones[phone] {
				t.Errorf("Chats=%d: phone %s appears twice", n, phone)
			}
			phones[phone] = true
			if c["name"] == "Z-API SUPPORT" {
				support++
				if phone != zapiSupportPhone || !truthy(t, c["pinned"]) || truthy(t, c["archived"]) {
					t.Errorf("Chats=%d: support chat %v", n, c)
				}
			}
		}
		if support != 1 {
			t.Errorf("Chats=%d: %d support chats, want 1", n, support)
		}
	}
}

// TestZAPI_QuirkMix checks that every wire form a client must accept is
// served, for several seeds and for the smallest size that holds them all.
func TestZAPI_QuirkMix(t *testing.T) {
	want := []string{
		"bool false pinned", "string false pinned", "bool true pinned", "string true pinned",
		"bool false archived", "string false archived", "bool true archived", "string true archived",
		"bool false isMarkedSpam", "string false isMarkedSpam", "bool true isMarkedSpam", "string true isMarkedSpam",
		"number messagesUnread", "string messagesUnread", "absent messagesUnread",
		"seconds lastMessageTime", "millis lastMessageTime",
		"number muteEndTime", "string muteEndTime", "number -1 muteEndTime", "string -1 muteEndTime",
		"notes", "group named by id", "group announcement", "non-ASCII name", "unread > 0",
		"São Paulo Suporte", "José Álvarez", "山田太郎", "Équipe 🚀",
	}
	for _, opts := range []Options{{Seed: 0}, {Seed: 42}, {Seed: -9}, {Chats: len(zapiShowcase) + 1}} {
		found := map[string]bool{}
		for _, c := range New(opts).ZAPIChats() {
			for _, q := range zapiQuirks(t, c) {
				found[q] = true
			}
		}
		for _, q := range want {
			if !found[q] {
				t.Errorf("seed %d, %d chats: no chat has %q", opts.Seed, opts.Chats, q)
			}
		}
	}
}

var groupPhone = regexp.MustCompile(`^120363\d{12}-group$`)

// zapiQuirks names the wire forms one chat shows, and fails on any value
// outside the forms Z-API is known to send.
func zapiQuirks(t *testing.T, c map[string]any) []string {
	t.Helper()
	var q []string
	for _, field := range []string{"pinned", "archived", "isMarkedSpam"} {
		v := strconv.FormatBool(truthy(t, c[field])) + " " + field
		if _, ok := c[field].(string); ok {
			q = append(q, "string "+v)
		} else {
			q = append(q, "bool "+v)
		}
	}
	unread, err := strconv.Atoi(c["unread"].(string))
	if err != nil || unread < 0 {
		t.Errorf("unread = %#v", c["unread"])
	}
	if unread > 0 {
		q = append(q, "unread > 0")
	}
	switch v := c["messagesUnread"].(type) {
	case nil:
		q = append(q, "absent messagesUnread")
	case float64:
		q = append(q, "number messagesUnread")
		if int(v) != unread {
			t.Errorf("messagesUnread %v != unread %d", v, unread)
		}
	case string:
		q = append(q, "string messagesUnread")
		if v != c["unread"] {
			t.Errorf("messagesUnread %q != unread %d", v, unread)
		}
	}
	if ms := unixMillis(t, c); ms > 1e12 && c["lastMessageTime"] == strconv.FormatInt(ms, 10) {
		q = append(q, "millis lastMessageTime")
	} else {
		q = append(q, "seconds lastMessageTime")
	}
	q = append(q, muteQuirks(t, c)...)
	if notes, ok := c["notes"].(map[string]any); ok {
		if notes["id"] == "" || notes["content"] == "" || notes["createdAt"].(float64) > notes["lastUpdateAt"].(float64) {
			t.Errorf("notes = %v", notes)
		}
		q = append(q, "notes")
	}
	q = append(q, nameQuirks(t, c)...)
	return q
}

func muteQuirks(t *testing.T, c map[string]any) []string {
	t.Helper()
	muted := c["isMuted"]
	if muted != "0" && muted != "1" {
		t.Errorf("isMuted = %#v", muted)
	}
	switch v := c["muteEndTime"].(type) {
	case nil:
		if muted == "1" {
			t.Errorf("muted chat without muteEndTime: %v", c)
		}
		return nil
	case float64:
		if muted != "1" || (v != -1 && v < 1e12) {
			t.Errorf("muteEndTime %v on chat with isMuted %v", v, muted)
		}
		if v == -1 {
			return []string{"number -1 muteEndTime"}
		}
		return []string{"number muteEndTime"}
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || muted != "1" || (n != -1 && n < 1e12) {
			t.Errorf("muteEndTime %q on chat with isMuted %v", v, muted)
		}
		if n == -1 {
			return []string{"string -1 muteEndTime"}
		}
		return []string{"string muteEndTime"}
	}
	t.Errorf("muteEndTime = %#v", c["muteEndTime"])
	return nil
}

func nameQuirks(t *testing.T, c map[string]any) []string {
	t.Helper()
	name, phone := c["name"].(string), c["phone"].(string)
	var q []string
	if _, ok := c["isGroupAnnouncement"].(bool); !ok {
		t.Errorf("isGroupAnnouncement = %#v", c["isGroupAnnouncement"])
	}
	if c["isGroup"] == true {
		if !groupPhone.MatchString(phone) || name != phone {
			t.Errorf("group phone %q name %q", phone, name)
		}
		q = append(q, "group named by id")
		if c["isGroupAnnouncement"] == true {
			q = append(q, "group announcement")
		}
	} else if c["isGroupAnnouncement"] == true {
		t.Errorf("announcement on a chat that is not a group: %v", c)
	}
	if len(name) != utf8.RuneCountInString(name) {
		q = append(q, "non-ASCII name")
	}
	return append(q, name)
}

func truthy(t *testing.T, v any) bool {
	t.Helper()
	switch v {
	case true, "true":
		return true
	case false, "false":
		return false
	}
	t.Fatalf("%#v is not a Z-API boolean", v)
	return false
}

// unixMillis reads lastMessageTime, which Z-API sends in seconds or ms.
func unixMillis(t *testing.T, c map[string]any) int64 {
	t.Helper()
	n, err := strconv.ParseInt(c["lastMessageTime"].(string), 10, 64)
	if err != nil {
		t.Fatalf("lastMessageTime = %#v", c["lastMessageTime"])
	}
	if n < 1e12 {
		return n * 1000
	}
	return n
}

func TestZAPI_MaxPageSizeFault(t *testing.T) {
	s := New(Options{Chats: 120})
	all := s.ZAPIChats()
	s.SetFaults(Faults{ZAPIMaxPageSize: 50})
	if got := zapiPage(t, s, "page=1&pageSize=100"); !reflect.DeepEqual(got, all[:50]) {
		t.Errorf("page 1 of size 100 under a cap of 50 has %d chats, want the first 50", len(got))
	}
	if got := zapiPage(t, s, "page=3&pageSize=100"); !reflect.DeepEqual(got, all[100:]) {
		t.Errorf("page 3 of size 100 under a cap of 50 has %d chats, want the last 20", len(got))
	}
	if got := zapiPage(t, s, "page=2&pageSize=10"); !reflect.DeepEqual(got, all[10:20]) {
		t.Errorf("a page under the cap changed: %d chats", len(got))
	}
}

func TestZAPI_TokenNotConfiguredFault(t *testing.T) {
	s := New(Options{Chats: 1})
	s.SetFaults(Faults{ZAPITokenNotConfigured: true})
	for _, path := range []string{zapiPath + "?page=1&pageSize=1", zapiInstancePath + "me"} {
		rec := get(s, path, nil)
		if rec.Code != 400 || rec.Body.String() != `{"error":"your client-token is not configured"}` {
			t.Errorf("GET %s without Client-Token: %d %s", path, rec.Code, rec.Body)
		}
		if rec := get(s, path, http.Header{"Client-Token": {"guess"}}); rec.Code != 403 {
			t.Errorf("GET %s with a wrong Client-Token: %d %s", path, rec.Code, rec.Body)
		}
	}
}
