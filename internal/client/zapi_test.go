package client

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// zapiReferenceExample is the 200 example of the Z-API "Get chats"
// API reference, verbatim.
const zapiReferenceExample = `[
  {
    "archived": "false",
    "pinned": "true",
    "messagesUnread": 0,
    "phone": "5511999999999",
    "unread": "0",
    "name": "Z-API SUPPORT",
    "lastMessageTime": "1622991687",
    "isMuted": "0",
    "isMarkedSpam": "false",
    "isGroupAnnouncement": false,
    "isGroup": false
  },
  {
    "archived": "false",
    "pinned": "true",
    "messagesUnread": 0,
    "phone": "5511999999999",
    "unread": "0",
    "name": "Z-api - Team",
    "lastMessageTime": "1622990503",
    "muteEndTime": 1655953774000,
    "isMuted": "0",
    "isMarkedSpam": "false",
    "isGroupAnnouncement": false,
    "isGroup": false,
    "notes": {
      "id": "KlesU6f4f/Qd5d6VuAbvOMi31rg/F92owVe/xDYad1C=",
      "content": "annotation text",
      "createdAt": 1655953774000,
      "lastUpdateAt": 1655953774000
    }
  }
]`

// zapiReferenceSchema is the response schema sample at the top of the same
// reference: a single object where the API answers a list.
const zapiReferenceSchema = `{
  "archived": true,
  "pinned": true,
  "phone": "<string>",
  "unread": "<string>",
  "name": "<string>",
  "lastMessageTime": "<string>",
  "isMuted": "<string>",
  "isMarkedSpam": true,
  "isGroup": true,
  "notes": {}
}`

var zapiReferenceChats = []Chat{
	{
		ID:                  "5511999999999",
		Phone:               new("5511999999999"),
		Name:                new("Z-API SUPPORT"),
		IsGroup:             new(false),
		IsGroupAnnouncement: new(false),
		Archived:            new(false),
		Pinned:              new(true),
		Muted:               new(false),
		MutedForever:        new(false),
		MarkedSpam:          new(false),
		UnreadCount:         new(int64(0)),
		LastMessageTime:     utcp("2021-06-06T15:01:27Z"),
	},
	{
		ID:                  "5511999999999",
		Phone:               new("5511999999999"),
		Name:                new("Z-api - Team"),
		IsGroup:             new(false),
		IsGroupAnnouncement: new(false),
		Archived:            new(false),
		Pinned:              new(true),
		Muted:               new(false),
		MuteEndTime:         utcp("2022-06-23T03:09:34Z"),
		MutedForever:        new(false),
		MarkedSpam:          new(false),
		UnreadCount:         new(int64(0)),
		LastMessageTime:     utcp("2021-06-06T14:41:43Z"),
		Notes: &Notes{
			ID:            new("KlesU6f4f/Qd5d6VuAbvOMi31rg/F92owVe/xDYad1C="),
			Content:       new("annotation text"),
			CreatedAt:     utcp("2022-06-23T03:09:34Z"),
			LastUpdatedAt: utcp("2022-06-23T03:09:34Z"),
		},
	},
}

// zapiDecode decodes one 200 body as the Z-API client does.
func zapiDecode(t testing.TB, body string) (*page, error) {
	t.Helper()
	c := newTestZAPI(t, "http://127.0.0.1:1", HTTPOptions{})
	return c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: []byte(body), Attempts: 1})
}

func TestZAPIReferenceExampleDecodes(t *testing.T) {
	p, err := zapiDecode(t, zapiReferenceExample)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if p.total != nil || p.hasMore != nil {
		t.Errorf("Z-API sends no total or hasMore, got total=%s hasMore=%s", showInt(p.total), showBool(p.hasMore))
	}
	assertChats(t, p.chats, zapiReferenceChats)
}

func TestZAPIReferenceExampleOverHTTP(t *testing.T) {
	srv, rec := rawServer(t, firstPageOnly(zapiReferenceExample))
	list, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{})
	if err != nil {
		t.Fatalf("ListChats: %v", err)
	}
	// Both chats of the example carry the phone 5511999999999, which is
	// Z-API's chat id: the second is dropped as a duplicate of the first.
	assertChats(t, list.Chats, zapiReferenceChats[:1])
	if showInt(list.Total) != "1" || list.HasMore {
		t.Errorf("total %s, has_more %v; want 1, false", showInt(list.Total), list.HasMore)
	}
	if got := rec.queries("page", "pageSize"); !slices.Equal(got, []string{"page=1&pageSize=100", "page=2&pageSize=2"}) {
		t.Errorf("requests %v, want page 1 and the empty page 2 at its length that confirms it was the last", got)
	}
}

func TestZAPIQuirks(t *testing.T) {
	tests := []struct {
		name  string
		chat  string
		check func(t *testing.T, c Chat)
	}{
		{
			name: "string booleans and real booleans",
			chat: `{"phone":"1","archived":true,"pinned":"false","isGroup":"true","isGroupAnnouncement":"1","isMarkedSpam":0}`,
			check: func(t *testing.T, c Chat) {
				want := Chat{ID: "1", Phone: new("1"), Archived: new(true), Pinned: new(false), IsGroup: new(true), IsGroupAnnouncement: new(true), MarkedSpam: new(false)}
				assertChat(t, "chat", c, want)
			},
		},
		{
			name: "unread string wins over messagesUnread",
			chat: `{"phone":"1","unread":"5","messagesUnread":9}`,
			check: func(t *testing.T, c Chat) {
				if showInt(c.UnreadCount) != "5" {
					t.Errorf("unread %s, want 5", showInt(c.UnreadCount))
				}
			},
		},
		{
			name: "unread zero still wins over messagesUnread",
			chat: `{"phone":"1","unread":"0","messagesUnread":"4"}`,
			check: func(t *testing.T, c Chat) {
				if showInt(c.UnreadCount) != "0" {
					t.Errorf("unread %s, want 0", showInt(c.UnreadCount))
				}
			},
		},
		{
			name: "messagesUnread number when unread is absent",
			chat: `{"phone":"1","messagesUnread":9}`,
			check: func(t *testing.T, c Chat) {
				if showInt(c.UnreadCount) != "9" {
					t.Errorf("unread %s, want 9", showInt(c.UnreadCount))
				}
			},
		},
		{
			name: "messagesUnread string when unread is absent",
			chat: `{"phone":"1","messagesUnread":"12"}`,
			check: func(t *testing.T, c Chat) {
				if showInt(c.UnreadCount) != "12" {
					t.Errorf("unread %s, want 12", showInt(c.UnreadCount))
				}
			},
		},
		{
			name: "messagesUnread when unread is null",
			chat: `{"phone":"1","unread":null,"messagesUnread":3}`,
			check: func(t *testing.T, c Chat) {
				if showInt(c.UnreadCount) != "3" {
					t.Errorf("unread %s, want 3", showInt(c.UnreadCount))
				}
			},
		},
		{
			name: "no unread count at all is null",
			chat: `{"phone":"1"}`,
			check: func(t *testing.T, c Chat) {
				assertChat(t, "chat", c, Chat{ID: "1", Phone: new("1")})
			},
		},
		{
			name: "isMuted 1",
			chat: `{"phone":"1","isMuted":"1"}`,
			check: func(t *testing.T, c Chat) {
				if showBool(c.Muted) != "true" {
					t.Errorf("muted %s, want true", showBool(c.Muted))
				}
			},
		},
		{
			name: "isMuted 0",
			chat: `{"phone":"1","isMuted":"0"}`,
			check: func(t *testing.T, c Chat) {
				if showBool(c.Muted) != "false" {
					t.Errorf("muted %s, want false", showBool(c.Muted))
				}
			},
		},
		{
			name: "lastMessageTime seconds string",
			chat: `{"phone":"1","lastMessageTime":"1622991687"}`,
			check: func(t *testing.T, c Chat) {
				if got := showTime(c.LastMessageTime); got != "2021-06-06T15:01:27Z" {
					t.Errorf("last message time %s", got)
				}
			},
		},
		{
			name: "lastMessageTime milliseconds number",
			chat: `{"phone":"1","lastMessageTime":1622991687123}`,
			check: func(t *testing.T, c Chat) {
				if got := showTime(c.LastMessageTime); got != "2021-06-06T15:01:27.123Z" {
					t.Errorf("last message time %s", got)
				}
			},
		},
		{
			name: "lastMessageTime milliseconds string",
			chat: `{"phone":"1","lastMessageTime":"1622991687000"}`,
			check: func(t *testing.T, c Chat) {
				if got := showTime(c.LastMessageTime); got != "2021-06-06T15:01:27Z" {
					t.Errorf("last message time %s", got)
				}
			},
		},
		{
			name: "lastMessageTime zero is null",
			chat: `{"phone":"1","lastMessageTime":"0"}`,
			check: func(t *testing.T, c Chat) {
				if c.LastMessageTime != nil {
					t.Errorf("last message time %s, want null", showTime(c.LastMessageTime))
				}
			},
		},
		{
			name: "muteEndTime -1 is forever",
			chat: `{"phone":"1","isMuted":"1","muteEndTime":-1}`,
			check: func(t *testing.T, c Chat) {
				if showBool(c.MutedForever) != "true" || c.MuteEndTime != nil {
					t.Errorf("forever %s, end %s; want true, null", showBool(c.MutedForever), showTime(c.MuteEndTime))
				}
			},
		},
		{
			name: "muteEndTime string -1 is forever",
			chat: `{"phone":"1","muteEndTime":"-1"}`,
			check: func(t *testing.T, c Chat) {
				if showBool(c.MutedForever) != "true" || c.MuteEndTime != nil {
					t.Errorf("forever %s, end %s; want true, null", showBool(c.MutedForever), showTime(c.MuteEndTime))
				}
			},
		},
		{
			name: "muteEndTime milliseconds string",
			chat: `{"phone":"1","muteEndTime":"1655953774000"}`,
			check: func(t *testing.T, c Chat) {
				if showTime(c.MuteEndTime) != "2022-06-23T03:09:34Z" || showBool(c.MutedForever) != "false" {
					t.Errorf("end %s, forever %s", showTime(c.MuteEndTime), showBool(c.MutedForever))
				}
			},
		},
		{
			name: "not muted is not muted forever",
			chat: `{"phone":"1","isMuted":"0"}`,
			check: func(t *testing.T, c Chat) {
				if c.MuteEndTime != nil || showBool(c.MutedForever) != "false" {
					t.Errorf("end %s, forever %s; want null, false", showTime(c.MuteEndTime), showBool(c.MutedForever))
				}
			},
		},
		{
			name: "not muted wins over a stale -1",
			chat: `{"phone":"1","isMuted":false,"muteEndTime":-1}`,
			check: func(t *testing.T, c Chat) {
				if showBool(c.MutedForever) != "false" {
					t.Errorf("forever %s, want false", showBool(c.MutedForever))
				}
			},
		},
		{
			name: "muted with no muteEndTime leaves both null",
			chat: `{"phone":"1","isMuted":"1"}`,
			check: func(t *testing.T, c Chat) {
				if c.MuteEndTime != nil || c.MutedForever != nil {
					t.Errorf("end %s, forever %s; want null, null", showTime(c.MuteEndTime), showBool(c.MutedForever))
				}
			},
		},
		{
			name: "no mute fields leave both null",
			chat: `{"phone":"1"}`,
			check: func(t *testing.T, c Chat) {
				if c.MuteEndTime != nil || c.MutedForever != nil {
					t.Errorf("end %s, forever %s; want null, null", showTime(c.MuteEndTime), showBool(c.MutedForever))
				}
			},
		},
		{
			name: "empty notes object is null",
			chat: `{"phone":"1","notes":{}}`,
			check: func(t *testing.T, c Chat) {
				if c.Notes != nil {
					t.Errorf("notes %+v, want null", *c.Notes)
				}
			},
		},
		{
			name: "null notes is null",
			chat: `{"phone":"1","notes":null}`,
			check: func(t *testing.T, c Chat) {
				if c.Notes != nil {
					t.Errorf("notes %+v, want null", *c.Notes)
				}
			},
		},
		{
			name: "notes with some fields",
			chat: `{"phone":"1","notes":{"content":"call back","lastUpdateAt":"2024-05-01T10:00:00-03:00"}}`,
			check: func(t *testing.T, c Chat) {
				want := Chat{ID: "1", Phone: new("1"), Notes: &Notes{Content: new("call back"), LastUpdatedAt: utcp("2024-05-01T13:00:00Z")}}
				assertChat(t, "chat", c, want)
			},
		},
		{
			name: "group whose name is its id",
			chat: `{"phone":"120363019502650977-group","name":"120363019502650977-group","isGroup":true,"isGroupAnnouncement":"false"}`,
			check: func(t *testing.T, c Chat) {
				want := Chat{ID: "120363019502650977-group", Phone: new("120363019502650977-group"), Name: new("120363019502650977-group"), IsGroup: new(true), IsGroupAnnouncement: new(false)}
				assertChat(t, "chat", c, want)
			},
		},
		{
			name: "phone sent as a number keeps its digits",
			chat: `{"phone":5511999999999}`,
			check: func(t *testing.T, c Chat) {
				if c.ID != "5511999999999" || showStr(c.Phone) != `"5511999999999"` {
					t.Errorf("id %q phone %s", c.ID, showStr(c.Phone))
				}
			},
		},
		{
			name: "unknown fields are ignored",
			chat: `{"phone":"1","profileThumbnail":"x","labels":[1,2,{"a":null}],"future":{"nested":true},"name":"N"}`,
			check: func(t *testing.T, c Chat) {
				assertChat(t, "chat", c, Chat{ID: "1", Phone: new("1"), Name: new("N")})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := zapiDecode(t, "["+tt.chat+"]")
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(p.chats) != 1 {
				t.Fatalf("got %d chats, want 1", len(p.chats))
			}
			tt.check(t, p.chats[0])
		})
	}
}

func TestZAPIUnreadableValueNamesTheField(t *testing.T) {
	tests := []struct {
		field string
		value string
		want  string // the path named, when not field
	}{
		{"archived", `"maybe"`, ""},
		{"pinned", `2`, ""},
		{"isMuted", `"2"`, ""},
		{"isMarkedSpam", `{}`, ""},
		{"isGroup", `"group"`, ""},
		{"unread", `"abc"`, ""},
		{"messagesUnread", `1.5`, ""},
		{"unread", `-3`, ""},
		{"unread", `"-1"`, ""},
		{"messagesUnread", `-2`, ""},
		{"lastMessageTime", `"yesterday"`, ""},
		{"lastMessageTime", `-10`, ""},
		{"muteEndTime", `-5`, ""},
		{"name", `{"first":"a"}`, ""},
		{"name", `true`, ""},
		{"phone", `["1"]`, ""},
		{"notes", `"text"`, ""},
		{"notes", `{"createdAt":"soon"}`, "notes.createdAt"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			body := fmt.Sprintf(`[{"phone":"1","name":"ok"},{"phone":"2","name":"bad",%q:%s}]`, tt.field, tt.value)
			if tt.field == "phone" || tt.field == "name" {
				body = fmt.Sprintf(`[{"phone":"1","name":"ok"},{"isGroup":false,%q:%s}]`, tt.field, tt.value)
			}
			want := cmp.Or(tt.want, tt.field)
			_, err := zapiDecode(t, body)
			de := assertAs[*DecodeError](t, err)
			if de.Field != want || de.Index != 1 || de.Backend != BackendZAPI || de.StatusCode != http.StatusOK {
				t.Errorf("got field %q index %d backend %q status %d; want %q, 1, Z-API, 200", de.Field, de.Index, de.Backend, de.StatusCode, want)
			}
			msg := err.Error()
			if !strings.Contains(msg, `"`+want+`"`) || !strings.Contains(msg, "number 2") {
				t.Errorf("message %q should name the field and the chat", msg)
			}
			if KindOf(err) != KindUnexpectedBody {
				t.Errorf("kind %d, want KindUnexpectedBody", KindOf(err))
			}
		})
	}
}

func TestZAPIChatWithoutPhone(t *testing.T) {
	for _, chat := range []string{`{"name":"nobody"}`, `{"phone":"","name":"x"}`, `{"phone":null}`, `null`} {
		_, err := zapiDecode(t, `[{"phone":"1"},`+chat+`]`)
		de := assertAs[*DecodeError](t, err)
		if de.Field != "phone" || de.Index != 1 {
			t.Errorf("%s: field %q index %d, want phone, 1", chat, de.Field, de.Index)
		}
	}
}

func TestZAPIRequest(t *testing.T) {
	for _, clientToken := range []string{testClientToken, ""} {
		t.Run(fmt.Sprintf("client token %q", clientToken), func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, http.StatusOK, `[]`)
			})
			c, err := NewZAPI(ZAPIConfig{BaseURL: srv.URL + "/", InstanceID: testInstanceID, Token: testToken, ClientToken: clientToken}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.ListChats(t.Context(), ListOptions{Page: 3, PageSize: 25}); err != nil {
				t.Fatalf("ListChats: %v", err)
			}
			reqs := rec.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Path != zapiPath {
				t.Errorf("path %q, want %q", r.Path, zapiPath)
			}
			if got := r.Query.Encode(); got != "page=3&pageSize=25" {
				t.Errorf("query %q, want exactly page=3&pageSize=25", got)
			}
			if got := r.Header.Values("Client-Token"); clientToken == "" && len(got) != 0 || clientToken != "" && (len(got) != 1 || got[0] != clientToken) {
				t.Errorf("Client-Token %q, want %q", got, clientToken)
			}
			if got := r.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type %q", got)
			}
			if got := r.Header.Get("Accept"); got != "application/json" {
				t.Errorf("Accept %q", got)
			}
			if got := r.Header.Get("User-Agent"); got != testUserAgent {
				t.Errorf("User-Agent %q, want %q", got, testUserAgent)
			}
			if got := r.Header.Get("Authorization"); got != "" {
				t.Errorf("Z-API got an Authorization header %q", got)
			}
		})
	}
}

func TestZAPIErrors(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		wantMessage string
		wantKind    Kind
	}{
		{"missing client token", http.StatusBadRequest, `{"error":"null not allowed"}`, "null not allowed", KindClientTokenMissing},
		{"client token refused", http.StatusForbidden, `{"error":"Client-Token F123 not allowed"}`, "Client-Token F123 not allowed", KindClientTokenRefused},
		{"not connected", http.StatusBadRequest, `{"error":"You are not connected."}`, "You are not connected.", KindNotConnected},
		{"not connected with 200", http.StatusOK, `{"error":"You are not connected."}`, "You are not connected.", KindNotConnected},
		{"instance not found", http.StatusNotFound, `{"error":"Instance not found"}`, "Instance not found", KindUnknownInstance},
		{"message field", http.StatusOK, `{"message":"Instance not found"}`, "Instance not found", KindUnknownInstance},
		{"method not allowed", http.StatusMethodNotAllowed, `{"error":"Method Not Allowed"}`, "Method Not Allowed", KindMethodRefused},
		{"unsupported media type", http.StatusUnsupportedMediaType, `<html>Unsupported Media Type</html>`, "", KindContentType},
		{"unauthorized", http.StatusUnauthorized, `{"error":"Unauthorized"}`, "Unauthorized", KindCredentialsRefused},
		{"missing client token with 401", http.StatusUnauthorized, `{"error":"null not allowed"}`, "null not allowed", KindClientTokenMissing},
	}
	hints := map[string]Kind{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, tt.status, tt.body)
			})
			_, err := newTestZAPI(t, srv.URL, testOptions()).ListChats(t.Context(), ListOptions{})
			ae := assertAs[*APIError](t, err)
			if ae.StatusCode != tt.status || ae.Message != tt.wantMessage || ae.Backend != BackendZAPI || ae.Attempts != 1 {
				t.Errorf("got status %d message %q backend %q attempts %d; want %d %q Z-API 1", ae.StatusCode, ae.Message, ae.Backend, ae.Attempts, tt.status, tt.wantMessage)
			}
			if tt.wantMessage == "" && !strings.Contains(ae.Excerpt, "Unsupported Media Type") {
				t.Errorf("excerpt %q should quote the body", ae.Excerpt)
			}
			if tt.wantMessage != "" && !strings.Contains(err.Error(), tt.wantMessage) {
				t.Errorf("error %q should quote the API's message", err)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(tt.status)) {
				t.Errorf("error %q should name the status", err)
			}
			kind := KindOf(err)
			if kind != tt.wantKind {
				t.Errorf("kind %d, want %d", kind, tt.wantKind)
			}
			hints[tt.name] = kind
			if n := rec.count(); n != 1 {
				t.Errorf("%d requests, want 1 (not retried)", n)
			}
		})
	}
	// The four documented failures each get their own advice.
	specific := []string{"missing client token", "not connected", "method not allowed", "unsupported media type"}
	for i, a := range specific {
		for _, b := range specific[i+1:] {
			if hints[a] == hints[b] {
				t.Errorf("%s and %s share the kind %d", a, b, hints[a])
			}
		}
	}
}

func TestZAPIErrorBodyWithoutMessageIsDecodeErrorOn2xx(t *testing.T) {
	// An object with no error text where the list belongs is not the API's
	// list: it is reported with an excerpt, never read as an empty list.
	for _, body := range []string{zapiReferenceSchema, `{"error":""}`, `{}`} {
		_, err := zapiDecode(t, body)
		de := assertAs[*DecodeError](t, err)
		if de.Excerpt == "" || !strings.Contains(err.Error(), "not the expected JSON") {
			t.Errorf("%s: error %q should quote an excerpt", body, err)
		}
	}
}
