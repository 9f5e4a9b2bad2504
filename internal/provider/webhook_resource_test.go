package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

const webhook = expect("whatsapp_webhook.test")

// The signing secrets the tests configure.
const (
	firstSecret  = "whsec_first-5b7e0c"
	secondSecret = "whsec_second-9a41d2"
)

// webhookSecrets are the secrets configured and every secret the emulator
// holds or generated: none may be in state, a plan or an error.
func webhookSecrets(emu *emulatortest.Server) func() []string {
	seen := map[string]bool{firstSecret: true, secondSecret: true}
	return func() []string {
		for _, w := range emu.EnviaAIWebhooks() {
			seen[w["secret"].(string)] = true
		}
		out := make([]string, 0, len(seen))
		for s := range seen {
			out = append(out, s)
		}
		return out
	}
}

func leaks(text string, secrets []string) []string {
	var found []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			found = append(found, s)
		}
	}
	return found
}

// noSecretInState fails when the whole state, as Terraform keeps it, holds
// a secret.
type noSecretInState struct{ secrets func() []string }

func (c noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err == nil && !strings.Contains(string(b), "whatsapp_webhook") {
		err = fmt.Errorf("the state holds no webhook")
	}
	if found := leaks(string(b), c.secrets()); err == nil && len(found) > 0 {
		err = fmt.Errorf("the state holds %v", found)
	}
	resp.Error = err
}

// noSecretInPlan fails when the plan, as Terraform renders it, holds a
// secret.
type noSecretInPlan struct{ secrets func() []string }

func (c noSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if found := leaks(string(b), c.secrets()); err == nil && len(found) > 0 {
		err = fmt.Errorf("the plan holds %v", found)
	}
	resp.Error = err
}

// sendEnviaAI sends one request to the emulator as a user with curl would.
func sendEnviaAI(t *testing.T, method, url, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer demo-api-key")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d", method, url, res.StatusCode)
	}
}

// webhookConfig is a whatsapp_webhook on the emulator's EnviaAI. Secrets
// come in as var.secret, an ephemeral variable, as users pass them: a
// literal would be in the plan's copy of the configuration.
func webhookConfig(url, body string) string {
	return enviaAIProvider(url) + `
variable "secret" {
  type      = string
  default   = null
  sensitive = true
  ephemeral = true
}

resource "whatsapp_webhook" "test" {
` + body + "\n}\n"
}

func TestWebhookResource_Lifecycle(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	secrets := webhookSecrets(emu)
	var id, rotatedID string
	first := `
  url               = "https://hooks.example.com/wa?k=1"
  events            = ["message.received", "message.sent"]
  name              = "Orders"
  secret_wo         = var.secret
  secret_wo_version = 1`
	updated := `
  url               = "https://hooks.example.com/wa2"
  events            = ["message.received", "message.failed"]
  name              = "Orders"
  secret_wo         = var.secret
  secret_wo_version = 1`
	rotated := strings.Replace(updated, "secret_wo_version = 1", "secret_wo_version = 2", 1)
	withSecret := func(s string) config.Variables { return config.Variables{"secret": config.StringVariable(s)} }
	secretChecks := []statecheck.StateCheck{noSecretInState{secrets}, webhook.attr("secret_wo", knownvalue.Null())}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: webhookConfig(url, first), ConfigVariables: withSecret(firstSecret),
				Check: resource.ComposeTestCheckFunc(
					log.expect(t, `POST webhooks {"events":["message.received","message.sent"],"instanceId":"inst_demo","name":"Orders","secret":"`+firstSecret+`","url":"https://hooks.example.com/wa?k=1"}`),
					func(s *terraform.State) error {
						id = s.RootModule().Resources["whatsapp_webhook.test"].Primary.ID
						if got := emu.EnviaAIWebhookSecret(id); got != firstSecret {
							return fmt.Errorf("the API holds secret %q, want the configured one", got)
						}
						return nil
					}),
				ConfigStateChecks: append([]statecheck.StateCheck{
					webhook.attr("id", knownvalue.StringExact("wh_000001")),
					webhook.attr("instance_id", knownvalue.StringExact("inst_demo")),
					webhook.attr("url", knownvalue.StringExact("https://hooks.example.com/wa?k=1")),
					webhook.attr("events", knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("message.received"), knownvalue.StringExact("message.sent")})),
					webhook.attr("name", knownvalue.StringExact("Orders")),
					webhook.attr("status", knownvalue.StringExact("active")),
					webhook.attr("created_at", knownvalue.StringRegexp(regexp.MustCompile(`^2026-02-03T12:31:00\.000Z$`))),
					webhook.attr("secret_wo_version", knownvalue.Int64Exact(1)),
				}, secretChecks...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{noSecretInPlan{secrets}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), log.none(t)},
				},
			},
			{
				Config: webhookConfig(url, updated), ConfigVariables: withSecret(firstSecret),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(webhook), plancheck.ResourceActionUpdate), noSecretInPlan{secrets}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: log.expect(t, `PUT wh_000001 {"events":["message.failed","message.received"],"url":"https://hooks.example.com/wa2"}`),
				ConfigStateChecks: append([]statecheck.StateCheck{
					webhook.attr("url", knownvalue.StringExact("https://hooks.example.com/wa2")),
					webhook.attr("events", knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("message.failed"), knownvalue.StringExact("message.received")})),
				}, secretChecks...),
			},
			{
				// Changed in the panel: the plan shows it, the apply writes it back.
				PreConfig: func() {
					sendEnviaAI(t, http.MethodPut, url+"/v1/webhooks/wh_000001", `{"url":"https://attacker.example.net/x","events":["message.read"],"name":"hijacked"}`)
					log.since()
				},
				Config: webhookConfig(url, updated), ConfigVariables: withSecret(firstSecret),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(webhook), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: log.expect(t, `PUT wh_000001 {"events":["message.failed","message.received"],"name":"Orders","url":"https://hooks.example.com/wa2"}`),
				ConfigStateChecks: []statecheck.StateCheck{
					webhook.attr("url", knownvalue.StringExact("https://hooks.example.com/wa2")),
					webhook.attr("name", knownvalue.StringExact("Orders")),
				},
			},
			{
				// A new version sends the new secret, in a new webhook.
				Config: webhookConfig(url, rotated), ConfigVariables: withSecret(secondSecret),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(webhook), plancheck.ResourceActionDestroyBeforeCreate), noSecretInPlan{secrets}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					log.expect(t, `DELETE wh_000001 `,
						`POST webhooks {"events":["message.failed","message.received"],"instanceId":"inst_demo","name":"Orders","secret":"`+secondSecret+`","url":"https://hooks.example.com/wa2"}`),
					func(s *terraform.State) error {
						rotatedID = s.RootModule().Resources["whatsapp_webhook.test"].Primary.ID
						if got := emu.EnviaAIWebhookSecret(rotatedID); got != secondSecret || rotatedID == id {
							return fmt.Errorf("webhook %s holds secret %q, want the new one", rotatedID, got)
						}
						return nil
					}),
				ConfigStateChecks: append([]statecheck.StateCheck{webhook.attr("secret_wo_version", knownvalue.Int64Exact(2))}, secretChecks...),
			},
			{
				// Deleted outside Terraform: removed from state, created again.
				PreConfig: func() {
					sendEnviaAI(t, http.MethodDelete, url+"/v1/webhooks/"+rotatedID, "")
					log.since()
				},
				Config: webhookConfig(url, rotated), ConfigVariables: withSecret(secondSecret),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(webhook), plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check:             log.expect(t, `POST webhooks {"events":["message.failed","message.received"],"instanceId":"inst_demo","name":"Orders","secret":"`+secondSecret+`","url":"https://hooks.example.com/wa2"}`),
				ConfigStateChecks: append([]statecheck.StateCheck{webhook.attr("id", knownvalue.StringExact("wh_000003"))}, secretChecks...),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			for _, w := range emu.EnviaAIWebhooks() {
				if w["id"] == "wh_000003" {
					return fmt.Errorf("destroy left webhook %v", w["id"])
				}
			}
			if got := log.since(); len(got) != 1 || got[0] != "DELETE wh_000003 " {
				return fmt.Errorf("destroy wrote %q", got)
			}
			return nil
		},
	})
}

// An API-generated secret is in no state and no plan.
func TestWebhookResource_GeneratedSecret(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	secrets := webhookSecrets(emu)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: webhookConfig(url, `
  instance_id = "inst_support"
  url         = "https://hooks.example.com/support"
  events      = ["instance.disconnected"]`),
				Check: func(*terraform.State) error {
					if emu.EnviaAIWebhookSecret("wh_000001") == "" {
						return fmt.Errorf("the API generated no secret")
					}
					if got := log.since(); len(got) != 1 || strings.Contains(got[0], "secret") {
						return fmt.Errorf("writes %q, want one POST without a secret", got)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					noSecretInState{secrets},
					webhook.attr("instance_id", knownvalue.StringExact("inst_support")),
					webhook.attr("name", knownvalue.StringExact("")),
					webhook.attr("secret_wo_version", knownvalue.Null()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{noSecretInPlan{secrets}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// A configuration that matches an imported webhook plans no change.
func TestWebhookResource_Import(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	secrets := webhookSecrets(emu)
	orders := `
  url    = "https://hooks.example.com/enviaai/orders"
  events = ["message.received", "message.sent", "message.delivered"]`
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				// The seeded webhook, imported with a matching configuration.
				Config:          webhookConfig(url, orders),
				ResourceName:    string(webhook),
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   emulator.EnviaAIWebhookOrders,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					noSecretInPlan{secrets}, log.none(t),
					plancheck.ExpectKnownValue(string(webhook), tfjsonpath.New("name"), knownvalue.StringExact("Pedidos")),
				}},
			},
			{
				// An import by the command, with every attribute read back.
				Config:             webhookConfig(url, orders),
				ResourceName:       string(webhook),
				ImportState:        true,
				ImportStateId:      emulator.EnviaAIWebhookOrders,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["url"] != emulator.HooksBase+"enviaai/orders" || states[0].Attributes["instance_id"] != "inst_demo" ||
						states[0].Attributes["events.#"] != "3" || states[0].Attributes["created_at"] == "" {
						return fmt.Errorf("imported %v", states)
					}
					return nil
				},
			},
			{
				Config:           webhookConfig(url, orders),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), log.none(t)}},
			},
			{
				// A first version after an import is recorded, not sent.
				Config: webhookConfig(url, orders+`
  secret_wo         = var.secret
  secret_wo_version = 1`),
				ConfigVariables: config.Variables{"secret": config.StringVariable(firstSecret)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(webhook), plancheck.ResourceActionUpdate), noSecretInPlan{secrets}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check:             log.expect(t),
				ConfigStateChecks: []statecheck.StateCheck{webhook.attr("id", knownvalue.StringExact(emulator.EnviaAIWebhookOrders)), noSecretInState{secrets}},
			},
		},
	})
}

func TestWebhookResource_ZAPIRefusedAtPlan(t *testing.T) {
	emu, url := settingsEmulator(t)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + `
resource "whatsapp_webhook" "test" {
  url    = "https://hooks.example.com/x"
  events = ["message.received"]
}`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Webhooks Need EnviaAI.*Z-API has no webhooks API.*whatsapp_instance_settings`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(emu.Writes()); n != 0 {
				return fmt.Errorf("%d writes", n)
			}
			return nil
		},
	})
}

func TestWebhookResource_RefusedAtPlan(t *testing.T) {
	emu, url := settingsEmulator(t)
	steps := []resource.TestStep{}
	for _, tc := range []struct{ body, want string }{
		{`url = "http://hooks.example.com/t0ken-7f3a"
  events = ["message.read"]`, `(?s)Invalid Webhook URL.*url must start with https://`},
		{`url = "https://u:pw-91bd@hooks.example.com/x"
  events = ["message.read"]`, `(?s)Invalid Webhook URL.*must not hold a user name or password`},
		{`url = "https://hooks.example.com/x"
  events = ["message.deleted"]`, `(?s)events.*message\.received`},
		{`url = "https://hooks.example.com/x"
  events = []`, `(?s)events.*at least 1`},
		{`url = "https://hooks.example.com/x"
  events = ["message.read"]
  secret_wo = "literal-secret-3c0e"`, `(?s)secret_wo_version.*must be specified`},
		{`url = "https://hooks.example.com/x"
  events = ["message.read"]
  instance_id = "../x"`, `(?s)instance_id.*cannot be an instance id`},
	} {
		steps = append(steps, resource.TestStep{
			Config: webhookConfig(url, tc.body), PlanOnly: true,
			ExpectError: regexp.MustCompile(tc.want),
		})
	}
	// No error repeats the URL or the secret.
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		ErrorCheck: func(err error) error {
			if found := leaks(err.Error(), []string{"t0ken-7f3a", "pw-91bd", "literal-secret-3c0e"}); len(found) > 0 {
				t.Errorf("the error shows %v: %v", found, err)
			}
			return err
		},
		Steps: steps,
		CheckDestroy: func(*terraform.State) error {
			if n := emu.Requests(); n != 0 {
				return fmt.Errorf("%d requests before any plan passed", n)
			}
			return nil
		},
	})
}

// A write that fails leaves state holding what the API holds, so the next
// plan shows the change again.
func TestWebhookResource_FailedUpdateRecordsTheAPI(t *testing.T) {
	emu, url := settingsEmulator(t)
	config := func(u string) string {
		return webhookConfig(url, `
  url    = "`+u+`"
  events = ["message.read"]`)
	}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: config("https://hooks.example.com/a")},
			{
				PreConfig:   func() { emu.Inject(emulatortest.Fault{Faults: emulator.Faults{FailWrites: 1, FailWriteStatus: 500}}) },
				Config:      config("https://hooks.example.com/b"),
				ExpectError: regexp.MustCompile(`(?s)Unable to Update Webhook.*outcome of the write of url is unknown`),
			},
			{
				PreConfig: func() { emu.Inject(emulatortest.Fault{}) },
				Config:    config("https://hooks.example.com/b"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(webhook), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{webhook.attr("url", knownvalue.StringExact("https://hooks.example.com/b"))},
			},
		},
	})
}
