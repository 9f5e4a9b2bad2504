package provider

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// The live tests never run here, so their steps run offline over the
// emulator (what the provider really writes passes the checks), and each
// check is shown to catch what it is for.

func TestLiveSteps_PassOverTheEmulator(t *testing.T) {
	t.Parallel()
	zapi, envia := liveBackends[0], liveBackends[1]
	for _, tc := range []struct {
		name string
		step func(url string) resource.TestStep
	}{
		{"Z-API instance", func(url string) resource.TestStep { return liveInstanceStep(zapiProvider(url), zapi, "demo-instance") }},
		{"EnviaAI instance", func(url string) resource.TestStep { return liveInstanceStep(enviaAIProvider(url), envia, "inst_demo") }},
		{"Z-API instances", func(url string) resource.TestStep {
			withPartner := strings.Replace(zapiProvider(url), "zapi = {", "zapi = {\n    partner_token = \""+emulator.DefaultZAPIPartnerToken+"\"", 1)
			return liveInstancesStep(withPartner, zapi)
		}},
		{"EnviaAI instances", func(url string) resource.TestStep { return liveInstancesStep(enviaAIProvider(url), envia) }},
		{"Z-API summary", func(url string) resource.TestStep { return liveSummaryStep(zapiProvider(url), zapi) }},
		{"EnviaAI summary", func(url string) resource.TestStep { return liveSummaryStep(enviaAIProvider(url), envia) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps:                    []resource.TestStep{tc.step(emulatortest.Start(t, emulator.Options{}).URL)},
			})
		})
	}
}

// goodInstance is an instance as the provider writes it to state.
func goodInstance(backend string) map[string]any {
	if backend == client.BackendZAPI {
		return map[string]any{"id": "inst", "name": "Main", "status": "connected", "connected": true, "status_message": nil,
			"phone_connected": true, "created_at": "2026-01-15T10:00:00Z", "expires_at": "2026-03-01T00:00:00Z", "payment_status": "paid",
			"webhooks": map[string]any{"received": "https://hooks.example.com/r"}, "reject_calls": false, "reject_call_message": nil,
			"auto_read_messages": false, "webhook_sent_by_me": true, "phone": nil, "stats": nil, "health": nil}
	}
	return map[string]any{"id": "inst", "name": "Main", "status": "qr_pending", "connected": false, "phone": nil,
		"profile_name": "Shop", "connected_at": nil, "last_seen_at": "2026-02-03T12:30:00Z", "webhooks": map[string]any{},
		"auto_typing": true, "expires_at": nil, "status_message": nil,
		"stats":  map[string]any{"messages_sent_today": json.Number("3"), "messages_received_today": json.Number("0"), "active_chats": nil, "unread_messages": json.Number("7")},
		"health": map[string]any{"uptime_seconds": json.Number("3600"), "latency_ms": json.Number("120"), "message_delivery_rate": json.Number("0.98")}}
}

func TestLiveInstanceChecks(t *testing.T) {
	for _, backend := range []string{client.BackendZAPI, client.BackendEnviaAI} {
		if err := checkInstance(goodInstance(backend), backend); err != nil {
			t.Errorf("a good %s instance: %v", backend, err)
		}
	}
	edit := func(backend string, change map[string]any) map[string]any {
		in := goodInstance(backend)
		maps.Copy(in, change)
		return in
	}
	zapi, envia := client.BackendZAPI, client.BackendEnviaAI
	for _, tc := range []struct {
		name, backend string
		in            map[string]any
	}{
		{"empty id", zapi, edit(zapi, map[string]any{"id": ""})},
		{"status the docs do not name", zapi, edit(zapi, map[string]any{"status": "banned"})},
		{"connected against status", zapi, edit(zapi, map[string]any{"status": "disconnected"})},
		{"not connected yet connected", envia, edit(envia, map[string]any{"status": "connected"})},
		{"name not a string", zapi, edit(zapi, map[string]any{"name": json.Number("1")})},
		{"bool as a string", zapi, edit(zapi, map[string]any{"phone_connected": "true"})},
		{"time not in UTC", zapi, edit(zapi, map[string]any{"created_at": "2026-01-15T07:00:00-03:00"})},
		{"time not RFC 3339", envia, edit(envia, map[string]any{"last_seen_at": "1770121800"})},
		{"webhooks not a map", zapi, edit(zapi, map[string]any{"webhooks": []any{"https://hooks.example.com/r"}})},
		{"empty webhook", zapi, edit(zapi, map[string]any{"webhooks": map[string]any{"received": ""}})},
		{"negative count", envia, edit(envia, map[string]any{"stats": map[string]any{"active_chats": json.Number("-1")}})},
		{"stats not an object", envia, edit(envia, map[string]any{"stats": json.Number("3")})},
		{"delivery rate above 1", envia, edit(envia, map[string]any{"health": map[string]any{"message_delivery_rate": json.Number("1.5")}})},
		{"EnviaAI's phone on Z-API", zapi, edit(zapi, map[string]any{"phone": "5511999999999"})},
		{"Z-API's due date on EnviaAI", envia, edit(envia, map[string]any{"expires_at": "2026-03-01T00:00:00Z"})},
	} {
		if err := checkInstance(tc.in, tc.backend); err == nil {
			t.Errorf("%s: passed", tc.name)
		}
	}

	for backend, want := range map[string][]string{zapi: {"connected_at", "health", "phone", "stats"}, envia: {"expires_at", "phone_connected", "status_message"}} {
		if got := otherBackendAttributes(backend, instanceSchema()); !containsAll(got, want) {
			t.Errorf("attributes null on %s: %v, want at least %v", backend, got, want)
		}
	}
}

func containsAll(got, want []string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}

func TestLiveInstancesChecks(t *testing.T) {
	second := goodInstance(client.BackendEnviaAI)
	second["id"] = "inst_2"
	list := func(total string, instances ...any) map[string]any {
		return map[string]any{"instances": instances, "total": json.Number(total)}
	}
	this := map[string]any{"id": "inst"}
	if err := checkInstances(list("2", goodInstance(client.BackendEnviaAI), second), this, client.BackendEnviaAI); err != nil {
		t.Fatalf("a good listing: %v", err)
	}
	for name, tc := range map[string]struct{ list, this map[string]any }{
		"total above the list":      {list("3", goodInstance(client.BackendEnviaAI), second), this},
		"total null":                {map[string]any{"instances": []any{goodInstance(client.BackendEnviaAI)}}, this},
		"id repeated":               {list("2", goodInstance(client.BackendEnviaAI), goodInstance(client.BackendEnviaAI)), this},
		"configured one not listed": {list("1", second), this},
		"a bad instance":            {list("1", map[string]any{"id": "inst", "status": "banned"}), this},
		"instances not a list":      {map[string]any{"instances": map[string]any{}, "total": json.Number("0")}, this},
	} {
		if err := checkInstances(tc.list, tc.this, client.BackendEnviaAI); err == nil {
			t.Errorf("%s: passed", name)
		}
	}
}

func TestLiveSummaryChecks(t *testing.T) {
	good := func(backend string) map[string]any {
		s := map[string]any{"chats": json.Number("30"), "groups": json.Number("4"), "unread_chats": json.Number("2"), "unread_messages": json.Number("5"),
			"oldest_unread_message_time": "2026-02-01T08:00:00Z", "last_message_time": "2026-02-03T12:30:00Z",
			"archived": nil, "pinned": nil, "muted": nil, "marked_spam": nil}
		if backend == client.BackendZAPI {
			for _, name := range summaryFlagCounts {
				s[name] = json.Number("1")
			}
		}
		return s
	}
	page := map[string]any{"chats": make([]any, 20)}
	for _, backend := range []string{client.BackendZAPI, client.BackendEnviaAI} {
		if err := checkSummary(good(backend), page, backend); err != nil {
			t.Errorf("a good %s summary: %v", backend, err)
		}
	}
	edit := func(backend string, change map[string]any) map[string]any {
		s := good(backend)
		maps.Copy(s, change)
		return s
	}
	zapi, envia := client.BackendZAPI, client.BackendEnviaAI
	for _, tc := range []struct {
		name, backend string
		sum           map[string]any
	}{
		{"chats null", zapi, edit(zapi, map[string]any{"chats": nil})},
		{"negative count", zapi, edit(zapi, map[string]any{"groups": json.Number("-1")})},
		{"more unread chats than chats", envia, edit(envia, map[string]any{"unread_chats": json.Number("31"), "unread_messages": json.Number("40")})},
		{"more pinned than chats", zapi, edit(zapi, map[string]any{"pinned": json.Number("31")})},
		{"fewer unread messages than unread chats", zapi, edit(zapi, map[string]any{"unread_messages": json.Number("1")})},
		{"a flag count missing on Z-API", zapi, edit(zapi, map[string]any{"muted": nil})},
		{"a flag count on EnviaAI", envia, edit(envia, map[string]any{"archived": json.Number("0")})},
		{"time not in UTC", zapi, edit(zapi, map[string]any{"last_message_time": "2026-02-03T09:30:00-03:00"})},
		{"oldest unread after the latest", zapi, edit(zapi, map[string]any{"oldest_unread_message_time": "2026-02-04T00:00:00Z"})},
		{"oldest unread with no unread chat", envia, edit(envia, map[string]any{"unread_chats": json.Number("0"), "unread_messages": json.Number("0")})},
		{"oldest unread without a latest", envia, edit(envia, map[string]any{"last_message_time": nil})},
		{"latest with no chat", envia, map[string]any{"chats": json.Number("0"), "groups": json.Number("0"), "unread_chats": json.Number("0"),
			"unread_messages": json.Number("0"), "last_message_time": "2026-02-03T12:30:00Z"}},
		{"fewer chats than the page", envia, edit(envia, map[string]any{"chats": json.Number("19"), "groups": json.Number("0")})},
	} {
		if err := checkSummary(tc.sum, page, tc.backend); err == nil {
			t.Errorf("%s: passed", tc.name)
		}
	}
}

func TestLiveListingSkipReason(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"TF_ACC": "1", envZAPIInstanceID: "i", envZAPIToken: "t"}[k]
	}
	zapi := liveListingBackends()[0]
	if got := liveSkipReason(zapi, env); !strings.Contains(got, "unset: "+envZAPIPartnerToken) {
		t.Errorf("whatsapp_instances on Z-API without the partner token: %q", got)
	}
	if got := liveSkipReason(liveBackends[0], env); got != "" {
		t.Errorf("the other live tests on Z-API: %q, want no reason", got)
	}
}
