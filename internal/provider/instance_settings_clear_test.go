package provider

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// Neither API says how a webhook is cleared. Where it refuses the clear
// the provider sends, removing the webhook from the map and destroying the
// resource fail on the webhook, saying what was sent and to clear it in
// the panel; state keeps the webhook; once it is cleared in the panel, the
// destroy goes through.
func TestInstanceSettingsResource_ClearRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, provider, key, url, sent string
		clearInPanel                   func(t *testing.T, base string)
	}{
		{"zapi", "zapi", "received", "https://hooks.example.com/r", `update-webhook-received\s+\{"value": ""\}`, func(t *testing.T, base string) {
			panelWrite(t, http.MethodPut, base+"/instances/demo-instance/token/demo-token/update-webhook-received", `{"value":""}`, "Client-Token", "demo-client-token")
		}},
		{"enviaai", "enviaai", "all", "https://hooks.example.com/e", `webhookUrl:\s+null`, func(t *testing.T, base string) {
			panelWrite(t, http.MethodPatch, base+"/v1/instances/inst_demo", `{"webhookUrl":null}`, "Authorization", "Bearer demo-api-key")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, url := settingsEmulator(t)
			provider := map[string]func(string) string{"zapi": zapiProvider, "enviaai": enviaAIProvider}[tc.provider](url)
			config := func(hooks string) string {
				return provider + `
resource "whatsapp_instance_settings" "test" {
  webhooks = {` + hooks + `}
}`
			}
			refused := regexp.MustCompile(`(?s)Webhook Not Cleared.*refused to clear webhooks\.` + tc.key + `.*` + tc.sent + `.*Clear the webhook in the .*panel`)
			kept := []statecheck.StateCheck{settings.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{tc.key: knownvalue.StringExact(tc.url)}))}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{
					{Config: config(tc.key + ` = "` + tc.url + `"`), ConfigStateChecks: kept},
					{
						PreConfig:   func() { emu.Inject(emulatortest.Fault{Faults: emulator.Faults{RefuseWebhookClears: true}}) },
						Config:      config(""),
						ExpectError: refused,
					},
					// State still holds the webhook the API would not clear.
					{Config: config(tc.key + ` = "` + tc.url + `"`), ConfigStateChecks: kept},
					{Config: config(tc.key + ` = "` + tc.url + `"`), Destroy: true, ExpectError: refused},
					{
						PreConfig: func() {
							emu.Inject(emulatortest.Fault{})
							tc.clearInPanel(t, url)
							emu.Inject(emulatortest.Fault{Faults: emulator.Faults{RefuseWebhookClears: true}})
						},
						Config:  config(tc.key + ` = "` + tc.url + `"`),
						Destroy: true,
					},
				},
			})
		})
	}
}

// panelWrite changes the emulator's instance behind the provider's back.
func panelWrite(t *testing.T, method, url, body, header, value string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(header, value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d", method, url, resp.StatusCode)
	}
}
