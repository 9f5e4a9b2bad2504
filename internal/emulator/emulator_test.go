package emulator

import (
	"bytes"
	"net/http"
	"reflect"
	"testing"
)

func TestNew_SameSeedGivesSameBytes(t *testing.T) {
	targets := []struct {
		target string
		auth   http.Header
	}{
		{zapiPath + "?page=1&pageSize=1000", zapiAuth},
		{enviaAIPath + "?instanceId=inst_demo&limit=100&offset=40", enviaAuth},
		{enviaAIPath + "?instanceId=inst_support&limit=100&sortBy=contactName", enviaAuth},
	}
	a, b, other := New(Options{Seed: 7}), New(Options{Seed: 7}), New(Options{Seed: 8})
	for _, tc := range targets {
		ra, rb, ro := get(a, tc.target, tc.auth), get(b, tc.target, tc.auth), get(other, tc.target, tc.auth)
		if ra.Code != http.StatusOK || !bytes.Equal(ra.Body.Bytes(), rb.Body.Bytes()) {
			t.Errorf("%s: same seed gave different answers (status %d)", tc.target, ra.Code)
		}
		if bytes.Equal(ra.Body.Bytes(), ro.Body.Bytes()) {
			t.Errorf("%s: seeds 7 and 8 gave the same answer", tc.target)
		}
	}
	if !reflect.DeepEqual(a.ZAPIChats(), b.ZAPIChats()) || !reflect.DeepEqual(a.EnviaAIChats("inst_demo"), b.EnviaAIChats("inst_demo")) {
		t.Error("same seed gave different chats")
	}
}

func TestNew_Sizes(t *testing.T) {
	tests := []struct {
		opts                Options
		zapi, demo, support int
	}{
		{Options{}, 300, 300, 31},
		{Options{Chats: 1}, 1, 1, 1},
		{Options{Chats: 2500}, 2500, 2500, 251},
	}
	for _, tc := range tests {
		s := New(tc.opts)
		got := []int{len(s.ZAPIChats()), len(s.EnviaAIChats("inst_demo")), len(s.EnviaAIChats("inst_support"))}
		if want := []int{tc.zapi, tc.demo, tc.support}; !reflect.DeepEqual(got, want) {
			t.Errorf("Chats=%d: sizes %v, want %v", tc.opts.Chats, got, want)
		}
	}
}

func TestNew_CustomCredentials(t *testing.T) {
	s := New(Options{
		Chats:   20,
		ZAPI:    ZAPICredentials{InstanceID: "i1", Token: "t1"},
		EnviaAI: EnviaAICredentials{APIKey: "k1", InstanceIDs: []string{"a", "b", "c"}},
	})
	if rec := get(s, "/instances/i1/token/t1/chats?page=1&pageSize=5", nil); rec.Code != http.StatusOK {
		t.Errorf("Z-API without a configured Client-Token: status %d, body %s", rec.Code, rec.Body)
	}
	if rec := get(s, zapiPath+"?page=1&pageSize=5", zapiAuth); rec.Code != http.StatusNotFound {
		t.Errorf("Z-API default instance after override: status %d, want 404", rec.Code)
	}
	for _, id := range []string{"a", "b", "c"} {
		if rec := get(s, enviaAIPath+"?instanceId="+id, http.Header{"Authorization": {"Bearer k1"}}); rec.Code != http.StatusOK {
			t.Errorf("EnviaAI instance %s: status %d, body %s", id, rec.Code, rec.Body)
		}
	}
	if rec := get(s, enviaAIPath+"?instanceId=a", enviaAuth); rec.Code != http.StatusUnauthorized {
		t.Errorf("EnviaAI default key after override: status %d, want 401", rec.Code)
	}
	if s.EnviaAIChats("inst_demo") != nil {
		t.Error("EnviaAIChats of an instance not configured is not nil")
	}
}

func TestServeHTTP_UnknownPath(t *testing.T) {
	s := New(Options{Chats: 5})
	for _, path := range []string{
		"/", "/chats", "/v1/messages/chats/x", "/v1/messages",
		"/instances/demo-instance/token/demo-token/chat",
		"/instances//token/demo-token/chats",
		"/instances/demo-instance/token/demo-token/chats/extra",
	} {
		rec := get(s, path, zapiAuth)
		if rec.Code != http.StatusNotFound || rec.Body.String() != `{"error":"Not found"}` {
			t.Errorf("%s: %d %s, want 404 {\"error\":\"Not found\"}", path, rec.Code, rec.Body)
		}
	}
}

func TestServeHTTP_MethodNotAllowed(t *testing.T) {
	s := New(Options{Chats: 5})
	tests := []struct {
		target string
		auth   http.Header
		body   string
	}{
		{zapiPath + "?page=1&pageSize=1", zapiAuth, `{"error":"Method not allowed"}`},
		{enviaAIPath + "?instanceId=inst_demo", enviaAuth, `{"success":false,"error":{"code":"method_not_allowed","message":"Method not allowed","requestId":"req_method_not_allowed"}}`},
	}
	for _, tc := range tests {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
			rec := do(s, method, tc.target, tc.auth)
			if rec.Code != http.StatusMethodNotAllowed || rec.Body.String() != tc.body || rec.Header().Get("Allow") != "GET" {
				t.Errorf("%s %s: %d %s (Allow %q)", method, tc.target, rec.Code, rec.Body, rec.Header().Get("Allow"))
			}
		}
	}
}

func TestRequests_CountsEveryRequest(t *testing.T) {
	s := New(Options{Chats: 5})
	get(s, "/nowhere", nil)
	get(s, zapiPath+"?page=1&pageSize=1", nil)
	get(s, enviaAIPath+"?instanceId=inst_demo", enviaAuth)
	if got := s.Requests(); got != 3 {
		t.Errorf("Requests() = %d, want 3", got)
	}
}

func TestChatAccessors_ReturnCopies(t *testing.T) {
	s := New(Options{Chats: 5})
	z := s.ZAPIChats()
	z[0]["name"] = "changed"
	e := s.EnviaAIChats("inst_demo")
	e[0]["phone"] = "changed"
	if s.ZAPIChats()[0]["name"] == "changed" || s.EnviaAIChats("inst_demo")[0]["phone"] == "changed" {
		t.Error("changing a returned chat changed the server's data")
	}
	page := zapiPage(t, s, "page=1&pageSize=5")
	if !reflect.DeepEqual(page, s.ZAPIChats()) {
		t.Error("ZAPIChats differs from what the server sends")
	}
}
