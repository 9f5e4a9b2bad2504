package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

const ownSecret = "whsec_mine-0123456789"

func webhookClient(t *testing.T, url string) *Client {
	t.Helper()
	c, err := NewEnviaAI(EnviaAIConfig{BaseURL: url, APIKey: "demo-api-key", InstanceID: "inst_demo"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// everySecret is every signing secret the emulator holds, and ours.
func everySecret(emu *emulatortest.Server) []string {
	secrets := []string{ownSecret}
	for _, w := range emu.EnviaAIWebhooks() {
		secrets = append(secrets, w["secret"].(string))
	}
	return secrets
}

func TestWebhooks_Lifecycle(t *testing.T) {
	emu := newWriteEmulator(t)
	c := webhookClient(t, emu.URL)
	ctx := apiContext(t)
	name := "Pedidos novos"
	created, err := c.CreateWebhook(ctx, WebhookSpec{URL: "https://h.example.com/new?k=1", Events: []string{"message.sent", "message.read"}, Name: &name, Secret: ownSecret})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != "wh_000001" || *created.InstanceID != "inst_demo" || *created.URL != "https://h.example.com/new?k=1" || *created.Name != name ||
		fmt.Sprint(created.Events) != "[message.read message.sent]" || *created.Status != "active" || created.CreatedAt == nil {
		t.Errorf("created %+v", created)
	}
	if got := emu.EnviaAIWebhookSecret(created.ID); got != ownSecret {
		t.Errorf("the API holds secret %q, want the one sent", got)
	}
	want := []string{`POST /v1/webhooks {"events":["message.sent","message.read"],"instanceId":"inst_demo","name":"Pedidos novos","secret":"` + ownSecret + `","url":"https://h.example.com/new?k=1"}`}
	if got := emu.sent(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("writes %q, want %q", got, want)
	}

	newURL := "https://h.example.com/changed"
	updated, err := c.UpdateWebhook(ctx, created.ID, WebhookChange{URL: &newURL, Events: []string{"message.failed"}})
	if err != nil || *updated.URL != newURL || fmt.Sprint(updated.Events) != "[message.failed]" || *updated.Name != name {
		t.Errorf("updated %+v, %v", updated, err)
	}
	if got := emu.sent()[1]; got != `PUT /v1/webhooks/wh_000001 {"events":["message.failed"],"url":"https://h.example.com/changed"}` {
		t.Errorf("PUT %s", got)
	}

	mine, err := c.ListWebhooks(ctx, "inst_demo")
	if err != nil || len(mine) != 2 || mine[0].ID != emulator.EnviaAIWebhookOrders || mine[1].ID != created.ID {
		t.Errorf("inst_demo's webhooks %+v, %v", mine, err)
	}
	all, err := c.ListWebhooks(ctx, "")
	if err != nil || len(all) != 3 {
		t.Errorf("all webhooks %+v, %v", all, err)
	}
	// No secret, configured or generated, in anything returned.
	for _, secret := range everySecret(emu.Server) {
		for what, v := range map[string]any{"created": created, "updated": updated, "listed": all} {
			if s := render(t, v); strings.Contains(s, secret) {
				t.Errorf("%s holds a secret: %s", what, s)
			}
		}
	}

	if err := c.DeleteWebhook(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.ReadWebhook(ctx, created.ID)
	if gone := assertAs[*WebhookNotFoundError](t, err); gone.ID != created.ID {
		t.Errorf("got %v", err)
	}
	if err := c.DeleteWebhook(ctx, created.ID); err != nil {
		t.Errorf("deleting a webhook already gone: %v", err)
	}
}

func TestWebhooks_GeneratedSecretNeverReturned(t *testing.T) {
	emu := newWriteEmulator(t)
	c := webhookClient(t, emu.URL)
	created, err := c.CreateWebhook(apiContext(t), WebhookSpec{InstanceID: "inst_support", URL: "https://h.example.com/support", Events: []string{"instance.connected"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(emu.sent()[0], "secret") {
		t.Errorf("a secret was sent though none was given: %s", emu.sent()[0])
	}
	generated := emu.EnviaAIWebhookSecret(created.ID)
	read, err := c.ReadWebhook(apiContext(t), created.ID)
	if generated == "" || err != nil {
		t.Fatalf("generated %q, %v", generated, err)
	}
	for _, v := range []any{created, read} {
		if s := render(t, v); strings.Contains(s, generated) {
			t.Errorf("the generated secret came through: %s", s)
		}
	}
}

func TestWebhooks_RefusedBeforeAnyRequest(t *testing.T) {
	secretURL := "https://user:pw-in-url@h.example.com/x"
	tests := []struct {
		spec   WebhookSpec
		option string
	}{
		{WebhookSpec{URL: "http://hooks.example.com/t0ken-in-path", Events: []string{"message.read"}}, "url"},
		{WebhookSpec{URL: secretURL, Events: []string{"message.read"}}, "url"},
		{WebhookSpec{URL: "ftp://h.example.com/t0ken-in-path", Events: []string{"message.read"}}, "url"},
		{WebhookSpec{URL: "https:///t0ken-in-path", Events: []string{"message.read"}}, "url"},
		{WebhookSpec{URL: "https://h.example.com", Events: nil}, "events"},
		{WebhookSpec{URL: "https://h.example.com", Events: []string{"message.deleted"}}, "events"},
		{WebhookSpec{URL: "https://h.example.com", Events: []string{"message.read"}, InstanceID: "../x"}, "instance_id"},
	}
	emu := newWriteEmulator(t)
	c := webhookClient(t, emu.URL)
	for _, tc := range tests {
		_, err := c.CreateWebhook(t.Context(), tc.spec)
		if optErr := assertAs[*OptionError](t, err); optErr.Option != tc.option {
			t.Errorf("%+v: option %q, want %q", tc.spec, optErr.Option, tc.option)
		}
		for _, s := range []string{"t0ken-in-path", "pw-in-url"} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("the error repeats the URL: %v", err)
			}
		}
	}
	noProviderInstance, err := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if optErr := assertAs[*OptionError](t, noProviderInstance.CheckWebhook(WebhookSpec{URL: "https://h.example.com", Events: []string{"message.read"}})); optErr.Option != "instance_id" {
		t.Errorf("no instance: %v", optErr)
	}
	if _, err := c.UpdateWebhook(t.Context(), "wh_orders", WebhookChange{Events: []string{}}); assertAs[*OptionError](t, err).Option != "events" {
		t.Errorf("empty events: %v", err)
	}
	if _, err := c.ReadWebhook(t.Context(), "../v1/instances"); assertAs[*OptionError](t, err).Option != "id" {
		t.Errorf("bad id: %v", err)
	}
	if emu.Requests() != 0 {
		t.Errorf("%d requests were sent", emu.Requests())
	}
}

func TestWebhooks_CreateFaults(t *testing.T) {
	spec := WebhookSpec{URL: "https://h.example.com/a", Events: []string{"message.read"}, Secret: ownSecret}
	tests := []struct {
		name   string
		faults emulator.Faults
		posts  int
		check  func(t *testing.T, w *Webhook, err error)
	}{
		{"429 is retried", emulator.Faults{FailWrites: 2, FailWriteStatus: 429}, 3, func(t *testing.T, w *Webhook, err error) {
			if err != nil || w == nil {
				t.Errorf("got %v, %v", w, err)
			}
		}},
		{"503 with Retry-After is retried", emulator.Faults{FailWrites: 1, FailWriteRetryAfter: time.Second}, 2, func(t *testing.T, w *Webhook, err error) {
			if err != nil || w == nil {
				t.Errorf("got %v, %v", w, err)
			}
		}},
		{"503 without Retry-After is not", emulator.Faults{FailWrites: 1}, 1, func(t *testing.T, w *Webhook, err error) {
			assertAs[*OutcomeUnknownError](t, err)
			if w != nil {
				t.Errorf("adopted %+v though nothing was created", w)
			}
		}},
		{"acknowledged, not applied", emulator.Faults{IgnoreWrites: true}, 1, func(t *testing.T, w *Webhook, err error) {
			assertAs[*WebhookNotFoundError](t, err)
			if w == nil || w.ID == "" {
				t.Errorf("the id the API answered is not returned: %v", w)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emu := newWriteEmulator(t)
			emu.Inject(emulatortest.Fault{Faults: tc.faults})
			w, err := webhookClient(t, emu.URL).CreateWebhook(apiContext(t), spec)
			tc.check(t, w, err)
			if n := len(emu.sent()); n != tc.posts {
				t.Errorf("POST sent %d times, want %d", n, tc.posts)
			}
			if err != nil {
				assertNoSecretOf(t, "error", err.Error(), everySecret(emu.Server)...)
			}
		})
	}
}

// A create the API applied but whose answer was lost is found among the
// instance's webhooks, and returned with the error.
func TestWebhooks_CreateOfUnknownOutcomeIsAdopted(t *testing.T) {
	emu := newWriteEmulator(t)
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		if r.Method != http.MethodPost {
			return nil
		}
		emu.Answer(r) // applied
		return &emulator.Reply{Status: 502, Body: []byte(`{"success":false,"error":{"code":"bad_gateway","message":"upstream said ` + ownSecret + `"}}`)}
	}})
	w, err := webhookClient(t, emu.URL).CreateWebhook(apiContext(t), WebhookSpec{URL: "https://h.example.com/a", Events: []string{"message.read"}, Secret: ownSecret})
	assertAs[*OutcomeUnknownError](t, err)
	if w == nil || w.ID != "wh_000001" || *w.URL != "https://h.example.com/a" {
		t.Errorf("adopted %+v", w)
	}
	assertNoSecretOf(t, "error", err.Error(), ownSecret)
	if !strings.Contains(err.Error(), "REDACTED") {
		t.Errorf("the echo of the secret is not marked: %v", err)
	}
}

func TestWebhooks_UpdateNotKeptReturnsWhatTheAPIHolds(t *testing.T) {
	emu := newWriteEmulator(t)
	emu.Inject(emulatortest.Fault{Faults: emulator.Faults{IgnoreWrites: true}})
	u := "https://h.example.com/elsewhere"
	w, err := webhookClient(t, emu.URL).UpdateWebhook(apiContext(t), emulator.EnviaAIWebhookOrders, WebhookChange{URL: &u})
	if notKept := assertAs[*SettingNotKeptError](t, err); notKept.Setting != "url" {
		t.Errorf("got %v", err)
	}
	if w == nil || *w.URL != emulator.HooksBase+"enviaai/orders" {
		t.Errorf("read back %+v", w)
	}
	emu.Inject(emulatortest.Fault{Faults: emulator.Faults{FailWrites: 1, FailWriteStatus: 500}})
	w, err = webhookClient(t, emu.URL).UpdateWebhook(apiContext(t), emulator.EnviaAIWebhookOrders, WebhookChange{URL: &u})
	assertAs[*OutcomeUnknownError](t, err)
	if w == nil || *w.URL != emulator.HooksBase+"enviaai/orders" {
		t.Errorf("read back after 500: %+v", w)
	}
}

func TestWebhooks_HostileAnswers(t *testing.T) {
	tests := []struct {
		name, path string
		status     int
		body       string
		check      func(t *testing.T, err error)
	}{
		{"404 without the API's envelope is not a deletion", "/v1/webhooks/wh_orders", 404, `{"error":"Not found"}`, func(t *testing.T, err error) {
			if errors.As(err, new(*WebhookNotFoundError)) || KindOf(err) != KindNotFound {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"an unknown instance is not an unknown webhook", "/v1/webhooks/wh_orders", 404, `{"success":false,"error":{"code":"instance_not_found"}}`, func(t *testing.T, err error) {
			if errors.As(err, new(*WebhookNotFoundError)) {
				t.Errorf("got %v", err)
			}
		}},
		{"secret in a body that does not decode", "/v1/webhooks/wh_orders", 200, `{"success":true,"data":{"id":7,"secret":"whsec_leaked","url":[1]`, func(t *testing.T, err error) {
			assertAs[*DecodeError](t, err)
			if strings.Contains(err.Error(), "whsec_leaked") {
				t.Errorf("the excerpt quotes the secret: %v", err)
			}
		}},
		{"no id", "/v1/webhooks/wh_orders", 200, `{"success":true,"data":{"url":"https://x.example.com"}}`, func(t *testing.T, err error) {
			if decErr := assertAs[*DecodeError](t, err); decErr.Field != "data.id" {
				t.Errorf("got %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emu := newWriteEmulator(t)
			emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
				if r.URL.Path == tc.path {
					return &emulator.Reply{Status: tc.status, Body: []byte(tc.body)}
				}
				return nil
			}})
			_, err := webhookClient(t, emu.URL).ReadWebhook(apiContext(t), "wh_orders")
			tc.check(t, err)
		})
	}
}

func TestWebhookDeliveries_ExactCounts(t *testing.T) {
	emu := newWriteEmulator(t)
	var queries []string
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		queries = append(queries, r.URL.RawQuery)
		return nil
	}})
	c := webhookClient(t, emu.URL)
	ds, err := c.WebhookDeliveries(apiContext(t), emulator.EnviaAIWebhookOrders, DeliveryOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	logs := emu.EnviaAIWebhookLogs(emulator.EnviaAIWebhookOrders)[:100]
	want := DeliverySummary{Deliveries: 100}
	for _, l := range logs {
		if l["status"] == "success" {
			want.Succeeded++
			continue
		}
		want.Failed++
		if l["nextRetryAt"] != nil {
			want.PendingRetries++
		}
	}
	got := SummarizeDeliveries(ds)
	if got.Deliveries != 100 || got.Succeeded != want.Succeeded || got.Failed != want.Failed || got.PendingRetries != want.PendingRetries ||
		got.Failed != 11 || got.PendingRetries != 2 || *got.FailureRate != 0.11 {
		t.Errorf("summary %+v, want %+v", got, want)
	}
	if fmt.Sprint(got.FailedEvents) != "[message.delivered]" || got.LastSuccessAt.Format(time.RFC3339) != logs[0]["timestamp"].(string)[:19]+"Z" ||
		got.LastFailureAt.Format(time.RFC3339) != logs[2]["timestamp"].(string)[:19]+"Z" || *got.LastFailureStatusCode != 500 {
		t.Errorf("summary %+v (newest %v, newest failure %v)", got, logs[0]["timestamp"], logs[2])
	}
	failed, err := c.WebhookDeliveries(apiContext(t), emulator.EnviaAIWebhookOrders, DeliveryOptions{Limit: 5, Status: DeliveryFailed})
	if err != nil || len(failed) != 5 || SummarizeDeliveries(failed).Failed != 5 {
		t.Errorf("failed: %d, %v", len(failed), err)
	}
	if fmt.Sprint(queries) != "[limit=100 limit=5&status=failed]" {
		t.Errorf("queries %q", queries)
	}
	none := SummarizeDeliveries(nil)
	if none.FailureRate != nil || none.LastSuccessAt != nil || none.FailedEvents == nil {
		t.Errorf("no deliveries: %+v", none)
	}
	if _, err := c.WebhookDeliveries(t.Context(), "wh_orders", DeliveryOptions{Limit: 101}); assertAs[*OptionError](t, err).Option != "limit" {
		t.Errorf("limit 101: %v", err)
	}
	if _, err := c.WebhookDeliveries(t.Context(), "wh_orders", DeliveryOptions{Limit: 1, Status: "pending"}); assertAs[*OptionError](t, err).Option != "status" {
		t.Errorf("status pending: %v", err)
	}
}

func TestWebhookDeliveries_MoreThanAskedOrOtherStatus(t *testing.T) {
	for name, tc := range map[string]struct {
		opts  DeliveryOptions
		field string
	}{
		"more than asked": {DeliveryOptions{Limit: 2}, "data"},
		"other status":    {DeliveryOptions{Limit: 3, Status: DeliveryFailed}, "data[0].status"},
	} {
		t.Run(name, func(t *testing.T) {
			emu := newWriteEmulator(t)
			emu.Inject(emulatortest.Fault{Hook: func(*http.Request, int64) *emulator.Reply {
				return &emulator.Reply{Status: 200, Body: []byte(`{"success":true,"data":[{"id":"a","status":"success"},{"id":"b","status":"failed"},{"id":"c","status":"failed"}]}`)}
			}})
			_, err := webhookClient(t, emu.URL).WebhookDeliveries(apiContext(t), "wh_orders", tc.opts)
			if decErr := assertAs[*DecodeError](t, err); decErr.Field != tc.field {
				t.Errorf("got %v", err)
			}
		})
	}
}

// TestWebhookDeliveries_BodyCapFollowsTheLimit: a deliveries answer is read
// no further than the deliveries asked for need, below MaxBodyBytes.
func TestWebhookDeliveries_BodyCapFollowsTheLimit(t *testing.T) {
	t.Parallel()
	emu := newWriteEmulator(t)
	// One delivery padded past what one delivery may take, well under
	// what a hundred may.
	pad := strings.Repeat("x", deliveriesBodyBase+deliveriesBodyPerDelivery)
	emu.Inject(emulatortest.Fault{Hook: func(*http.Request, int64) *emulator.Reply {
		return &emulator.Reply{Status: 200, Body: []byte(`{"success":true,"data":[{"id":"a","status":"success","pad":"` + pad + `"}]}`)}
	}})
	c := webhookClient(t, emu.URL)
	_, err := c.WebhookDeliveries(apiContext(t), "wh_orders", DeliveryOptions{Limit: 1})
	if KindOf(err) != KindTooLarge || !strings.Contains(err.Error(), "allowed for 1 deliveries") {
		t.Errorf("limit 1: %v, want the body over the cap for 1 delivery", err)
	}
	ds, err := c.WebhookDeliveries(apiContext(t), "wh_orders", DeliveryOptions{Limit: 100})
	if err != nil || len(ds) != 1 {
		t.Errorf("limit 100: %d deliveries, %v", len(ds), err)
	}
}

func TestWebhooks_ZAPIHasNone(t *testing.T) {
	emu := newWriteEmulator(t)
	c := newTestZAPI(t, emu.URL, testOptions())
	ctx := t.Context()
	calls := map[string]error{
		"check":      c.CheckWebhook(WebhookSpec{URL: "https://h.example.com", Events: []string{"message.read"}}),
		"delete":     c.DeleteWebhook(ctx, "wh_orders"),
		"create":     second(c.CreateWebhook(ctx, WebhookSpec{URL: "https://h.example.com", Events: []string{"message.read"}})),
		"read":       second(c.ReadWebhook(ctx, "wh_orders")),
		"update":     second(c.UpdateWebhook(ctx, "wh_orders", WebhookChange{Name: new("x")})),
		"list":       second(c.ListWebhooks(ctx, "")),
		"deliveries": second(c.WebhookDeliveries(ctx, "wh_orders", DeliveryOptions{Limit: 1})),
	}
	for name, err := range calls {
		if noHooks := assertAs[*NoWebhooksError](t, err); noHooks.Backend != BackendZAPI {
			t.Errorf("%s: %v", name, err)
		}
	}
	if emu.Requests() != 0 {
		t.Errorf("%d requests", emu.Requests())
	}
}

// render shows every value v holds, behind pointers too.
func render(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func second[T any](_ T, err error) error { return err }
