package client

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

func TestSortChats(t *testing.T) {
	at := utcp
	chats := []Chat{
		{ID: "1", Name: new("bob"), UnreadCount: new(int64(2)), LastMessageTime: at("2024-01-02T00:00:00Z")},
		{ID: "2", Name: new("Álvaro"), UnreadCount: nil, LastMessageTime: at("2024-01-01T00:00:00Z")},
		{ID: "3", Name: nil, UnreadCount: new(int64(5)), LastMessageTime: nil},
		{ID: "4", Name: new("Bob"), UnreadCount: new(int64(2)), LastMessageTime: at("2024-01-02T00:00:00Z")},
		{ID: "5", Name: new("alice"), UnreadCount: new(int64(0)), LastMessageTime: at("2024-01-03T00:00:00Z")},
		{ID: "6", Name: new("ÁLVARO"), UnreadCount: new(int64(2)), LastMessageTime: nil},
		{ID: "7", Name: new("BOB"), UnreadCount: nil, LastMessageTime: at("2024-01-02T00:00:00Z")},
		{ID: "8", Name: new("Öbert"), UnreadCount: new(int64(1)), LastMessageTime: at("2300-01-01T00:00:00Z")},
		{ID: "9", Name: new("öl"), UnreadCount: new(int64(1)), LastMessageTime: at("1999-12-31T23:59:59.5Z")},
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
		chats[i] = Chat{ID: n, Name: new(n)}
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
		t.Run(optionsName(tt.opts), func(t *testing.T) {
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
		t.Run(optionsName(opts), func(t *testing.T) {
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
func enviaPagesServer(t *testing.T, pages map[string]string) (*emulatortest.Server, *recorder) {
	return rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeRaw(w, http.StatusOK, pages[r.URL.Query().Get("offset")])
	})
}
