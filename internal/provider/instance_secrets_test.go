package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

const secretPartnerToken = "partner-token-51d8aa"

// Secrets the APIs send back: the tokens of the partner listing's other
// instances and the QR code of an instance waiting to be paired.
var returnedSecrets = []string{"branch-token-", "iVBORw0KGgo"}

func leakedSecrets(s string) []string {
	found := leakedIn(s)
	for _, secret := range append([]string{secretPartnerToken}, returnedSecrets...) {
		if strings.Contains(s, secret) {
			found = append(found, secret)
		}
	}
	return found
}

// stateFree fails when the whole state, as Terraform keeps it, holds a
// secret.
type stateFree struct{}

func (stateFree) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(b), "whatsapp_instance") {
		resp.Error = fmt.Errorf("the state holds no instance data source")
		return
	}
	if leaks := leakedSecrets(string(b)); len(leaks) > 0 {
		resp.Error = fmt.Errorf("the state holds %v", leaks)
	}
}

// TestProvider_InstanceSecretsStayOutOfLogsStateAndErrors reads instances
// at TF_LOG=TRACE from an emulator configured with the test's credentials,
// and searches the logs, the state and every error for the credentials, the
// partner token and the tokens and QR code the APIs send back.
func TestProvider_InstanceSecretsStayOutOfLogsStateAndErrors(t *testing.T) {
	emu := emulatortest.Start(t, emulator.Options{
		Chats:     5,
		Instances: 3,
		ZAPI:      emulator.ZAPICredentials{InstanceID: "inst", Token: secretZAPIToken, ClientToken: secretClientToken, PartnerToken: secretPartnerToken},
		EnviaAI:   emulator.EnviaAICredentials{APIKey: secretAPIKey, InstanceIDs: []string{"inst"}},
	})
	// An API whose error body holds returned secrets and no message.
	leaky := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"token":"branch-token-999","qrCode":"iVBORw0KGgo-999","password":%q}`, r.Header.Get("Authorization"))
	})
	zapi := func(url string) string {
		return fmt.Sprintf(`provider "whatsapp" {
  zapi = { instance_id = "inst", token = %q, client_token = %q, partner_token = %q, base_url = %q }
  max_retries = 0
}
`, secretZAPIToken, secretClientToken, secretPartnerToken, url)
	}
	enviaai := func(url string) string {
		return fmt.Sprintf(`provider "whatsapp" {
  enviaai = { api_key = %q, instance_id = "inst", base_url = %q }
  max_retries = 0
}
`, secretAPIKey, url)
	}
	both := `
data "whatsapp_instance" "test" {}
data "whatsapp_instances" "test" {}
`
	detailed := `
data "whatsapp_instance" "test" {}
data "whatsapp_instances" "test" { details = true }
`
	// A detailed listing whose detail reads fail with the instance's token
	// in the answer.
	echoing := emulatortest.Start(t, emulator.Options{
		Chats: 5, Instances: 2,
		ZAPI: emulator.ZAPICredentials{InstanceID: "inst", Token: secretZAPIToken, ClientToken: secretClientToken, PartnerToken: secretPartnerToken},
	})
	echoing.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		if r.URL.Path == "/instances" || !strings.Contains(r.URL.Path, "/branch-") {
			return nil
		}
		token := strings.Split(r.URL.Path, "/")[4]
		return &emulator.Reply{Status: http.StatusInternalServerError, Body: []byte(`{"error":"session lost for ` + token + `","token":"` + token + `"}`)}
	}})
	for _, tc := range []struct {
		name, config, err string
	}{
		{"Z-API instance and partner listing", zapi(emu.URL) + both, ""},
		{"EnviaAI instance and listing", enviaai(emu.URL) + both, ""},
		{"Z-API detailed listing", zapi(emu.URL) + detailed, ""},
		{"EnviaAI detailed listing", enviaai(emu.URL) + detailed, ""},
		{"Z-API detailed listing whose reads echo the tokens", zapi(echoing.URL) + detailed, ""},
		{"EnviaAI instance with a QR code", enviaai(emu.URL) + `data "whatsapp_instance" "test" { instance_id = "` + emulator.EnviaAIPairingInstance + `" }`, ""},
		{"Z-API listing error that holds tokens", zapi(leaky.URL) + `data "whatsapp_instances" "test" {}`, `HTTP 400`},
		{"Z-API instance error that holds tokens", zapi(leaky.URL) + `data "whatsapp_instance" "test" {}`, `HTTP 400`},
		{"EnviaAI instance error that holds a QR code", enviaai(leaky.URL) + `data "whatsapp_instance" "test" {}`, `HTTP 400`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLogs := traceLogs(t)
			step := resource.TestStep{Config: tc.config}
			if tc.err == "" {
				step.ConfigStateChecks = []statecheck.StateCheck{stateFree{}}
			}
			if err := runStep(t, step, tc.err != ""); tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "REDACTED") {
					t.Fatalf("error = %v, want one containing %q and a redacted excerpt", err, tc.err)
				}
				if leaks := leakedSecrets(err.Error()); len(leaks) > 0 {
					t.Errorf("the error shows %v:\n%s", leaks, err)
				}
			}
			checkLogs(leakedSecrets)
		})
	}
}
