package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

const instances = expect("data.whatsapp_instances.test")

// zapiPartnerProvider is a Z-API provider block with only a partner token.
func zapiPartnerProvider(baseURL string) string {
	return fmt.Sprintf(`
provider "whatsapp" {
  zapi = {
    partner_token = %q
    base_url      = %q
  }
}
`, emulator.DefaultZAPIPartnerToken, baseURL)
}

func (e expect) instance(i int, name string, v knownvalue.Check) statecheck.StateCheck {
	return e.value(tfjsonpath.New("instances").AtSliceIndex(i).AtMapKey(name), v)
}

// ids checks the instances' ids, in order.
func (e expect) ids(ids ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	return e.attr("instances", knownvalue.ListExact(checks))
}

func TestInstancesDataSource_ZAPI(t *testing.T) {
	// Parallel before the emulator is made: expires_at is checked against
	// the emulator's clock.
	t.Parallel()
	_, url := instanceEmulator(t, 0)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiPartnerProvider(url) + `data "whatsapp_instances" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				instances.attr("total", knownvalue.Int64Exact(3)),
				instances.ids("demo-instance", emulator.ZAPIDisconnectedInstance, emulator.ZAPIExpiringInstance),
				instances.instance(0, "name", knownvalue.StringExact("Atendimento")),
				instances.instance(0, "created_at", knownvalue.StringExact(emulatorTime(400))),
				instances.instance(0, "expires_at", aboutFromNow(90*24*60*60*1e9)),
				instances.instance(0, "payment_status", knownvalue.StringExact("paid")),
				instances.instance(0, "connected", knownvalue.Bool(true)),
				instances.instance(0, "status", knownvalue.StringExact("connected")),
				instances.instance(0, "phone_connected", knownvalue.Bool(true)),
				instances.instance(0, "webhooks", knownvalue.MapExact(map[string]knownvalue.Check{"delivery": knownvalue.StringExact(emulator.HooksBase + "zapi/delivery")})),
				instances.instance(0, "auto_read_messages", knownvalue.Null()),
				instances.instance(0, "status_message", knownvalue.Null()),
				instances.instance(0, "phone", knownvalue.Null()),
				instances.instance(1, "connected", knownvalue.Bool(false)),
				instances.instance(1, "webhooks", knownvalue.MapSizeExact(0)),
				instances.instance(2, "phone_connected", knownvalue.Bool(false)),
			},
		}},
	})
}

func TestInstancesDataSource_EnviaAI(t *testing.T) {
	_, url := instanceEmulator(t, 0)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `data "whatsapp_instances" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				instances.attr("total", knownvalue.Int64Exact(5)),
				instances.ids("inst_demo", "inst_support", emulator.EnviaAIDisconnectedInstance, emulator.EnviaAIConnectingInstance, emulator.EnviaAIPairingInstance),
				instances.instance(0, "name", knownvalue.StringExact("Atendimento")),
				instances.instance(0, "phone", knownvalue.StringExact("5511987650000")),
				instances.instance(0, "status", knownvalue.StringExact("connected")),
				instances.instance(0, "profile_name", knownvalue.StringExact("Loja Centro")),
				instances.instance(0, "profile_pic_url", knownvalue.StringExact("https://pps.whatsapp.net/v/t61/profile-inst_demo.jpg")),
				instances.instance(0, "created_at", knownvalue.StringExact(emulatorTime(300))),
				instances.instance(0, "last_seen_at", knownvalue.NotNull()),
				instances.instance(0, "webhooks", knownvalue.MapExact(map[string]knownvalue.Check{"all": knownvalue.StringExact(emulator.HooksBase + "enviaai/inst_demo")})),
				instances.instance(0, "auto_read_messages", knownvalue.Bool(true)),
				instances.instance(0, "auto_typing", knownvalue.Bool(true)),
				instances.instance(0, "stats", knownvalue.Null()),
				instances.instance(0, "connected_at", knownvalue.Null()),
				instances.instance(0, "expires_at", knownvalue.Null()),
				instances.instance(4, "status", knownvalue.StringExact("qr_pending")),
				instances.instance(4, "webhooks", knownvalue.MapSizeExact(0)),
			},
		}},
	})
}

// Listing needs no instance: an enviaai block with only api_key lists the
// account's instances, and a data source that reads one instance says it
// needs one and where to set it.
func TestInstancesDataSource_EnviaAIKeyOnly(t *testing.T) {
	_, url := instanceEmulator(t, 0)
	keyOnly := fmt.Sprintf(`
provider "whatsapp" {
  enviaai = {
    api_key  = "demo-api-key"
    base_url = %q
  }
}
`, url)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: keyOnly + `data "whatsapp_instances" "test" {}
data "whatsapp_instance" "named" { instance_id = "inst_support" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					instances.attr("total", knownvalue.Int64Exact(5)),
					expect("data.whatsapp_instance.named").attr("status", knownvalue.StringExact("connected")),
				},
			},
			{
				Config:      keyOnly + `data "whatsapp_instance" "test" {}`,
				ExpectError: regexp.MustCompile(`(?s)Unable to Read Instance.*Reading the instance from EnviaAI needs an\s+instance\s+id.*Set\s+instance_id\s+on\s+the\s+data`),
			},
		},
	})
}

// 240 generated instances more: three pages on both APIs.
func TestInstancesDataSource_FiltersAndPaging(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		provider func(baseURL string) string
		args     string
		total    int64
		returned int
		first    string
	}{
		{"Z-API every page", zapiPartnerProvider, ``, 243, 243, "demo-instance"},
		{"Z-API status", zapiPartnerProvider, `status = "disconnected"`, 81, 81, emulator.ZAPIDisconnectedInstance},
		{"Z-API qr_pending", zapiPartnerProvider, `status = "qr_pending"`, 0, 0, ""},
		{"Z-API search", zapiPartnerProvider, `search = "FILIAL 00"`, 9, 9, "branch-001"},
		{"Z-API max_results", zapiPartnerProvider, `max_results = 5`, 243, 5, "demo-instance"},
		{"EnviaAI every page", enviaAIProvider, ``, 245, 245, "inst_demo"},
		{"EnviaAI status", enviaAIProvider, `status = "connecting"`, 61, 61, emulator.EnviaAIConnectingInstance},
		{"EnviaAI qr_pending", enviaAIProvider, `status = "qr_pending"`, 61, 61, emulator.EnviaAIPairingInstance},
		{"EnviaAI search", enviaAIProvider, "search = \"Filial 00\"\nstatus = \"connected\"", 3, 3, "inst_branch_001"},
		{"EnviaAI max_results", enviaAIProvider, `max_results = 1`, 245, 1, "inst_demo"},
		// The read stops at max_results, and the provider's own filter
		// makes the API's count no count of what matches.
		{"Z-API max_results and status", zapiPartnerProvider, "max_results = 2\nstatus = \"connected\"", -1, 2, "demo-instance"},
		{"EnviaAI max_results and search", enviaAIProvider, "max_results = 2\nsearch = \"inst\"", -1, 2, "inst_demo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, url := instanceEmulator(t, 240)
			var total knownvalue.Check = knownvalue.Int64Exact(tc.total)
			if tc.total < 0 {
				total = knownvalue.Null()
			}
			checks := []statecheck.StateCheck{
				instances.attr("total", total),
				instances.attr("instances", knownvalue.ListSizeExact(tc.returned)),
			}
			if tc.first != "" {
				checks = append(checks, instances.instance(0, "id", knownvalue.StringExact(tc.first)))
			}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:            tc.provider(url) + "data \"whatsapp_instances\" \"test\" {\n" + tc.args + "\n}",
					ConfigStateChecks: checks,
				}},
			})
			if emu.Requests() == 0 {
				t.Error("no request reached the emulator")
			}
		})
	}
}

func TestInstancesDataSource_InvalidArguments(t *testing.T) {
	emu, url := instanceEmulator(t, 0)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config:      enviaAIProvider(url) + `data "whatsapp_instances" "test" { status = "online" }`,
				ExpectError: regexp.MustCompile(`(?s)Attribute status value must be one of.*"qr_pending"`),
			},
			{
				Config:      enviaAIProvider(url) + `data "whatsapp_instances" "test" { max_results = 0 }`,
				ExpectError: regexp.MustCompile(`Attribute max_results value must be at least 1`),
			},
			{
				Config:      enviaAIProvider(url) + `data "whatsapp_instances" "test" { search = "" }`,
				ExpectError: regexp.MustCompile(`Attribute search string length must be at least 1`),
			},
		},
	})
	if n := emu.Requests(); n != 0 {
		t.Errorf("%d requests for invalid arguments, want none", n)
	}
}

func TestProvider_PartnerTokenConfiguration(t *testing.T) {
	_, url := instanceEmulator(t, 0)
	needInstance := `(?s)Reading %s\s+from\s+Z-API\s+needs the instance id\s+and\s+token.*Set\s+instance_id\s+and\s+token\s+in\s+the\s+provider's\s+zapi\s+block`
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesWithEnv(nil),
		Steps: []resource.TestStep{
			{
				Config:      zapiPartnerProvider(url) + `data "whatsapp_chats" "test" {}`,
				ExpectError: regexp.MustCompile(fmt.Sprintf(needInstance, "chats")),
			},
			{
				Config:      zapiPartnerProvider(url) + `data "whatsapp_chat" "test" { phone = "5511999999999" }`,
				ExpectError: regexp.MustCompile(fmt.Sprintf(needInstance, "chats")),
			},
			{
				Config:      zapiPartnerProvider(url) + `data "whatsapp_instance" "test" {}`,
				ExpectError: regexp.MustCompile(fmt.Sprintf(needInstance, `the\s+instance`)),
			},
			{
				Config: zapiProvider(url) + `data "whatsapp_instances" "test" {}`,
				// Only what the listing needs: no "them", no advice on instance reads.
				ExpectError: regexp.MustCompile(`(?s)Unable to List Instances.*needs the partner token,\s+which\s+the\s+provider\s+configuration\s+does\s+not\s+set\.\s+Set\s+partner_token\s+in\s+the\s+provider's\s+zapi\s+block`),
			},
			{
				// A partner token does not excuse half of the instance's credentials.
				Config: fmt.Sprintf(`provider "whatsapp" {
  zapi = { partner_token = "p", instance_id = "demo-instance", base_url = %q }
}
data "whatsapp_instances" "test" {}`, url),
				ExpectError: regexp.MustCompile(`(?s)Missing Z-API Token`),
			},
			{
				Config: fmt.Sprintf(`provider "whatsapp" {
  zapi = { partner_token = "wrong", base_url = %q }
}
data "whatsapp_instances" "test" {}`, url),
				ExpectError: regexp.MustCompile(`(?s)Unable to List Instances.*HTTP 401 Unauthorized: "Unauthorized"`),
			},
		},
	})
}

func TestProvider_PartnerTokenFromEnvironment(t *testing.T) {
	emu, url := instanceEmulator(t, 0)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesWithEnv(map[string]string{
			envZAPIPartnerToken: emulator.DefaultZAPIPartnerToken,
			envZAPIBaseURL:      url,
		}),
		Steps: []resource.TestStep{{
			Config:            `data "whatsapp_instances" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{instances.attr("total", knownvalue.Int64Exact(3))},
		}},
	})
	if emu.Requests() == 0 {
		t.Error("no request reached the emulator")
	}
}

// A listing whose state would not fit Terraform's message limit stops
// reading once it is over, saying how to narrow it; narrowed, it succeeds.
func TestInstancesDataSource_StateTooLargeSaysHowToNarrow(t *testing.T) {
	t.Parallel()
	_, url := instanceEmulator(t, 400)
	p := &whatsappProvider{version: "test", maxStateBytes: 64 << 10}
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"whatsapp": func() (tfprotov6.ProviderServer, error) { return newServer(p), nil },
	}
	for name, provider := range map[string]func(string) string{"Z-API": zapiPartnerProvider, "EnviaAI": enviaAIProvider} {
		t.Run(name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps: []resource.TestStep{{
					Config:      provider(url) + `data "whatsapp_instances" "test" {}`,
					ExpectError: regexp.MustCompile(`(?s)Result Too Large.*instances\s+read\s+from\s+(Z-API|EnviaAI)\s+so\s+far\s+take\s+more\s+than\s+65536\s+bytes.*256\s+MiB.*max_results.*status.*search`),
				}, {
					Config:            provider(url) + `data "whatsapp_instances" "test" { max_results = 20 }`,
					ConfigStateChecks: []statecheck.StateCheck{instances.attr("instances", knownvalue.ListSizeExact(20))},
				}},
			})
		})
	}
}
