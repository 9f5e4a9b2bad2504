package emulator

import (
	"net/http"
	"strings"
	"testing"
)

type webhookAnswer struct {
	Success bool           `json:"success"`
	Data    map[string]any `json:"data"`
	Error   struct {
		Code string `json:"code"`
	} `json:"error"`
}

type webhookList struct {
	Success bool             `json:"success"`
	Data    []map[string]any `json:"data"`
}

func TestEnviaAIWebhooks_Lifecycle(t *testing.T) {
	s := New(Options{Chats: 1})
	rec := send(s, http.MethodPost, "/v1/webhooks", `{"url":"https://h.example.com/a","instanceId":"inst_support","events":["message.sent","message.received","message.sent"],"name":"A"}`, enviaAuth)
	created := decode[webhookAnswer](t, rec)
	if rec.Code != http.StatusOK || !created.Success {
		t.Fatalf("POST: %d %s", rec.Code, rec.Body)
	}
	id, _ := created.Data["id"].(string)
	secret, _ := created.Data["secret"].(string)
	if id != "wh_000001" || !strings.HasPrefix(secret, "whsec_") || created.Data["status"] != "active" || created.Data["createdAt"] == nil {
		t.Errorf("created %v", created.Data)
	}
	if got := created.Data["events"].([]any); len(got) != 2 || got[0] != "message.received" {
		t.Errorf("events %v, want the two distinct events sorted", got)
	}
	// Get and list carry the secret too.
	one := decode[webhookAnswer](t, get(s, "/v1/webhooks/"+id, enviaAuth))
	if one.Data["secret"] != secret || one.Data["url"] != "https://h.example.com/a" || one.Data["instanceId"] != "inst_support" {
		t.Errorf("GET %v", one.Data)
	}
	list := decode[webhookList](t, get(s, "/v1/webhooks", enviaAuth))
	if len(list.Data) != 3 || list.Data[2]["secret"] != secret || list.Data[0]["id"] != EnviaAIWebhookOrders {
		t.Errorf("list %v", list.Data)
	}
	// PUT changes what it names and only that.
	rec = send(s, http.MethodPut, "/v1/webhooks/"+id, `{"url":"https://h.example.com/b"}`, enviaAuth)
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
	}
	one = decode[webhookAnswer](t, get(s, "/v1/webhooks/"+id, enviaAuth))
	if one.Data["url"] != "https://h.example.com/b" || one.Data["name"] != "A" || len(one.Data["events"].([]any)) != 2 {
		t.Errorf("after PUT: %v", one.Data)
	}
	if rec := do(s, http.MethodDelete, "/v1/webhooks/"+id, enviaAuth); rec.Code != http.StatusOK {
		t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
	}
	rec = get(s, "/v1/webhooks/"+id, enviaAuth)
	if rec.Code != http.StatusNotFound || decode[webhookAnswer](t, rec).Error.Code != "webhook_not_found" {
		t.Errorf("GET after DELETE: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, http.MethodDelete, "/v1/webhooks/"+id, enviaAuth); rec.Code != http.StatusNotFound {
		t.Errorf("second DELETE: %d", rec.Code)
	}
}

func TestEnviaAIWebhooks_GivenSecretIsKept(t *testing.T) {
	s := New(Options{Chats: 1})
	rec := send(s, http.MethodPost, "/v1/webhooks", `{"url":"https://h.example.com/a","instanceId":"inst_demo","events":["message.read"],"secret":"my-own-secret"}`, enviaAuth)
	id, _ := decode[webhookAnswer](t, rec).Data["id"].(string)
	if got := s.EnviaAIWebhookSecret(id); got != "my-own-secret" {
		t.Errorf("secret %q", got)
	}
	// A second emulator with the same seed generates the same secrets.
	a, b := New(Options{Chats: 1, Seed: 3}), New(Options{Chats: 1, Seed: 3})
	if a.EnviaAIWebhookSecret(EnviaAIWebhookOrders) != b.EnviaAIWebhookSecret(EnviaAIWebhookOrders) || a.EnviaAIWebhookSecret(EnviaAIWebhookOrders) == s.EnviaAIWebhookSecret(EnviaAIWebhookOrders) {
		t.Error("seeded secrets are not deterministic per seed")
	}
}

func TestEnviaAIWebhooks_Refusals(t *testing.T) {
	good := `"url":"https://h.example.com/a","instanceId":"inst_demo","events":["message.read"]`
	tests := []struct {
		method, path, body string
		header             http.Header
		status             int
		code               string
	}{
		{"POST", "/v1/webhooks", `{` + good + `}`, nil, 401, "invalid_api_key"},
		{"POST", "/v1/webhooks", `{"instanceId":"inst_demo","events":["message.read"]}`, enviaAuth, 400, "invalid_parameters"},
		{"POST", "/v1/webhooks", `{"url":"https://h.example.com/a","events":["message.read"]}`, enviaAuth, 400, "invalid_parameters"},
		{"POST", "/v1/webhooks", `{"url":"https://h.example.com/a","instanceId":"inst_demo"}`, enviaAuth, 400, "invalid_parameters"},
		{"POST", "/v1/webhooks", `{"url":"https://h.example.com/a","instanceId":"inst_demo","events":[]}`, enviaAuth, 400, "invalid_parameters"},
		{"POST", "/v1/webhooks", `{"url":"https://h.example.com/a","instanceId":"inst_demo","events":["message.deleted"]}`, enviaAuth, 400, "invalid_parameters"},
		{"POST", "/v1/webhooks", `{"url":"http://h.example.com/a","instanceId":"inst_demo","events":["message.read"]}`, enviaAuth, 400, "invalid_webhook_url"},
		{"POST", "/v1/webhooks", `{"url":"https://h.example.com/a","instanceId":"inst_nope","events":["message.read"]}`, enviaAuth, 404, "instance_not_found"},
		{"POST", "/v1/webhooks", `{` + good + `,"secret":""}`, enviaAuth, 400, "invalid_parameters"},
		{"POST", "/v1/webhooks", `{` + good + `,"enabled":true}`, enviaAuth, 400, "invalid_parameters"},
		{"POST", "/v1/webhooks", `not json`, enviaAuth, 400, "invalid_parameters"},
		{"PUT", "/v1/webhooks/" + EnviaAIWebhookOrders, `{"secret":"new"}`, enviaAuth, 400, "invalid_parameters"},
		{"PUT", "/v1/webhooks/" + EnviaAIWebhookOrders, `{"instanceId":"inst_support"}`, enviaAuth, 400, "invalid_parameters"},
		{"PUT", "/v1/webhooks/" + EnviaAIWebhookOrders, `{"url":"ftp://x"}`, enviaAuth, 400, "invalid_webhook_url"},
		{"PUT", "/v1/webhooks/wh_nope", `{"name":"x"}`, enviaAuth, 404, "webhook_not_found"},
		{"PATCH", "/v1/webhooks/" + EnviaAIWebhookOrders, `{}`, enviaAuth, 405, "method_not_allowed"},
		{"DELETE", "/v1/webhooks", ``, enviaAuth, 405, "method_not_allowed"},
		{"POST", "/v1/webhooks/" + EnviaAIWebhookOrders + "/logs", ``, enviaAuth, 405, "method_not_allowed"},
		{"GET", "/v1/webhooks/" + EnviaAIWebhookOrders + "/logs?limit=0", ``, enviaAuth, 400, "invalid_parameters"},
		{"GET", "/v1/webhooks/" + EnviaAIWebhookOrders + "/logs?limit=101", ``, enviaAuth, 400, "invalid_parameters"},
		{"GET", "/v1/webhooks/" + EnviaAIWebhookOrders + "/logs?status=pending", ``, enviaAuth, 400, "invalid_parameters"},
		{"GET", "/v1/webhooks/wh_nope/logs", ``, enviaAuth, 404, "webhook_not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path+" "+tc.body, func(t *testing.T) {
			s := New(Options{Chats: 1})
			before := s.EnviaAIWebhooks()
			rec := send(s, tc.method, tc.path, tc.body, tc.header)
			if rec.Code != tc.status || decode[webhookAnswer](t, rec).Error.Code != tc.code {
				t.Errorf("%d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.code)
			}
			if tc.status == 405 && rec.Header().Get("Allow") == "" {
				t.Error("405 without Allow")
			}
			if after := s.EnviaAIWebhooks(); len(after) != len(before) || after[0]["url"] != before[0]["url"] {
				t.Errorf("a refused request changed the webhooks: %v", after)
			}
		})
	}
}

func TestEnviaAIWebhooks_Logs(t *testing.T) {
	s := New(Options{Chats: 1})
	all := s.EnviaAIWebhookLogs(EnviaAIWebhookOrders)
	if len(all) != 130 {
		t.Fatalf("%d seeded deliveries, want 130", len(all))
	}
	logs := func(query string) []map[string]any {
		rec := get(s, "/v1/webhooks/"+EnviaAIWebhookOrders+"/logs"+query, enviaAuth)
		if rec.Code != http.StatusOK {
			t.Fatalf("logs%s: %d %s", query, rec.Code, rec.Body)
		}
		return decode[webhookList](t, rec).Data
	}
	if got := logs(""); len(got) != 50 || got[0]["id"] != all[0]["id"] {
		t.Errorf("default: %d deliveries, want the newest 50", len(got))
	}
	if got := logs("?limit=100"); len(got) != 100 || got[99]["id"] != all[99]["id"] {
		t.Errorf("limit 100: %d", len(got))
	}
	failed := logs("?limit=100&status=failed")
	var want int
	for _, l := range all {
		if l["status"] == "failed" {
			want++
		}
	}
	if len(failed) != want || want != 15 {
		t.Errorf("failed: %d of %d, want 15", len(failed), want)
	}
	for _, l := range failed {
		if l["status"] != "failed" || l["retryCount"] == nil || l["error"] == nil {
			t.Errorf("failed delivery %v", l)
		}
	}
	if got := logs("?status=success&limit=3"); len(got) != 3 || got[0]["status"] != "success" {
		t.Errorf("success: %v", got)
	}
	if got := s.EnviaAIWebhookLogs(EnviaAIWebhookLegacy); len(got) != 12 {
		t.Errorf("legacy: %d", len(got))
	}
}

func TestEnviaAIWebhooks_WriteFaults(t *testing.T) {
	s := New(Options{Chats: 1})
	body := `{"url":"https://h.example.com/a","instanceId":"inst_demo","events":["message.read"]}`
	s.SetFaults(Faults{FailWrites: 1, FailWriteStatus: 503, FailWriteRetryAfter: 1})
	if rec := send(s, http.MethodPost, "/v1/webhooks", body, enviaAuth); rec.Code != 503 || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("first POST: %d %v", rec.Code, rec.Header())
	}
	if len(s.EnviaAIWebhooks()) != 2 {
		t.Error("a failed write created a webhook")
	}
	if rec := get(s, "/v1/webhooks", enviaAuth); rec.Code != 200 {
		t.Errorf("a read counted as a write: %d", rec.Code)
	}
	if rec := send(s, http.MethodPost, "/v1/webhooks", body, enviaAuth); rec.Code != 200 {
		t.Errorf("second POST: %d", rec.Code)
	}
	s.SetFaults(Faults{IgnoreWrites: true})
	for _, req := range [][3]string{
		{"POST", "/v1/webhooks", body}, {"PUT", "/v1/webhooks/" + EnviaAIWebhookOrders, `{"url":"https://h.example.com/a"}`}, {"DELETE", "/v1/webhooks/" + EnviaAIWebhookOrders, ""},
	} {
		if rec := send(s, req[0], req[1], req[2], enviaAuth); rec.Code != 200 {
			t.Errorf("%s ignored: %d %s", req[0], rec.Code, rec.Body)
		}
	}
	if got := s.EnviaAIWebhooks(); len(got) != 3 || got[0]["url"] != HooksBase+"enviaai/orders" {
		t.Errorf("ignored writes changed the webhooks: %v", got)
	}
	s.SetFaults(Faults{Malformed: MalformedObject})
	if rec := get(s, "/v1/webhooks", enviaAuth); !strings.HasPrefix(rec.Body.String(), `{"success":true,"data":{"chats":[`) {
		t.Errorf("object fault: %s", rec.Body)
	}
}
