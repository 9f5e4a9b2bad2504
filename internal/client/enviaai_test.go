package client

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// enviaReferenceExample is the example answer of the EnviaAI "List Chats"
// API reference, verbatim.
const enviaReferenceExample = `{
  "success": true,
  "data": [
    {
      "chatId": "chat_abc123",
      "phone": "5511999999999",
      "contactName": "John Doe",
      "profilePicUrl": "https://pps.whatsapp.net/v/t61.24694-24/...",
      "lastMessage": {
        "messageId": "msg_xyz789",
        "content": "Thanks for your help!",
        "timestamp": "2026-02-03T12:30:00.000Z",
        "isFromMe": false,
        "type": "text"
      },
      "unreadCount": 2,
      "isGroup": false,
      "createdAt": "2026-01-15T10:00:00.000Z"
    },
    {
      "chatId": "chat_def456",
      "phone": "5521988888888",
      "contactName": "Jane Smith",
      "profilePicUrl": "https://pps.whatsapp.net/v/t61.24694-24/...",
      "lastMessage": {
        "messageId": "msg_abc456",
        "content": "[Image]",
        "timestamp": "2026-02-03T11:45:00.000Z",
        "isFromMe": true,
        "type": "image"
      },
      "unreadCount": 0,
      "isGroup": false,
      "createdAt": "2026-01-20T14:30:00.000Z"
    }
  ],
  "pagination": {
    "total": 156,
    "limit": 20,
    "offset": 0,
    "hasMore": true
  }
}`

var enviaReferenceChats = []Chat{
	{
		ID:              "chat_abc123",
		Phone:           new("5511999999999"),
		Name:            new("John Doe"),
		IsGroup:         new(false),
		UnreadCount:     new(int64(2)),
		LastMessageTime: utcp("2026-02-03T12:30:00Z"),
		ProfilePicURL:   new("https://pps.whatsapp.net/v/t61.24694-24/..."),
		CreatedAt:       utcp("2026-01-15T10:00:00Z"),
		LastMessage: &Message{
			ID:        new("msg_xyz789"),
			Content:   new("Thanks for your help!"),
			Timestamp: utcp("2026-02-03T12:30:00Z"),
			FromMe:    new(false),
			Type:      new("text"),
		},
	},
	{
		ID:              "chat_def456",
		Phone:           new("5521988888888"),
		Name:            new("Jane Smith"),
		IsGroup:         new(false),
		UnreadCount:     new(int64(0)),
		LastMessageTime: utcp("2026-02-03T11:45:00Z"),
		ProfilePicURL:   new("https://pps.whatsapp.net/v/t61.24694-24/..."),
		CreatedAt:       utcp("2026-01-20T14:30:00Z"),
		LastMessage: &Message{
			ID:        new("msg_abc456"),
			Content:   new("[Image]"),
			Timestamp: utcp("2026-02-03T11:45:00Z"),
			FromMe:    new(true),
			Type:      new("image"),
		},
	},
}

func enviaDecode(t testing.TB, body string) (*page, error) {
	t.Helper()
	c := newTestEnviaAI(t, "http://127.0.0.1:1", HTTPOptions{})
	return c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: []byte(body), Attempts: 1})
}

func TestEnviaAIReferenceExampleDecodes(t *testing.T) {
	p, err := enviaDecode(t, enviaReferenceExample)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	assertChats(t, p.chats, enviaReferenceChats)
	if showInt(p.total) != "156" || showBool(p.hasMore) != "true" {
		t.Errorf("total %s has_more %s, want 156 true", showInt(p.total), showBool(p.hasMore))
	}
}

func TestEnviaAIReferenceExampleOverHTTP(t *testing.T) {
	srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeRaw(w, http.StatusOK, enviaReferenceExample)
	})
	list, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{Page: 1, PageSize: 20})
	if err != nil {
		t.Fatalf("ListChats: %v", err)
	}
	assertChats(t, list.Chats, enviaReferenceChats)
	if showInt(list.Total) != "156" || !list.HasMore {
		t.Errorf("total %s has_more %v, want 156 true", showInt(list.Total), list.HasMore)
	}
	if n := rec.count(); n != 1 {
		t.Errorf("%d requests, want 1: hasMore answers the question a probe would ask", n)
	}
}

func TestEnviaAIDecodeQuirks(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Chat
	}{
		{
			name: "lastMessageAt wins over the last message's timestamp",
			body: `{"success":true,"data":[{"chatId":"c","lastMessageAt":1700000000000,"lastMessage":{"timestamp":"2020-01-01T00:00:00Z"}}]}`,
			want: Chat{ID: "c", LastMessageTime: utcp("2023-11-14T22:13:20Z"), LastMessage: &Message{Timestamp: utcp("2020-01-01T00:00:00Z")}},
		},
		{
			name: "null last message",
			body: `{"success":true,"data":[{"chatId":"c","lastMessage":null,"unreadCount":"3","isGroup":"true"}]}`,
			want: Chat{ID: "c", UnreadCount: new(int64(3)), IsGroup: new(true)},
		},
		{
			name: "fields not sent stay null",
			body: `{"data":[{"chatId":"c"}]}`,
			want: Chat{ID: "c"},
		},
		{
			name: "offset timestamps to UTC, unknown fields ignored",
			body: `{"success":"true","data":[{"chatId":"c","createdAt":"2026-01-15T07:00:00-03:00","labels":["x"],"lastMessage":{"timestamp":"2026-02-03T13:30:00+01:00","extra":{}}}]}`,
			want: Chat{ID: "c", CreatedAt: utcp("2026-01-15T10:00:00Z"), LastMessageTime: utcp("2026-02-03T12:30:00Z"), LastMessage: &Message{Timestamp: utcp("2026-02-03T12:30:00Z")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := enviaDecode(t, tt.body)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			assertChats(t, p.chats, []Chat{tt.want})
		})
	}
}

func TestEnviaAIUnreadableValueNamesTheField(t *testing.T) {
	tests := []struct{ field, value, want string }{
		{"unreadCount", `"many"`, ""},
		{"unreadCount", `-4`, ""},
		{"unreadCount", `"-1"`, ""},
		{"isGroup", `"sometimes"`, ""},
		{"createdAt", `"last week"`, ""},
		{"contactName", `{"first":"J"}`, ""},
		{"lastMessage", `"hello"`, ""},
		{"lastMessage", `{"isFromMe":"perhaps"}`, "lastMessage.isFromMe"},
		{"lastMessage", `{"content":"hi","timestamp":"at noon"}`, "lastMessage.timestamp"},
		{"lastMessageAt", `-3`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			body := fmt.Sprintf(`{"success":true,"data":[{"chatId":"a"},{"chatId":"b",%q:%s}],"pagination":{"total":2,"hasMore":false}}`, tt.field, tt.value)
			_, err := enviaDecode(t, body)
			de := assertAs[*DecodeError](t, err)
			if want := cmp.Or(tt.want, tt.field); de.Field != want || de.Index != 1 || de.Backend != BackendEnviaAI {
				t.Errorf("field %q index %d backend %q; want %q 1 EnviaAI", de.Field, de.Index, de.Backend, want)
			}
		})
	}
	t.Run("missing chatId", func(t *testing.T) {
		_, err := enviaDecode(t, `{"success":true,"data":[{"chatId":"a"},{"phone":"1"}]}`)
		de := assertAs[*DecodeError](t, err)
		if de.Field != "chatId" || de.Index != 1 {
			t.Errorf("field %q index %d, want chatId 1", de.Field, de.Index)
		}
	})
	// Values outside the chats are named by their path in the body.
	for _, tt := range []struct{ body, want, value string }{
		{`{"success":true,"data":[{"chatId":"a"}],"pagination":{"total":"lots"}}`, "pagination.total", "lots"},
		{`{"success":true,"data":[{"chatId":"a"}],"pagination":{"total":-1}}`, "pagination.total", "-1"},
		{`{"success":true,"data":[{"chatId":"a"}],"pagination":{"total":1,"hasMore":"perhaps"}}`, "pagination.hasMore", "perhaps"},
		{`{"success":"yes please","data":[{"chatId":"a"}]}`, "success", "yes please"},
		{`{"success":true,"data":{"chatId":"a"}}`, "data", `{"chatId":"a"}`},
	} {
		t.Run("unreadable "+tt.want, func(t *testing.T) {
			_, err := enviaDecode(t, tt.body)
			de := assertAs[*DecodeError](t, err)
			if de.Field != tt.want || de.Index != -1 {
				t.Errorf("field %q index %d, want %q outside any chat", de.Field, de.Index, tt.want)
			}
			if msg := de.Error(); !strings.Contains(msg, strconv.Quote(tt.want)) || !strings.Contains(msg, tt.value) || strings.Contains(msg, "client.") {
				t.Errorf("error %q should name %s, quote the bad value and speak of JSON, not Go", msg, tt.want)
			}
		})
	}
}

func TestEnviaAIRequestQuery(t *testing.T) {
	base := func(extra ...string) url.Values {
		v := url.Values{"instanceId": {testInstanceID}, "limit": {"100"}, "offset": {"0"}}
		for i := 0; i < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	tests := []struct {
		name string
		opts ListOptions
		want url.Values
	}{
		{"defaults", ListOptions{}, base()},
		{"provider instance", ListOptions{InstanceID: ""}, base()},
		{"other instance", ListOptions{InstanceID: otherInstanceID}, base("instanceId", otherInstanceID)},
		{"page size", ListOptions{PageSize: 25}, base("limit", "25")},
		{"page 1", ListOptions{Page: 1, PageSize: 10}, base("limit", "10")},
		{"page 3 offset", ListOptions{Page: 3, PageSize: 25}, base("limit", "25", "offset", "50")},
		{"page 7 default size", ListOptions{Page: 7}, base("offset", "600")},
		{"search", ListOptions{Search: "Ana Maria"}, base("search", "Ana Maria")},
		{"unread only", ListOptions{UnreadOnly: true}, base("unreadOnly", "true")},
		{"unread only false is not sent", ListOptions{UnreadOnly: false}, base()},
		{"sort by last message time", ListOptions{SortBy: SortByLastMessageTime}, base("sortBy", "lastMessageAt", "sortOrder", "desc")},
		{"sort by unread count asc", ListOptions{SortBy: SortByUnreadCount, SortOrder: Ascending}, base("sortBy", "unreadCount", "sortOrder", "asc")},
		{"sort by name", ListOptions{SortBy: SortByName}, base("sortBy", "contactName", "sortOrder", "desc")},
		{"sort by name desc", ListOptions{SortBy: SortByName, SortOrder: Descending}, base("sortBy", "contactName", "sortOrder", "desc")},
		{"sort order alone", ListOptions{SortOrder: Ascending}, base("sortBy", "lastMessageAt", "sortOrder", "asc")},
		{"max results is the client's", ListOptions{MaxResults: 5}, base()},
		{"everything", ListOptions{Page: 2, PageSize: 30, Search: "55119", UnreadOnly: true, SortBy: SortByUnreadCount, InstanceID: otherInstanceID},
			base("instanceId", otherInstanceID, "limit", "30", "offset", "30", "search", "55119", "unreadOnly", "true", "sortBy", "unreadCount", "sortOrder", "desc")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, http.StatusOK, `{"success":true,"data":[{"chatId":"a"}],"pagination":{"total":1,"hasMore":false}}`)
			})
			if _, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), tt.opts); err != nil {
				t.Fatalf("ListChats: %v", err)
			}
			reqs := rec.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			if got, want := reqs[0].Query.Encode(), tt.want.Encode(); got != want {
				t.Errorf("query\n got %s\nwant %s", got, want)
			}
			if reqs[0].Path != "/v1/messages/chats" {
				t.Errorf("path %q", reqs[0].Path)
			}
			h := reqs[0].Header
			if got := h.Get("Authorization"); got != "Bearer "+testAPIKey {
				t.Errorf("Authorization %q", got)
			}
			if got := h.Get("User-Agent"); got != testUserAgent {
				t.Errorf("User-Agent %q", got)
			}
			if got := h.Get("Client-Token"); got != "" {
				t.Errorf("EnviaAI got a Client-Token %q", got)
			}
		})
	}
}

func TestEnviaAIErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		code     string
		message  string
		wantKind Kind
	}{
		{"invalid api key", http.StatusUnauthorized, `{"success":false,"error":{"code":"invalid_api_key","message":"Invalid API key"}}`, "invalid_api_key", "Invalid API key", KindCredentialsRefused},
		{"invalid instance", http.StatusNotFound, `{"success":false,"error":{"code":"invalid_instance","message":"The instance ID is invalid or doesn't exist"}}`, "invalid_instance", "The instance ID is invalid or doesn't exist", KindUnknownInstance},
		{"instance disconnected", http.StatusBadRequest, `{"success":false,"error":{"code":"instance_disconnected","message":"The WhatsApp instance is not connected"}}`, "instance_disconnected", "The WhatsApp instance is not connected", KindNotConnected},
		{"invalid parameters", http.StatusBadRequest, `{"success":false,"error":{"code":"invalid_parameters","message":"Invalid query parameters"}}`, "invalid_parameters", "Invalid query parameters", KindQueryRejected},
		{"success false with 200", http.StatusOK, `{"success":false,"error":{"code":"instance_disconnected","message":"not connected"}}`, "instance_disconnected", "not connected", KindNotConnected},
		{"plain message", http.StatusForbidden, `{"success":false,"message":"Forbidden"}`, "", "Forbidden", KindForbidden},
	}
	hints := map[string]Kind{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, tt.status, tt.body)
			})
			_, err := newTestEnviaAI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{})
			ae := assertAs[*APIError](t, err)
			if ae.StatusCode != tt.status || ae.Code != tt.code || ae.Message != tt.message || ae.Backend != BackendEnviaAI {
				t.Errorf("got %d %q %q %q; want %d %q %q EnviaAI", ae.StatusCode, ae.Code, ae.Message, ae.Backend, tt.status, tt.code, tt.message)
			}
			if tt.code != "" && !strings.Contains(err.Error(), tt.code) {
				t.Errorf("error %q should name the code", err)
			}
			kind := KindOf(err)
			if kind != tt.wantKind {
				t.Errorf("kind %d, want %d", kind, tt.wantKind)
			}
			hints[tt.code] = kind
			if n := rec.count(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
	codes := []string{"invalid_api_key", "invalid_instance", "instance_disconnected", "invalid_parameters"}
	for i, a := range codes {
		for _, b := range codes[i+1:] {
			if hints[a] == hints[b] {
				t.Errorf("%s and %s share the kind %d", a, b, hints[a])
			}
		}
	}
	t.Run("server error without JSON quotes the body", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeRaw(w, http.StatusBadGateway, "<html><h1>502 Bad Gateway</h1></html>")
		})
		opts := testOptions()
		opts.MaxRetries = 0
		_, err := newTestEnviaAI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{})
		ae := assertAs[*APIError](t, err)
		if !strings.Contains(ae.Excerpt, "502 Bad Gateway") || KindOf(err) != KindServerFailed {
			t.Errorf("excerpt %q kind %d", ae.Excerpt, KindOf(err))
		}
	})
}
