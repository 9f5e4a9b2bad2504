package client

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// instanceEmulator is the emulator with extra generated instances.
type instanceEmulator struct{ *emulatortest.Server }

func newInstanceEmulator(t *testing.T, extra int) instanceEmulator {
	return instanceEmulator{emulatortest.Start(t, emulator.Options{Chats: 5, Instances: extra})}
}

// requests are the URLs received so far.
func (e instanceEmulator) requests() []string {
	var out []string
	for _, r := range e.Received() {
		out = append(out, r.URL.String())
	}
	return out
}

func emuZAPI(t *testing.T, url, instance, partner string) *Client {
	t.Helper()
	cfg := ZAPIConfig{BaseURL: url, InstanceID: instance, Token: "demo-token", ClientToken: "demo-client-token", PartnerToken: partner}
	if instance == "" {
		cfg.Token = ""
	}
	c, err := NewZAPI(cfg, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func emuEnviaAI(t *testing.T, url string) *Client {
	t.Helper()
	c, err := NewEnviaAI(EnviaAIConfig{BaseURL: url, APIKey: "demo-api-key", InstanceID: "inst_demo"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// near checks a time the emulator sets relative to its clock.
func near(t *testing.T, label string, got *time.Time, want time.Time) {
	t.Helper()
	if got == nil || got.Sub(want).Abs() > time.Minute {
		t.Errorf("%s = %v, want about %v", label, got, want)
	}
}

// secretFree fails when a decoded value holds a token or QR code the
// emulator sent.
func secretFree(t *testing.T, v any) {
	t.Helper()
	s := fmt.Sprintf("%+v", v)
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		s += fmt.Sprintf("%+v", rv.Elem().Interface())
	}
	for _, secret := range []string{"demo-token", "branch-token", "base64,", "demo-partner-token"} {
		if strings.Contains(s, secret) {
			t.Errorf("decoded value holds %q", secret)
		}
	}
}

func TestReadInstance_ZAPI(t *testing.T) {
	emu := newInstanceEmulator(t, 0)
	read, err := emuZAPI(t, emu.URL, "demo-instance", "").ReadInstance(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	in := read.Instance
	secretFree(t, in)
	if len(read.Unread) != 0 {
		t.Errorf("Unread = %v, want none", read.Unread)
	}
	want := Instance{
		ID: "demo-instance", Name: new("Atendimento"), Status: new("connected"), Connected: new(true),
		StatusMessage: new("You are already connected."), PhoneConnected: new(true), PaymentStatus: new("paid"),
		CreatedAt: in.CreatedAt, ExpiresAt: in.ExpiresAt,
		Webhooks: map[string]string{
			"received": emulator.HooksBase + "zapi/received", "delivery": emulator.HooksBase + "zapi/delivery",
			"message_status": emulator.HooksBase + "zapi/status", "disconnected": "https://old-hooks.example.net/zapi/disconnected",
		},
		AutoReadMessages: new(true), RejectCalls: new(true), RejectCallMessage: new("Não atendemos ligações por aqui."),
		WebhookSentByMe: new(false), QueuedMessages: new(int64(queued(t, emu.Server, "demo-instance"))),
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("instance:\n got %s\nwant %s", showInstance(in), showInstance(want))
	}
	near(t, "expires_at (due in seconds)", in.ExpiresAt, time.Now().Add(90*24*time.Hour))
	if in.CreatedAt == nil || !in.CreatedAt.Equal(mustTime("2024-12-30T12:30:00Z")) {
		t.Errorf("created_at = %v", in.CreatedAt)
	}

	expiring, err := emuZAPI(t, emu.URL, emulator.ZAPIExpiringInstance, "").ReadInstance(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "expires_at (due in milliseconds)", expiring.Instance.ExpiresAt, time.Now().Add(5*24*time.Hour))
	if got := expiring.Instance.Webhooks; len(got) != 3 || got["initial_data"] != emulator.HooksBase+"zapi/initial" {
		t.Errorf("webhooks = %v", got)
	}
	if p := expiring.Instance.PhoneConnected; p == nil || *p {
		t.Errorf("phone_connected = %v, want false", showBool(p))
	}
}

// sv is a string pointer's value, or <nil>.
func sv(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func showInstance(in Instance) string {
	return fmt.Sprintf("{%s name=%s status=%s connected=%s msg=%s phone=%s pay=%s hooks=%v auto=%s reject=%s/%s byme=%s queued=%s}",
		in.ID, showStr(in.Name), showStr(in.Status), showBool(in.Connected), showStr(in.StatusMessage), showBool(in.PhoneConnected),
		showStr(in.PaymentStatus), in.Webhooks, showBool(in.AutoReadMessages), showBool(in.RejectCalls), showStr(in.RejectCallMessage), showBool(in.WebhookSentByMe),
		showInt(in.QueuedMessages))
}

// queued is the emulator's queue count of the Z-API instance id.
func queued(t *testing.T, emu *emulatortest.Server, id string) int {
	t.Helper()
	n, ok := emu.ZAPIQueued(id)
	if !ok {
		t.Fatalf("the emulator has no Z-API instance %q", id)
	}
	return n
}

func TestReadInstance_DisconnectedIsAPartialRead(t *testing.T) {
	emu := newInstanceEmulator(t, 0)
	t.Run("Z-API", func(t *testing.T) {
		read, err := emuZAPI(t, emu.URL, emulator.ZAPIDisconnectedInstance, "").ReadInstance(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		in := read.Instance
		if sv(in.Status) != "disconnected" || showBool(in.Connected) != "false" || sv(in.StatusMessage) != "You need to restore the session." {
			t.Errorf("status fields: %s", showInstance(in))
		}
		if in.Name != nil || in.Webhooks != nil || in.ExpiresAt != nil || in.AutoReadMessages != nil {
			t.Errorf("/me fields are set though /me refused: %s", showInstance(in))
		}
		if showInt(in.QueuedMessages) != fmt.Sprint(queued(t, emu.Server, emulator.ZAPIDisconnectedInstance)) {
			t.Errorf("queued_messages = %s, want the queue read while disconnected", showInt(in.QueuedMessages))
		}
		if len(read.Unread) != 1 || read.Unread[0].Endpoint != "GET /me" || !slices.Contains(read.Unread[0].Attributes, "webhooks") ||
			!strings.Contains(read.Unread[0].Err.Error(), "You are not connected.") {
			t.Errorf("Unread = %+v", read.Unread)
		}
	})
	t.Run("EnviaAI", func(t *testing.T) {
		read, err := emuEnviaAI(t, emu.URL).ReadInstance(t.Context(), emulator.EnviaAIDisconnectedInstance)
		if err != nil {
			t.Fatal(err)
		}
		in := read.Instance
		if sv(in.Status) != "disconnected" || sv(in.Name) != "Vendas" || in.Webhooks["all"] == "" || in.CreatedAt == nil {
			t.Errorf("listing fields: %s", showInstance(in))
		}
		if in.Stats != nil || in.Health != nil || in.ConnectedAt != nil {
			t.Errorf("status fields are set though the status endpoint refused")
		}
		if len(read.Unread) != 1 || !strings.Contains(read.Unread[0].Err.Error(), "instance_disconnected") {
			t.Errorf("Unread = %+v", read.Unread)
		}
	})
}

func TestReadInstance_EnviaAI(t *testing.T) {
	emu := newInstanceEmulator(t, 150) // the instance's entry is read through every page
	c := emuEnviaAI(t, emu.URL)
	read, err := c.ReadInstance(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	in := read.Instance
	secretFree(t, in)
	if in.ID != "inst_demo" || sv(in.Status) != "connected" || showBool(in.Connected) != "true" || sv(in.Phone) != "5511987650000" ||
		sv(in.ProfileName) != "Loja Centro" || in.ProfilePicURL == nil || in.ConnectedAt == nil || in.LastSeenAt == nil || in.CreatedAt == nil ||
		showBool(in.AutoReadMessages) != "true" || showBool(in.AutoTyping) != "true" || !reflect.DeepEqual(in.Webhooks, map[string]string{"all": emulator.HooksBase + "enviaai/inst_demo"}) {
		t.Errorf("instance: %s phone=%s", showInstance(in), showStr(in.Phone))
	}
	if in.Stats == nil || showInt(in.Stats.MessagesSentToday) != "120" || showInt(in.Stats.UnreadMessages) != "17" ||
		in.Health == nil || showInt(in.Health.UptimeSeconds) != "259200" || in.Health.MessageDeliveryRate == nil || *in.Health.MessageDeliveryRate != 0.985 {
		t.Errorf("stats %+v health %+v", in.Stats, in.Health)
	}
	if in.StatusMessage != nil || in.PhoneConnected != nil || in.ExpiresAt != nil || in.RejectCalls != nil || in.PaymentStatus != nil || in.QueuedMessages != nil {
		t.Errorf("Z-API-only fields are set: %s", showInstance(in))
	}

	pairing, err := c.ReadInstance(t.Context(), emulator.EnviaAIPairingInstance)
	if err != nil {
		t.Fatal(err)
	}
	secretFree(t, pairing)
	if sv(pairing.Instance.Status) != "qr_pending" || showBool(pairing.Instance.Connected) != "false" || len(pairing.Instance.Webhooks) != 0 || pairing.Instance.Webhooks == nil {
		t.Errorf("pairing: %s", showInstance(pairing.Instance))
	}

	_, err = c.ReadInstance(t.Context(), "inst_nope")
	if apiErr := assertAs[*APIError](t, err); apiErr.Code != "instance_not_found" {
		t.Errorf("unknown instance: %v", err)
	}
	before := len(emu.requests())
	_, err = c.ReadInstance(t.Context(), "../messages")
	assertAs[*OptionError](t, err)
	if n := len(emu.requests()) - before; n != 0 {
		t.Errorf("an instance id with a path in it sent %d requests", n)
	}
}

func TestListInstances(t *testing.T) {
	emu := newInstanceEmulator(t, 240)
	zapi := emuZAPI(t, emu.URL, "", emulator.DefaultZAPIPartnerToken)
	envia := emuEnviaAI(t, emu.URL)
	for _, tc := range []struct {
		name      string
		c         *Client
		opts      InstanceListOptions
		total     string // "<nil>" when unknown
		returned  int
		first     string
		requests  int
		wantQuery string
	}{
		{"Z-API every page", zapi, InstanceListOptions{}, "243", 243, "demo-instance", 3, "page=3&pageSize=100"},
		{"Z-API status on the client", zapi, InstanceListOptions{Status: "disconnected"}, "81", 81, "disconnected-instance", 3, "page=1&pageSize=100"},
		{"Z-API has no qr_pending", zapi, InstanceListOptions{Status: "qr_pending"}, "0", 0, "", 3, ""},
		{"Z-API search sent as query", zapi, InstanceListOptions{Search: "filial 00"}, "9", 9, "branch-001", 1, "page=1&pageSize=100&query=filial+00"},
		{"Z-API max_results stops the read", zapi, InstanceListOptions{MaxResults: 2}, "243", 2, "demo-instance", 1, ""},
		{"Z-API max_results with status on the client", zapi, InstanceListOptions{MaxResults: 2, Status: "connected"}, "<nil>", 2, "demo-instance", 1, ""},
		{"Z-API max_results past the end", zapi, InstanceListOptions{MaxResults: 300}, "243", 243, "demo-instance", 3, ""},
		{"EnviaAI every page", envia, InstanceListOptions{}, "245", 245, "inst_demo", 3, "limit=100&offset=200"},
		{"EnviaAI status on the server", envia, InstanceListOptions{Status: "connecting"}, "61", 61, "inst_connecting", 1, "limit=100&offset=0&status=connecting"},
		{"EnviaAI qr_pending on the client", envia, InstanceListOptions{Status: "qr_pending"}, "61", 61, "inst_pairing", 3, "limit=100&offset=0"},
		{"EnviaAI search on the client", envia, InstanceListOptions{Search: "SUPPORT"}, "1", 1, "inst_support", 3, ""},
		{"EnviaAI max_results stops the read", envia, InstanceListOptions{MaxResults: 101}, "245", 101, "inst_demo", 2, "limit=100&offset=100"},
		{"EnviaAI max_results with search on the client", envia, InstanceListOptions{MaxResults: 1, Search: "inst"}, "<nil>", 1, "inst_demo", 1, ""},
		{"EnviaAI max_results with status on the server", envia, InstanceListOptions{MaxResults: 1, Status: "connecting"}, "61", 1, "inst_connecting", 1, ""},
		{"EnviaAI search by name", envia, InstanceListOptions{Search: "filial 00", Status: "connected"}, "3", 3, "inst_branch_001", 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(emu.requests())
			list, err := tc.c.ListInstances(t.Context(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			secretFree(t, list)
			reqs := emu.requests()[before:]
			if showInt(list.Total) != tc.total || len(list.Instances) != tc.returned || len(reqs) != tc.requests {
				t.Errorf("total %s, %d returned, %d requests; want %s, %d, %d", showInt(list.Total), len(list.Instances), len(reqs), tc.total, tc.returned, tc.requests)
			}
			if tc.first != "" && (len(list.Instances) == 0 || list.Instances[0].ID != tc.first) {
				t.Errorf("first = %v, want %s", list.Instances, tc.first)
			}
			for _, in := range list.Instances {
				if tc.opts.Status != "" && sv(in.Status) != tc.opts.Status {
					t.Errorf("%s has status %s", in.ID, sv(in.Status))
				}
			}
			if tc.wantQuery != "" && !slices.ContainsFunc(reqs, func(u string) bool { return strings.HasSuffix(u, "?"+tc.wantQuery) }) {
				t.Errorf("no request asked ?%s: %v", tc.wantQuery, reqs)
			}
		})
	}
}

func TestListInstances_ListingFields(t *testing.T) {
	emu := newInstanceEmulator(t, 0)
	list, err := emuZAPI(t, emu.URL, "", emulator.DefaultZAPIPartnerToken).ListInstances(t.Context(), InstanceListOptions{Search: "demo"})
	if err != nil || len(list.Instances) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	z := list.Instances[0]
	if sv(z.Name) != "Atendimento" || showBool(z.Connected) != "true" || showBool(z.PhoneConnected) != "true" || sv(z.PaymentStatus) != "paid" ||
		!reflect.DeepEqual(z.Webhooks, map[string]string{"delivery": emulator.HooksBase + "zapi/delivery"}) || z.CreatedAt == nil || z.AutoReadMessages != nil || z.StatusMessage != nil {
		t.Errorf("Z-API entry: %s", showInstance(z))
	}
	near(t, "expires_at", z.ExpiresAt, time.Now().Add(90*24*time.Hour))

	list, err = emuEnviaAI(t, emu.URL).ListInstances(t.Context(), InstanceListOptions{Search: "inst_demo"})
	if err != nil || len(list.Instances) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	e := list.Instances[0]
	if sv(e.Phone) != "5511987650000" || showBool(e.AutoReadMessages) != "true" || e.LastSeenAt == nil || e.Stats != nil || e.ConnectedAt != nil || e.ExpiresAt != nil {
		t.Errorf("EnviaAI entry: %s", showInstance(e))
	}
}

func TestInstances_CredentialsThatCannotServeTheRead(t *testing.T) {
	emu := newInstanceEmulator(t, 0)
	partnerOnly := emuZAPI(t, emu.URL, "", emulator.DefaultZAPIPartnerToken)
	_, err := partnerOnly.ListChats(t.Context(), ListOptions{})
	if e := assertAs[*CredentialsError](t, err); !strings.Contains(e.Error(), "instance id and token") {
		t.Errorf("chats: %v", err)
	}
	_, err = partnerOnly.FindChat(t.Context(), "5511999999999", "")
	assertAs[*CredentialsError](t, err)
	_, err = partnerOnly.ReadInstance(t.Context(), "")
	assertAs[*CredentialsError](t, err)
	_, err = emuZAPI(t, emu.URL, "demo-instance", "").ListInstances(t.Context(), InstanceListOptions{})
	if e := assertAs[*CredentialsError](t, err); !strings.Contains(e.Error(), "partner token") {
		t.Errorf("listing: %v", err)
	}
	if n := len(emu.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	_, err = emuZAPI(t, emu.URL, "", "wrong-partner-token").ListInstances(t.Context(), InstanceListOptions{})
	if e := assertAs[*APIError](t, err); e.StatusCode != 401 || strings.Contains(e.Error(), "wrong-partner-token") {
		t.Errorf("wrong partner token: %v", err)
	}
	_, err = emuZAPI(t, emu.URL, "demo-instance", "").ReadInstance(t.Context(), "inst_other")
	assertAs[*OptionError](t, err)
}

// An EnviaAI key without an instance lists the account's instances and
// reads the ones named; a read that names none says it needs one, before
// any request.
func TestInstances_EnviaAIKeyWithoutInstance(t *testing.T) {
	emu := newInstanceEmulator(t, 0)
	keyOnly, err := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"chats":    func() error { _, err := keyOnly.ListChats(t.Context(), ListOptions{}); return err },
		"chat":     func() error { _, err := keyOnly.FindChat(t.Context(), "5511999999999", ""); return err },
		"summary":  func() error { _, err := keyOnly.SummarizeChats(t.Context(), SummaryOptions{}); return err },
		"instance": func() error { _, err := keyOnly.ReadInstance(t.Context(), ""); return err },
		"settings": func() error { return keyOnly.CheckInstanceSettings("", InstanceSettings{}) },
	} {
		if e := assertAs[*CredentialsError](t, call()); e.Missing != CredentialInstanceID {
			t.Errorf("%s: %v", name, e)
		}
	}
	if n := len(emu.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	list, err := keyOnly.ListInstances(t.Context(), InstanceListOptions{})
	if err != nil || len(list.Instances) == 0 {
		t.Fatalf("listing: %v", err)
	}
	if _, err := keyOnly.ReadInstance(t.Context(), "inst_demo"); err != nil {
		t.Errorf("named instance: %v", err)
	}
	if _, err := keyOnly.ListChats(t.Context(), ListOptions{InstanceID: "inst_demo"}); err != nil {
		t.Errorf("named instance's chats: %v", err)
	}
}

func TestInstances_FaultsAndPaging(t *testing.T) {
	emu := newInstanceEmulator(t, 150)
	zapi := emuZAPI(t, emu.URL, "demo-instance", emulator.DefaultZAPIPartnerToken)
	envia := emuEnviaAI(t, emu.URL)
	emu.Inject(emulatortest.Fault{Faults: emulator.Faults{FailFirst: 2}})
	if _, err := zapi.ReadInstance(t.Context(), ""); err != nil {
		t.Errorf("Z-API after two 503s: %v", err)
	}
	emu.Inject(emulatortest.Fault{Faults: emulator.Faults{FailFirst: 2}})
	if _, err := envia.ListInstances(t.Context(), InstanceListOptions{}); err != nil {
		t.Errorf("EnviaAI after two 503s: %v", err)
	}
	emu.Inject(emulatortest.Fault{Faults: emulator.Faults{IgnorePage: true}})
	_, err := zapi.ListInstances(apiContext(t), InstanceListOptions{})
	if e := assertAs[*PagingError](t, err); e.Page != 2 || !strings.Contains(e.Reason, "repeated instance") {
		t.Errorf("ignored page: %v", err)
	}
	for _, kind := range []string{emulator.MalformedTruncated, emulator.MalformedHTML, emulator.MalformedEmpty} {
		emu.Inject(emulatortest.Fault{Faults: emulator.Faults{Malformed: kind}})
		for name, c := range map[string]*Client{"Z-API": zapi, "EnviaAI": envia} {
			if _, err := c.ReadInstance(t.Context(), ""); err == nil {
				t.Errorf("%s %s: no error", name, kind)
			}
		}
	}
}

func TestWithoutSecretFields(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"a","token":"t0k3n","name":"x"}`:          `{"id":"a","token":"REDACTED","name":"REDACTED"}`,
		`{"Token" : "t0k\"3n", "qrCode":"data:image/png`: `{"Token" : "REDACTED", "qrCode":"REDACTED"`,
		`{"apiKey":{"v":"k3y"},"password":12345}`:        `{"apiKey":"REDACTED","password":"REDACTED"}`,
		`{"items":[{"token":"t1"},{"token":"t2"}]}`:      `{"items":[{"token":"REDACTED"},{"token":"REDACTED"}]}`,
		`{"message":"token"}`:                            `{"message":"token"}`,
		`<html>"token": abc</html>`:                      `<html>"token": "REDACTED"`,
		`{"tokens":["t1","t2"],"keys":"kept"}`:           `{"tokens":"REDACTED","keys":"kept"}`,
		`{"Client-Token":"c1","client_token":"c2"}`:      `{"Client-Token":"REDACTED","client_token":"REDACTED"}`,
		`{"a":{"b":[{"SIGNING_SECRET":{"x":[1,2]}}]}}`:   `{"a":{"b":[{"SIGNING_SECRET":"REDACTED"}]}}`,
		`{"error":{"code":"invalid_api_key","x":"k"}}`:   `{"error":{"code":"invalid_api_key","x":"k"}}`,
		`{"message":"{\"qr_code\":\"a,b\"}","n":1}`:      `{"message":"{\"qr_code\":"REDACTED"}","n":1}`,
	} {
		if got := newTransport(BackendZAPI, HTTPOptions{}, nil).Clip(in, 4096); got != want {
			t.Errorf("withoutSecretFields(%s)\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestInstances_ErrorExcerptsDropReturnedSecrets(t *testing.T) {
	srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		// Cut short: not JSON, and holding another instance's token.
		fmt.Fprint(w, `{"total":1,"content":[{"id":"other","token":"OTHER-INSTANCE-TOKEN","qrCode":"QR-SECRET`)
	})
	_, err := emuZAPI(t, srv.URL, "", "partner-secret").ListInstances(t.Context(), InstanceListOptions{})
	e := assertAs[*DecodeError](t, err)
	for _, secret := range []string{"OTHER-INSTANCE-TOKEN", "QR-SECRET", "partner-secret"} {
		if strings.Contains(e.Error(), secret) {
			t.Errorf("the error shows %s: %v", secret, e)
		}
	}
	if !strings.Contains(e.Error(), `REDACTED`) {
		t.Errorf("the excerpt is not there: %v", e)
	}
}

// An instance the status endpoint knows and the listing does not: the
// status fields are kept and the listing's part is reported unread.
func TestReadInstance_EnviaAIInstanceMissingFromTheListing(t *testing.T) {
	srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if strings.HasSuffix(r.URL.Path, "/status") {
			fmt.Fprint(w, `{"success":true,"data":{"id":"inst_demo","name":"A","status":"connecting"}}`)
			return
		}
		fmt.Fprint(w, `{"success":true,"data":[],"pagination":{"total":0,"limit":100,"offset":0,"hasMore":false}}`)
	})
	read, err := emuEnviaAI(t, srv.URL).ReadInstance(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if sv(read.Instance.Status) != "connecting" || read.Instance.Webhooks != nil || read.Instance.CreatedAt != nil {
		t.Errorf("instance: %s", showInstance(read.Instance))
	}
	if len(read.Unread) != 1 {
		t.Fatalf("Unread = %v", read.Unread)
	}
	assertAs[*InstanceNotListedError](t, read.Unread[0].Err)
}
