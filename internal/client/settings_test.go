package client

import (
	"errors"
	"io"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// writeEmulator is the emulator for settings writes.
type writeEmulator struct{ *emulatortest.Server }

func newWriteEmulator(t *testing.T) writeEmulator {
	return writeEmulator{emulatortest.Start(t, emulator.Options{Chats: 1})}
}

// sent is every write received, each as "METHOD path body".
func (e writeEmulator) sent() []string {
	var out []string
	for _, w := range e.Writes() {
		out = append(out, w.Method+" "+w.Path+" "+w.Body)
	}
	return out
}

// settingsCase is one backend with settings it can write.
type settingsCase struct {
	name     string
	client   func(t *testing.T, url string) *Client
	settings InstanceSettings
	// writes are the requests the settings take, in order.
	writes []string
	check  func(in *Instance) bool
}

const zapiWritePath = "/instances/demo-instance/token/demo-token/"

func settingsCases() []settingsCase {
	return []settingsCase{
		{
			name:   "zapi",
			client: func(t *testing.T, url string) *Client { return emuZAPI(t, url, "demo-instance", "") },
			settings: InstanceSettings{
				Webhooks:         map[string]string{"received": "https://new.example.com/r", "delivery": ""},
				AutoReadMessages: new(false), RejectCalls: new(false), RejectCallMessage: new("Ligue depois"), WebhookSentByMe: new(true),
			},
			writes: []string{
				"PUT " + zapiWritePath + `update-webhook-delivery {"value":""}`,
				"PUT " + zapiWritePath + `update-webhook-received {"value":"https://new.example.com/r"}`,
				"PUT " + zapiWritePath + `update-auto-read-message {"value":false}`,
				"PUT " + zapiWritePath + `update-call-reject-auto {"value":false}`,
				"PUT " + zapiWritePath + `update-call-reject-message {"value":"Ligue depois"}`,
				"PUT " + zapiWritePath + `update-notify-sent-by-me {"notifySentByMe":true}`,
			},
			check: func(in *Instance) bool {
				return in.Webhooks["received"] == "https://new.example.com/r" && in.Webhooks["delivery"] == "" &&
					in.Webhooks["message_status"] == emulator.HooksBase+"zapi/status" && // untouched
					!*in.AutoReadMessages && !*in.RejectCalls && *in.RejectCallMessage == "Ligue depois" && *in.WebhookSentByMe
			},
		},
		{
			name:   "enviaai",
			client: emuEnviaAI,
			settings: InstanceSettings{
				Webhooks: map[string]string{"all": "https://new.example.com/e"}, WebhookEvents: []string{"message.received", "instance.connected"},
				AutoReadMessages: new(false), AutoTyping: new(false),
			},
			writes: []string{
				`PATCH /v1/instances/inst_demo {"settings":{"autoRead":false,"autoTyping":false},"webhookEvents":["message.received","instance.connected"],"webhookUrl":"https://new.example.com/e"}`,
			},
			check: func(in *Instance) bool {
				// EnviaAI does not report the events: they are written and trusted.
				return in.Webhooks["all"] == "https://new.example.com/e" && in.WebhookEvents == nil &&
					!*in.AutoReadMessages && !*in.AutoTyping
			},
		},
	}
}

func TestUpdateInstanceSettings_WritesThenReadsBack(t *testing.T) {
	for _, tc := range settingsCases() {
		t.Run(tc.name, func(t *testing.T) {
			emu := newWriteEmulator(t)
			c := tc.client(t, emu.URL)
			in, err := c.UpdateInstanceSettings(t.Context(), "", tc.settings)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(in) {
				t.Errorf("returned instance: %+v", in)
			}
			if got := emu.sent(); !reflect.DeepEqual(got, tc.writes) {
				t.Errorf("writes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.writes, "\n"))
			}
			read, err := c.ReadInstance(t.Context(), "")
			if err != nil || !tc.check(&read.Instance) {
				t.Errorf("a later read: %v %+v", err, read)
			}
			// Nothing to change sends nothing.
			if _, err := c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{}); err != nil || len(emu.sent()) != len(tc.writes) {
				t.Errorf("empty settings: %v, %d writes", err, len(emu.sent()))
			}
		})
	}
}

func TestUpdateInstanceSettings_RefusedBeforeAnyRequest(t *testing.T) {
	zapi := func(t *testing.T, url string) *Client { return emuZAPI(t, url, "demo-instance", "") }
	envia := emuEnviaAI
	tests := []struct {
		name     string
		client   func(t *testing.T, url string) *Client
		instance string
		s        InstanceSettings
		option   string
		reason   string
	}{
		{"zapi auto_typing", zapi, "", InstanceSettings{AutoTyping: new(true)}, "auto_typing", "Z-API has no auto_typing setting; the settings it has are webhooks, auto_read_messages, reject_calls, reject_call_message, webhook_sent_by_me"},
		{"zapi events", zapi, "", InstanceSettings{WebhookEvents: []string{}}, "webhook_events", "Z-API has no webhook_events setting; the settings it has are webhooks,"},
		{"zapi other instance", zapi, "other", InstanceSettings{AutoReadMessages: new(true)}, "instance_id", `the one instance they name, "demo-instance", and "other" is another one`},
		{"zapi unknown event", zapi, "", InstanceSettings{Webhooks: map[string]string{"all": "https://x.example.com"}}, "webhooks.all", `no webhook event "all"`},
		{"zapi initial data", zapi, "", InstanceSettings{Webhooks: map[string]string{"initial_data": "https://x.example.com"}}, "webhooks.initial_data", `no write endpoint for the "initial_data" webhook`},
		{"zapi plain http", zapi, "", InstanceSettings{Webhooks: map[string]string{"received": "http://hooks.example.com/r"}}, "webhooks.received", "the webhook URL uses plain http to a host that is not loopback (http://hooks.example.com)"},
		{"zapi credentials in URL", zapi, "", InstanceSettings{Webhooks: map[string]string{"received": "https://u:pw@hooks.example.com/r"}}, "webhooks.received", "must not hold a user name or password (https://hooks.example.com)"},
		{"zapi URL that does not parse", zapi, "", InstanceSettings{Webhooks: map[string]string{"received": "https://user:Hk#pass@host/wh"}}, "webhooks.received", "the webhook URL is not a URL (invalid port after host)"},
		{"zapi no host", zapi, "", InstanceSettings{Webhooks: map[string]string{"received": "https:///r"}}, "webhooks.received", "has no host"},
		{"enviaai reject_calls", envia, "", InstanceSettings{RejectCalls: new(true)}, "reject_calls", "EnviaAI has no reject_calls setting; the settings it has are webhooks, webhook_events, auto_read_messages, auto_typing"},
		{"enviaai reject_call_message", envia, "", InstanceSettings{RejectCallMessage: new("x")}, "reject_call_message", "EnviaAI has no reject_call_message setting; the settings it has are"},
		{"enviaai sent by me", envia, "", InstanceSettings{WebhookSentByMe: new(true)}, "webhook_sent_by_me", "EnviaAI has no webhook_sent_by_me setting; the settings it has are"},
		{"enviaai event key", envia, "", InstanceSettings{Webhooks: map[string]string{"received": "https://x.example.com"}}, "webhooks.received", `no webhook event "received": it has one webhook, for every event, under the key "all"`},
		{"enviaai event name", envia, "", InstanceSettings{WebhookEvents: []string{"message.exploded"}}, "webhook_events", `"message.exploded"`},
		{"enviaai ftp", envia, "", InstanceSettings{Webhooks: map[string]string{"all": "ftp://x.example.com"}}, "webhooks.all", "must start with https://"},
		{"enviaai path id", envia, "../x", InstanceSettings{AutoTyping: new(true)}, "instance_id", "cannot be an instance id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emu := newWriteEmulator(t)
			before := emu.Requests()
			_, err := tc.client(t, emu.URL).UpdateInstanceSettings(t.Context(), tc.instance, tc.s)
			optErr := assertAs[*OptionError](t, err)
			if optErr.Option != tc.option || !strings.Contains(optErr.Reason, tc.reason) {
				t.Errorf("got %q: %q, want %q: …%s…", optErr.Option, optErr.Reason, tc.option, tc.reason)
			}
			if n := emu.Requests() - before; n != 0 {
				t.Errorf("%d requests were sent", n)
			}
		})
	}
}

func TestUpdateInstanceSettings_APIAnswers(t *testing.T) {
	emu := newWriteEmulator(t)
	// A loopback http URL passes the provider's check; Z-API refuses it.
	_, err := emuZAPI(t, emu.URL, "demo-instance", "").UpdateInstanceSettings(t.Context(), "", InstanceSettings{Webhooks: map[string]string{"received": "http://127.0.0.1/hook"}})
	if apiErr := assertAs[*APIError](t, err); apiErr.StatusCode != 400 || apiErr.Message != emulator.ZAPIRefusedWebhook {
		t.Errorf("Z-API refusal: %v", err)
	}
	envia := emuEnviaAI(t, emu.URL)
	_, err = envia.UpdateInstanceSettings(t.Context(), "", InstanceSettings{Webhooks: map[string]string{"all": "http://localhost/hook"}})
	if apiErr := assertAs[*APIError](t, err); apiErr.Code != "invalid_webhook_url" {
		t.Errorf("EnviaAI refusal: %v", err)
	}
	_, err = envia.UpdateInstanceSettings(t.Context(), "inst_nope", InstanceSettings{AutoTyping: new(false)})
	if apiErr := assertAs[*APIError](t, err); apiErr.StatusCode != 404 || apiErr.Code != "instance_not_found" {
		t.Errorf("unknown instance: %v", err)
	}
	if kind := KindOf(err); kind != KindUnknownInstance {
		t.Errorf("kind %d, want KindUnknownInstance", kind)
	}
}

func TestUpdateInstanceSettings_WriteFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults emulator.Faults
		// attempts is how many times the first write is sent.
		attempts int
		check    func(t *testing.T, err error)
	}{
		{"429 is retried", emulator.Faults{FailWrites: 2, FailWriteStatus: 429}, 3, noError},
		{"503 with Retry-After is retried", emulator.Faults{FailWrites: 1, FailWriteRetryAfter: time.Second}, 2, noError},
		{"503 without Retry-After is not", emulator.Faults{FailWrites: 1}, 1, outcomeUnknown(503)},
		{"500 is not", emulator.Faults{FailWrites: 1, FailWriteStatus: 500}, 1, outcomeUnknown(500)},
		{"502 is not", emulator.Faults{FailWrites: 1, FailWriteStatus: 502}, 1, outcomeUnknown(502)},
		{"429 past the retries", emulator.Faults{FailWrites: 10, FailWriteStatus: 429}, 4, func(t *testing.T, err error) {
			if apiErr := assertAs[*APIError](t, err); apiErr.StatusCode != 429 || apiErr.Attempts != 4 {
				t.Errorf("got %v", err)
			}
			if errors.As(err, new(*OutcomeUnknownError)) {
				t.Error("a 429 was reported as an unknown outcome")
			}
		}},
		{"400 is the API's refusal", emulator.Faults{FailWrites: 1, FailWriteStatus: 400}, 1, func(t *testing.T, err error) {
			if apiErr := assertAs[*APIError](t, err); apiErr.StatusCode != 400 || errors.As(err, new(*OutcomeUnknownError)) {
				t.Errorf("got %v", err)
			}
		}},
		{"acknowledged, not applied", emulator.Faults{IgnoreWrites: true}, 1, func(t *testing.T, err error) {
			notKept := assertAs[*SettingNotKeptError](t, err)
			if notKept.Setting != "auto_read_messages" || notKept.Want != "false" || notKept.Got != "true" {
				t.Errorf("got %+v", notKept)
			}
			if !strings.Contains(err.Error(), "auto_read_messages") {
				t.Errorf("the message does not name the setting: %v", err)
			}
		}},
	}
	for _, tc := range tests {
		for _, sc := range settingsCases() {
			t.Run(tc.name+"/"+sc.name, func(t *testing.T) {
				emu := newWriteEmulator(t)
				emu.Inject(emulatortest.Fault{Faults: tc.faults})
				_, err := sc.client(t, emu.URL).UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoReadMessages: new(false)})
				tc.check(t, err)
				if n := len(emu.sent()); n != tc.attempts {
					t.Errorf("the write was sent %d times, want %d", n, tc.attempts)
				}
				if err != nil {
					assertNoSecretOf(t, "error", err.Error(), "demo-token", "demo-client-token", "demo-api-key")
				}
			})
		}
	}
}

func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("got %v", err)
	}
}

func outcomeUnknown(status int) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		unknown := assertAs[*OutcomeUnknownError](t, err)
		if apiErr := assertAs[*APIError](t, err); apiErr.StatusCode != status {
			t.Errorf("status %d, want %d", apiErr.StatusCode, status)
		}
		if !strings.Contains(err.Error(), "outcome of the write of auto_read_messages") || !strings.Contains(err.Error(), "not retried") {
			t.Errorf("message: %v (%+v)", err, unknown)
		}
	}
}

func TestUpdateInstanceSettings_Transport(t *testing.T) {
	t.Run("refused connection is retried", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + l.Addr().String()
		l.Close() // nothing listens there now
		opts := testOptions()
		sent := countRoundTrips(&opts)
		c := newTestZAPI(t, url, opts)
		_, err = c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoReadMessages: new(true)})
		reqErr := assertAs[*RequestError](t, err)
		if errors.As(err, new(*OutcomeUnknownError)) || reqErr.Attempts != 4 || sent.Load() != 4 {
			t.Errorf("got %v, %d sent", err, sent.Load())
		}
		assertNoSecret(t, "error", err.Error())
	})
	t.Run("timeout is not retried", func(t *testing.T) {
		emu := newWriteEmulator(t)
		emu.Inject(emulatortest.Fault{Faults: emulator.Faults{Hang: true}})
		opts := testOptions()
		opts.RequestTimeout = 50 * time.Millisecond
		c, err := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key", InstanceID: "inst_demo"}, opts)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoTyping: new(true)})
		unknown := assertAs[*OutcomeUnknownError](t, err)
		// The server may not have taken the one request in yet when the
		// client gives up on it: at most one reached it.
		if reqErr := assertAs[*RequestError](t, err); reqErr.Timeout == 0 || reqErr.Attempts != 1 || len(emu.sent()) > 1 {
			t.Errorf("got %v (%+v), %d sent", err, unknown, len(emu.sent()))
		}
	})
	t.Run("reset after sending is not retried", func(t *testing.T) {
		srv, rec := connServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			_, _ = io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
		c := newTestZAPI(t, srv.URL, testOptions())
		_, err := c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{RejectCalls: new(true)})
		assertAs[*OutcomeUnknownError](t, err)
		if rec.count() != 1 {
			t.Errorf("sent %d times", rec.count())
		}
		assertNoSecret(t, "error", err.Error())
	})
}

func TestUpdateInstanceSettings_HostileAnswers(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"value false", `{"value":false}`, 200, `field "value"`},
		{"no value", `{}`, 200, `field "value"`},
		{"error with 200", `{"error":"Instance not found"}`, 200, "Instance not found"},
		{"HTML", `<html>` + testToken + `</html>`, 200, "not the expected JSON"},
		{"token echoed", `{"value":"x","token":"` + testToken + `"}`, 200, `REDACTED`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeRaw(w, tc.status, tc.body) })
			_, err := newTestZAPI(t, srv.URL, testOptions()).UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoReadMessages: new(true)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want …%s…", err, tc.want)
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
	t.Run("enviaai data missing", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeRaw(w, 200, `{"success":true}`) })
		_, err := newTestEnviaAI(t, srv.URL, testOptions()).UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoTyping: new(true)})
		if decErr := assertAs[*DecodeError](t, err); decErr.Field != "data" {
			t.Errorf("got %v", err)
		}
	})
	t.Run("enviaai success false", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeRaw(w, 200, `{"success":false,"error":{"code":"invalid_webhook_url","message":"bad"}}`)
		})
		_, err := newTestEnviaAI(t, srv.URL, testOptions()).UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoTyping: new(true)})
		if apiErr := assertAs[*APIError](t, err); apiErr.Code != "invalid_webhook_url" {
			t.Errorf("got %v", err)
		}
	})
}

func TestKept(t *testing.T) {
	in := &Instance{Webhooks: map[string]string{"received": "https://a.example.com"}, AutoReadMessages: new(true), WebhookEvents: []string{"message.sent"}}
	tests := []struct {
		s       InstanceSettings
		setting string
	}{
		{InstanceSettings{}, ""},
		{InstanceSettings{Webhooks: map[string]string{"received": "https://a.example.com", "delivery": ""}}, ""},
		{InstanceSettings{Webhooks: map[string]string{"received": ""}}, "webhooks.received"},
		{InstanceSettings{Webhooks: map[string]string{"delivery": "https://b.example.com"}}, "webhooks.delivery"},
		{InstanceSettings{AutoReadMessages: new(false)}, "auto_read_messages"},
		{InstanceSettings{AutoTyping: new(true)}, "auto_typing"}, // not read back
		{InstanceSettings{RejectCallMessage: new("")}, "reject_call_message"},
		{InstanceSettings{WebhookEvents: []string{"message.sent", "message.sent"}}, ""},
		{InstanceSettings{WebhookEvents: []string{}}, "webhook_events"},
	}
	for _, tc := range tests {
		err := kept("X", tc.s, in)
		if tc.setting == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.s, err)
			}
			continue
		}
		var notKept *SettingNotKeptError
		if !errors.As(err, &notKept) || notKept.Setting != tc.setting {
			t.Errorf("%+v: got %v, want the setting %s", tc.s, err, tc.setting)
		}
	}
}

// A disconnected instance is written as any other. EnviaAI's status
// endpoint refuses it, but its settings come from the listing, so the read
// back confirms them; Z-API's /me, which holds them, refuses it, so the
// write cannot be confirmed.
func TestUpdateInstanceSettings_DisconnectedInstance(t *testing.T) {
	emu := newWriteEmulator(t)
	in, err := emuEnviaAI(t, emu.URL).UpdateInstanceSettings(t.Context(), emulator.EnviaAIDisconnectedInstance,
		InstanceSettings{AutoReadMessages: new(true), Webhooks: map[string]string{"all": "https://new.example.com/d"}})
	if err != nil {
		t.Fatalf("EnviaAI: %v", err)
	}
	if !*in.AutoReadMessages || in.Webhooks["all"] != "https://new.example.com/d" {
		t.Errorf("EnviaAI read back %+v", in)
	}
	_, err = emuZAPI(t, emu.URL, emulator.ZAPIDisconnectedInstance, "").UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoReadMessages: new(true)})
	if err == nil || !strings.Contains(err.Error(), "could not be read to confirm them") {
		t.Errorf("Z-API: got %v, want the write unconfirmed", err)
	}
}

// Z-API has one instance per client: naming it is the same as not, and
// naming another is refused before any request.
func TestSettingsInstance(t *testing.T) {
	emu := newWriteEmulator(t)
	zapi, envia := emuZAPI(t, emu.URL, "demo-instance", ""), emuEnviaAI(t, emu.URL)
	for _, tc := range []struct {
		c        *Client
		id, want string
	}{{zapi, "", "demo-instance"}, {zapi, "demo-instance", "demo-instance"}, {envia, "", "inst_demo"}, {envia, "inst_support", "inst_support"}} {
		if got := tc.c.SettingsInstance(tc.id); got != tc.want {
			t.Errorf("%s SettingsInstance(%q) = %q, want %q", tc.c.Backend(), tc.id, got, tc.want)
		}
	}
	if read, err := zapi.ReadInstance(t.Context(), "demo-instance"); err != nil || read.Instance.ID != "demo-instance" {
		t.Errorf("Z-API read of its own instance by name: %v %+v", err, read)
	}
	before := emu.Requests()
	if _, err := zapi.ReadInstance(t.Context(), "other"); err == nil || emu.Requests() != before {
		t.Errorf("Z-API read of another instance: %v after %d requests", err, emu.Requests()-before)
	}
}

// refuseNthWrite is a hook that refuses the nth write (not GET) with a 400
// and lets every other request through.
func refuseNthWrite(n int64) emulator.Hook {
	var writes atomic.Int64
	return func(r *http.Request, _ int64) *emulator.Reply {
		if r.Method == http.MethodGet || writes.Add(1) != n {
			return nil
		}
		return &emulator.Reply{Status: 400, Body: []byte(`{"error":"refused"}`)}
	}
}

// A write refused part way names the setting refused and those written
// before it; an EnviaAI write is one request, so it names all it holds.
func TestUpdateInstanceSettings_FailedWriteNamesWhatWasWritten(t *testing.T) {
	emu := newWriteEmulator(t)
	emu.Inject(emulatortest.Fault{Hook: refuseNthWrite(3)})
	_, err := emuZAPI(t, emu.URL, "demo-instance", "").UpdateInstanceSettings(t.Context(), "", InstanceSettings{
		Webhooks:         map[string]string{"connected": "https://n.example.com/c", "delivery": "https://n.example.com/d", "received": "https://n.example.com/r"},
		AutoReadMessages: new(false), RejectCalls: new(true),
	})
	e := assertAs[*WriteError](t, err)
	if !slices.Equal(e.Settings, []string{"webhooks.received"}) || !slices.Equal(e.Written, []string{"webhooks.connected", "webhooks.delivery"}) ||
		!strings.HasSuffix(err.Error(), "; before it, Z-API took webhooks.connected, webhooks.delivery") || assertAs[*APIError](t, err).StatusCode != 400 {
		t.Errorf("%+v: %v", e, err)
	}
	if n := len(emu.sent()); n != 3 {
		t.Errorf("%d writes sent, want 3 (none after the refusal)", n)
	}

	emu.Inject(emulatortest.Fault{Hook: refuseNthWrite(1)})
	_, err = emuEnviaAI(t, emu.URL).UpdateInstanceSettings(t.Context(), "", InstanceSettings{
		Webhooks: map[string]string{"all": "https://n.example.com/a"}, AutoTyping: new(false),
	})
	e = assertAs[*WriteError](t, err)
	if !slices.Equal(e.Settings, []string{"webhooks.all", "auto_typing"}) || e.Written != nil {
		t.Errorf("%+v: %v", e, err)
	}
}

// A setting not kept is shown without what may be a secret: a webhook URL
// loses its user info, query and fragment, and a value the API sent back
// is cut.
func TestSettingNotKept_ShowsNoURLSecretAndCutsValues(t *testing.T) {
	long := strings.Repeat("x", 5000)
	for _, tc := range []struct {
		name       string
		s          InstanceSettings
		in         Instance
		want, hide []string
	}{
		{"query token written", InstanceSettings{Webhooks: map[string]string{"received": "https://hooks.example.com/wh?token=Sup3rSecret"}},
			Instance{Webhooks: map[string]string{"received": "https://other.example.com/x"}},
			[]string{`"https://hooks.example.com/wh?…"`, `"https://other.example.com/x"`}, []string{"Sup3rSecret", "token="}},
		{"user info and fragment read back", InstanceSettings{Webhooks: map[string]string{"received": "https://hooks.example.com/wh"}},
			Instance{Webhooks: map[string]string{"received": "https://u:Pa55word@evil.example.net/wh#frag-Secret"}},
			[]string{`"https://evil.example.net/wh?…"`}, []string{"Pa55word", "frag-Secret", "u:"}},
		{"not a URL read back", InstanceSettings{Webhooks: map[string]string{"received": "https://hooks.example.com/wh"}},
			Instance{Webhooks: map[string]string{"received": "%zz?token=Sup3rSecret"}},
			[]string{"a value that is not a URL (21 bytes)"}, []string{"Sup3rSecret"}},
		{"long message read back", InstanceSettings{RejectCallMessage: new("short")},
			Instance{RejectCallMessage: new(long)},
			[]string{`"short"`, strings.Repeat("x", transport.MaxQuotedRunes) + `…"`}, []string{strings.Repeat("x", transport.MaxQuotedRunes+1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := kept("X", tc.s, &tc.in)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error lacks %s: %v", w, err)
				}
			}
			for _, h := range tc.hide {
				if strings.Contains(err.Error(), h) {
					t.Errorf("the error shows %s: %v", h, err)
				}
			}
		})
	}
}
