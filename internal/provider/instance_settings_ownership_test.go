package provider

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The Z-API instance's webhooks, as the emulator seeds them.
const (
	zapiReceived     = `received       = "` + zapiHooks + `received"`
	zapiDelivery     = `delivery       = "` + zapiHooks + `delivery"`
	zapiStatus       = `message_status = "` + zapiHooks + `status"`
	zapiDisconnected = `disconnected   = "https://old-hooks.example.net/zapi/disconnected"`
)

// ownedHooks is a configuration naming three of the instance's four
// webhooks (disconnected is left out), with an import block or without.
func ownedHooks(importBlock bool) string {
	cfg := `
resource "whatsapp_instance_settings" "test" {
  webhooks = {
    ` + zapiReceived + `
    ` + zapiDelivery + `
    ` + zapiStatus + `
  }
}`
	if importBlock {
		cfg += `
import {
  to = whatsapp_instance_settings.test
  id = "demo-instance"
}`
	}
	return cfg
}

// everyHook imports the instance's settings naming all four webhooks.
var everyHook = strings.Replace(ownedHooks(true), zapiStatus, zapiStatus+"\n    "+zapiDisconnected, 1)

// The clears a destroy of ownedHooks sends: the three events named.
var clearsOwnedHooks = []string{
	`PUT update-webhook-delivery {"value":""}`,
	`PUT update-webhook-message-status {"value":""}`,
	`PUT update-webhook-received {"value":""}`,
}

// The same configuration manages the same webhooks whether the resource
// was created or imported: the events it names, and no other. The first
// plan after an import clears nothing it leaves out, and destroy clears
// exactly the events named, as its warning says.
func TestInstanceSettingsResource_OwnershipAfterCreateAndImport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		steps func(t *testing.T, url string, log *writeLog) []resource.TestStep
		// clears are what destroy clears; clearsOwnedHooks when nil.
		clears []string
	}{
		{"create", func(t *testing.T, url string, log *writeLog) []resource.TestStep {
			return []resource.TestStep{{
				// timeouts is an attribute, as on the data sources.
				Config:            zapiProvider(url) + strings.Replace(ownedHooks(false), "webhooks = {", `timeouts = { create = "5m", update = "5m", delete = "5m" }`+"\n  webhooks = {", 1),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{settings.attr("webhooks", knownvalue.MapSizeExact(3))},
				Check:             log.expect(t),
			}}
		}, nil},
		{"import block", func(t *testing.T, url string, log *writeLog) []resource.TestStep {
			return []resource.TestStep{{
				Config: zapiProvider(url) + ownedHooks(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{settings.attr("webhooks", knownvalue.MapSizeExact(3))},
				Check:             log.expect(t),
			}}
		}, nil},
		{"import block naming every webhook", func(t *testing.T, url string, log *writeLog) []resource.TestStep {
			return []resource.TestStep{{
				Config: zapiProvider(url) + everyHook,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionNoop)},
				},
				Check: log.expect(t),
			}}
		}, []string{
			`PUT update-webhook-delivery {"value":""}`,
			`PUT update-webhook-disconnected {"value":""}`,
			`PUT update-webhook-message-status {"value":""}`,
			`PUT update-webhook-received {"value":""}`,
		}},
		{"import block naming every webhook, then three", func(t *testing.T, url string, log *writeLog) []resource.TestStep {
			return []resource.TestStep{{
				Config: zapiProvider(url) + everyHook,
				Check:  log.expect(t),
			}, {
				// Until an apply records what is managed, the configuration
				// planned decides: disconnected leaves state, not the instance.
				Config:           zapiProvider(url) + ownedHooks(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            log.expect(t),
			}}
		}, nil},
		{"import block without webhooks", func(t *testing.T, url string, log *writeLog) []resource.TestStep {
			return []resource.TestStep{{
				// The apply records that no webhook is managed.
				Config: zapiProvider(url) + `
import {
  to = whatsapp_instance_settings.test
  id = "demo-instance"
}
resource "whatsapp_instance_settings" "test" {
  auto_read_messages = true
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{settings.attr("webhooks", knownvalue.MapSizeExact(4))},
				Check:             log.expect(t),
			}}
		}, []string{}},
		{"terraform import", func(t *testing.T, url string, log *writeLog) []resource.TestStep {
			return []resource.TestStep{
				{Config: zapiProvider(url) + `resource "terraform_data" "first" {}`},
				{
					Config:             zapiProvider(url) + ownedHooks(false),
					ResourceName:       string(settings),
					ImportState:        true,
					ImportStateId:      "demo-instance",
					ImportStatePersist: true,
				},
				{
					Config:            zapiProvider(url) + ownedHooks(false),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					ConfigStateChecks: []statecheck.StateCheck{settings.attr("webhooks", knownvalue.MapSizeExact(3))},
					Check:             log.expect(t),
				},
			}
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, url := settingsEmulator(t)
			log := &writeLog{emu: emu}
			clears := tc.clears
			if clears == nil {
				clears = clearsOwnedHooks
			}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps:                    tc.steps(t, url, log),
				CheckDestroy:             log.expect(t, clears...),
			})
		})
	}
}

// What destroy clears, and so what its warning names: the webhooks
// managed; after an import, before any apply, those in state (every plan
// since matched them to the configuration).
func TestManagedSettings_Clears(t *testing.T) {
	state := types.MapValueMust(types.StringType, map[string]attr.Value{
		"received": types.StringValue("https://a"), "delivery": types.StringValue("https://b"),
	})
	for _, tc := range []struct {
		name    string
		managed managedSettings
		want    []string
	}{
		{"managed", managedSettings{Webhooks: []string{"received"}}, []string{"received"}},
		{"webhooks unset", managedSettings{}, nil},
		{"imported", managedSettings{Imported: true}, []string{"delivery", "received"}},
	} {
		if got := tc.managed.clears(state); !slices.Equal(got, tc.want) {
			t.Errorf("%s: clears %q, want %q", tc.name, got, tc.want)
		}
	}
}

// On EnviaAI, settings imported from an instance other than the
// provider's are refused at plan, saying to set instance_id; with it set,
// the plan is empty.
func TestInstanceSettingsResource_ImportAnotherEnviaAIInstance(t *testing.T) {
	emu, url := settingsEmulator(t)
	log := &writeLog{emu: emu}
	config := func(instanceID string) string {
		return enviaAIProvider(url) + `
import {
  to = whatsapp_instance_settings.test
  id = "inst_support"
}
resource "whatsapp_instance_settings" "test" {
  ` + instanceID + `
  webhooks = { all = "https://old-hooks.example.net/enviaai/inst_support" }
}`
	}
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config:      config(""),
				ExpectError: regexp.MustCompile(`(?s)Imported Instance Is Not the Provider's.*imported from the instance\s+"inst_support".*Set\s+instance_id\s+=\s+"inst_support"`),
			},
			{
				Config: config(`instance_id = "inst_support"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(string(settings), plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{settings.attr("id", knownvalue.StringExact("inst_support"))},
				Check:             log.expect(t),
			},
		},
		CheckDestroy: log.expect(t, `PATCH inst_support {"webhookUrl":null}`),
	})
}

// An import of another Z-API instance is refused in a sentence, not as
// "Instance_id: ...": the import id is not an argument.
func TestInstanceSettingsResource_ImportAnotherZAPIInstance(t *testing.T) {
	_, url := settingsEmulator(t)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + `
import {
  to = whatsapp_instance_settings.test
  id = "other-instance"
}
resource "whatsapp_instance_settings" "test" {}`,
			ExpectError: regexp.MustCompile(`(?s)Unable to Import Instance Settings.*\n\s+Z-API\s+credentials\s+write\s+the\s+settings\s+of\s+the\s+one\s+instance\s+they\s+name`),
		}},
	})
}
