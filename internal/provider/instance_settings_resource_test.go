package provider

import (
	"context"
	"path"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

const settings = expect("whatsapp_instance_settings.test")

// settingsEmulator serves both APIs for the resource tests.
func settingsEmulator(t *testing.T) (*emulatortest.Server, string) {
	emu := emulatortest.Start(t, emulator.Options{Chats: 1})
	return emu, emu.URL
}

// writeLog is the writes an emulator received, each as
// "METHOD last-path-segment body".
type writeLog struct {
	emu  *emulatortest.Server
	seen int
}

// since returns the writes received since the last call.
func (l *writeLog) since() []string {
	all := l.emu.Writes()
	var out []string
	for _, w := range all[l.seen:] {
		out = append(out, w.Method+" "+path.Base(w.Path)+" "+w.Body)
	}
	l.seen = len(all)
	return out
}

// expectWrites is a step check that the writes since the previous check
// are exactly want.
func (l *writeLog) expect(t *testing.T, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := l.since(); !reflect.DeepEqual(got, want) && (len(got) != 0 || len(want) != 0) {
			t.Errorf("writes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		return nil
	}
}

// none is a plan check that nothing was written since the last check,
// which it marks as seen.
func (l *writeLog) none(t *testing.T) plancheck.PlanCheck { return noWrites{l, t} }

type noWrites struct {
	log *writeLog
	t   *testing.T
}

func (n noWrites) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	if got := n.log.since(); len(got) > 0 {
		n.t.Errorf("unexpected writes:\n  %s", strings.Join(got, "\n  "))
	}
}

const zapiHooks = emulator.HooksBase + "zapi/"

func TestInstanceSettingsResource_ZAPICreateUpdate(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: zapiProvider(url) + `
resource "whatsapp_instance_settings" "test" {
  webhooks           = { received = "https://hooks.example.com/r", connected = "https://hooks.example.com/c" }
  auto_read_messages = false
}`,
				Check: log.expect(t,
					`PUT update-webhook-connected {"value":"https://hooks.example.com/c"}`,
					`PUT update-webhook-received {"value":"https://hooks.example.com/r"}`,
					`PUT update-auto-read-message {"value":false}`),
				ConfigStateChecks: []statecheck.StateCheck{
					settings.attr("id", knownvalue.StringExact("demo-instance")),
					settings.attr("instance_id", knownvalue.StringExact("demo-instance")),
					settings.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{
						"received": knownvalue.StringExact("https://hooks.example.com/r"), "connected": knownvalue.StringExact("https://hooks.example.com/c"),
					})),
					settings.attr("auto_read_messages", knownvalue.Bool(false)),
					// Unset: read, not written.
					settings.attr("reject_calls", knownvalue.Bool(true)),
					settings.attr("reject_call_message", knownvalue.StringExact("Não atendemos ligações por aqui.")),
					settings.attr("webhook_sent_by_me", knownvalue.Bool(false)),
					// Not on Z-API.
					settings.attr("auto_typing", knownvalue.Null()),
					settings.attr("webhook_events", knownvalue.Null()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// One URL changed, one event removed, one setting added:
				// only those are sent.
				Config: zapiProvider(url) + `
resource "whatsapp_instance_settings" "test" {
  webhooks           = { received = "https://hooks.example.com/r2" }
  auto_read_messages = false
  reject_calls       = false
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionUpdate),
				}, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: log.expect(t,
					`PUT update-webhook-connected {"value":""}`,
					`PUT update-webhook-received {"value":"https://hooks.example.com/r2"}`,
					`PUT update-call-reject-auto {"value":false}`),
				ConfigStateChecks: []statecheck.StateCheck{
					settings.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{"received": knownvalue.StringExact("https://hooks.example.com/r2")})),
					settings.attr("reject_calls", knownvalue.Bool(false)),
				},
			},
		},
	})
}

func TestInstanceSettingsResource_EnviaAICreateUpdate(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	config := func(autoRead string) string {
		return enviaAIProvider(url) + `
resource "whatsapp_instance_settings" "test" {
  instance_id        = "inst_support"
  webhooks           = { all = "https://hooks.example.com/support" }
  webhook_events     = ["message.received", "instance.disconnected"]
  auto_typing        = false
` + autoRead + `
}`
	}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				Check: log.expect(t,
					`PATCH inst_support {"settings":{"autoTyping":false},"webhookEvents":["instance.disconnected","message.received"],"webhookUrl":"https://hooks.example.com/support"}`),
				ConfigStateChecks: []statecheck.StateCheck{
					settings.attr("id", knownvalue.StringExact("inst_support")),
					settings.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{"all": knownvalue.StringExact("https://hooks.example.com/support")})),
					settings.attr("webhook_events", knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("instance.disconnected"), knownvalue.StringExact("message.received"),
					})),
					settings.attr("auto_typing", knownvalue.Bool(false)),
					settings.attr("auto_read_messages", knownvalue.Bool(false)),
					settings.attr("reject_calls", knownvalue.Null()),
					settings.attr("reject_call_message", knownvalue.Null()),
					settings.attr("webhook_sent_by_me", knownvalue.Null()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: config(`  auto_read_messages = true`),
				Check:  log.expect(t, `PATCH inst_support {"settings":{"autoRead":true}}`),
				ConfigStateChecks: []statecheck.StateCheck{
					settings.attr("auto_read_messages", knownvalue.Bool(true)),
					settings.attr("auto_typing", knownvalue.Bool(false)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A disconnected instance is data: EnviaAI takes its settings, and the
// read back confirms them from the listing.
func TestInstanceSettingsResource_EnviaAIDisconnectedInstance(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `
resource "whatsapp_instance_settings" "test" {
  instance_id        = "` + emulator.EnviaAIDisconnectedInstance + `"
  auto_read_messages = true
}`,
			Check: log.expect(t, `PATCH `+emulator.EnviaAIDisconnectedInstance+` {"settings":{"autoRead":true}}`),
			ConfigStateChecks: []statecheck.StateCheck{
				settings.attr("auto_read_messages", knownvalue.Bool(true)),
				settings.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{"all": knownvalue.StringExact("https://old-hooks.example.net/enviaai/sales")})),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}
