package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// cleanInstance answers Z-API's instance endpoints for an instance that
// breaks no instance rule of examples/audit, and sends the rest to chats.
func cleanInstance(chats *fakeAPI) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/status"):
			fmt.Fprint(w, `{"connected":true,"error":"You are already connected.","smartphoneConnected":true}`)
		case strings.HasSuffix(r.URL.Path, "/me"):
			fmt.Fprintf(w, `{"id":"i","name":"n","due":%d,"autoReadMessage":false,"receivedCallbackUrl":"https://hooks.example.com/in"}`,
				time.Now().Add(60*24*time.Hour).UnixMilli())
		default:
			chats.Config.Handler.ServeHTTP(w, r)
		}
	}
}

// TestExamples_AuditInstanceRules runs `terraform plan` on the instance
// rules of examples/audit (instance.tf alone) against the emulator's
// instances, with the provider built from this tree, and counts each rule's
// warnings and errors in the CLI's output: the test harness shows no
// warnings, which is all a failed check block gives.
func TestExamples_AuditInstanceRules(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	t.Parallel()
	cliConfig := devOverrides(t)
	srv := httptest.NewServer(emulator.New(emulator.Options{Chats: 5}))
	t.Cleanup(srv.Close)
	rules := []string{"connected", "webhooks_on_expected_host", "paid_period", "auto_read_off", "chats_readable"}
	zapi := func(instance string) []string {
		return []string{envZAPIInstanceID + "=" + instance, envZAPIToken + "=demo-token", envZAPIClientToken + "=demo-client-token", envZAPIBaseURL + "=" + srv.URL}
	}
	enviaai := func(instance string) []string {
		return []string{envEnviaAIAPIKey + "=demo-api-key", envEnviaAIInstanceID + "=" + instance, envEnviaAIBaseURL + "=" + srv.URL}
	}
	for _, tc := range []struct {
		name  string
		env   []string
		fired []string
	}{
		{"Z-API instance with auto-read on and a webhook elsewhere", zapi("demo-instance"), []string{"webhooks_on_expected_host", "auto_read_off"}},
		{"Z-API instance whose paid period ends in 5 days", zapi(emulator.ZAPIExpiringInstance), []string{"paid_period"}},
		{"Z-API disconnected instance", zapi(emulator.ZAPIDisconnectedInstance), []string{"connected", "chats_readable"}},
		{"EnviaAI instance with auto-read on", enviaai("inst_demo"), []string{"auto_read_off"}},
		{"EnviaAI instance with a webhook elsewhere", enviaai("inst_support"), []string{"webhooks_on_expected_host"}},
		// The failed postcondition ends the plan before the check blocks'
		// assertions; the read inside a check block has warned by then.
		{"EnviaAI disconnected instance", enviaai(emulator.EnviaAIDisconnectedInstance), []string{"connected", "chats_readable"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			files := map[string]string{
				"instance.tf":  readExample(t, "audit/instance.tf"),
				"providers.tf": "terraform {\n  required_providers {\n    whatsapp = { source = \"whatsapp-tf/whatsapp\" }\n  }\n}\n",
			}
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(work, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(terraformBinary(t), "-chdir="+work, "plan", "-no-color", "-input=false")
			cmd.Env = append(withoutBackendEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1")
			cmd.Env = append(cmd.Env, tc.env...)
			out, _ := cmd.CombinedOutput()
			text := string(out)
			for _, rule := range rules {
				want := 0
				for _, f := range tc.fired {
					if f == rule {
						want = 1
					}
				}
				if got := ruleFired(text, rule); got != want {
					t.Errorf("rule %s fired %d times, want %d", rule, got, want)
				}
			}
			if t.Failed() {
				t.Logf("terraform plan:\n%s", text)
			}
		})
	}
}

var postconditionFailed = regexp.MustCompile(`(?s)Error: Resource postcondition failed.*?is not connected`)

// ruleFired counts how often the plan output reports a rule: the
// postcondition as an error, each check as a warning in its block.
func ruleFired(out, rule string) int {
	if rule == "connected" {
		return len(postconditionFailed.FindAllStringIndex(out, -1))
	}
	return strings.Count(out, `in check "`+rule+`"`)
}

// withoutBackendEnv drops the backend variables of the test's environment,
// so each case sets its own.
func withoutBackendEnv(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "ZAPI_") && !strings.HasPrefix(kv, "ENVIAAI_") {
			kept = append(kept, kv)
		}
	}
	return kept
}
