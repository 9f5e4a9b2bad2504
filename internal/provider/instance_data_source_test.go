package provider

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

const instance = expect("data.whatsapp_instance.test")

// instanceEmulator serves both APIs with extra generated instances.
func instanceEmulator(t *testing.T, extra int) (*emulatortest.Server, string) {
	emu := emulatortest.Start(t, emulator.Options{Chats: 20, Instances: extra})
	return emu, emu.URL
}

// queuedOf is the emulator's queue count of a Z-API instance.
func queuedOf(t *testing.T, emu *emulatortest.Server, id string) int64 {
	t.Helper()
	n, ok := emu.ZAPIQueued(id)
	if !ok {
		t.Fatalf("the emulator has no Z-API instance %q", id)
	}
	return int64(n)
}

// emulatorTime is a time of the emulator's seeded data, as state shows it.
func emulatorTime(daysBefore int) string {
	return time.Date(2026, 2, 3, 12, 30, 0, 0, time.UTC).Add(-time.Duration(daysBefore) * 24 * time.Hour).Format(timeFormat)
}

// aboutFromNow checks a time attribute set relative to the emulator's clock.
func aboutFromNow(d time.Duration) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		got, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return err
		}
		if want := time.Now().Add(d); got.Sub(want).Abs() > 2*time.Minute {
			return &timeMismatch{got, want}
		}
		return nil
	})
}

type timeMismatch struct{ got, want time.Time }

func (e *timeMismatch) Error() string {
	return "got " + e.got.String() + ", want about " + e.want.String()
}

func TestInstanceDataSource_ZAPI(t *testing.T) {
	// Parallel before the emulator is made: expires_at is checked against
	// the emulator's clock.
	t.Parallel()
	emu, url := instanceEmulator(t, 0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + `data "whatsapp_instance" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				instance.attr("queued_messages", knownvalue.Int64Exact(queuedOf(t, emu, "demo-instance"))),
				instance.attr("id", knownvalue.StringExact("demo-instance")),
				instance.attr("name", knownvalue.StringExact("Atendimento")),
				instance.attr("status", knownvalue.StringExact("connected")),
				instance.attr("connected", knownvalue.Bool(true)),
				instance.attr("status_message", knownvalue.StringExact("You are already connected.")),
				instance.attr("phone_connected", knownvalue.Bool(true)),
				instance.attr("phone", knownvalue.Null()),
				instance.attr("profile_name", knownvalue.Null()),
				instance.attr("profile_pic_url", knownvalue.Null()),
				instance.attr("created_at", knownvalue.StringExact(emulatorTime(400))),
				instance.attr("connected_at", knownvalue.Null()),
				instance.attr("last_seen_at", knownvalue.Null()),
				instance.attr("expires_at", aboutFromNow(90*24*time.Hour)),
				instance.attr("payment_status", knownvalue.StringExact("paid")),
				instance.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{
					"received":       knownvalue.StringExact(emulator.HooksBase + "zapi/received"),
					"delivery":       knownvalue.StringExact(emulator.HooksBase + "zapi/delivery"),
					"message_status": knownvalue.StringExact(emulator.HooksBase + "zapi/status"),
					"disconnected":   knownvalue.StringExact("https://old-hooks.example.net/zapi/disconnected"),
				})),
				instance.attr("auto_read_messages", knownvalue.Bool(true)),
				instance.attr("auto_typing", knownvalue.Null()),
				instance.attr("reject_calls", knownvalue.Bool(true)),
				instance.attr("reject_call_message", knownvalue.StringExact("Não atendemos ligações por aqui.")),
				instance.attr("webhook_sent_by_me", knownvalue.Bool(false)),
				instance.attr("stats", knownvalue.Null()),
				instance.attr("health", knownvalue.Null()),
				instance.attr("instance_id", knownvalue.Null()),
			},
		}},
	})
}

// The expiring instance sends due in milliseconds, the demo instance in
// seconds: both read as the same kind of time.
func TestInstanceDataSource_ZAPIExpiringInstance(t *testing.T) {
	// Parallel before the emulator is made: expires_at is checked against
	// the emulator's clock.
	t.Parallel()
	_, url := instanceEmulator(t, 0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: strings.Replace(zapiProvider(url), "demo-instance", emulator.ZAPIExpiringInstance, 1) + `data "whatsapp_instance" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				instance.attr("expires_at", aboutFromNow(5*24*time.Hour)),
				instance.attr("payment_status", knownvalue.StringExact("pending")),
				instance.attr("phone_connected", knownvalue.Bool(false)),
				instance.attr("webhook_sent_by_me", knownvalue.Bool(true)),
				instance.attr("auto_read_messages", knownvalue.Bool(false)),
				instance.attr("webhooks", knownvalue.MapSizeExact(3)),
			},
		}},
	})
}

func TestInstanceDataSource_EnviaAI(t *testing.T) {
	_, url := instanceEmulator(t, 0)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `data "whatsapp_instance" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				instance.attr("queued_messages", knownvalue.Null()),
				instance.attr("id", knownvalue.StringExact("inst_demo")),
				instance.attr("name", knownvalue.StringExact("Atendimento")),
				instance.attr("status", knownvalue.StringExact("connected")),
				instance.attr("connected", knownvalue.Bool(true)),
				instance.attr("status_message", knownvalue.Null()),
				instance.attr("phone_connected", knownvalue.Null()),
				instance.attr("phone", knownvalue.StringExact("5511987650000")),
				instance.attr("profile_name", knownvalue.StringExact("Loja Centro")),
				instance.attr("profile_pic_url", knownvalue.StringExact("https://pps.whatsapp.net/v/t61/profile-inst_demo.jpg")),
				instance.attr("created_at", knownvalue.StringExact(emulatorTime(300))),
				instance.attr("connected_at", knownvalue.StringExact(emulatorTime(3))),
				instance.attr("last_seen_at", knownvalue.StringExact(time.Date(2026, 2, 3, 12, 29, 0, 0, time.UTC).Format(timeFormat))),
				instance.attr("expires_at", knownvalue.Null()),
				instance.attr("payment_status", knownvalue.Null()),
				instance.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{"all": knownvalue.StringExact(emulator.HooksBase + "enviaai/inst_demo")})),
				instance.attr("auto_read_messages", knownvalue.Bool(true)),
				instance.attr("auto_typing", knownvalue.Bool(true)),
				instance.attr("reject_calls", knownvalue.Null()),
				instance.attr("reject_call_message", knownvalue.Null()),
				instance.attr("webhook_sent_by_me", knownvalue.Null()),
				instance.attr("stats", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"messages_sent_today": knownvalue.Int64Exact(120), "messages_received_today": knownvalue.Int64Exact(340),
					"active_chats": knownvalue.Int64Exact(42), "unread_messages": knownvalue.Int64Exact(17),
				})),
				instance.attr("health", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"uptime_seconds": knownvalue.Int64Exact(259200), "latency_ms": knownvalue.Int64Exact(85),
					"message_delivery_rate": knownvalue.Float64Exact(0.985),
				})),
			},
		}},
	})
}

// Instances that are not connected read successfully, as data.
func TestInstanceDataSource_EnviaAIStatesAreData(t *testing.T) {
	_, url := instanceEmulator(t, 0)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `
data "whatsapp_instance" "test" { instance_id = "` + emulator.EnviaAIPairingInstance + `" }
data "whatsapp_instance" "connecting" { instance_id = "` + emulator.EnviaAIConnectingInstance + `" }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				instance.attr("status", knownvalue.StringExact("qr_pending")),
				instance.attr("connected", knownvalue.Bool(false)),
				instance.attr("phone", knownvalue.Null()),
				instance.attr("webhooks", knownvalue.MapSizeExact(0)),
				instance.attr("instance_id", knownvalue.StringExact(emulator.EnviaAIPairingInstance)),
				expect("data.whatsapp_instance.connecting").attr("status", knownvalue.StringExact("connecting")),
				expect("data.whatsapp_instance.connecting").attr("auto_typing", knownvalue.Bool(true)),
			},
		}},
	})
}

// A disconnected instance reads through the CLI with the refused
// endpoint's attributes null.
func TestInstanceDataSource_DisconnectedIsAPartialRead(t *testing.T) {
	t.Parallel()
	_, url := instanceEmulator(t, 0)
	for name, tc := range map[string]struct {
		config string
		checks []statecheck.StateCheck
	}{
		"Z-API": {strings.Replace(zapiProvider(url), "demo-instance", emulator.ZAPIDisconnectedInstance, 1) + `data "whatsapp_instance" "test" {}`, []statecheck.StateCheck{
			instance.attr("status", knownvalue.StringExact("disconnected")),
			instance.attr("connected", knownvalue.Bool(false)),
			instance.attr("status_message", knownvalue.StringExact("You need to restore the session.")),
			instance.attr("phone_connected", knownvalue.Bool(true)),
			instance.attr("name", knownvalue.Null()),
			instance.attr("webhooks", knownvalue.Null()),
			instance.attr("expires_at", knownvalue.Null()),
		}},
		"EnviaAI": {enviaAIProvider(url) + `data "whatsapp_instance" "test" { instance_id = "` + emulator.EnviaAIDisconnectedInstance + `" }`, []statecheck.StateCheck{
			instance.attr("status", knownvalue.StringExact("disconnected")),
			instance.attr("connected", knownvalue.Bool(false)),
			instance.attr("name", knownvalue.StringExact("Vendas")),
			instance.attr("webhooks", knownvalue.MapExact(map[string]knownvalue.Check{"all": knownvalue.StringExact("https://old-hooks.example.net/enviaai/sales")})),
			instance.attr("stats", knownvalue.Null()),
			instance.attr("connected_at", knownvalue.Null()),
		}},
	} {
		t.Run(name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps:                    []resource.TestStep{{Config: tc.config, ConfigStateChecks: tc.checks}},
			})
		})
	}
}

// The warning the CLI prints for a partial read: the test harness shows no
// warnings, so the data source is read here directly.
func TestInstanceDataSource_PartialReadWarns(t *testing.T) {
	_, url := instanceEmulator(t, 0)
	zapi, err := client.NewZAPI(client.ZAPIConfig{BaseURL: url, InstanceID: emulator.ZAPIDisconnectedInstance, Token: "demo-token", ClientToken: "demo-client-token"}, client.HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	envia, err := client.NewEnviaAI(client.EnviaAIConfig{BaseURL: url, APIKey: "demo-api-key", InstanceID: emulator.EnviaAIDisconnectedInstance}, client.HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		c    *client.Client
		want string
	}{
		"Z-API":   {zapi, `(?s)^Z-API refused GET /me because the instance is not connected to WhatsApp: .*"You are not connected\.".*null: name, created_at, expires_at, payment_status, webhooks, `},
		"EnviaAI": {envia, `(?s)^EnviaAI refused GET /v1/instances/\{id\}/status because the instance is not connected to WhatsApp: .*instance_disconnected.*null: phone, .*stats, health\.`},
		"Z-API queue refused": {func() *client.Client {
			emu, url := instanceEmulator(t, 0)
			emu.Inject(emulatortest.Fault{Faults: emulator.Faults{RefuseQueue: true}})
			c, _ := client.NewZAPI(client.ZAPIConfig{BaseURL: url, InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token"}, client.HTTPOptions{})
			return c
		}(), `(?s)^Z-API did not give GET /queue/count: .*HTTP 400.*"` + emulator.ZAPIQueueRefusal + `".*null: queued_messages\. The others were read\.`},
		"connected": {func() *client.Client {
			c, _ := client.NewEnviaAI(client.EnviaAIConfig{BaseURL: url, APIKey: "demo-api-key", InstanceID: "inst_demo"}, client.HTTPOptions{})
			return c
		}(), ""},
	} {
		t.Run(name, func(t *testing.T) {
			diags := readInstanceDirectly(t, tc.c)
			if diags.HasError() {
				t.Fatalf("errors: %v", diags)
			}
			warnings := diags.Warnings()
			if tc.want == "" {
				if len(warnings) != 0 {
					t.Errorf("warnings for a connected instance: %v", warnings)
				}
				return
			}
			if len(warnings) != 1 || warnings[0].Summary() != "Instance Partly Read" || !regexp.MustCompile(tc.want).MatchString(warnings[0].Detail()) {
				t.Errorf("warnings = %v, want one matching %s", warnings, tc.want)
			}
		})
	}
}

func readInstanceDirectly(t *testing.T, c *client.Client) diag.Diagnostics {
	t.Helper()
	ds := &instanceDataSource{configuredDataSource{data: &providerData{client: c}}}
	resp, config := dataSourceSchema(t, ds, map[string]tftypes.Value{})
	out := datasource.ReadResponse{State: tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(t.Context()), nil)}}
	ds.Read(t.Context(), datasource.ReadRequest{Config: config}, &out)
	return out.Diagnostics
}

func TestInstanceDataSource_Errors(t *testing.T) {
	emu, url := instanceEmulator(t, 0)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config:      zapiProvider(url) + `data "whatsapp_instance" "test" { instance_id = "other" }`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Argument for This Backend.*instance_id: Z-API credentials reach one instance, the one they name\s+\("demo-instance"\): another instance of the account, even one its listing\s+shows, needs its own id and token`),
			},
			{
				Config:      enviaAIProvider(url) + `data "whatsapp_instance" "test" { instance_id = "inst_nope" }`,
				ExpectError: regexp.MustCompile(`(?s)Unable to Read Instance.*instance_id = "inst_nope".*HTTP 404 Not Found with error\s+"instance_not_found"`),
			},
			{
				Config:      strings.Replace(zapiProvider(url), `token        = "demo-token"`, `token = "wrong"`, 1) + `data "whatsapp_instance" "test" {}`,
				ExpectError: regexp.MustCompile(`(?s)Unable to Read Instance.*Instance not found.*Check instance_id`),
			},
		},
	})
	emu.Inject(emulatortest.Fault{Faults: emulator.Faults{FailFirst: 3, FailStatus: 502}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:            zapiProvider(url) + `data "whatsapp_instance" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{instance.attr("status", knownvalue.StringExact("connected"))},
		}},
	})
}

// A connecting or pairing EnviaAI instance reads as such, and its chats
// are refused as not connected yet: not as an unknown instance_id.
func TestChatsDataSource_EnviaAIInstanceNotConnectedYet(t *testing.T) {
	t.Parallel()
	for _, id := range []string{emulator.EnviaAIConnectingInstance, emulator.EnviaAIPairingInstance} {
		t.Run(id, func(t *testing.T) {
			_, url := instanceEmulator(t, 0)
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      enviaAIProvider(url) + `data "whatsapp_chats" "test" { instance_id = "` + id + `" }`,
					ExpectError: regexp.MustCompile(`(?s)Unable to List Chats.*instance_disconnected.*not\s+connected\s+yet.*still\s+connecting.*QR\s+code`),
				}},
			})
		})
	}
}

// A created date in a form the provider does not read is null with a
// warning that quotes it escaped; the rest of the instance is read.
func TestInstanceDataSource_UnknownCreatedWarns(t *testing.T) {
	t.Parallel()
	emu, url := instanceEmulator(t, 0)
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		if !strings.HasSuffix(r.URL.Path, "/me") {
			return nil
		}
		var me map[string]any
		_ = json.Unmarshal(emu.Answer(r).Body, &me)
		me["created"] = "29/03/2022 \x1b[1m"
		body, _ := json.Marshal(me)
		return &emulator.Reply{Status: 200, Body: body}
	}})
	c, err := client.NewZAPI(client.ZAPIConfig{BaseURL: url, InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token"}, client.HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diags := readInstanceDirectly(t, c)
	if diags.HasError() {
		t.Fatalf("errors: %v", diags)
	}
	w := diags.Warnings()
	if len(w) != 1 || w[0].Summary() != "Instance Value Not Read" ||
		!strings.Contains(w[0].Detail(), `Z-API sent "29/03/2022 \u001b[1m" for created_at of instance "demo-instance"`) ||
		strings.ContainsRune(w[0].Detail(), '\x1b') {
		t.Errorf("warnings = %v, want one quoting the value escaped", w)
	}
}
