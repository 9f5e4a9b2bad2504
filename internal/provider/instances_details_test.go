package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

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

// zapiFleetProvider is a Z-API provider block with the partner token and
// the account's Client-Token, which the instances' own endpoints want.
func zapiFleetProvider(baseURL string) string {
	return fmt.Sprintf(`
provider "whatsapp" {
  zapi = {
    partner_token = %q
    client_token  = "demo-client-token"
    base_url      = %q
  }
}
`, emulator.DefaultZAPIPartnerToken, baseURL)
}

// requestTally counts the listing requests and the other requests an
// emulator receives.
type requestTally struct {
	mu               sync.Mutex
	listing, details int
}

func tallyRequests(emu *emulatortest.Server) *requestTally {
	rt := &requestTally{}
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		rt.mu.Lock()
		defer rt.mu.Unlock()
		if r.URL.Path == "/instances" || r.URL.Path == "/v1/instances" {
			rt.listing++
		} else {
			rt.details++
		}
		return nil
	}})
	return rt
}

// perListing checks that every read of the listing (one page each) came
// with exactly perRead other requests.
func (rt *requestTally) perListing(t *testing.T, perRead int) {
	t.Helper()
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.listing == 0 || rt.details != rt.listing*perRead {
		t.Errorf("%d listing requests and %d others, want %d others for each listing", rt.listing, rt.details, perRead)
	}
}

// A detailed Z-API listing reads each instance's /status, /me and
// queue/count with its own token: every entry has the attributes
// whatsapp_instance gives, in three requests an instance.
func TestInstancesDataSource_DetailsZAPI(t *testing.T) {
	emu, url := instanceEmulator(t, 3)
	tally := tallyRequests(emu)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiFleetProvider(url) + `data "whatsapp_instances" "test" { details = true }`,
			ConfigStateChecks: []statecheck.StateCheck{
				instances.attr("total", knownvalue.Int64Exact(6)),
				instances.ids("demo-instance", emulator.ZAPIDisconnectedInstance, emulator.ZAPIExpiringInstance, "branch-001", "branch-002", "branch-003"),
				instances.instance(0, "status_message", knownvalue.StringExact("You are already connected.")),
				instances.instance(0, "auto_read_messages", knownvalue.Bool(true)),
				instances.instance(0, "reject_call_message", knownvalue.StringExact("Não atendemos ligações por aqui.")),
				instances.instance(0, "webhooks", knownvalue.MapSizeExact(4)),
				instances.instance(0, "queued_messages", knownvalue.Int64Exact(queuedOf(t, emu, "demo-instance"))),
				// /me refused while disconnected: the listing's attributes stay.
				instances.instance(1, "status_message", knownvalue.StringExact("You need to restore the session.")),
				instances.instance(1, "name", knownvalue.StringExact("Vendas")),
				instances.instance(1, "auto_read_messages", knownvalue.Null()),
				instances.instance(1, "queued_messages", knownvalue.Int64Exact(queuedOf(t, emu, emulator.ZAPIDisconnectedInstance))),
				instances.instance(2, "webhooks", knownvalue.MapSizeExact(3)),
				instances.instance(2, "webhook_sent_by_me", knownvalue.Bool(true)),
				instances.instance(5, "connected", knownvalue.Bool(false)),
				instances.instance(5, "auto_read_messages", knownvalue.Bool(false)),
				instances.instance(5, "queued_messages", knownvalue.Int64Exact(queuedOf(t, emu, "branch-003"))),
				instances.instance(5, "stats", knownvalue.Null()),
			},
		}},
	})
	tally.perListing(t, 3*6)
}

// A detailed EnviaAI listing reads each instance's status endpoint: one
// request an instance.
func TestInstancesDataSource_DetailsEnviaAI(t *testing.T) {
	emu, url := instanceEmulator(t, 2)
	tally := tallyRequests(emu)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `data "whatsapp_instances" "test" { details = true }`,
			ConfigStateChecks: []statecheck.StateCheck{
				instances.attr("total", knownvalue.Int64Exact(7)),
				instances.instance(0, "stats", knownvalue.ObjectPartial(map[string]knownvalue.Check{"unread_messages": knownvalue.Int64Exact(17)})),
				instances.instance(0, "health", knownvalue.NotNull()),
				instances.instance(0, "connected_at", knownvalue.StringExact(emulatorTime(3))),
				instances.instance(0, "auto_read_messages", knownvalue.Bool(true)),
				instances.instance(0, "queued_messages", knownvalue.Null()),
				// The status endpoint refuses while disconnected.
				instances.instance(2, "status", knownvalue.StringExact("disconnected")),
				instances.instance(2, "stats", knownvalue.Null()),
				instances.instance(2, "webhooks", knownvalue.MapSizeExact(1)),
				instances.instance(4, "status", knownvalue.StringExact("qr_pending")),
			},
		}},
	})
	tally.perListing(t, 7)
}

// Without details, the listing alone: no other request, and the
// attributes the listing does not give are null.
func TestInstancesDataSource_WithoutDetailsReadsTheListingOnly(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{client.BackendZAPI, client.BackendEnviaAI} {
		t.Run(backend, func(t *testing.T) {
			emu, url := instanceEmulator(t, 3)
			tally := tallyRequests(emu)
			config := zapiPartnerProvider(url)
			if backend == client.BackendEnviaAI {
				config = enviaAIProvider(url)
			}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: config + `data "whatsapp_instances" "test" { details = false }`,
					ConfigStateChecks: []statecheck.StateCheck{
						instances.instance(0, "queued_messages", knownvalue.Null()),
						instances.instance(0, "connected_at", knownvalue.Null()),
						instances.instance(0, "status", knownvalue.StringExact("connected")),
					},
				}},
			})
			tally.perListing(t, 0)
		})
	}
}

// An instance whose detail read fails keeps its listing attributes; the
// others are read in full.
func TestInstancesDataSource_DetailFailureKeepsTheListing(t *testing.T) {
	emu, url := instanceEmulator(t, 2)
	emu.Inject(emulatortest.Fault{Hook: goneAfterListing("branch-001")})
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiFleetProvider(url) + `data "whatsapp_instances" "test" { details = true }`,
			ConfigStateChecks: []statecheck.StateCheck{
				instances.instance(3, "id", knownvalue.StringExact("branch-001")),
				instances.instance(3, "name", knownvalue.StringExact("Filial 001")),
				instances.instance(3, "connected", knownvalue.Bool(true)),
				instances.instance(3, "status_message", knownvalue.Null()),
				instances.instance(3, "auto_read_messages", knownvalue.Null()),
				instances.instance(3, "queued_messages", knownvalue.Null()),
				instances.instance(4, "status_message", knownvalue.NotNull()),
				instances.instance(4, "auto_read_messages", knownvalue.Bool(false)),
			},
		}},
	})
}

// goneAfterListing answers every request about a Z-API instance but the
// listing with 404, as for an instance deleted after the listing.
func goneAfterListing(id string) emulator.Hook {
	return func(r *http.Request, _ int64) *emulator.Reply {
		if strings.HasPrefix(r.URL.Path, "/instances/"+id+"/") {
			return &emulator.Reply{Status: http.StatusNotFound, Body: []byte(`{"error":"Instance not found"}`)}
		}
		return nil
	}
}

// The one warning of a detailed listing names every instance not read in
// full, and why: the test harness shows no warnings, so the data source is
// read here directly.
func TestInstancesDataSource_DetailsWarnOnce(t *testing.T) {
	emu, url := instanceEmulator(t, 2)
	emu.Inject(emulatortest.Fault{Hook: goneAfterListing("branch-002")})
	c, err := client.NewZAPI(client.ZAPIConfig{BaseURL: url, PartnerToken: emulator.DefaultZAPIPartnerToken, ClientToken: "demo-client-token"}, client.HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diags := readInstancesDirectly(t, c, true)
	if diags.HasError() {
		t.Fatalf("errors: %v", diags)
	}
	warnings := diags.Warnings()
	want := regexp.MustCompile(`(?s)^2 of the listed instances could not be read in full from Z-API\. Each keeps the attributes the listing gave; the others are null\.\n` +
		`\n- "disconnected-instance": Z-API refused GET /me because the instance is not connected to WhatsApp: .*"You are not connected\."\. Not read: name, created_at, .*webhook_sent_by_me\.` +
		`\n- "branch-002": its read failed: .*HTTP 404.*"Instance not found"\.$`)
	if len(warnings) != 1 || warnings[0].Summary() != "Instances Partly Read" || !want.MatchString(warnings[0].Detail()) {
		t.Errorf("warnings = %v", warnings)
	}
	if diags := readInstancesDirectly(t, c, false); len(diags) != 0 {
		t.Errorf("without details: %v", diags)
	}
}

func readInstancesDirectly(t *testing.T, c *client.Client, details bool) diag.Diagnostics {
	t.Helper()
	ds := &instancesDataSource{configuredDataSource{data: &providerData{client: c}}}
	resp, config := dataSourceSchema(t, ds, map[string]tftypes.Value{"details": tftypes.NewValue(tftypes.Bool, details)})
	out := datasource.ReadResponse{State: tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(t.Context()), nil)}}
	ds.Read(t.Context(), datasource.ReadRequest{Config: config}, &out)
	return out.Diagnostics
}
