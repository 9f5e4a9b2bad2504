package provider

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
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
		{"plain http", "zapi", `webhooks = { received = "http://hooks.example.com/r" }`, `The "received" webhook URL uses plain http to a host that is not loopback (http://hooks.example.com)`},
		{"credentials in URL", "enviaai", `webhooks = { all = "https://u:pw@hooks.example.com/r" }`, `The "all" webhook URL must not hold a user name or password (https://hooks.example.com)`},
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
				PreConfig: func() { emu.Inject(emulatortest.Fault{Faults: tc.faults}) },
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

// A URL that does not parse is never repeated in an error, password
// included, though the variable that holds it is marked sensitive: the
// error names the attribute and what is wrong.
func TestInstanceSettingsResource_URLNotEchoed(t *testing.T) {
	t.Parallel()
	const bad = "https://user:Hk#pass@host/wh"
	for _, tc := range []struct{ name, config, want string }{
		{"webhook", zapiProvider("http://127.0.0.1:1") + `resource "whatsapp_instance_settings" "test" {
  webhooks = { received = var.url }
}`, `The "received" webhook URL is not a URL (invalid port after host)`},
		{"base_url", `provider "whatsapp" {
  zapi = { instance_id = "i", token = "t", base_url = var.url }
}
data "whatsapp_instance" "test" {}`, `zapi.base_url: the base URL is not a URL (invalid port after host)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				ErrorCheck: func(err error) error {
					for _, part := range []string{"Hk", "pass@", "user:", "/wh"} {
						if err != nil && strings.Contains(err.Error(), part) {
							t.Errorf("the error repeats %q of the URL:\n%v", part, err)
						}
					}
					return err
				},
				Steps: []resource.TestStep{{
					Config:      "variable \"url\" {\n  default   = \"" + bad + "\"\n  sensitive = true\n}\n" + tc.config,
					PlanOnly:    true,
					ExpectError: wrapped(tc.want),
				}},
			})
		})
	}
}

// refuseWrite is a hook that refuses the nth write (not GET) it sees with
// Z-API's 400, and lets every other request through.
func refuseWrite(n int64) emulator.Hook {
	var writes atomic.Int64
	return func(r *http.Request, _ int64) *emulator.Reply {
		if r.Method == http.MethodGet || writes.Add(1) != n {
			return nil
		}
		return &emulator.Reply{Status: 400, Body: []byte(`{"error":"Z-API refused this webhook"}`)}
	}
}

// priorWebhooks checks the webhooks the plan starts from: what state holds.
type priorWebhooks map[string]any

func (want priorWebhooks) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != string(settings) {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before["webhooks"]; !reflect.DeepEqual(got, map[string]any(want)) {
			resp.Error = fmt.Errorf("state holds webhooks %v, want %v", got, map[string]any(want))
		}
		return
	}
	resp.Error = fmt.Errorf("no change for %s", settings)
}

// When the 3rd of five writes is refused, state records what the instance
// holds (the two webhooks written before it, the rest as they were), the
// error is on the webhook refused and names those written, so a plan back
// to the old configuration without refresh shows them, and applies.
func TestInstanceSettingsResource_FailedWriteLeavesStateTrue(t *testing.T) {
	emu, url := settingsEmulator(t)
	hooks := func(base string) string {
		return fmt.Sprintf(`resource "whatsapp_instance_settings" "test" {
  webhooks = {
    connected    = "https://%[1]s.example.com/c"
    delivery     = "https://%[1]s.example.com/d"
    disconnected = "https://%[1]s.example.com/x"
    received     = "https://%[1]s.example.com/r"
  }
  reject_calls = %[2]t
}`, base, base == "new")
	}
	old := zapiProvider(url) + hooks("old")
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		AdditionalCLIOptions:     &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
		Steps: []resource.TestStep{
			{Config: old},
			{
				PreConfig: func() { emu.Inject(emulatortest.Fault{Hook: refuseWrite(3)}) },
				Config:    zapiProvider(url) + hooks("new"),
				ExpectError: regexp.MustCompile(`(?s)Unable to Write Instance Settings.*disconnected = "https://new.example.com/x".*Z-API refused this webhook"; before it,\s+Z-API took webhooks.connected,\s+webhooks.delivery.*` +
					`The\s+write\s+of\s+webhooks.disconnected\s+failed.\s+State\s+now\s+records\s+what\s+the\s+instance\s+holds`),
			},
			{
				PreConfig: func() { emu.Inject(emulatortest.Fault{}) },
				Config:    old,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionUpdate),
					priorWebhooks{
						"connected": "https://new.example.com/c", "delivery": "https://new.example.com/d",
						"disconnected": "https://old.example.com/x", "received": "https://old.example.com/r",
					},
				}},
				ConfigStateChecks: []statecheck.StateCheck{settings.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{
					"connected": knownvalue.StringExact("https://old.example.com/c"), "delivery": knownvalue.StringExact("https://old.example.com/d"),
					"disconnected": knownvalue.StringExact("https://old.example.com/x"), "received": knownvalue.StringExact("https://old.example.com/r"),
				}))},
			},
		},
	})
}
