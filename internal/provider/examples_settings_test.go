package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// The resource example with its import block: the plan imports the
// instance's settings and changes what differs, and the next plan is
// empty.
func TestExamples_InstanceSettingsResource(t *testing.T) {
	url := emulatortest.Start(t, emulator.Options{}).URL
	const main = expect("whatsapp_instance_settings.main")
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + readExample(t, "resources/whatsapp_instance_settings/resource.tf") +
				readExample(t, "resources/whatsapp_instance_settings/import-by-string-id.tf"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(main), plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				main.attr("id", knownvalue.StringExact("demo-instance")),
				main.attr("webhooks", knownvalue.MapSizeExact(3)),
				main.attr("reject_call_message", knownvalue.StringExact("We do not take calls here; please write to us.")),
				main.attr("webhook_sent_by_me", knownvalue.Bool(false)),
			},
		}},
	})
}
