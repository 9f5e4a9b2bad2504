package emulator

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func raws(objs ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(objs))
	for i, o := range objs {
		out[i] = json.RawMessage(o)
	}
	return out
}

func TestZAPIChats_InjectedAreSentByteForByte(t *testing.T) {
	chats := []string{
		`{"phone":"1","name":"\u0000<script>","unread":"-5"}`,
		`{"phone":"2","lastMessageTime":1e400}`,
		`{"phone":`, // cut short
		`"not an object"`,
		`{"phone":"5"}`,
	}
	s := New(Options{ZAPIChats: raws(chats...)})
	tests := []struct{ query, want string }{
		{"page=1&pageSize=2", "[" + chats[0] + "," + chats[1] + "]"},
		{"page=2&pageSize=2", "[" + chats[2] + "," + chats[3] + "]"},
		{"page=3&pageSize=2", "[" + chats[4] + "]"},
		{"page=4&pageSize=2", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := get(s, zapiPath+"?"+tt.query, zapiAuth).Body.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	got := s.ZAPIChats()
	if len(got) != 5 || got[0]["name"] != "\x00<script>" || got[2] != nil || got[3] != nil || got[4]["phone"] != "5" {
		t.Errorf("ZAPIChats() = %v, want the objects decoded and nil for the rest", got)
	}
	if n := len(New(Options{ZAPIChats: raws()}).ZAPIChats()); n != 0 {
		t.Errorf("an empty injected list serves %d chats, want 0", n)
	}
}

func TestEnviaAIChats_InjectedAreFilteredSortedAndPaged(t *testing.T) {
	chats := raws(
		`{"chatId":"a","phone":"551","contactName":"Bob","unreadCount":2,"lastMessage":{"timestamp":"2026-01-01T00:00:00.000Z"}}`,
		`{"chatId":"b","phone":"552","contactName":7,"unreadCount":"9","lastMessage":{"timestamp":"yesterday"}}`,
		`{"chatId":"c","phone":"553","contactName":"alice","unreadCount":5,"lastMessage":{"timestamp":"2026-01-03T00:00:00Z"}}`,
		`{"chatId":"e","phone":"bob-555","unreadCount":0,"lastMessage":{"timestamp":"2026-01-02T00:00:00.000Z"}}`,
	)
	s := New(Options{EnviaAIChats: map[string][]json.RawMessage{"inst_demo": chats}})
	ids := func(list []map[string]any) string {
		var out []string
		for _, c := range list {
			id, _ := c["chatId"].(string)
			out = append(out, id)
		}
		return strings.Join(out, ",")
	}
	tests := []struct{ query, want string }{
		{"", "c,e,a,b"}, // lastMessageAt desc: unreadable timestamps last, in the given order
		{"sortOrder=asc", "a,e,c,b"},
		{"sortBy=contactName&sortOrder=asc", "c,a,e,b"}, // no readable name: last, in the default order
		{"sortBy=unreadCount", "c,a,e,b"},
		{"sortBy=unreadCount&sortOrder=asc", "e,a,c,b"},
		{"unreadOnly=true", "c,a"},
		{"search=BOB", "e,a"},
	}
	for _, tt := range tests {
		t.Run("query "+tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			q.Set("instanceId", "inst_demo")
			list, err := s.EnviaAIList(q)
			if err != nil {
				t.Fatalf("EnviaAIList: %v", err)
			}
			if got := ids(list); got != tt.want {
				t.Errorf("EnviaAIList: got %s, want %s", got, tt.want)
			}
			q.Set("limit", "2")
			var paged []map[string]any
			for offset := 0; offset < 10; offset += 2 {
				q.Set("offset", strconv.Itoa(offset))
				paged = append(paged, enviaList(t, s, q.Encode()).Data...)
			}
			if got := ids(paged); got != tt.want {
				t.Errorf("pages: got %s, want %s", got, tt.want)
			}
		})
	}
	cut := New(Options{EnviaAIChats: map[string][]json.RawMessage{"inst_support": raws(`{"chatId":"x"}`, `{"chatId":`)}})
	page := get(cut, enviaAIPath+"?instanceId=inst_support&limit=1&offset=1", enviaAuth).Body.String()
	if want := `{"success":true,"data":[{"chatId":],"pagination":{"total":2,"limit":1,"offset":1,"hasMore":false}}`; page != want {
		t.Errorf("page holding the cut-short chat:\n got %s\nwant %s", page, want)
	}
	if got := cut.EnviaAIChats("inst_support"); len(got) != 2 || got[0]["chatId"] != "x" || got[1] != nil {
		t.Errorf("EnviaAIChats = %v, want the object decoded and nil for the cut-short one", got)
	}
	if _, err := s.EnviaAIList(url.Values{"instanceId": {"inst_nope"}}); err == nil || !strings.Contains(err.Error(), "invalid_instance") {
		t.Errorf("EnviaAIList for an unknown instance: %v, want invalid_instance", err)
	}
	if _, err := s.EnviaAIList(url.Values{"instanceId": {"inst_demo"}, "sortBy": {"name"}}); err == nil || !strings.Contains(err.Error(), "invalid_parameters") {
		t.Errorf("EnviaAIList with a bad sortBy: %v, want invalid_parameters", err)
	}
	if n := len(s.EnviaAIChats("inst_support")); n == 0 {
		t.Error("inst_support lost its generated chats")
	}
	if got := s.EnviaAIChats("inst_demo"); len(got) != 4 || !slices.ContainsFunc(got, func(c map[string]any) bool { return c["chatId"] == "e" }) {
		t.Errorf("EnviaAIChats = %v, want the injected chats", got)
	}
}

func TestEnviaAIChats_UnknownInstancePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "inst_typo") {
			t.Errorf("recover() = %v, want a panic naming inst_typo", r)
		}
	}()
	New(Options{EnviaAIChats: map[string][]json.RawMessage{"inst_typo": nil}})
}
