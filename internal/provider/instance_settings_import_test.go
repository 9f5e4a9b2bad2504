package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// An import reads every setting and manages none; a configuration that
// matches the instance then plans no change, with terraform import and with
// an import block alike.
func TestInstanceSettingsResource_Import(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, provider, resource, id string
	}{
		{"zapi", "zapi", `
resource "whatsapp_instance_settings" "test" {
  webhooks = {
    received       = "` + zapiHooks + `received"
    delivery       = "` + zapiHooks + `delivery"
    message_status = "` + zapiHooks + `status"
    disconnected   = "https://old-hooks.example.net/zapi/disconnected"
  }
  auto_read_messages  = true
  reject_calls        = true
  reject_call_message = "Não atendemos ligações por aqui."
  webhook_sent_by_me  = false
}`, "demo-instance"},
		{"enviaai", "enviaai", `
resource "whatsapp_instance_settings" "test" {
  webhooks           = { all = "` + emulator.HooksBase + `enviaai/inst_demo" }
  auto_read_messages = true
  auto_typing        = true
}`, "inst_demo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, url := settingsEmulator(t)
			provider := zapiProvider(url)
			if tc.provider == "enviaai" {
				provider = enviaAIProvider(url)
			}
			log := &writeLog{emu: emu}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{
					{
						Config: provider + tc.resource,
						ConfigStateChecks: []statecheck.StateCheck{
							settings.attr("id", knownvalue.StringExact(tc.id)),
						},
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{log.none(t)}},
					},
					{
						ResourceName:      string(settings),
						ImportState:       true,
						ImportStateId:     tc.id,
						ImportStateVerify: true,
						ImportStateCheck: func([]*terraform.InstanceState) error {
							log.none(t).CheckPlan(t.Context(), plancheck.CheckPlanRequest{}, nil)
							return nil
						},
					},
					{
						ResourceName:     string(settings),
						ImportState:      true,
						ImportStateKind:  resource.ImportBlockWithID,
						ImportStateId:    tc.id,
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{log.none(t)}},
					},
				},
			})
		})
	}
}
