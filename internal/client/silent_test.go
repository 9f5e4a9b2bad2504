package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// The tests here run against the emulator set each way the public
// references leave open: a client must work under every reading.

// silentEmulator serves a fresh emulator with faults set.
func silentEmulator(t *testing.T, opts emulator.Options, f emulator.Faults) (*emulatortest.Server, string) {
	emu := emulatortest.Start(t, opts)
	emu.Inject(emulatortest.Fault{Faults: f})
	return emu, emu.URL
}

func TestZAPIClientToken_MissingEitherWay(t *testing.T) {
	t.Parallel()
	for _, notConfigured := range []bool{false, true} {
		_, url := silentEmulator(t, emulator.Options{Chats: 3}, emulator.Faults{ZAPITokenNotConfigured: notConfigured})
		for _, tc := range []struct {
			token string
			want  Kind
		}{{"", KindClientTokenMissing}, {"wrong-token", KindClientTokenRefused}} {
			c, err := NewZAPI(ZAPIConfig{BaseURL: url, InstanceID: "demo-instance", Token: "demo-token", ClientToken: tc.token}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListChats(t.Context(), ListOptions{})
			if got := KindOf(err); got != tc.want {
				t.Errorf("not configured %v, Client-Token %q: kind %d, want %d (%v)", notConfigured, tc.token, got, tc.want, err)
			}
			if _, err := c.ReadInstance(t.Context(), ""); KindOf(err) != tc.want {
				t.Errorf("instance read, not configured %v, Client-Token %q: kind %d, want %d (%v)", notConfigured, tc.token, KindOf(err), tc.want, err)
			}
		}
	}
}

func TestEnviaAIError_KeepsRequestID(t *testing.T) {
	t.Parallel()
	_, url := silentEmulator(t, emulator.Options{Chats: 3}, emulator.Faults{})
	_, err := emuEnviaAI(t, url).ListChats(t.Context(), ListOptions{InstanceID: "inst_nope"})
	if ae := assertAs[*APIError](t, err); ae.RequestID != "req_invalid_instance" || !strings.Contains(err.Error(), `request id "req_invalid_instance"`) {
		t.Errorf("request id %q, error %q: want the emulator's req_invalid_instance quoted", ae.RequestID, err)
	}

	// An id as the API may send it: escaped, cut, and never a credential.
	emu, url := silentEmulator(t, emulator.Options{Chats: 3}, emulator.Faults{})
	hostile := "req_demo-api-key_\x1b[31m" + strings.Repeat("9", 500)
	emu.Inject(emulatortest.Fault{Hook: func(*http.Request, int64) *emulator.Reply {
		body, _ := json.Marshal(map[string]any{"success": false, "error": map[string]any{"code": "invalid_parameters", "message": "bad", "requestId": hostile}})
		return &emulator.Reply{Status: 400, Body: body}
	}})
	_, err = emuEnviaAI(t, url).ListChats(t.Context(), ListOptions{})
	ae := assertAs[*APIError](t, err)
	if strings.ContainsRune(err.Error(), '\x1b') || !strings.Contains(err.Error(), `\x1b[31m`) {
		t.Errorf("error %q does not escape the request id", err)
	}
	if n := utf8.RuneCountInString(ae.RequestID); n > maxRequestIDRunes+1 || !strings.HasSuffix(ae.RequestID, "…") {
		t.Errorf("request id of %d runes (%q), want it cut to %d", n, ae.RequestID, maxRequestIDRunes)
	}
	assertNoSecretOf(t, "error", err.Error(), "demo-api-key")
}

// EnviaAI documents webhookEvents in the PATCH body only: a write of them
// is trusted, as they cannot be read back; were the listing to send them,
// they would be compared, and a form other than a list of strings costs
// only them.
func TestEnviaAIWebhookEvents_WrittenAndTrusted(t *testing.T) {
	t.Parallel()
	events := []string{"message.received", "instance.connected"}
	emu, url := silentEmulator(t, emulator.Options{Chats: 1}, emulator.Faults{})
	c := emuEnviaAI(t, url)
	in, err := c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{WebhookEvents: events})
	if err != nil {
		t.Fatalf("a write of events the API does not report back failed: %v", err)
	}
	if in.WebhookEvents != nil {
		t.Errorf("events read back %q, but the emulator does not send them", in.WebhookEvents)
	}
	writes := emu.Writes()
	if len(writes) != 1 || !strings.Contains(writes[0].Body, `"webhookEvents":["message.received","instance.connected"]`) {
		t.Errorf("writes: %+v", writes)
	}

	// The listing's entry, as an API that did report them would send it.
	withEvents := func(v any) {
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			if r.Method != http.MethodGet || r.URL.Path != "/v1/instances" {
				return nil
			}
			var body map[string]any
			_ = json.Unmarshal(emu.Answer(r).Body, &body)
			for _, e := range body["data"].([]any) {
				e.(map[string]any)["webhookEvents"] = v
			}
			out, _ := json.Marshal(body)
			return &emulator.Reply{Status: 200, Body: out}
		}})
	}
	withEvents([]string{"message.sent"})
	var notKept *SettingNotKeptError
	if _, err := c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{WebhookEvents: events}); !errors.As(err, &notKept) || notKept.Setting != "webhook_events" {
		t.Errorf("events reported different from those written: %v, want webhook_events not kept", err)
	}
	for _, odd := range []any{"message.sent", 42, map[string]any{"a": 1}, []any{1, 2}} {
		withEvents(odd)
		read, err := c.ReadInstance(t.Context(), "")
		if err != nil || read.Instance.WebhookEvents != nil || read.Instance.AutoReadMessages == nil {
			t.Errorf("webhookEvents %v: %v, %+v; want the read whole and the events unknown", odd, err, read)
		}
	}
}

// Z-API types /me's created "string (date)" with no format: a form the
// client does not know costs created_at alone. due, a number in the
// reference, stays strict.
func TestZAPICreated_UnknownFormCostsItselfOnly(t *testing.T) {
	t.Parallel()
	emu, url := silentEmulator(t, emulator.Options{Chats: 1}, emulator.Faults{})
	set := func(field string, v any) {
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			if !strings.HasSuffix(r.URL.Path, "/me") {
				return nil
			}
			var me map[string]any
			_ = json.Unmarshal(emu.Answer(r).Body, &me)
			me[field] = v
			out, _ := json.Marshal(me)
			return &emulator.Reply{Status: 200, Body: out}
		}})
	}
	c := emuZAPI(t, url, "demo-instance", "")
	for _, tc := range []struct {
		created any
		want    string // the Skipped value; "" for a form that is read
	}{
		{"2022-03-29T10:00:00Z", ""},
		{"2022-03-29", ""},
		{"29/03/2022 10:00", `"29/03/2022 10:00"`},
		// JSON escapes the control character; the value is cut.
		{"\x1b[2J" + strings.Repeat("x", 200), `"\u001b[2J` + strings.Repeat("x", valueRunes-10) + "…"},
		{"demo-token", `"REDACTED"`},
		{true, "true"},
		{map[string]any{"date": 1}, `{"date":1}`},
	} {
		set("created", tc.created)
		read, err := c.ReadInstance(t.Context(), "")
		if err != nil {
			t.Errorf("created %q: the read failed: %v", tc.created, err)
			continue
		}
		in := read.Instance
		if in.Name == nil || in.ExpiresAt == nil || in.AutoReadMessages == nil || in.Connected == nil {
			t.Errorf("created %q: the rest of the instance was not read: %+v", tc.created, in)
		}
		switch {
		case tc.want == "" && (in.CreatedAt == nil || len(in.Skipped) != 0):
			t.Errorf("created %q: CreatedAt %v, skipped %+v; want it read", tc.created, in.CreatedAt, in.Skipped)
		case tc.want != "" && (in.CreatedAt != nil || len(in.Skipped) != 1 || in.Skipped[0] != SkippedValue{Attribute: "created_at", Value: tc.want}):
			t.Errorf("created %q: CreatedAt %v, skipped %+v; want null and %s skipped", tc.created, in.CreatedAt, in.Skipped, tc.want)
		}
	}
	set("due", "soon")
	if _, err := c.ReadInstance(t.Context(), ""); KindOf(err) != KindUnexpectedBody {
		t.Errorf("due sent as text: %v, want the read refused", err)
	}
}

// Neither reference says how a webhook is cleared. Where the API refuses
// the clear sent, the error says which webhook, what was sent and the
// API's answer, and the instance is left as it was.
func TestClearWebhook_RefusedEitherWay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, setting, sent string
		client              func(*testing.T, string) *Client
		clear               InstanceSettings
	}{
		{"zapi", "webhooks.received", `PUT update-webhook-received {"value": ""}`,
			func(t *testing.T, url string) *Client { return emuZAPI(t, url, "demo-instance", "") },
			InstanceSettings{Webhooks: map[string]string{"received": ""}}},
		{"enviaai", "webhooks.all", "webhookUrl: null", emuEnviaAI,
			InstanceSettings{Webhooks: map[string]string{"all": ""}}},
		{"enviaai with another setting", "webhooks.all", "webhookUrl: null", emuEnviaAI,
			InstanceSettings{Webhooks: map[string]string{"all": ""}, AutoReadMessages: new(false)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, url := silentEmulator(t, emulator.Options{Chats: 1}, emulator.Faults{})
			c := tc.client(t, url)
			before, err := c.ReadInstance(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			// Accepted, the clear clears.
			if in, err := c.UpdateInstanceSettings(t.Context(), "", tc.clear); err != nil || len(in.Webhooks) >= len(before.Instance.Webhooks) {
				t.Fatalf("an accepted clear: %v, webhooks %v (before %v)", err, in.Webhooks, before.Instance.Webhooks)
			}

			_, url = silentEmulator(t, emulator.Options{Chats: 1}, emulator.Faults{RefuseWebhookClears: true})
			c = tc.client(t, url)
			_, err = c.UpdateInstanceSettings(t.Context(), "", tc.clear)
			refused := assertAs[*ClearRefusedError](t, err)
			if refused.Setting != tc.setting || !strings.Contains(err.Error(), tc.sent) || !strings.Contains(err.Error(), "HTTP 400") || KindOf(err) != KindClearRefused {
				t.Errorf("error %q (setting %q, kind %d): want %s, what was sent (%s) and the API's answer", err, refused.Setting, KindOf(err), tc.setting, tc.sent)
			}
			after, err := c.ReadInstance(t.Context(), "")
			if err != nil || !maps.Equal(after.Instance.Webhooks, before.Instance.Webhooks) {
				t.Errorf("after a refused clear: %v, webhooks %v, want %v", err, after.Instance.Webhooks, before.Instance.Webhooks)
			}
		})
	}
	// A refused URL is not a refused clear.
	_, url := silentEmulator(t, emulator.Options{Chats: 1}, emulator.Faults{RefuseWebhookClears: true})
	for _, c := range []*Client{emuZAPI(t, url, "demo-instance", ""), emuEnviaAI(t, url)} {
		key := map[string]string{BackendZAPI: "received", BackendEnviaAI: "all"}[c.Backend()]
		_, err := c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{Webhooks: map[string]string{key: "http://127.0.0.1/hook"}})
		if ae := assertAs[*APIError](t, err); ae.StatusCode != 400 || errors.As(err, new(*ClearRefusedError)) {
			t.Errorf("%s: a refused URL: %v, want a plain 400", c.Backend(), err)
		}
	}
}

// pageQueries lists each request's page and pageSize from now on.
func pageQueries(emu *emulatortest.Server) func() []string {
	from := len(emu.Received())
	return func() []string {
		var got []string
		for _, r := range emu.Received()[from:] {
			got = append(got, r.URL.Query().Get("page")+"/"+r.URL.Query().Get("pageSize"))
		}
		return got
	}
}

func zapiPhones(emu *emulatortest.Server) []string {
	var ids []string
	for _, c := range emu.ZAPIChats() {
		ids = append(ids, c["phone"].(string))
	}
	return ids
}

// Z-API documents no largest page size and sends no total: a first page
// shorter than asked is the end only once the page after it, at its
// length, is empty; a cap so found is read at the size the API serves, and
// a page that cannot be read at the size asked is an error that says so.
// No read comes back shortened.
func TestZAPIPageSize_CappedOrNot(t *testing.T) {
	t.Parallel()
	t.Run("no cap", func(t *testing.T) {
		t.Parallel()
		emu, url := silentEmulator(t, emulator.Options{Chats: 7}, emulator.Faults{})
		queries := pageQueries(emu)
		list, err := emuZAPI(t, url, "demo-instance", "").ListChats(t.Context(), ListOptions{})
		if err != nil || !slices.Equal(chatIDs(list.Chats), zapiPhones(emu)) || showInt(list.Total) != "7" || list.HasMore {
			t.Fatalf("%v: %d chats, total %s, has_more %v", err, len(list.Chats), showInt(list.Total), list.HasMore)
		}
		if got := queries(); !slices.Equal(got, []string{"1/100", "2/7"}) {
			t.Errorf("requests %v, want page 1 and one probe at its length", got)
		}
	})
	t.Run("capped", func(t *testing.T) {
		t.Parallel()
		emu, url := silentEmulator(t, emulator.Options{Chats: 95}, emulator.Faults{ZAPIMaxPageSize: 30})
		queries := pageQueries(emu)
		c := emuZAPI(t, url, "demo-instance", "")
		all := zapiPhones(emu)
		list, err := c.ListChats(t.Context(), ListOptions{})
		if err != nil || !slices.Equal(chatIDs(list.Chats), all) || showInt(list.Total) != "95" || list.HasMore {
			t.Fatalf("whole list: %v: %d chats, total %s, has_more %v; want all 95", err, len(list.Chats), showInt(list.Total), list.HasMore)
		}
		if got := queries(); !slices.Equal(got, []string{"1/100", "2/30", "3/30", "4/30"}) {
			t.Errorf("requests %v, want page 1, then pages of 30", got)
		}
		if list, err := c.ListChats(t.Context(), ListOptions{MaxResults: 70}); err != nil || !slices.Equal(chatIDs(list.Chats), all[:70]) || !list.HasMore {
			t.Errorf("max_results 70: %v, %d chats, has_more %v", err, len(list.Chats), list.HasMore)
		}
		if list, err := c.ListChats(t.Context(), ListOptions{Page: 2, PageSize: 30}); err != nil || !slices.Equal(chatIDs(list.Chats), all[30:60]) || !list.HasMore {
			t.Errorf("page 2 of 30: %v, %d chats, has_more %v", err, len(list.Chats), list.HasMore)
		}
		for _, opts := range []ListOptions{{Page: 1, PageSize: 50}, {Page: 2, PageSize: 50}, {Page: 4, PageSize: 40}} {
			_, err := c.ListChats(t.Context(), opts)
			if pe := assertAs[*PagingError](t, err); !strings.Contains(pe.Reason, "at most 30 chats a page") {
				t.Errorf("page %d of %d: %v, want it to name the size the API serves", opts.Page, opts.PageSize, err)
			}
		}
		sum, err := c.SummarizeChats(t.Context(), SummaryOptions{})
		if err != nil || sum.Chats != 95 {
			t.Errorf("summary: %v, %d chats, want 95", err, sum.Chats)
		}
		if ch, err := c.FindChat(t.Context(), all[80], ""); err != nil || ch.ID != all[80] {
			t.Errorf("chat on the last capped page: %v, %v", ch, err)
		}
	})
}

// EnviaAI does not say whether pagination.total counts the chats that
// match search and unreadOnly or all of them. A filtered read ends on
// hasMore and short pages, whichever the total counts, and reports a
// total only when it is known to count the chats that match.
func TestEnviaAIFilteredTotal_EitherMeaning(t *testing.T) {
	t.Parallel()
	for _, unfiltered := range []bool{false, true} {
		emu, url := silentEmulator(t, emulator.Options{Chats: 60, Seed: 3}, emulator.Faults{EnviaAIUnfilteredTotal: unfiltered})
		c := emuEnviaAI(t, url)
		want, err := emu.EnviaAIList(neturl.Values{"instanceId": {"inst_demo"}, "unreadOnly": {"true"}})
		if err != nil || len(want) == 0 || len(want) >= 60 || len(want) <= 10 {
			t.Fatalf("the emulator's unread chats: %d, %v; want a proper subset over one page", len(want), err)
		}
		var ids []string
		for _, ch := range want {
			ids = append(ids, ch["chatId"].(string))
		}
		label := fmt.Sprintf("unfiltered total %v", unfiltered)
		list, err := c.ListChats(t.Context(), ListOptions{UnreadOnly: true, PageSize: 10})
		if err != nil {
			t.Errorf("%s: unread list: %v", label, err)
		} else if !slices.Equal(chatIDs(list.Chats), ids) || showInt(list.Total) != strconv.Itoa(len(ids)) || list.HasMore {
			t.Errorf("%s: unread list: %d chats, total %s; want the %d unread", label, len(list.Chats), showInt(list.Total), len(ids))
		}
		sum, err := c.SummarizeChats(t.Context(), SummaryOptions{UnreadOnly: true})
		if err != nil {
			t.Errorf("%s: summary: %v", label, err)
		} else if sum.Chats != int64(len(ids)) {
			t.Errorf("%s: summary counts %d chats, want %d", label, sum.Chats, len(ids))
		}
		page, err := c.ListChats(t.Context(), ListOptions{UnreadOnly: true, Page: 1, PageSize: 10})
		if err != nil {
			t.Errorf("%s: first unread page: %v", label, err)
		} else if !slices.Equal(chatIDs(page.Chats), ids[:10]) || page.Total != nil || !page.HasMore {
			t.Errorf("%s: first unread page: total %s, has_more %v; want no total", label, showInt(page.Total), page.HasMore)
		}
		phone := want[len(want)-1]["phone"].(string)
		if ch, err := c.FindChat(t.Context(), phone, ""); err != nil || ch.Phone == nil || *ch.Phone != phone {
			t.Errorf("%s: find: %v, %v", label, ch, err)
		}
		// Unfiltered, the total is the one the reference documents.
		if page, err := c.ListChats(t.Context(), ListOptions{Page: 1, PageSize: 10}); err != nil || showInt(page.Total) != "60" {
			t.Errorf("%s: unfiltered page: %v, total %s, want 60", label, err, showInt(page.Total))
		}
	}
}
