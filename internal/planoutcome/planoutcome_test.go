package planoutcome

import (
	"slices"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{
			name: "checks, conditions and provider diagnostics, sorted",
			in: `{"@level":"info","type":"version","terraform":"1.11.4"}
{"type":"diagnostic","diagnostic":{"severity":"warning","summary":"Check block assertion failed","snippet":{"context":"check \"unread_backlog\""}}}
{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Module output value precondition failed","snippet":{"context":"output \"spam_chats\""}}}
{"type":"diagnostic","diagnostic":{"severity":"warning","summary":"Instance Partly Read","address":"data.whatsapp_instance.this","snippet":{"context":"data \"whatsapp_instance\" \"this\""}}}
{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Unable to Read Chat","address":"data.whatsapp_chat.support[0]"}}
{"type":"diagnostic","diagnostic":{"severity":"error","summary":"Invalid function argument"}}
`,
			want: []string{
				"error -: Invalid function argument",
				"error data.whatsapp_chat.support[0]: Unable to Read Chat",
				"error output.spam_chats: Module output value precondition failed",
				"warning check.unread_backlog: Check block assertion failed",
				"warning data.whatsapp_instance.this: Instance Partly Read",
			},
		},
		{
			name: "the dev_overrides notice and plain lines are not outcomes",
			in: `There are some problems with the CLI configuration:
{"type":"diagnostic","diagnostic":{"severity":"warning","summary":"Provider development overrides are in effect"}}
{"type":"planned_change","change":{}}
`,
			want: nil,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestReadRefusesBrokenJSON(t *testing.T) {
	if _, err := Read(strings.NewReader("{\"type\":\"diagnostic\",\n")); err == nil {
		t.Error("a broken line read as no outcome")
	}
}
