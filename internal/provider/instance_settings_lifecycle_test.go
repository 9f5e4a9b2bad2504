package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// Moving the settings to another instance replaces the resource, whether
// instance_id names the other instance or, left unset, falls back to the
// provider's.
func TestInstanceSettingsResource_AnotherInstanceReplaces(t *testing.T) {
	_, url := settingsEmulator(t)
	config := func(instance string) string {
		return enviaAIProvider(url) + `resource "whatsapp_instance_settings" "test" {` + "\n" + instance + "\n  auto_read_messages = true\n}"
	}
	replaced := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionReplace),
	}}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: config(`instance_id = "inst_demo"`)},
			{Config: config(`instance_id = "inst_support"`), ConfigPlanChecks: replaced},
			{Config: config(""), ConfigPlanChecks: replaced}, // the provider's instance_id is inst_demo
		},
	})
}

// An instance EnviaAI says does not exist leaves state with a warning, and
// the next plan creates the settings again; Z-API's "Instance not found",
// which it also answers to a wrong token, is an error that keeps state.
func TestInstanceSettingsResource_GoneInstance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		provider         func(url string) string
		config, body     string
		removedFromState bool
	}{
		{"enviaai", enviaAIProvider, `auto_read_messages = true`, `{"success":false,"error":{"code":"instance_not_found","message":"Instance not found"}}`, true},
		{"zapi", zapiProvider, `reject_calls = true`, `{"error":"Instance not found"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, url := settingsEmulator(t)
			config := tc.provider(url) + `resource "whatsapp_instance_settings" "test" {` + "\n" + tc.config + "\n}"
			gone := func() {
				emu.Inject(emulatortest.Fault{Hook: func(*http.Request, int64) *emulator.Reply {
					return &emulator.Reply{Status: http.StatusNotFound, Body: []byte(tc.body)}
				}})
			}
			refreshed := resource.TestStep{PreConfig: gone, RefreshState: true}
			if tc.removedFromState {
				refreshed.ExpectNonEmptyPlan = true
				refreshed.Check = func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources[string(settings)]; ok {
						return fmt.Errorf("%s is still in state", settings)
					}
					return nil
				}
			} else {
				refreshed.ExpectError = regexp.MustCompile(`Unable to Read Instance Settings`)
			}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{
					{Config: config},
					refreshed,
					{PreConfig: func() { emu.Inject(emulatortest.Fault{}) }, Config: config},
				},
			})
		})
	}
}
