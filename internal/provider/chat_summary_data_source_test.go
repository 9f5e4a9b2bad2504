package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// summaryMatchesChats checks that data.whatsapp_chat_summary.NAME holds
// the counts of the chats data.whatsapp_chats.NAME lists, for each name.
// The counts are computed here from the list's state, apart from the
// summary's code. flags says whether the backend reports archived, pinned,
// muted and spam; where it does not, their counts must be null.
type summaryMatchesChats struct {
	names []string
	flags bool
}

func (c summaryMatchesChats) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = errors.New("no state")
		return
	}
	values := map[string]map[string]any{}
	for _, r := range req.State.Values.RootModule.Resources {
		values[r.Address] = r.AttributeValues
	}
	var errs []error
	for _, name := range c.names {
		list, summary := values["data.whatsapp_chats."+name], values["data.whatsapp_chat_summary."+name]
		chats, ok := list["chats"].([]any)
		if summary == nil || !ok {
			errs = append(errs, fmt.Errorf("%s: the state lacks the list or the summary", name))
			continue
		}
		want, err := countChats(chats, c.flags)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		for _, attr := range slices.Sorted(maps.Keys(want)) {
			if got, w := fmt.Sprint(summary[attr]), fmt.Sprint(want[attr]); got != w {
				errs = append(errs, fmt.Errorf("%s: %s = %s, the list gives %s", name, attr, got, w))
			}
		}
	}
	resp.Error = errors.Join(errs...)
}

// countChats adds up chats as whatsapp_chats writes them to state. Times
// are compared as strings: the fixed-width format orders them by time.
func countChats(chats []any, flags bool) (map[string]any, error) {
	n := map[string]int64{}
	var oldestUnread, last any
	for _, raw := range chats {
		c, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("a chat is a %T", raw)
		}
		n["chats"]++
		if c["is_group"] == true {
			n["groups"]++
		}
		var unread int64
		if u, ok := c["unread_count"].(json.Number); ok {
			unread, _ = u.Int64()
		}
		if unread > 0 {
			n["unread_chats"]++
			n["unread_messages"] += unread
		}
		if t, ok := c["last_message_time"].(string); ok {
			if unread > 0 && (oldestUnread == nil || t < oldestUnread.(string)) {
				oldestUnread = t
			}
			if last == nil || t > last.(string) {
				last = t
			}
		}
		for _, flag := range []string{"archived", "pinned", "muted", "marked_spam"} {
			if !flags && c[flag] != nil {
				return nil, fmt.Errorf("a chat reports %s on a backend said not to", flag)
			}
			if c[flag] == true {
				n[flag]++
			}
		}
	}
	want := map[string]any{
		"chats": n["chats"], "groups": n["groups"], "unread_chats": n["unread_chats"], "unread_messages": n["unread_messages"],
		"oldest_unread_message_time": oldestUnread, "last_message_time": last,
	}
	for _, flag := range []string{"archived", "pinned", "muted", "marked_spam"} {
		want[flag] = nil
		if flags {
			want[flag] = n[flag]
		}
	}
	return want, nil
}

// summaryPairs is a whatsapp_chats and a whatsapp_chat_summary for each
// filter, named alike. The lists read in pages of 40, the summaries in
// pages of 100, so the two read different pages.
func summaryPairs(filters map[string]string) (string, []string) {
	var b strings.Builder
	names := slices.Sorted(maps.Keys(filters))
	for _, name := range names {
		fmt.Fprintf(&b, "data \"whatsapp_chats\" %q {\n  page_size = 40\n  %s\n}\n", name, filters[name])
		fmt.Fprintf(&b, "data \"whatsapp_chat_summary\" %q {\n  %s\n}\n", name, filters[name])
	}
	return b.String(), names
}

// Every filter combination, on both backends over the emulator's data:
// the summary's counts equal those of the chats whatsapp_chats lists.
func TestChatSummaryDataSource_MatchesChatsOverTheEmulator(t *testing.T) {
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{Chats: 250})
	filters := map[string]string{
		"all":           ``,
		"unread":        `unread_only = true`,
		"unread_false":  `unread_only = false`,
		"search":        `search = "silva"`,
		"search_unread": "search = \"SILVA\"\n  unread_only = true",
		"search_phone":  `search = "5511"`,
		"nothing":       `search = "no chat has this"`,
	}
	for _, tc := range []struct {
		backend, provider string
		flags             bool
		extra             map[string]string
	}{
		{"Z-API", zapiProvider(srv.URL), true, nil},
		{"EnviaAI", enviaAIProvider(srv.URL), false, map[string]string{"other_instance": `instance_id = "inst_support"`,
			"other_instance_unread": "instance_id = \"inst_support\"\n  unread_only = true"}},
	} {
		t.Run(tc.backend, func(t *testing.T) {
			all := maps.Clone(filters)
			maps.Copy(all, tc.extra)
			config, names := summaryPairs(all)
			summary := expect("data.whatsapp_chat_summary.all")
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: tc.provider + config,
					ConfigStateChecks: []statecheck.StateCheck{
						summaryMatchesChats{names: names, flags: tc.flags},
						// The data is rich enough for the comparison to mean something.
						summary.attr("chats", knownvalue.Int64Exact(250)),
						expect("data.whatsapp_chat_summary.nothing").attr("chats", knownvalue.Int64Exact(0)),
						expect("data.whatsapp_chat_summary.nothing").attr("last_message_time", knownvalue.Null()),
						summary.attr("groups", nonZero{}),
						summary.attr("unread_chats", nonZero{}),
						expect("data.whatsapp_chat_summary.search").attr("chats", nonZero{}),
						expect("data.whatsapp_chat_summary.search_unread").attr("chats", nonZero{}),
					},
				}},
			})
		})
	}
}

// Chats that lack the counted fields: each is counted for what it reports
// and nothing else, on both backends.
func TestChatSummaryDataSource_ChatsLackingFields(t *testing.T) {
	t.Parallel()
	zapi := newFakeZAPI(t,
		`{"phone":"5511000000001"}`,
		`{"phone":"5511000000002","name":"Ana","unread":"3"}`,
		`{"phone":"120363000000000001-group","isGroup":true,"archived":"true","lastMessageTime":"1700000000"}`,
		`{"phone":"5511000000004","name":"ana b","unread":"2","pinned":true,"isMarkedSpam":"true","isMuted":"1","lastMessageTime":"1700000500"}`,
		`{"phone":"5511000000005","unread":"0","pinned":"false","isMarkedSpam":false,"lastMessageTime":"1700000900000"}`,
	)
	envia := newFakeEnviaAI(t,
		`{"chatId":"a"}`,
		`{"chatId":"b","unreadCount":4}`,
		`{"chatId":"c","isGroup":true,"lastMessage":{"timestamp":"2026-02-03T12:30:00.000Z"}}`,
		`{"chatId":"d","unreadCount":1,"isGroup":false,"lastMessage":{"timestamp":"2026-01-03T12:30:00.000Z"}}`,
	)
	for _, tc := range []struct {
		backend, provider string
		flags             bool
		filters           map[string]string
		checks            []statecheck.StateCheck
	}{
		{"Z-API", zapiProvider(zapi.URL), true,
			map[string]string{"all": ``, "unread": `unread_only = true`, "search": `search = "ANA"`},
			[]statecheck.StateCheck{
				expect("data.whatsapp_chat_summary.all").attr("unread_messages", knownvalue.Int64Exact(5)),
				expect("data.whatsapp_chat_summary.all").attr("marked_spam", knownvalue.Int64Exact(1)),
				expect("data.whatsapp_chat_summary.all").attr("oldest_unread_message_time", knownvalue.StringExact("2023-11-14T22:21:40.000Z")),
				expect("data.whatsapp_chat_summary.all").attr("last_message_time", knownvalue.StringExact("2023-11-14T22:28:20.000Z")),
			}},
		{"EnviaAI", enviaAIProvider(envia.URL), false,
			map[string]string{"all": ``},
			[]statecheck.StateCheck{
				expect("data.whatsapp_chat_summary.all").attr("unread_chats", knownvalue.Int64Exact(2)),
				expect("data.whatsapp_chat_summary.all").attr("archived", knownvalue.Null()),
				expect("data.whatsapp_chat_summary.all").attr("oldest_unread_message_time", knownvalue.StringExact("2026-01-03T12:30:00.000Z")),
			}},
	} {
		t.Run(tc.backend, func(t *testing.T) {
			config, names := summaryPairs(tc.filters)
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:            tc.provider + config,
					ConfigStateChecks: append(tc.checks, summaryMatchesChats{names: names, flags: tc.flags}),
				}},
			})
		})
	}
}

// nonZero accepts a number above zero.
type nonZero struct{}

func (nonZero) CheckValue(v any) error {
	n, ok := v.(json.Number)
	if !ok {
		return fmt.Errorf("%v is not a number", v)
	}
	if i, err := n.Int64(); err != nil || i <= 0 {
		return fmt.Errorf("%s is not above zero", n)
	}
	return nil
}

func (nonZero) String() string { return "above zero" }
