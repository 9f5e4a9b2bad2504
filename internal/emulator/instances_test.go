package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

const zapiInstancePath = "/instances/demo-instance/token/demo-token/"

var partnerAuth = http.Header{"Authorization": {"Bearer " + DefaultZAPIPartnerToken}}

func TestZAPIInstance_StatusAndMe(t *testing.T) {
	before := time.Now()
	s := New(Options{Chats: 1})
	after := time.Now()
	// within reports whether a due date is d after the server's start.
	within := func(due time.Time, d time.Duration) bool {
		return !due.Before(before.Add(d).Truncate(time.Second)) && !due.After(after.Add(d))
	}

	status := decode[map[string]any](t, get(s, zapiInstancePath+"status", zapiAuth))
	if status["connected"] != true || status["smartphoneConnected"] != true || status["error"] != "You are already connected." {
		t.Errorf("status = %v", status)
	}
	me := decode[map[string]any](t, get(s, zapiInstancePath+"me", zapiAuth))
	again := decode[map[string]any](t, get(s, zapiInstancePath+"me", zapiAuth))
	if again["due"] != me["due"] {
		t.Errorf("due moved between reads: %v, then %v", me["due"], again["due"])
	}
	if me["token"] != "demo-token" || me["name"] != "Atendimento" || me["autoReadMessage"] != true {
		t.Errorf("me = %v", me)
	}
	if due := int64(me["due"].(float64)); !within(time.Unix(due, 0), 90*day) {
		t.Errorf("due = %d, want 90 days after the server's clock, in seconds", due)
	}
	if me["receivedCallbackUrl"] != HooksBase+"zapi/received" || me["connectedCallbackUrl"] != "" {
		t.Errorf("webhooks: received %v, connected %v", me["receivedCallbackUrl"], me["connectedCallbackUrl"])
	}

	disc := "/instances/" + ZAPIDisconnectedInstance + "/token/demo-token/"
	status = decode[map[string]any](t, get(s, disc+"status", zapiAuth))
	if status["connected"] != false || status["error"] != "You need to restore the session." {
		t.Errorf("disconnected status = %v", status)
	}
	rec := get(s, disc+"me", zapiAuth)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "You are not connected.") {
		t.Errorf("disconnected /me: %d %s", rec.Code, rec.Body)
	}
	expiring := decode[map[string]any](t, get(s, "/instances/"+ZAPIExpiringInstance+"/token/demo-token/me", zapiAuth))
	if due := int64(expiring["due"].(float64)); !within(time.UnixMilli(due), 5*day) {
		t.Errorf("expiring due = %d, want 5 days after the server's clock, in milliseconds", due)
	}

	for name, tc := range map[string]struct {
		path   string
		header http.Header
		status int
		body   string
	}{
		"no Client-Token":    {zapiInstancePath + "status", nil, 400, "null not allowed"},
		"wrong token":        {"/instances/demo-instance/token/nope/me", zapiAuth, 404, "Instance not found"},
		"unknown instance":   {"/instances/nope/token/demo-token/status", zapiAuth, 404, "Instance not found"},
		"generated instance": {"/instances/branch-001/token/demo-token/status", zapiAuth, 404, "Instance not found"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := get(s, tc.path, tc.header)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("%d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.body)
			}
		})
	}
}

type partnerPage struct {
	Total, TotalPage, PageSize, Page int
	Content                          []map[string]any
}

func TestZAPIInstance_PartnerListing(t *testing.T) {
	s := New(Options{Chats: 1, Instances: 10})
	p := decode[partnerPage](t, get(s, "/instances?page=2&pageSize=5", partnerAuth))
	if p.Total != 13 || p.TotalPage != 3 || p.Page != 2 || len(p.Content) != 5 || p.Content[0]["id"] != "branch-003" {
		t.Errorf("page 2 of 5: %+v", p)
	}
	if p.Content[0]["token"] != "branch-token-003" {
		t.Errorf("entries carry no token: %v", p.Content[0])
	}
	p = decode[partnerPage](t, get(s, "/instances?page=1&pageSize=100&query=FILIAL%2001", partnerAuth))
	if p.Total != 1 || p.Content[0]["name"] != "Filial 010" {
		t.Errorf("query: %+v", p)
	}
	p = decode[partnerPage](t, get(s, "/instances?page=1&pageSize=100&query=expiring", partnerAuth))
	if p.Total != 1 || p.Content[0]["whatsappConnected"] != true || p.Content[0]["phoneConnected"] != false {
		t.Errorf("query by id: %+v", p)
	}
	for _, h := range []http.Header{nil, zapiAuth, {"Authorization": {"Bearer demo-token"}}} {
		if rec := get(s, "/instances?page=1&pageSize=5", h); rec.Code != http.StatusUnauthorized {
			t.Errorf("with %v: %d, want 401", h, rec.Code)
		}
	}
	if rec := get(s, "/instances?pageSize=5", partnerAuth); rec.Code != http.StatusBadRequest {
		t.Errorf("without page: %d, want 400", rec.Code)
	}
	s.SetFaults(Faults{FailFirst: 1})
	if rec := get(s, "/instances?page=1&pageSize=5", partnerAuth); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("FailFirst: %d, want 503", rec.Code)
	}
}

func TestEnviaAIInstance_ListAndStatus(t *testing.T) {
	s := New(Options{Chats: 1, Instances: 8})
	all := decode[enviaPage](t, get(s, "/v1/instances?limit=100", enviaAuth))
	if all.Pagination.Total != 13 || len(all.Data) != 13 || all.Pagination.HasMore {
		t.Fatalf("all: total %d, %d entries", all.Pagination.Total, len(all.Data))
	}
	page := decode[enviaPage](t, get(s, "/v1/instances?limit=5&offset=10", enviaAuth))
	if len(page.Data) != 3 || page.Data[0]["id"] != all.Data[10]["id"] || page.Pagination.HasMore {
		t.Errorf("offset 10: %+v", page)
	}
	connecting := decode[enviaPage](t, get(s, "/v1/instances?status=connecting", enviaAuth))
	for _, in := range connecting.Data {
		if in["status"] != "connecting" {
			t.Errorf("status=connecting listed %v", in)
		}
	}
	if connecting.Pagination.Total != 3 {
		t.Errorf("connecting: %d, want 3", connecting.Pagination.Total)
	}
	if rec := get(s, "/v1/instances?status=qr_pending", enviaAuth); rec.Code != http.StatusBadRequest {
		t.Errorf("status=qr_pending: %d, want 400 (not a documented filter)", rec.Code)
	}
	for _, in := range all.Data {
		if _, ok := in["qrCode"]; ok {
			t.Errorf("the listing sends a QR code: %v", in)
		}
	}

	demo := decode[struct{ Data map[string]any }](t, get(s, "/v1/instances/inst_demo/status", enviaAuth)).Data
	if demo["status"] != "connected" || demo["stats"] == nil || demo["health"] == nil || demo["qrCode"] != nil {
		t.Errorf("inst_demo status: %v", demo)
	}
	pairing := decode[struct{ Data map[string]any }](t, get(s, "/v1/instances/"+EnviaAIPairingInstance+"/status", enviaAuth)).Data
	if pairing["status"] != "qr_pending" || !strings.HasPrefix(pairing["qrCode"].(string), "data:image/png;base64,") {
		t.Errorf("pairing status: %v", pairing)
	}
	for path, want := range map[string]int{
		"/v1/instances/" + EnviaAIDisconnectedInstance + "/status": http.StatusConflict,
		"/v1/instances/nope/status":                                http.StatusNotFound,
	} {
		if rec := get(s, path, enviaAuth); rec.Code != want {
			t.Errorf("%s: %d, want %d", path, rec.Code, want)
		}
	}
	if rec := get(s, "/v1/instances", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("no key: %d", rec.Code)
	}
}

// An instance of the account that is not connected (disconnected,
// connecting, waiting for its QR code) has chats that cannot be read:
// EnviaAI's instance_disconnected, "The WhatsApp instance is not
// connected". Only an id the account lacks is invalid_instance.
func TestEnviaAIChats_InstancesNotConnected(t *testing.T) {
	s := New(Options{Chats: 3, Instances: 4})
	auth := http.Header{"Authorization": {"Bearer demo-api-key"}}
	for id, want := range map[string]string{
		EnviaAIDisconnectedInstance: "instance_disconnected",
		EnviaAIConnectingInstance:   "instance_disconnected",
		EnviaAIPairingInstance:      "instance_disconnected",
		"inst_branch_002":           "instance_disconnected", // a generated one, disconnected
		"inst_nope":                 "invalid_instance",
	} {
		rec := get(s, "/v1/messages/chats?instanceId="+id, auth)
		body := decode[struct{ Error struct{ Code string } }](t, rec)
		wantStatus := map[string]int{"instance_disconnected": http.StatusConflict, "invalid_instance": http.StatusNotFound}[want]
		if rec.Code != wantStatus || body.Error.Code != want {
			t.Errorf("%s: %d %q, want %d %q", id, rec.Code, body.Error.Code, wantStatus, want)
		}
	}
}

// Each instance's queue count is served with its own token, disconnected
// or not; RefuseQueue refuses it; the queue's entries are never served.
func TestZAPIInstance_QueueCount(t *testing.T) {
	s := New(Options{Chats: 1, Instances: 3})
	for id, token := range map[string]string{
		"demo-instance": "demo-token", ZAPIDisconnectedInstance: "demo-token", ZAPIExpiringInstance: "demo-token",
		"branch-001": "branch-token-001", "branch-003": "branch-token-003",
	} {
		want, ok := s.ZAPIQueued(id)
		if !ok {
			t.Fatalf("ZAPIQueued(%q) knows no such instance", id)
		}
		body := decode[map[string]any](t, get(s, "/instances/"+id+"/token/"+token+"/queue/count", zapiAuth))
		if body["size"] != strconv.Itoa(want) || len(body) != 1 {
			t.Errorf("%s: %v, want size %d", id, body, want)
		}
	}
	if n, _ := s.ZAPIQueued(ZAPIDisconnectedInstance); n == 0 {
		t.Error("the disconnected instance's queue is empty: nothing piles up for an audit to find")
	}
	if n, _ := s.ZAPIQueued("branch-003"); n == 0 {
		t.Error("the disconnected generated instance's queue is empty")
	}
	for name, path := range map[string]string{
		"another instance's token": "/instances/branch-001/token/branch-token-002/queue/count",
		"the configured token":     "/instances/branch-001/token/demo-token/queue/count",
		"unknown instance":         "/instances/nope/token/demo-token/queue/count",
	} {
		if rec := get(s, path, zapiAuth); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d %s, want 404", name, rec.Code, rec.Body)
		}
	}
	if rec := get(s, zapiInstancePath+"queue/count", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("no Client-Token: %d", rec.Code)
	}
	for _, r := range []struct{ method, path string }{
		{http.MethodPost, zapiInstancePath + "queue"},
		{http.MethodGet, zapiInstancePath + "queue?page=1&pageSize=10"},
		{http.MethodGet, zapiInstancePath + "queue/count/x"},
	} {
		if rec := do(s, r.method, r.path, zapiAuth); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "Phone") {
			t.Errorf("%s %s: %d %s, want 404 (the queue's entries are not served)", r.method, r.path, rec.Code, rec.Body)
		}
	}
	s.SetFaults(Faults{RefuseQueue: true})
	rec := get(s, zapiInstancePath+"queue/count", zapiAuth)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), ZAPIQueueRefusal) {
		t.Errorf("RefuseQueue: %d %s", rec.Code, rec.Body)
	}
	if rec := get(s, zapiInstancePath+"me", zapiAuth); rec.Code != http.StatusOK {
		t.Errorf("RefuseQueue refused /me too: %d", rec.Code)
	}
}

// Each generated instance answers /status and /me to its own token only.
func TestZAPIInstance_GeneratedInstancesOwnTokens(t *testing.T) {
	s := New(Options{Chats: 1, Instances: 2})
	for _, endpoint := range []string{"status", "me"} {
		if rec := get(s, "/instances/branch-002/token/branch-token-002/"+endpoint, zapiAuth); rec.Code != http.StatusOK {
			t.Errorf("%s with its token: %d %s", endpoint, rec.Code, rec.Body)
		}
		if rec := get(s, "/instances/branch-002/token/branch-token-001/"+endpoint, zapiAuth); rec.Code != http.StatusNotFound {
			t.Errorf("%s with another instance's token: %d", endpoint, rec.Code)
		}
	}
}
