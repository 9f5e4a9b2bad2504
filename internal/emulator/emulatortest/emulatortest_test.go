package emulatortest_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// status sends one good EnviaAI request and returns the answer's status.
func status(t *testing.T, emu *emulatortest.Server) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, emu.URL+"/v1/instances", nil)
	req.Header.Set("Authorization", "Bearer demo-api-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A fault's parts apply in order, each to what the one before let
// through, with the requests numbered once; Inject replaces the whole
// fault.
func TestInject(t *testing.T) {
	emu := emulatortest.Start(t, emulator.Options{Chats: 1})
	emu.Inject(emulatortest.Fault{
		// The first request, and every one after the fourth had it stayed.
		Conn: func(w http.ResponseWriter, _ *http.Request, n int64) bool {
			if n == 1 || n > 4 {
				w.WriteHeader(http.StatusTeapot)
				return true
			}
			return false
		},
		Hook: func(_ *http.Request, n int64) *emulator.Reply {
			if n == 2 {
				return &emulator.Reply{Status: http.StatusConflict}
			}
			return nil
		},
		Faults: emulator.Faults{FailFirst: 1, FailStatus: http.StatusBadGateway},
	})
	var got []int
	for range 4 {
		got = append(got, status(t, emu))
	}
	emu.Inject(emulatortest.Fault{Hook: func(*http.Request, int64) *emulator.Reply { return &emulator.Reply{Status: http.StatusConflict} }})
	got = append(got, status(t, emu))
	emu.Inject(emulatortest.Fault{})
	got = append(got, status(t, emu))
	if want := []int{418, 409, 502, 200, 409, 200}; !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	var numbers []int64
	for _, r := range emu.Received() {
		numbers = append(numbers, r.N)
		if r.Method != http.MethodGet || r.URL.Path != "/v1/instances" || r.Header.Get("Authorization") != "Bearer demo-api-key" {
			t.Errorf("request %d recorded as %s %s %v", r.N, r.Method, r.URL, r.Header)
		}
	}
	if !slices.Equal(numbers, []int64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("requests numbered %v", numbers)
	}
	if n := emu.Requests(); n != 5 {
		t.Errorf("the emulator counted %d requests, want the 5 Conn let through", n)
	}
}
