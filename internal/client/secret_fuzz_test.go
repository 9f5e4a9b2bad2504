package client

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// credentialNames are field names an API may hold a credential under.
var credentialNames = []string{
	"token", "clientToken", "client_token", "securityToken", "secret", "signingSecret", "apiKey", "api_key", "password",
	"qrCode", "qr_code", "authorization", "accessToken", "refreshToken", "x-api-key", "privateKey", "webhookSecret", "sessionKey",
}

// spell writes name as an API might: by the bits of how, upper case, a
// capital first letter, - for _, and _ before each capital (camel case to
// snake case).
func spell(name string, how uint8) string {
	if how&8 != 0 {
		var b strings.Builder
		for i, r := range name {
			if i > 0 && unicode.IsUpper(r) {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		}
		name = b.String()
	}
	if how&4 != 0 {
		name = strings.ReplaceAll(name, "_", "-")
	}
	if how&2 != 0 {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	if how&1 != 0 {
		name = strings.ToUpper(name)
	}
	return name
}

// nest puts v under key at depth levels of objects and lists.
func nest(key string, v any, depth uint8) any {
	var out any = map[string]any{"id": "x", key: v}
	for d := range depth % 8 {
		if d%2 == 0 {
			out = []any{1, out}
		} else {
			out = map[string]any{"level": d, "inner": out}
		}
	}
	return out
}

// secretShapes are the answers the fuzz target serves, by where the
// credential sits: the body an endpoint answers, with the nested value in
// place of %V, and which read meets it.
var secretShapes = []struct {
	name, path string
	status     int
	body       func(nested, pad string) string
}{
	{"/me bad value", "/me", 200, func(n, p string) string { return `{"id":"demo-instance","name":"` + p + `","connected":` + n + `}` }},
	{"/me error body", "/me", 500, func(n, p string) string { return `{"note":"` + p + `","detail":` + n + `}` }},
	{"/status bad value", "/status", 200, func(n, p string) string {
		return `{"connected":true,"error":"` + p + `","smartphoneConnected":` + n + `}`
	}},
	{"partner listing error", "/instances", 500, func(n, p string) string { return `{"status":500,"note":"` + p + `","cause":` + n + `}` }},
	{"partner listing bad value", "/instances", 200, func(n, p string) string {
		return `{"total":1,"totalPage":1,"content":[{"id":"a","name":"` + p + `","whatsappConnected":` + n + `}]}`
	}},
	{"partner listing cut short", "/instances", 200, func(n, p string) string {
		return `{"total":1,"content":[{"id":"a","name":"` + p + `","due":` + n[:len(n)*2/3]
	}},
	{"error message holding JSON", "/me", 400, func(n, p string) string {
		msg, _ := json.Marshal(p + n)
		return `{"error":` + string(msg) + `}`
	}},
	{"envia status", "/status", 200, func(n, p string) string {
		return `{"success":true,"data":{"id":"inst_demo","name":"` + p + `","status":` + n + `}}`
	}},
	{"envia error", "/status", 409, func(n, p string) string {
		msg, _ := json.Marshal(p + n)
		return `{"success":false,"error":{"code":"instance_busy","message":` + string(msg) + `,"details":` + n + `}}`
	}},
	{"envia listing bad value", "/v1/instances", 200, func(n, p string) string {
		return `{"success":true,"data":[{"id":"inst_demo","name":"` + p + `","webhookUrl":` + n + `}],"pagination":{"total":1,"hasMore":false}}`
	}},
	{"settings write answer", "update-auto-read-message", 200, func(n, p string) string { return `{"note":"` + p + `","value":` + n + `}` }},
}

// secretMark starts every credential the fuzz target serves: no message
// the client writes holds it otherwise.
const secretMark = "SeK"

// FuzzReturnedSecretsNeverQuoted serves a credential under a field that
// names one, spelled any way, at any depth and place in an answer (a value
// that fails to decode, an error body, an error message, a body cut
// short), and checks that no part of it reaches the error or a log line.
func FuzzReturnedSecretsNeverQuoted(f *testing.F) {
	for i := range secretShapes {
		for _, seed := range []struct {
			name, spelling, depth uint8
			pad                   uint16
		}{{0, 0, 0, 0}, {1, 8, 3, 100}, {6, 3, 7, 290}} {
			f.Add(uint8(i), seed.name, seed.spelling, seed.depth, seed.pad, []byte("QR-0123456789abcdef"))
		}
	}
	emu := emulatortest.Start(f, emulator.Options{Chats: 1})
	log := &captureLogger{}
	opts := testOptions()
	opts.MaxRetries, opts.Logger = 0, log
	zapi, err := NewZAPI(ZAPIConfig{BaseURL: emu.URL, InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token",
		PartnerToken: emulator.DefaultZAPIPartnerToken}, opts)
	if err != nil {
		f.Fatal(err)
	}
	envia, err := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key", InstanceID: "inst_demo"}, opts)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, shape, name, spelling, depth uint8, pad uint16, raw []byte) {
		sh := secretShapes[int(shape)%len(secretShapes)]
		key := spell(credentialNames[int(name)%len(credentialNames)], spelling)
		secret := secretMark + strings.Map(func(r rune) rune {
			if r > ' ' && r < 0x7f && r != '"' && r != '\\' {
				return r
			}
			return '-'
		}, string(raw))
		nested, _ := json.Marshal(nest(key, secret, depth))
		body := sh.body(string(nested), strings.Repeat("p", int(pad)%700))
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			if !strings.HasSuffix(r.URL.Path, sh.path) {
				return nil
			}
			return &emulator.Reply{Status: sh.status, Body: []byte(body)}
		}})
		log.mu.Lock()
		log.lines = nil // this input's lines only
		log.mu.Unlock()
		var err error
		ctx := t.Context()
		switch {
		case strings.HasPrefix(sh.name, "envia status"), strings.HasPrefix(sh.name, "envia error"):
			_, err = envia.ReadInstance(ctx, "")
		case strings.HasPrefix(sh.name, "envia listing"):
			_, err = envia.ListInstances(ctx, InstanceListOptions{})
		case strings.HasPrefix(sh.name, "partner"):
			_, err = zapi.ListInstances(ctx, InstanceListOptions{})
		case strings.HasPrefix(sh.name, "settings"):
			_, err = zapi.UpdateInstanceSettings(ctx, "", InstanceSettings{AutoReadMessages: new(true)})
		default:
			_, err = zapi.ReadInstance(ctx, "")
		}
		if err == nil {
			t.Fatalf("%s: no error for %s", sh.name, body)
		}
		for _, text := range append(log.all(), err.Error()) {
			if strings.Contains(text, secretMark) {
				t.Fatalf("%s: the credential under %q reached a message:\n%s\nbody: %s", sh.name, key, text, body)
			}
		}
	})
}

// A value that fails to decode under a field that names a credential is
// not quoted, whatever it is.
func TestDecodeError_ValueUnderACredentialFieldIsNotQuoted(t *testing.T) {
	type body struct {
		Auth struct {
			SessionToken flexInt `json:"sessionToken"`
		} `json:"auth"`
	}
	core := newTransport(BackendZAPI, HTTPOptions{}, nil)
	a := &transport.Answer{Status: 200, Body: []byte(`{"auth":{"sessionToken":"SeK-not-a-number"}}`)}
	var v body
	err := decodeError[body](core, BackendZAPI, a, json.Unmarshal(a.Body, &v), "")
	e := assertAs[*DecodeError](t, err)
	if e.Field != "auth.sessionToken" || strings.Contains(e.Error(), secretMark) || !strings.Contains(e.Error(), "want a whole number") {
		t.Errorf("field %q: %v", e.Field, err)
	}
}
