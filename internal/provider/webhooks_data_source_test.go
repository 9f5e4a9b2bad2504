package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

func TestWebhooksDataSource_ListsAndFilters(t *testing.T) {
	emu, url := settingsEmulator(t)
	all, support := expect("data.whatsapp_webhooks.all"), expect("data.whatsapp_webhooks.support")
	hook := func(id, instance, url, name string, events ...string) knownvalue.Check {
		evs := make([]knownvalue.Check, len(events))
		for i, e := range events {
			evs[i] = knownvalue.StringExact(e)
		}
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(id), "instance_id": knownvalue.StringExact(instance), "url": knownvalue.StringExact(url),
			"name": knownvalue.StringExact(name), "status": knownvalue.StringExact("active"), "events": knownvalue.SetExact(evs),
			"created_at": knownvalue.StringRegexp(regexp.MustCompile(`^20\d\d-\d\d-\d\dT12:30:00\.000Z$`)),
		})
	}
	orders := hook(emulator.EnviaAIWebhookOrders, "inst_demo", emulator.HooksBase+"enviaai/orders", "Pedidos", "message.delivered", "message.received", "message.sent")
	legacy := hook(emulator.EnviaAIWebhookLegacy, "inst_support", "https://old-hooks.example.net/enviaai/legacy", "Legado", "instance.connected", "instance.disconnected")
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `
data "whatsapp_webhooks" "all" {}
data "whatsapp_webhooks" "support" { instance_id = "inst_support" }
data "whatsapp_webhooks" "none" { instance_id = "inst_disconnected" }
resource "whatsapp_webhook" "test" {
  url    = "https://hooks.example.com/x"
  events = ["message.read"]
  depends_on = [data.whatsapp_webhooks.all]
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				all.attr("webhooks", knownvalue.ListExact([]knownvalue.Check{orders, legacy})),
				support.attr("webhooks", knownvalue.ListExact([]knownvalue.Check{legacy})),
				expect("data.whatsapp_webhooks.none").attr("webhooks", knownvalue.ListSizeExact(0)),
				noSecretInState{webhookSecrets(emu)},
			},
		}},
	})
}

// deliveryCounts adds up the newest n seeded deliveries of a webhook as
// the emulator holds them, independently of the client.
func deliveryCounts(t *testing.T, emu *emulatortest.Server, id string, n int, status string) map[string]knownvalue.Check {
	t.Helper()
	var total, failed, pending int64
	var lastSuccess, lastFailure, lastCode knownvalue.Check = knownvalue.Null(), knownvalue.Null(), knownvalue.Null()
	events := map[string]bool{}
	for _, l := range emu.EnviaAIWebhookLogs(id) {
		if total == int64(n) {
			break
		}
		if status != "" && l["status"] != status {
			continue
		}
		total++
		at, err := time.Parse(time.RFC3339, l["timestamp"].(string))
		if err != nil {
			t.Fatal(err)
		}
		stamp := knownvalue.StringExact(at.UTC().Format("2006-01-02T15:04:05.000Z"))
		if l["status"] == "success" {
			if lastSuccess == nil || lastSuccess == knownvalue.Null() {
				lastSuccess = stamp
			}
			continue
		}
		failed++
		if lastFailure == knownvalue.Null() {
			lastFailure, lastCode = stamp, knownvalue.Int64Exact(int64(l["statusCode"].(float64)))
		}
		if l["nextRetryAt"] != nil {
			pending++
		}
		events[l["event"].(string)] = true
	}
	failedEvents := []knownvalue.Check{}
	for e := range events {
		failedEvents = append(failedEvents, knownvalue.StringExact(e))
	}
	var rate knownvalue.Check = knownvalue.Null()
	if total > 0 {
		rate = knownvalue.Float64Exact(float64(failed) / float64(total))
	}
	return map[string]knownvalue.Check{
		"deliveries": knownvalue.Int64Exact(total), "succeeded": knownvalue.Int64Exact(total - failed), "failed": knownvalue.Int64Exact(failed),
		"failure_rate": rate, "last_success_at": lastSuccess, "last_failure_at": lastFailure, "last_failure_status_code": lastCode,
		"failed_events": knownvalue.SetExact(failedEvents), "pending_retries": knownvalue.Int64Exact(pending),
	}
}

func TestWebhookDeliveriesDataSource_ExactCounts(t *testing.T) {
	emu, url := settingsEmulator(t)
	var checks []statecheck.StateCheck
	for _, tc := range []struct {
		name, id string
		limit    int
		status   string
	}{
		{"orders", emulator.EnviaAIWebhookOrders, 100, ""},
		{"orders_recent_failures", emulator.EnviaAIWebhookOrders, 10, "failed"},
		{"orders_last_20", emulator.EnviaAIWebhookOrders, 20, ""},
		{"legacy", emulator.EnviaAIWebhookLegacy, 100, ""},
		{"legacy_failures", emulator.EnviaAIWebhookLegacy, 100, "failed"},
	} {
		for attr, want := range deliveryCounts(t, emu, tc.id, tc.limit, tc.status) {
			checks = append(checks, expect("data.whatsapp_webhook_deliveries."+tc.name).attr(attr, want))
		}
	}
	// The figures the rules in the docs rely on, stated once.
	orders := expect("data.whatsapp_webhook_deliveries.orders")
	checks = append(checks, orders.attr("deliveries", knownvalue.Int64Exact(100)), orders.attr("failed", knownvalue.Int64Exact(11)),
		orders.attr("failure_rate", knownvalue.Float64Exact(0.11)), orders.attr("pending_retries", knownvalue.Int64Exact(2)),
		expect("data.whatsapp_webhook_deliveries.legacy_failures").attr("failure_rate", knownvalue.Null()))
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(url) + `
data "whatsapp_webhook_deliveries" "orders" { webhook_id = "wh_orders" }
data "whatsapp_webhook_deliveries" "orders_recent_failures" {
  webhook_id = "wh_orders"
  limit      = 10
  status     = "failed"
}
data "whatsapp_webhook_deliveries" "orders_last_20" {
  webhook_id = "wh_orders"
  limit      = 20
}
data "whatsapp_webhook_deliveries" "legacy" { webhook_id = "wh_legacy" }
data "whatsapp_webhook_deliveries" "legacy_failures" {
  webhook_id = "wh_legacy"
  status     = "failed"
}`,
			ConfigStateChecks: checks,
		}},
	})
}

func TestWebhookDataSources_Refusals(t *testing.T) {
	_, url := settingsEmulator(t)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config:      enviaAIProvider(url) + `data "whatsapp_webhook_deliveries" "x" { webhook_id = "wh_nope" }`,
				ExpectError: regexp.MustCompile(`(?s)Unable to Read Webhook Deliveries.*EnviaAI has no webhook "wh_nope".*Check webhook_id`),
			},
			{
				Config: enviaAIProvider(url) + `data "whatsapp_webhook_deliveries" "x" {
  webhook_id = "wh_orders"
  limit      = 101
}`,
				ExpectError: regexp.MustCompile(`limit value must be between 1 and 100`),
			},
			{
				Config:      zapiProvider(url) + `data "whatsapp_webhooks" "x" {}`,
				ExpectError: regexp.MustCompile(`(?s)Webhooks Need EnviaAI.*whatsapp_instance_settings`),
			},
			{
				Config:      zapiProvider(url) + `data "whatsapp_webhook_deliveries" "x" { webhook_id = "wh_orders" }`,
				ExpectError: regexp.MustCompile(`(?s)Webhooks Need EnviaAI`),
			},
		},
	})
}
