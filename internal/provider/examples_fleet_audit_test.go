package provider

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/planoutcome"
)

// fleetInstanceTokens are the instance tokens the emulator's Z-API partner
// listing hands out with Instances: 3.
var fleetInstanceTokens = []string{"demo-token", "branch-token-001", "branch-token-002", "branch-token-003"}

// TestExamples_FleetAuditOutcomes plans examples/fleet-audit through the
// CLI under test, with the provider built from this tree, against the
// emulator on each backend, and requires exactly these diagnostics: each
// rule fires once (the queue rule on Z-API only: EnviaAI documents no
// queue), and the data source warns once about the instances it could not
// read in full. It plans at TF_LOG=TRACE and requires that no instance
// token the Z-API listing hands out appears in the CLI's output or log.
func TestExamples_FleetAuditOutcomes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	t.Parallel()
	cliConfig := devOverrides(t)
	for _, tc := range []struct {
		name string
		env  func(url string) []string
		want []string
	}{
		{
			name: "zapi",
			env: func(url string) []string {
				return []string{envZAPIPartnerToken + "=" + emulator.DefaultZAPIPartnerToken, envZAPIClientToken + "=demo-client-token", envZAPIBaseURL + "=" + url}
			},
			want: []string{
				"error output.instances: Module output value precondition failed",
				"warning check.auto_read_off: Check block assertion failed",
				"warning check.queue_under_threshold: Check block assertion failed",
				"warning check.webhooks_on_expected_host: Check block assertion failed",
				"warning data.whatsapp_instances.fleet: Instances Partly Read",
			},
		},
		{
			name: "enviaai",
			env: func(url string) []string {
				return []string{envEnviaAIAPIKey + "=demo-api-key", envEnviaAIBaseURL + "=" + url}
			},
			want: []string{
				"error output.instances: Module output value precondition failed",
				"warning check.auto_read_off: Check block assertion failed",
				"warning check.webhooks_on_expected_host: Check block assertion failed",
				"warning data.whatsapp_instances.fleet: Instances Partly Read",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := emulatortest.Start(t, emulator.Options{Chats: 5, Instances: 3}).URL
			logFile := filepath.Join(t.TempDir(), "terraform.log")
			work := copyExample(t, "fleet-audit", func(s string) string { return s })
			cmd := exec.Command(terraformBinary(t), "-chdir="+work, "plan", "-json", "-input=false")
			cmd.Env = append(withoutBackendEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_LOG=TRACE", "TF_LOG_PATH="+logFile)
			cmd.Env = append(cmd.Env, tc.env(url)...)
			out, err := cmd.Output()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("running the CLI: %v", err)
			}
			got, rerr := planoutcome.Read(bytes.NewReader(out))
			if rerr != nil {
				t.Fatalf("%v\n%s", rerr, out)
			}
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("outcomes:\n  %s\nwant:\n  %s\nplan output:\n%s", strings.Join(got, "\n  "), strings.Join(want, "\n  "), out)
			}
			if err == nil {
				t.Error("the plan passed; the connection rule must fail it")
			}
			log, lerr := os.ReadFile(logFile)
			if lerr != nil || !bytes.Contains(log, []byte("Sending request")) {
				t.Fatalf("the TRACE log holds no request line (%v)", lerr)
			}
			for _, token := range fleetInstanceTokens {
				if bytes.Contains(out, []byte(token)) {
					t.Errorf("the plan's output holds the instance token %q", token)
				}
				if bytes.Contains(log, []byte(token)) {
					t.Errorf("the TRACE log holds the instance token %q", token)
				}
			}
		})
	}
}
