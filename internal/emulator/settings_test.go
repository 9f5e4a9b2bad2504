package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// send makes one request with a JSON body straight to the handler.
func send(s *Server, method, target, body string, h http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func zapiMe(t *testing.T, s *Server) map[string]any {
	t.Helper()
	return decode[map[string]any](t, get(s, zapiInstancePath+"me", zapiAuth))
}

func TestZAPISettings_Writes(t *testing.T) {
	tests := []struct {
		endpoint, body string
		status         int
		answer         string
		field          string
		want           any // the /me field after the write
	}{
		{"update-webhook-received", `{"value":"https://new.example.com/r"}`, 200, `{"value":true}`, "receivedCallbackUrl", "https://new.example.com/r"},
		{"update-webhook-delivery", `{"value":""}`, 200, `{"value":true}`, "deliveryCallbackUrl", ""},
		{"update-webhook-message-status", `{"value":"https://n.example.com/s"}`, 200, `{"value":true}`, "messageStatusCallbackUrl", "https://n.example.com/s"},
		{"update-webhook-connected", `{"value":"https://n.example.com/c"}`, 200, `{"value":true}`, "connectedCallbackUrl", "https://n.example.com/c"},
		{"update-webhook-disconnected", `{"value":"https://n.example.com/d"}`, 200, `{"value":true}`, "disconnectedCallbackUrl", "https://n.example.com/d"},
		{"update-webhook-chat-presence", `{"value":"https://n.example.com/p"}`, 200, `{"value":true}`, "presenceChatCallbackUrl", "https://n.example.com/p"},
		{"update-auto-read-message", `{"value":false}`, 200, `{"value":true}`, "autoReadMessage", false},
		{"update-call-reject-auto", `{"value":false}`, 200, `{"value":true}`, "callRejectAuto", false},
		{"update-call-reject-message", `{"value":"Ligue depois"}`, 200, `{"value":true}`, "callRejectMessage", "Ligue depois"},
		{"update-notify-sent-by-me", `{"notifySentByMe":true}`, 200, `{"value":true}`, "receiveCallbackSentByMe", true},
		// Refusals change nothing.
		{"update-webhook-received", `{"value":"http://plain.example.com/r"}`, 400, ZAPIRefusedWebhook, "receivedCallbackUrl", HooksBase + "zapi/received"},
		{"update-webhook-received", `{"value":"ftp://x.example.com"}`, 400, ZAPIRefusedWebhook, "receivedCallbackUrl", HooksBase + "zapi/received"},
		{"update-webhook-received", `{"value":42}`, 400, "value must be a string", "receivedCallbackUrl", HooksBase + "zapi/received"},
		{"update-auto-read-message", `{"value":"false"}`, 400, "value must be a boolean", "autoReadMessage", true},
		{"update-auto-read-message", `{"value":null}`, 400, "value must be a boolean", "autoReadMessage", true},
		{"update-auto-read-message", `{}`, 400, "value is required", "autoReadMessage", true},
		{"update-auto-read-message", `not json`, 400, "JSON object", "autoReadMessage", true},
		{"update-notify-sent-by-me", `{"value":true}`, 400, "notifySentByMe is required", "receiveCallbackSentByMe", false},
	}
	for _, tc := range tests {
		t.Run(tc.endpoint+" "+tc.body, func(t *testing.T) {
			s := New(Options{Chats: 1})
			rec := send(s, http.MethodPut, zapiInstancePath+tc.endpoint, tc.body, zapiAuth)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.answer) {
				t.Errorf("PUT %s: %d %s, want %d %s", tc.endpoint, rec.Code, rec.Body, tc.status, tc.answer)
			}
			if got := zapiMe(t, s)[tc.field]; got != tc.want {
				t.Errorf("/me %s = %v, want %v", tc.field, got, tc.want)
			}
		})
	}
}

func TestZAPISettings_AuthAndMethods(t *testing.T) {
	s := New(Options{Chats: 1})
	body := `{"value":false}`
	for name, tc := range map[string]struct {
		method, path string
		h            http.Header
		status       int
	}{
		"GET on a write":   {http.MethodGet, zapiInstancePath + "update-auto-read-message", zapiAuth, 405},
		"PUT on /me":       {http.MethodPut, zapiInstancePath + "me", zapiAuth, 405},
		"no Client-Token":  {http.MethodPut, zapiInstancePath + "update-auto-read-message", nil, 400},
		"wrong token":      {http.MethodPut, "/instances/demo-instance/token/nope/update-auto-read-message", zapiAuth, 404},
		"unknown endpoint": {http.MethodPut, zapiInstancePath + "update-webhook-initial-data", zapiAuth, 404},
	} {
		t.Run(name, func(t *testing.T) {
			if rec := send(s, tc.method, tc.path, body, tc.h); rec.Code != tc.status {
				t.Errorf("%d %s, want %d", rec.Code, rec.Body, tc.status)
			}
		})
	}
	if rec := send(s, http.MethodGet, zapiInstancePath+"update-auto-read-message", "", zapiAuth); rec.Header().Get("Allow") != http.MethodPut {
		t.Errorf("Allow = %q, want PUT", rec.Header().Get("Allow"))
	}
	if zapiMe(t, s)["autoReadMessage"] != true {
		t.Error("a refused write changed the setting")
	}
}

func enviaEntry(t *testing.T, s *Server, id string) map[string]any {
	t.Helper()
	for _, in := range decode[enviaPage](t, get(s, "/v1/instances?limit=100", enviaAuth)).Data {
		if in["id"] == id {
			return in
		}
	}
	t.Fatalf("%s is not listed", id)
	return nil
}

func TestEnviaAISettings_Patch(t *testing.T) {
	const path = "/v1/instances/inst_demo"
	tests := []struct {
		name, body string
		status     int
		answer     string
		check      func(in map[string]any) bool
	}{
		{"webhook", `{"webhookUrl":"https://n.example.com/e"}`, 200, `"webhookUrl":"https://n.example.com/e"`,
			func(in map[string]any) bool { return in["webhookUrl"] == "https://n.example.com/e" }},
		{"webhook cleared with null", `{"webhookUrl":null}`, 200, `"webhookUrl":null`,
			func(in map[string]any) bool { return in["webhookUrl"] == nil }},
		// Taken, but neither the answer nor the listing documents them.
		{"events", `{"webhookEvents":["message.received","instance.connected"]}`, 200, `"success":true`,
			func(in map[string]any) bool { _, listed := in["webhookEvents"]; return !listed }},
		{"nested settings", `{"settings":{"autoRead":false,"autoTyping":false}}`, 200, `"settings":{"autoRead":false,"autoTyping":false}`,
			func(in map[string]any) bool {
				st := in["settings"].(map[string]any)
				return st["autoRead"] == false && st["autoTyping"] == false
			}},
		{"dotted settings", `{"settings.autoTyping":false}`, 200, `"autoTyping":false`,
			func(in map[string]any) bool { return in["settings"].(map[string]any)["autoTyping"] == false }},
		{"plain http", `{"webhookUrl":"http://n.example.com/e"}`, 400, `"code":"invalid_webhook_url"`, unchanged},
		{"not a URL", `{"webhookUrl":"hooks"}`, 400, `"code":"invalid_webhook_url"`, unchanged},
		{"unknown event", `{"webhookEvents":["message.exploded"]}`, 400, `"code":"invalid_parameters"`, unchanged},
		{"bool as string", `{"settings":{"autoRead":"false"}}`, 400, `"code":"invalid_parameters"`, unchanged},
		// One bad field refuses the whole body.
		{"half bad", `{"settings":{"autoRead":false},"webhookUrl":"http://x"}`, 400, `"code":"invalid_webhook_url"`, unchanged},
		{"not JSON", `nope`, 400, `"code":"invalid_parameters"`, unchanged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Options{Chats: 1})
			rec := send(s, http.MethodPatch, path, tc.body, enviaAuth)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.answer) {
				t.Errorf("PATCH: %d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.answer)
			}
			if strings.Contains(rec.Body.String(), "webhookEvents") {
				t.Errorf("PATCH answer %s holds webhookEvents, which the reference does not document", rec.Body)
			}
			if in := enviaEntry(t, s, "inst_demo"); !tc.check(in) {
				t.Errorf("listed after the PATCH: %v", in)
			}
		})
	}
	s := New(Options{Chats: 1})
	rec := send(s, http.MethodPatch, "/v1/instances/nope", `{"settings":{"autoRead":false}}`, enviaAuth)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), `"code":"instance_not_found"`) {
		t.Errorf("unknown instance: %d %s", rec.Code, rec.Body)
	}
	if rec := send(s, http.MethodPatch, path, `{}`, nil); rec.Code != 401 {
		t.Errorf("no key: %d", rec.Code)
	}
	if rec := send(s, http.MethodPost, path, `{}`, enviaAuth); rec.Code != 405 || rec.Header().Get("Allow") != http.MethodPatch {
		t.Errorf("POST: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	if rec := send(s, http.MethodPatch, path+"/status", `{}`, enviaAuth); rec.Code != 405 {
		t.Errorf("PATCH on /status: %d", rec.Code)
	}
}

// unchanged is inst_demo as seeded.
func unchanged(in map[string]any) bool {
	st := in["settings"].(map[string]any)
	_, events := in["webhookEvents"]
	return in["webhookUrl"] == HooksBase+"enviaai/inst_demo" && st["autoRead"] == true && st["autoTyping"] == true && !events
}

func TestFaults_Writes(t *testing.T) {
	writes := []struct {
		name, method, path, body string
		h                        http.Header
		applied                  func(*testing.T, *Server) bool
	}{
		{"zapi", http.MethodPut, zapiInstancePath + "update-auto-read-message", `{"value":false}`, zapiAuth,
			func(t *testing.T, s *Server) bool { return zapiMe(t, s)["autoReadMessage"] == false }},
		{"enviaai", http.MethodPatch, "/v1/instances/inst_demo", `{"settings":{"autoRead":false}}`, enviaAuth,
			func(t *testing.T, s *Server) bool { return !unchanged(enviaEntry(t, s, "inst_demo")) }},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			for _, tc := range []struct {
				f          Faults
				status     int
				retryAfter string
			}{
				{Faults{FailWrites: 1}, 503, ""},
				{Faults{FailWrites: 1, FailWriteRetryAfter: 1500 * time.Millisecond}, 503, "2"},
				{Faults{FailWrites: 1, FailWriteStatus: 429, FailWriteRetryAfter: time.Second}, 429, "1"},
				{Faults{FailWrites: 1, FailWriteStatus: 500}, 500, ""},
			} {
				s := New(Options{Chats: 1})
				s.SetFaults(tc.f)
				// Reads pass while the write fault waits for a write.
				if rec := get(s, "/v1/instances", enviaAuth); rec.Code != 200 {
					t.Fatalf("%+v: a read failed: %d", tc.f, rec.Code)
				}
				rec := send(s, w.method, w.path, w.body, w.h)
				if rec.Code != tc.status || rec.Header().Get("Retry-After") != tc.retryAfter {
					t.Errorf("%+v: %d, Retry-After %q; want %d, %q", tc.f, rec.Code, rec.Header().Get("Retry-After"), tc.status, tc.retryAfter)
				}
				if w.name == "enviaai" && tc.retryAfter != "" && !strings.Contains(rec.Body.String(), `"retryAfter":`+tc.retryAfter) {
					t.Errorf("%+v: body %s lacks retryAfter", tc.f, rec.Body)
				}
				if w.applied(t, s) {
					t.Errorf("%+v: a failed write was applied", tc.f)
				}
				if rec := send(s, w.method, w.path, w.body, w.h); rec.Code != 200 || !w.applied(t, s) {
					t.Errorf("%+v: the write after the failures: %d, applied %v", tc.f, rec.Code, w.applied(t, s))
				}
			}
			s := New(Options{Chats: 1})
			s.SetFaults(Faults{IgnoreWrites: true})
			if rec := send(s, w.method, w.path, w.body, w.h); rec.Code != 200 {
				t.Errorf("IgnoreWrites: %d %s", rec.Code, rec.Body)
			}
			if w.applied(t, s) {
				t.Error("IgnoreWrites applied the write")
			}
		})
	}
}

func TestFaults_ValidateWrites(t *testing.T) {
	for _, f := range []Faults{{FailWriteStatus: 200}, {FailWrites: -1}, {FailWriteRetryAfter: -time.Second}} {
		if f.Validate() == nil {
			t.Errorf("%+v validated", f)
		}
	}
}

// Writes logs every write as received, refused ones too, and no read; the
// handler still reads the whole body.
func TestWrites_Log(t *testing.T) {
	s := New(Options{Chats: 1})
	get(s, zapiInstancePath+"me", zapiAuth)
	if rec := send(s, http.MethodPut, zapiInstancePath+"update-auto-read-message", `{"value":false}`, zapiAuth); rec.Code != http.StatusOK {
		t.Fatalf("write: %d %s", rec.Code, rec.Body)
	}
	send(s, http.MethodPut, zapiInstancePath+"update-webhook-received", `{"value":"http://x"}`, zapiAuth)
	want := []Write{
		{http.MethodPut, zapiInstancePath + "update-auto-read-message", `{"value":false}`},
		{http.MethodPut, zapiInstancePath + "update-webhook-received", `{"value":"http://x"}`},
	}
	got := s.Writes()
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Writes() = %+v, want %+v", got, want)
	}
	if me := zapiMe(t, s); me["autoReadMessage"] != false {
		t.Errorf("the logged write was not applied: %v", me["autoReadMessage"])
	}
}

func TestRefuseWebhookClears(t *testing.T) {
	s := New(Options{Chats: 1})
	s.SetFaults(Faults{RefuseWebhookClears: true})
	rec := send(s, http.MethodPut, zapiInstancePath+"update-webhook-received", `{"value":""}`, zapiAuth)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), ZAPIRefusedWebhook) {
		t.Errorf("Z-API clear: %d %s, want 400 %s", rec.Code, rec.Body, ZAPIRefusedWebhook)
	}
	if got := zapiMe(t, s)["receivedCallbackUrl"]; got != HooksBase+"zapi/received" {
		t.Errorf("after a refused clear /me has receivedCallbackUrl %v", got)
	}
	// A URL is still taken.
	if rec := send(s, http.MethodPut, zapiInstancePath+"update-webhook-received", `{"value":"https://n.example.com/r"}`, zapiAuth); rec.Code != 200 {
		t.Errorf("Z-API set: %d %s", rec.Code, rec.Body)
	}
	for _, body := range []string{`{"webhookUrl":null}`, `{"webhookUrl":""}`, `{"webhookUrl":null,"settings":{"autoRead":false}}`} {
		rec := send(s, http.MethodPatch, "/v1/instances/inst_demo", body, enviaAuth)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"code":"invalid_webhook_url"`) {
			t.Errorf("EnviaAI %s: %d %s, want 400 invalid_webhook_url", body, rec.Code, rec.Body)
		}
		if in := enviaEntry(t, s, "inst_demo"); !unchanged(in) {
			t.Errorf("EnviaAI %s changed the instance: %v", body, in)
		}
	}
	if rec := send(s, http.MethodPatch, "/v1/instances/inst_demo", `{"webhookUrl":"https://n.example.com/e"}`, enviaAuth); rec.Code != 200 {
		t.Errorf("EnviaAI set: %d %s", rec.Code, rec.Body)
	}
}
