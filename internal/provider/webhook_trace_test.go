package provider

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// TestWebhookResource_SecretNotInTraceLogs runs the CLI itself, at
// TF_LOG=TRACE, with the provider built from this tree as its own
// process: it creates a webhook with a configured secret and one with a
// generated secret, rotates the first, fails a create whose error echoes
// the secret, and destroys; then it searches the CLI's log (which holds
// the provider's), its output and the state file for every secret the
// test configured or the emulator holds.
func TestWebhookResource_SecretNotInTraceLogs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	t.Parallel()
	cliConfig := devOverrides(t)
	emu := emulatortest.Start(t, emulator.Options{Chats: 1})
	url := emu.URL
	secrets := webhookSecrets(emu)
	work, logs := t.TempDir(), t.TempDir()
	logPath := filepath.Join(logs, "terraform.log")
	var output strings.Builder
	run := func(secret, version, extra string, fails bool, args ...string) {
		t.Helper()
		config := `
terraform {
  required_providers {
    whatsapp = { source = "whatsapp-tf/whatsapp" }
  }
}
` + enviaAIProvider(url) + `
variable "secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "whatsapp_webhook" "signed" {
  url               = "https://hooks.example.com/signed"
  events            = ["message.received"]
  secret_wo         = var.secret
  secret_wo_version = ` + version + `
}

resource "whatsapp_webhook" "generated" {
  url    = "https://hooks.example.com/generated"
  events = ["instance.connected"]
}
` + extra
		if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(terraformBinary(t), append([]string{"-chdir=" + work}, args...)...)
		cmd.Env = append(withoutBackendEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1",
			"TF_LOG=TRACE", "TF_LOG_PATH="+logPath, "TF_VAR_secret="+secret, "TF_IN_AUTOMATION=1")
		out, err := cmd.CombinedOutput()
		output.Write(out)
		if (err != nil) != fails {
			t.Fatalf("terraform %s: %v, want failure %t\n%s", strings.Join(args, " "), err, fails, out)
		}
	}
	run(firstSecret, "1", "", false, "apply", "-auto-approve", "-input=false", "-no-color")
	run(secondSecret, "2", "", false, "apply", "-auto-approve", "-input=false", "-no-color")
	if got := emu.EnviaAIWebhookSecret("wh_000003"); got != secondSecret {
		t.Fatalf("the rotated webhook holds %q", got)
	}
	// An API that echoes the secret it refuses.
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		if r.Method == http.MethodPost {
			return &emulator.Reply{Status: 400, Body: []byte(`{"success":false,"error":{"code":"invalid_parameters","message":"secret ` + secondSecret + ` is weak"}}`)}
		}
		return nil
	}})
	run(secondSecret, "2", `
resource "whatsapp_webhook" "refused" {
  url               = "https://hooks.example.com/refused"
  events            = ["message.read"]
  secret_wo         = var.secret
  secret_wo_version = 1
}`, true, "apply", "-auto-approve", "-input=false", "-no-color")
	emu.Inject(emulatortest.Fault{})
	run(secondSecret, "2", "", false, "destroy", "-auto-approve", "-input=false", "-no-color")

	if !strings.Contains(output.String(), "REDACTED") || !strings.Contains(output.String(), "is weak") {
		t.Errorf("the refusal is not in the output, redacted:\n%s", output.String())
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "Sending request") || !strings.Contains(string(log), "POST") {
		t.Fatalf("the log holds no request line of the provider; is its logging captured?\n%.2000s", log)
	}
	state, _ := os.ReadFile(filepath.Join(work, "terraform.tfstate"))
	backup, _ := os.ReadFile(filepath.Join(work, "terraform.tfstate.backup"))
	for what, text := range map[string]string{"TRACE log": string(log), "output": output.String(), "state": string(state), "state backup": string(backup)} {
		if found := leaks(text, secrets()); len(found) > 0 {
			t.Errorf("the %s shows %v", what, found)
		}
	}
	if n := len(secrets()); n < 4 {
		t.Errorf("only %d secrets were searched for", n)
	}
}
