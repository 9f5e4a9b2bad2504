package client

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// summaryOf adds up a chat list the way ChatSummary documents, written
// apart from the summary's own code: flag counts are nil when flags is
// false (the backend reports none).
func summaryOf(chats []Chat, flags bool) ChatSummary {
	var s ChatSummary
	var archived, pinned, muted, spam int64
	for _, c := range chats {
		s.Chats++
		if c.IsGroup != nil && *c.IsGroup {
			s.Groups++
		}
		unread := c.UnreadCount != nil && *c.UnreadCount > 0
		if unread {
			s.UnreadChats++
			s.UnreadMessages += *c.UnreadCount
		}
		if c.LastMessageTime != nil {
			if unread && (s.OldestUnreadMessageTime == nil || c.LastMessageTime.Before(*s.OldestUnreadMessageTime)) {
				s.OldestUnreadMessageTime = c.LastMessageTime
			}
			if s.LastMessageTime == nil || c.LastMessageTime.After(*s.LastMessageTime) {
				s.LastMessageTime = c.LastMessageTime
			}
		}
		for _, f := range []struct {
			flag  *bool
			count *int64
		}{{c.Archived, &archived}, {c.Pinned, &pinned}, {c.Muted, &muted}, {c.MarkedSpam, &spam}} {
			if f.flag != nil && *f.flag {
				*f.count++
			}
		}
	}
	if flags {
		s.Archived, s.Pinned, s.Muted, s.MarkedSpam = &archived, &pinned, &muted, &spam
	}
	return s
}

func showSummary(s ChatSummary) string {
	return fmt.Sprintf("chats=%d groups=%d unread_chats=%d unread_messages=%d archived=%s pinned=%s muted=%s marked_spam=%s oldest_unread=%s last=%s",
		s.Chats, s.Groups, s.UnreadChats, s.UnreadMessages, showInt(s.Archived), showInt(s.Pinned), showInt(s.Muted), showInt(s.MarkedSpam),
		showTime(s.OldestUnreadMessageTime), showTime(s.LastMessageTime))
}

func TestChatSummary_CountsWhatChatsReport(t *testing.T) {
	yes, no := new(true), new(false)
	early, late := utcp("2026-01-01T00:00:00Z"), utcp("2026-02-01T00:00:00Z")
	chats := []Chat{
		{ID: "bare"}, // reports nothing: counted as a chat, nothing else
		{ID: "group", IsGroup: yes, UnreadCount: new(int64(0)), LastMessageTime: late, Archived: no, Pinned: yes, Muted: yes, MarkedSpam: no},
		{ID: "contact", IsGroup: no, UnreadCount: new(int64(3)), LastMessageTime: late, Archived: yes, MarkedSpam: yes},
		{ID: "unread, no time", UnreadCount: new(int64(5))},
		{ID: "oldest unread", UnreadCount: new(int64(1)), LastMessageTime: early, Muted: no},
		{ID: "negative", UnreadCount: new(int64(-2)), LastMessageTime: utcp("2025-01-01T00:00:00Z")},
	}
	for _, tc := range []struct {
		name  string
		chats []Chat
		flags bool
		want  string
	}{
		{"flags reported", chats, true,
			"chats=6 groups=1 unread_chats=3 unread_messages=9 archived=1 pinned=1 muted=1 marked_spam=1 oldest_unread=2026-01-01T00:00:00Z last=2026-02-01T00:00:00Z"},
		{"flags not reported", chats, false,
			"chats=6 groups=1 unread_chats=3 unread_messages=9 archived=<nil> pinned=<nil> muted=<nil> marked_spam=<nil> oldest_unread=2026-01-01T00:00:00Z last=2026-02-01T00:00:00Z"},
		{"no chats", nil, true,
			"chats=0 groups=0 unread_chats=0 unread_messages=0 archived=0 pinned=0 muted=0 marked_spam=0 oldest_unread=<nil> last=<nil>"},
		{"no times", chats[:1], false,
			"chats=1 groups=0 unread_chats=0 unread_messages=0 archived=<nil> pinned=<nil> muted=<nil> marked_spam=<nil> oldest_unread=<nil> last=<nil>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newChatSummary(tc.flags)
			for i := range tc.chats {
				if err := s.keep(&tc.chats[i]); err != nil {
					t.Fatal(err)
				}
			}
			if got := showSummary(*s); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if want := showSummary(summaryOf(tc.chats, tc.flags)); want != tc.want {
				t.Errorf("the reference disagrees with the table: %s", want)
			}
		})
	}
}

// The summary of every filter combination equals the sum of the chats
// ListChats returns for the same filter, on both backends, over test chats whose
// chats lack names, unread counts and times, and over the emulator's data.
func TestSummarizeChats_MatchesListChats(t *testing.T) {
	emu := emulatortest.Start(t, emulator.Options{Chats: 450})
	opts := testOptions()
	opts.MaxConcurrentRequests = 4
	clients := map[string]*Client{
		"emulator Z-API":   must(NewZAPI(ZAPIConfig{BaseURL: emu.URL, InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token"}, opts)),
		"emulator EnviaAI": must(NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key", InstanceID: "inst_demo"}, opts)),
	}
	for _, b := range backends(t, makeChats(230)) {
		clients["test chats "+b.name] = b.api.client(t, opts)
	}
	filters := []SummaryOptions{{}, {UnreadOnly: true}, {Search: "ana"}, {Search: "ANA", UnreadOnly: true}, {Search: "55"}, {Search: "no chat has this"}}
	for name, c := range clients {
		for _, f := range filters {
			t.Run(name+"/"+optionsName(ListOptions{Search: f.Search, UnreadOnly: f.UnreadOnly, InstanceID: f.InstanceID}), func(t *testing.T) {
				list, err := c.ListChats(t.Context(), ListOptions{Search: f.Search, UnreadOnly: f.UnreadOnly})
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.SummarizeChats(t.Context(), f)
				if err != nil {
					t.Fatal(err)
				}
				want := summaryOf(list.Chats, c.Backend() == BackendZAPI)
				if showSummary(*got) != showSummary(want) {
					t.Errorf("got  %s\nwant %s", showSummary(*got), showSummary(want))
				}
				if f == (SummaryOptions{}) && (got.Chats < 200 || got.UnreadChats == 0 || got.LastMessageTime == nil) {
					t.Errorf("the data is too thin to compare: %s", showSummary(*got))
				}
			})
		}
	}
}

func must(c *Client, err error) *Client {
	if err != nil {
		panic(err)
	}
	return c
}

// The summary reads through the same paging checks as a list.
func TestSummarizeChats_PagingChecks(t *testing.T) {
	t.Run("Z-API ignores the page", func(t *testing.T) {
		srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeRaw(w, http.StatusOK, zapiChats(0, 100))
		})
		_, err := newTestZAPI(t, srv.URL, testOptions()).SummarizeChats(apiContext(t), SummaryOptions{})
		if pe := assertAs[*PagingError](t, err); pe.Page != 2 {
			t.Errorf("got %+v", pe)
		}
		if n := rec.count(); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("EnviaAI pages do not add up to the total", func(t *testing.T) {
		e := serveEnviaAI(t, makeChats(150))
		e.totalOffset = 1
		_, err := e.client(t, testOptions()).SummarizeChats(t.Context(), SummaryOptions{})
		assertAs[*PagingError](t, err)
	})
}

func TestSummarizeChats_InstanceIDOnZAPIIsRefusedBeforeAnyRequest(t *testing.T) {
	z := serveZAPI(t, makeChats(3))
	_, err := z.client(t, testOptions()).SummarizeChats(t.Context(), SummaryOptions{InstanceID: "other"})
	if oe := assertAs[*OptionError](t, err); oe.Option != "instance_id" {
		t.Errorf("got %+v", oe)
	}
	if n := z.count(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestSummarizeChats_EnviaAIServesTheFilters(t *testing.T) {
	e := serveEnviaAI(t, makeChats(120))
	s, err := e.client(t, testOptions()).SummarizeChats(t.Context(), SummaryOptions{Search: "ana", UnreadOnly: true, InstanceID: otherInstanceID})
	if err != nil {
		t.Fatal(err)
	}
	reqs := e.requests()
	if len(reqs) == 0 {
		t.Fatal("no request")
	}
	for _, r := range reqs {
		q := r.Query
		if q.Get("search") != "ana" || q.Get("unreadOnly") != "true" || q.Get("instanceId") != otherInstanceID || q.Get("sortBy") != "" {
			t.Errorf("query %v", q)
		}
	}
	if s.Chats != int64(len(e.matching(t, ListOptions{Search: "ana", UnreadOnly: true}))) {
		t.Errorf("counted %d chats", s.Chats)
	}
}
