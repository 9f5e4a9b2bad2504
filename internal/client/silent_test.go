package client

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// The tests here run against the emulator set each way the public
// references leave open: a client must work under every reading.

// silentEmulator serves a fresh emulator with faults set.
func silentEmulator(t *testing.T, opts emulator.Options, f emulator.Faults) (*emulator.Server, string) {
	t.Helper()
	emu := emulator.New(opts)
	emu.SetFaults(f)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv.URL
}

func TestZAPIClientToken_MissingEitherWay(t *testing.T) {
	t.Parallel()
	for _, notConfigured := range []bool{false, true} {
		_, url := silentEmulator(t, emulator.Options{Chats: 3}, emulator.Faults{ZAPITokenNotConfigured: notConfigured})
		for _, tc := range []struct {
			token string
			want  Kind
		}{{"", KindClientTokenMissing}, {"wrong-token", KindClientTokenRefused}} {
			c, err := NewZAPI(ZAPIConfig{BaseURL: url, InstanceID: "demo-instance", Token: "demo-token", ClientToken: tc.token}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ListChats(t.Context(), ListOptions{})
			if got := KindOf(err); got != tc.want {
				t.Errorf("not configured %v, Client-Token %q: kind %d, want %d (%v)", notConfigured, tc.token, got, tc.want, err)
			}
			if _, err := c.ReadInstance(t.Context(), ""); KindOf(err) != tc.want {
				t.Errorf("instance read, not configured %v, Client-Token %q: kind %d, want %d (%v)", notConfigured, tc.token, KindOf(err), tc.want, err)
			}
		}
	}
}

func TestEnviaAIError_KeepsRequestID(t *testing.T) {
	t.Parallel()
	_, url := silentEmulator(t, emulator.Options{Chats: 3}, emulator.Faults{})
	_, err := emuEnviaAI(t, url).ListChats(t.Context(), ListOptions{InstanceID: "inst_nope"})
	if ae := assertAs[*APIError](t, err); ae.RequestID != "req_invalid_instance" || !strings.Contains(err.Error(), `request id "req_invalid_instance"`) {
		t.Errorf("request id %q, error %q: want the emulator's req_invalid_instance quoted", ae.RequestID, err)
	}

	// An id as the API may send it: escaped, cut, and never a credential.
	emu, url := silentEmulator(t, emulator.Options{Chats: 3}, emulator.Faults{})
	hostile := "req_demo-api-key_\x1b[31m" + strings.Repeat("9", 500)
	emu.SetHook(func(*http.Request, int64) *emulator.Reply {
		body, _ := json.Marshal(map[string]any{"success": false, "error": map[string]any{"code": "invalid_parameters", "message": "bad", "requestId": hostile}})
		return &emulator.Reply{Status: 400, Body: body}
	})
	_, err = emuEnviaAI(t, url).ListChats(t.Context(), ListOptions{})
	ae := assertAs[*APIError](t, err)
	if strings.ContainsRune(err.Error(), '\x1b') || !strings.Contains(err.Error(), `\x1b[31m`) {
		t.Errorf("error %q does not escape the request id", err)
	}
	if n := utf8.RuneCountInString(ae.RequestID); n > maxRequestIDRunes+1 || !strings.HasSuffix(ae.RequestID, "…") {
		t.Errorf("request id of %d runes (%q), want it cut to %d", n, ae.RequestID, maxRequestIDRunes)
	}
	assertNoSecretOf(t, "error", err.Error(), "demo-api-key")
}
