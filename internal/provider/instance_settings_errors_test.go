package provider

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// wrapped matches text as Terraform prints it, wrapped at any space.
func wrapped(text string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`))
}

// Every argument the backend cannot take is refused at plan time, on that
// argument, before any request.
func TestInstanceSettingsResource_PlanTimeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, provider, arguments, want string
	}{
		{"plain http", "zapi", `webhooks = { received = "http://hooks.example.com/r" }`, `"http://hooks.example.com/r" must start with https://`},
		{"credentials in URL", "enviaai", `webhooks = { all = "https://u:pw@hooks.example.com/r" }`, `must not hold credentials`},
		{"empty URL", "zapi", `webhooks = { received = "" }`, `The "received" webhook has no URL. To clear a webhook, remove its key`},
		{"zapi unknown event", "zapi", `webhooks = { all = "https://hooks.example.com/a" }`, `Z-API has no webhook event "all"`},
		{"zapi initial data", "zapi", `webhooks = { initial_data = "https://hooks.example.com/i" }`, `Z-API has no write endpoint for the "initial_data" webhook`},
		{"zapi auto_typing", "zapi", `auto_typing = true`, `Z-API has no auto_typing setting; the settings it has are webhooks, auto_read_messages, reject_calls, reject_call_message, webhook_sent_by_me`},
		{"zapi webhook_events", "zapi", `webhook_events = ["message.received"]`, `Z-API has no webhook_events setting; the settings it has are webhooks,`},
		{"zapi other instance", "zapi", `instance_id = "another-instance"`, `Z-API credentials write the settings of the one instance they name, "demo-instance", and "another-instance" is another one.`},
		{"enviaai unknown event", "enviaai", `webhooks = { received = "https://hooks.example.com/r" }`, `EnviaAI has no webhook event "received": it has one webhook, for every event, under the key "all".`},
		{"enviaai reject_calls", "enviaai", `reject_calls = true`, `EnviaAI has no reject_calls setting; the settings it has are webhooks, webhook_events, auto_read_messages, auto_typing.`},
		{"enviaai reject_call_message", "enviaai", `reject_call_message = "Ligue depois"`, `EnviaAI has no reject_call_message setting; the settings it has are webhooks, webhook_events, auto_read_messages, auto_typing.`},
		{"enviaai webhook_sent_by_me", "enviaai", `webhook_sent_by_me = true`, `EnviaAI has no webhook_sent_by_me setting; the settings it has are webhooks, webhook_events, auto_read_messages, auto_typing.`},
		{"enviaai event name", "enviaai", `webhook_events = ["message.exploded"]`, `EnviaAI has no webhook event "message.exploded"`},
		{"enviaai instance in path", "enviaai", `instance_id = "../admin"`, `cannot be an instance id`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emu, url := settingsEmulator(t)
			provider := zapiProvider(url)
			if tc.provider == "enviaai" {
				provider = enviaAIProvider(url)
			}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      provider + "resource \"whatsapp_instance_settings\" \"test\" {\n  " + tc.arguments + "\n}",
					PlanOnly:    true,
					ExpectError: wrapped(tc.want),
				}},
			})
			if n := emu.Requests(); n != 0 {
				t.Errorf("%d requests were sent", n)
			}
		})
	}
}

// Several bad arguments are all reported at once.
func TestInstanceSettingsResource_PlanTimeErrorsTogether(t *testing.T) {
	_, url := settingsEmulator(t)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `
resource "whatsapp_instance_settings" "test" {
  reject_calls       = true
  webhook_sent_by_me = false
}`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)reject_calls.*EnviaAI has no reject_calls setting.*webhook_sent_by_me.*EnviaAI has no\s+webhook_sent_by_me\s+setting`),
		}},
	})
}

// Writes the API says it did not apply (429, 503 with Retry-After) are
// retried; a write acknowledged but not kept, and a 500 whose outcome is
// unknown, are errors naming the setting.
func TestInstanceSettingsResource_WriteFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, provider, arguments string
		faults                    emulator.Faults
		writes                    int
		want                      string
	}{
		{"zapi 429", "zapi", `auto_read_messages = false`, emulator.Faults{FailWrites: 2, FailWriteStatus: 429}, 3, ""},
		{"enviaai 429", "enviaai", `auto_read_messages = false`, emulator.Faults{FailWrites: 2, FailWriteStatus: 429}, 3, ""},
		{"zapi 503 with Retry-After", "zapi", `reject_calls = false`, emulator.Faults{FailWrites: 1, FailWriteStatus: 503, FailWriteRetryAfter: time.Millisecond}, 2, ""},
		{"enviaai 503 with Retry-After", "enviaai", `auto_typing = false`, emulator.Faults{FailWrites: 1, FailWriteStatus: 503, FailWriteRetryAfter: time.Millisecond}, 2, ""},
		{"zapi not kept", "zapi", `reject_call_message = "Ligue depois"`, emulator.Faults{IgnoreWrites: true}, 1,
			`Z-API acknowledged reject_call_message = "Ligue depois", but the instance reads back reject_call_message = "Não atendemos ligações por aqui."`},
		{"enviaai not kept", "enviaai", `webhooks = { all = "https://hooks.example.com/new" }`, emulator.Faults{IgnoreWrites: true}, 1,
			`EnviaAI acknowledged webhooks.all = "https://hooks.example.com/new", but the instance reads back`},
		{"zapi 500", "zapi", `webhook_sent_by_me = true`, emulator.Faults{FailWrites: 1, FailWriteStatus: 500}, 1,
			`Z-API: the outcome of the write of webhook_sent_by_me is unknown`},
		{"enviaai 500", "enviaai", `auto_typing = false`, emulator.Faults{FailWrites: 1, FailWriteStatus: 500}, 1,
			`EnviaAI: the outcome of the write of auto_typing is unknown`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emu, url := settingsEmulator(t)
			provider := zapiProvider(url)
			if tc.provider == "enviaai" {
				provider = enviaAIProvider(url)
			}
			step := resource.TestStep{
				PreConfig: func() { emu.SetFaults(tc.faults) },
				Config:    provider + "resource \"whatsapp_instance_settings\" \"test\" {\n  " + tc.arguments + "\n}",
			}
			if tc.want != "" {
				step.ExpectError = wrapped(tc.want)
			} else {
				name, value, _ := strings.Cut(tc.arguments, " = ")
				step.ConfigStateChecks = []statecheck.StateCheck{settings.attr(name, knownvalue.Bool(value == "true"))}
			}
			parallelTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: []resource.TestStep{step}})
			writes := 0
			for _, w := range emu.Writes() {
				if w.Method == "PUT" && strings.HasSuffix(w.Body, `"value":""}`) {
					continue // the destroy's
				}
				writes++
			}
			if writes != tc.writes {
				t.Errorf("%d writes were sent, want %d: %+v", writes, tc.writes, emu.Writes())
			}
		})
	}
}
