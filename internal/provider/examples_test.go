package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// The examples under examples/ are what users copy: each is formatted,
// and each runs against the emulator here, so none can rot.

const examplesDir = "../../examples"

func TestExamples_Formatted(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(terraformBinary(t), "fmt", "-check", "-recursive", "-diff", examplesDir).CombinedOutput()
	if err != nil {
		t.Fatalf("terraform fmt -check examples/: %v\n%s", err, out)
	}
}

func terraformBinary(t *testing.T) string {
	t.Helper()
	name := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if name == "" {
		name = "terraform"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("the examples tests need the Terraform CLI on PATH: %v", err)
	}
	return path
}

func readExample(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExamples_ChatsDataSource(t *testing.T) {
	t.Parallel()
	url := emulatortest.Start(t, emulator.Options{}).URL
	example := readExample(t, "data-sources/whatsapp_chats/data-source.tf")
	for name, provider := range map[string]string{"Z-API": zapiProvider(url), "EnviaAI": enviaAIProvider(url)} {
		t.Run(name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: provider + example,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.whatsapp_chats.backlog", tfjsonpath.New("chats"), knownvalue.ListSizeExact(10)),
						statecheck.ExpectKnownValue("data.whatsapp_chats.all", tfjsonpath.New("total"), knownvalue.Int64Exact(300)),
					},
				}},
			})
		})
	}
}

func TestExamples_ChatSummaryDataSource(t *testing.T) {
	t.Parallel()
	url := emulatortest.Start(t, emulator.Options{}).URL
	example := readExample(t, "data-sources/whatsapp_chat_summary/data-source.tf")
	for _, tc := range []struct {
		name, provider string
		spam           knownvalue.Check
	}{
		{"Z-API", zapiProvider(url), knownvalue.NotNull()},
		{"EnviaAI", enviaAIProvider(url), knownvalue.Null()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: tc.provider + example,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownOutputValueAtPath("instance", tfjsonpath.New("chats"), knownvalue.Int64Exact(300)),
						statecheck.ExpectKnownOutputValueAtPath("instance", tfjsonpath.New("marked_spam"), tc.spam),
						statecheck.ExpectKnownOutputValueAtPath("instance", tfjsonpath.New("waiting_since"), knownvalue.NotNull()),
					},
				}},
			})
		})
	}
}

func TestExamples_ChatDataSource(t *testing.T) {
	url := emulatortest.Start(t, emulator.Options{}).URL
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + readExample(t, "data-sources/whatsapp_chat/data-source.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValueAtPath("support_chat", tfjsonpath.New("name"), knownvalue.StringExact("Z-API SUPPORT")),
				statecheck.ExpectKnownOutputValueAtPath("support_chat", tfjsonpath.New("pinned"), knownvalue.Bool(true)),
			},
		}},
	})
}

// devOverrides builds the provider from this tree and returns a CLI
// configuration under which Terraform uses it for whatsapp-tf/whatsapp.
func devOverrides(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-whatsapp"), "../..").CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(bin, "cli.tfrc")
	// The examples name the provider without a host, which Terraform reads
	// as registry.terraform.io and OpenTofu as registry.opentofu.org.
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		"registry.terraform.io/whatsapp-tf/whatsapp", bin, "registry.opentofu.org/whatsapp-tf/whatsapp", bin)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	return cliConfig
}

// copyExample copies the configuration files of examples/dir into a new
// directory, each through edit, and returns the directory.
func copyExample(t *testing.T, dir string, edit func(string) string) string {
	t.Helper()
	work := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(examplesDir, dir, "*.tf"))
	if len(files) == 0 {
		t.Fatalf("examples/%s holds no configuration", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, filepath.Base(f)), []byte(edit(string(b))), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return work
}

// TestExamples_Validate runs `terraform validate` on every example with the
// provider built from this tree. Terraform validates a provider block only
// when something uses it, so each provider block of the provider example
// gets a data source; a broken copy must fail, or the test proves nothing.
func TestExamples_Validate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	t.Parallel()
	cliConfig := devOverrides(t)
	usesEveryProvider := `
data "whatsapp_chats" "default" {}
data "whatsapp_chats" "enviaai" { provider = whatsapp.enviaai }
data "whatsapp_chats" "from_environment" { provider = whatsapp.from_environment }
`
	validate := func(t *testing.T, dir, extra string, edit func(string) string) error {
		t.Helper()
		work := copyExample(t, dir, edit)
		if err := os.WriteFile(filepath.Join(work, "uses_test.tf"), []byte(extra), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(terraformBinary(t), "-chdir="+work, "validate", "-no-color")
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%w\n%s", err, out)
		}
		return nil
	}
	same := func(s string) string { return s }
	for _, dir := range []string{"provider", "data-sources/whatsapp_chats", "data-sources/whatsapp_chat", "data-sources/whatsapp_chat_summary",
		"data-sources/whatsapp_instance", "data-sources/whatsapp_instances", "resources/whatsapp_instance_settings",
		"resources/whatsapp_webhook", "data-sources/whatsapp_webhooks", "data-sources/whatsapp_webhook_deliveries",
		"ephemeral-resources/whatsapp_chats", "ephemeral-resources/whatsapp_chat", "audit", "fleet-audit", "demo", "settings"} {
		t.Run(dir, func(t *testing.T) {
			extra := ""
			switch {
			case dir == "provider":
				extra = usesEveryProvider
			case strings.HasPrefix(dir, "data-sources/"), strings.HasPrefix(dir, "resources/"), strings.HasPrefix(dir, "ephemeral-resources/"):
				// Documentation snippets: the provider's source comes from
				// the configuration they are pasted into.
				extra = "terraform {\n  required_providers {\n    whatsapp = { source = \"whatsapp-tf/whatsapp\" }\n  }\n}\n"
			}
			if err := validate(t, dir, extra, same); err != nil {
				t.Errorf("terraform validate examples/%s: %v", dir, err)
			}
		})
	}
	t.Run("a broken provider block fails", func(t *testing.T) {
		broken := func(s string) string {
			return strings.Replace(s, "max_retries             = 4", "max_retries             = 99", 1)
		}
		if err := validate(t, "provider", usesEveryProvider, broken); err == nil || !strings.Contains(err.Error(), "max_retries value must be between 0 and 10") {
			t.Errorf("validating max_retries = 99: %v, want the range error", err)
		}
	})
}

// TestExamples_Demo runs `make demo`'s script as a newcomer would: it builds
// the provider, starts the emulator and applies examples/demo with the real
// CLI. (Its two aliased providers each need their own plugin process, which
// the in-process test server cannot give.) It must leave nothing behind.
func TestExamples_Demo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider and the emulator")
	}
	t.Parallel()
	out := runScript(t, "demo.sh", "SHOW_CHAT_NAMES=")
	for _, want := range []string{`"zapi" = {`, `"enviaai" = {`, `"chats" = 300`, `"status" = "connected"`, `"received" = "https://hooks.example.com/zapi/received"`, `"one_chat" = "last message at 2026-02-03T12:30:00.000Z"`,
		"Resources: 3 added", "No changes.", `~ "received"       = "https://attacker.example.net/steal" -> "https://hooks.example.com/zapi/received"`,
		"~ auto_read_messages = true -> false", "Plan: 0 to add, 2 to change, 0 to destroy.", "Resources: 0 added, 2 changed",
		"clears the webhook URLs it manages", "Destroy complete! Resources: 3 destroyed."} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo output lacks %s:\n%s", want, out)
		}
	}
	// Chat names and phones are printed only when asked for.
	for _, name := range []string{"Z-API SUPPORT", "5511999999999"} {
		if strings.Contains(string(out), name) {
			t.Errorf("demo output names a chat (%s) though SHOW_CHAT_NAMES is unset:\n%s", name, out)
		}
	}
}

// TestExamples_DemoShowsChatNamesWhenAsked runs `SHOW_CHAT_NAMES=true make
// demo`'s script: the outputs then name the chats.
func TestExamples_DemoShowsChatNamesWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider and the emulator")
	}
	t.Parallel()
	out := runScript(t, "demo.sh", "SHOW_CHAT_NAMES=true")
	if want := `"one_chat" = "Z-API SUPPORT, last message at 2026-02-03T12:30:00.000Z"`; !strings.Contains(string(out), want) {
		t.Errorf("demo output lacks %s:\n%s", want, out)
	}
}

// runScript runs one of scripts/ as a newcomer would, with the CLI the
// tests use, and fails the test if it fails or leaves anything in its
// temporary directory.
func runScript(t *testing.T, name string, env ...string) []byte {
	t.Helper()
	tmp := t.TempDir()
	cmd := exec.Command("bash", "../../scripts/"+name)
	cmd.Env = append(append(os.Environ(), "TMPDIR="+tmp, "TERRAFORM="+terraformBinary(t)), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", name, err, out)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("%s left %d entries in its temporary directory", name, len(left))
	}
	return out
}
