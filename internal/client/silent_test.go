package client

import (
	"net/http/httptest"
	"testing"

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
