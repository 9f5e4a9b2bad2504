package provider

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// Live acceptance test of whatsapp_chat_summary; see live_test.go.

// TestLive_ChatSummaryDataSource counts every chat of the account and reads
// one page of chats, and checks that the counts hold together and that the
// summary counts at least the chats on the page.
func TestLive_ChatSummaryDataSource(t *testing.T) {
	forEachLiveBackend(t, func(t *testing.T, b liveBackend) {
		runLive(t, liveSummaryStep(liveProvider(b), b))
	})
}

func liveSummaryStep(provider string, b liveBackend) resource.TestStep {
	return resource.TestStep{
		Config: provider + fmt.Sprintf("data \"whatsapp_chat_summary\" \"all\" {}\n\n"+
			"data \"whatsapp_chats\" \"page\" {\n  page      = 1\n  page_size = %d\n}\n", liveChatPageSize),
		ConfigStateChecks: []statecheck.StateCheck{
			checkDataSource("data.whatsapp_chats.page", checkChatsPage),
			checkDataSources(func(v map[string]map[string]any) error {
				return checkSummary(v["data.whatsapp_chat_summary.all"], v["data.whatsapp_chats.page"], b.name)
			}, "data.whatsapp_chat_summary.all", "data.whatsapp_chats.page"),
		},
	}
}

// checkSummary checks what any summary of every chat satisfies, against a
// page of chats read beside it: whole counts, none above the number of
// chats, at least one unread message per unread chat, the flag counts null
// exactly on the backend that does not report the flags, times in RFC 3339
// and UTC with the oldest unread no later than the latest, and at least as
// many chats as the page holds.
func checkSummary(sum, page map[string]any, backend string) error {
	counts := map[string]int64{}
	for _, name := range []string{"chats", "groups", "unread_chats", "unread_messages"} {
		n, err := checkCount(sum, name)
		if err != nil {
			return err
		}
		if n == nil {
			return fmt.Errorf("%s is null, want a whole number", name)
		}
		counts[name] = *n
	}
	unreported := otherBackendAttributes(backend, chatSummaryAttributes.schemaAttributes())
	for _, name := range append([]string{"groups", "unread_chats"}, summaryFlagCounts...) {
		n, err := checkCount(sum, name)
		switch {
		case err != nil:
			return err
		case slices.Contains(unreported, name) != (n == nil):
			return fmt.Errorf("%s is %v on %s: want null exactly where the backend does not report the flag", name, sum[name], backend)
		case n != nil && *n > counts["chats"]:
			return fmt.Errorf("%s is %d, more than the %d chats", name, *n, counts["chats"])
		}
	}
	if counts["unread_messages"] < counts["unread_chats"] {
		return fmt.Errorf("unread_messages is %d, fewer than the %d unread chats", counts["unread_messages"], counts["unread_chats"])
	}
	if err := checkSummaryTimes(sum, counts); err != nil {
		return err
	}
	if chats, _ := page["chats"].([]any); int64(len(chats)) > counts["chats"] {
		return fmt.Errorf("chats is %d, fewer than the %d chats on the first page of whatsapp_chats", counts["chats"], len(chats))
	}
	return nil
}

// summaryFlagCounts are the counts of flags that not every backend reports.
var summaryFlagCounts = []string{"archived", "pinned", "muted", "marked_spam"}

func checkSummaryTimes(sum map[string]any, counts map[string]int64) error {
	for _, name := range []string{"oldest_unread_message_time", "last_message_time"} {
		if err := checkTime(sum, name); err != nil {
			return err
		}
	}
	oldest, _ := sum["oldest_unread_message_time"].(string)
	latest, _ := sum["last_message_time"].(string)
	switch {
	case counts["unread_chats"] == 0 && oldest != "":
		return fmt.Errorf("oldest_unread_message_time is %s, with no unread chat", oldest)
	case counts["chats"] == 0 && latest != "":
		return fmt.Errorf("last_message_time is %s, with no chat", latest)
	case oldest != "" && latest == "":
		return fmt.Errorf("oldest_unread_message_time is %s but last_message_time is null", oldest)
	case oldest != "":
		o, _ := time.Parse(time.RFC3339, oldest)
		l, _ := time.Parse(time.RFC3339, latest)
		if o.After(l) {
			return fmt.Errorf("oldest_unread_message_time %s is after last_message_time %s", oldest, latest)
		}
	}
	return nil
}
