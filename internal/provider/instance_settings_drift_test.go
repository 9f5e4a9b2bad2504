package provider

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// outside is a client of the emulator's instances, for changes made
// behind Terraform's back.
func outside(t *testing.T, url, backend string) *client.Client {
	t.Helper()
	var c *client.Client
	var err error
	if backend == client.BackendZAPI {
		c, err = client.NewZAPI(client.ZAPIConfig{BaseURL: url, InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token"}, client.HTTPOptions{})
	} else {
		c, err = client.NewEnviaAI(client.EnviaAIConfig{BaseURL: url, APIKey: "demo-api-key", InstanceID: "inst_demo"}, client.HTTPOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func change(t *testing.T, c *client.Client, s client.InstanceSettings) func() {
	return func() {
		if _, err := c.UpdateInstanceSettings(t.Context(), "", s); err != nil {
			t.Fatalf("changing settings outside Terraform: %v", err)
		}
	}
}

// A change made outside Terraform to a managed setting shows in the next
// plan, and the apply writes back only that; a change to an unmanaged one
// is read, and plans nothing.
func TestInstanceSettingsResource_Drift(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		backend, provider, config string
		drift                     client.InstanceSettings
		// changed is the attribute the drift changed, with the
		// configured value; unmanaged the one changed but not managed.
		changed, unmanaged string
		want               knownvalue.Check
		repair             []string
	}{
		{client.BackendZAPI, "zapi", `webhooks = { received = "https://hooks.example.com/r" }`,
			client.InstanceSettings{Webhooks: map[string]string{"received": "https://evil.example.com/r"}, RejectCalls: new(false)},
			"webhooks", "reject_calls", knownvalue.MapExact(map[string]knownvalue.Check{"received": knownvalue.StringExact("https://hooks.example.com/r")}),
			[]string{`PUT update-webhook-received {"value":"https://hooks.example.com/r"}`}},
		{client.BackendEnviaAI, "enviaai", `auto_read_messages = true`,
			client.InstanceSettings{AutoReadMessages: new(false), AutoTyping: new(false)},
			"auto_read_messages", "auto_typing", knownvalue.Bool(true),
			[]string{`PATCH inst_demo {"settings":{"autoRead":true}}`}},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			emu, url := settingsEmulator(t)
			provider := zapiProvider(url)
			if tc.provider == "enviaai" {
				provider = enviaAIProvider(url)
			}
			config := provider + `resource "whatsapp_instance_settings" "test" {` + "\n" + tc.config + "\n}"
			log := &writeLog{emu: emu}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() { change(t, outside(t, url, tc.backend), tc.drift)(); log.since() },
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionUpdate),
								plancheck.ExpectKnownValue(string(settings), tfjsonpath.New(tc.changed), tc.want),
								plancheck.ExpectKnownValue(string(settings), tfjsonpath.New(tc.unmanaged), knownvalue.Bool(false)),
								log.none(t), // a plan writes nothing
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: log.expect(t, tc.repair...),
					},
				},
			})
		})
	}
}

// Destroying clears the webhooks the resource manages and nothing else.
func TestInstanceSettingsResource_Destroy(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + `
resource "whatsapp_instance_settings" "test" {
  webhooks           = { received = "https://hooks.example.com/r", connected = "https://hooks.example.com/c" }
  auto_read_messages = false
}`,
		}},
		CheckDestroy: func(*terraform.State) error {
			log.seen = 3 // the create's writes
			if got, want := log.since(), []string{`PUT update-webhook-connected {"value":""}`, `PUT update-webhook-received {"value":""}`}; strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("destroy wrote:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			read, err := outside(t, url, client.BackendZAPI).ReadInstance(t.Context(), "")
			if err != nil {
				return err
			}
			in := read.Instance
			if in.Webhooks["delivery"] != emulator.HooksBase+"zapi/delivery" || *in.AutoReadMessages {
				t.Errorf("destroy changed what it does not manage: %+v, auto_read_messages %v", in.Webhooks, *in.AutoReadMessages)
			}
			return nil
		},
	})
}

// The destroy plan warns that only the managed webhooks are cleared.
func TestInstanceSettingsResource_DestroyWarning(t *testing.T) {
	s := newServer(&whatsappProvider{version: "test"})
	schemas, err := s.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.ResourceSchemas["whatsapp_instance_settings"].ValueType().(tftypes.Object)
	null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	private, _ := json.Marshal(map[string][]byte{managedKey: managedSettings{Settings: []string{"auto_read_messages", "webhooks"}, Webhooks: []string{"connected", "received"}}.encode()})
	resp, err := s.PlanResourceChange(t.Context(), &tfprotov6.PlanResourceChangeRequest{
		TypeName:         "whatsapp_instance_settings",
		PriorState:       objectValue(t, typ, map[string]any{"id": "demo-instance", "instance_id": "demo-instance"}),
		ProposedNewState: &null, Config: &null, PriorPrivate: private,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(resp.Diagnostics[0].Detail, "clears the webhook URLs it manages (connected, received) and resets nothing else") ||
		!strings.Contains(resp.Diagnostics[0].Detail, "These keep their current values: auto_read_messages.") {
		t.Errorf("diagnostics: %+v", resp.Diagnostics)
	}
}

// While webhooks is unset, state holds every event; a map then set manages
// the events it names and leaves the others as they are, as a create with
// it would. Removing the map stops managing the webhooks: nothing is
// written, and destroy clears nothing.
func TestInstanceSettingsResource_WebhooksTakenAndReleased(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	without := zapiProvider(url) + `resource "whatsapp_instance_settings" "test" { auto_read_messages = false }`
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config:            without,
				Check:             log.expect(t, `PUT update-auto-read-message {"value":false}`),
				ConfigStateChecks: []statecheck.StateCheck{settings.attr("webhooks", knownvalue.MapSizeExact(4))},
			},
			{
				Config: zapiProvider(url) + `resource "whatsapp_instance_settings" "test" {
  auto_read_messages = false
  webhooks           = { received = "https://hooks.example.com/new" }
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(string(settings), tfjsonpath.New("webhooks"), knownvalue.MapExact(map[string]knownvalue.Check{
						"received": knownvalue.StringExact("https://hooks.example.com/new"),
					})),
				}},
				Check: log.expect(t, `PUT update-webhook-received {"value":"https://hooks.example.com/new"}`),
			},
			{
				Config: without,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectUnknownValue(string(settings), tfjsonpath.New("webhooks"))},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: log.expect(t),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if got := log.since(); len(got) != 0 {
				t.Errorf("destroy wrote %q, want nothing: the webhooks were no longer managed", got)
			}
			return nil
		},
	})
}
