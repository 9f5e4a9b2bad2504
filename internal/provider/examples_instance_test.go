package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

func TestExamples_InstanceDataSources(t *testing.T) {
	t.Parallel()
	url := emulatortest.Start(t, emulator.Options{}).URL
	example := readExample(t, "data-sources/whatsapp_instance/data-source.tf") + readExample(t, "data-sources/whatsapp_instances/data-source.tf")
	withPartner := strings.Replace(zapiProvider(url), "zapi = {", "zapi = {\n    partner_token = \""+emulator.DefaultZAPIPartnerToken+"\"", 1)
	for name, tc := range map[string]struct {
		provider     string
		disconnected string
	}{
		"Z-API":   {withPartner, emulator.ZAPIDisconnectedInstance},
		"EnviaAI": {enviaAIProvider(url), emulator.EnviaAIDisconnectedInstance},
	} {
		t.Run(name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: tc.provider + example,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownOutputValueAtPath("instance", tfjsonpath.New("status"), knownvalue.StringExact("connected")),
						statecheck.ExpectKnownOutputValueAtPath("instance", tfjsonpath.New("webhooks"), knownvalue.NotNull()),
						statecheck.ExpectKnownOutputValue("disconnected_instances", knownvalue.MapExact(map[string]knownvalue.Check{
							tc.disconnected: knownvalue.StringExact("Vendas"),
						})),
					},
				}},
			})
		})
	}
}

// The instance example holds on a disconnected instance too: it reads as
// data, and its webhook rule warns rather than failing on webhooks the
// instance refused to report (Z-API's /me while disconnected).
func TestExamples_InstanceDataSourceDisconnected(t *testing.T) {
	t.Parallel()
	url := emulatortest.Start(t, emulator.Options{}).URL
	example := readExample(t, "data-sources/whatsapp_instance/data-source.tf")
	for name, tc := range map[string]struct {
		provider string
		webhooks knownvalue.Check
	}{
		"Z-API, /me refused": {strings.Replace(zapiProvider(url), `"demo-instance"`, `"`+emulator.ZAPIDisconnectedInstance+`"`, 1), knownvalue.Null()},
		"EnviaAI":            {strings.Replace(enviaAIProvider(url), `"inst_demo"`, `"`+emulator.EnviaAIDisconnectedInstance+`"`, 1), knownvalue.NotNull()},
	} {
		t.Run(name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: tc.provider + example,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownOutputValueAtPath("instance", tfjsonpath.New("status"), knownvalue.StringExact("disconnected")),
						statecheck.ExpectKnownOutputValueAtPath("instance", tfjsonpath.New("webhooks"), tc.webhooks),
					},
				}},
			})
		})
	}
}
