package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// The webhook examples run against the emulator's EnviaAI: the resource
// example creates both its webhooks (and the secret it passes reaches the
// API, and nothing else), the data source examples read the seeded ones.
func TestExamples_WebhookResource(t *testing.T) {
	emu, url := settingsEmulator(t)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:          enviaAIProvider(url) + readExample(t, "resources/whatsapp_webhook/resource.tf"),
			ConfigVariables: config.Variables{"webhook_secret": config.StringVariable(firstSecret)},
			Check: func(s *terraform.State) error {
				id := s.RootModule().Resources["whatsapp_webhook.orders"].Primary.ID
				if got := emu.EnviaAIWebhookSecret(id); got != firstSecret {
					return fmt.Errorf("webhook %s holds secret %q, want the one passed", id, got)
				}
				return nil
			},
			ConfigStateChecks: []statecheck.StateCheck{
				noSecretInState{webhookSecrets(emu)},
				statecheck.ExpectKnownValue("whatsapp_webhook.orders", tfjsonpath.New("instance_id"), knownvalue.StringExact("inst_demo")),
				statecheck.ExpectKnownValue("whatsapp_webhook.status", tfjsonpath.New("instance_id"), knownvalue.StringExact("inst_support")),
			},
		}},
	})
}

func TestExamples_WebhookDataSources(t *testing.T) {
	emu, url := settingsEmulator(t)
	counts := deliveryCounts(t, emu, emulator.EnviaAIWebhookOrders, 100, "")
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + readExample(t, "data-sources/whatsapp_webhooks/data-source.tf") +
				readExample(t, "data-sources/whatsapp_webhook_deliveries/data-source.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("foreign_webhooks", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(emulator.EnviaAIWebhookLegacy)})),
				statecheck.ExpectKnownOutputValue("orders_delivery_health", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"failed": counts["failed"], "failure_rate": counts["failure_rate"], "last_failure_at": counts["last_failure_at"],
					"pending_retries": counts["pending_retries"],
				})),
			},
		}},
	})
}
