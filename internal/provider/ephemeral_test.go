package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// planListsOpens tells whether the CLI under test lists each ephemeral
// resource in a plan's resource changes with the action "open": OpenTofu
// does, Terraform does not. terraform-plugin-testing reads any action but
// no-op as a change, so after an apply a step whose configuration opens an
// ephemeral resource must expect a non-empty plan under OpenTofu.
func planListsOpens() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
}

// customerData is every name and phone of the emulator's chats on one
// backend: what must never reach state or the CLI's output from an
// ephemeral read.
func customerData(emu *emulatortest.Server, backend string) []string {
	chats := emu.ZAPIChats()
	nameKey := "name"
	if backend == "enviaai" {
		chats, nameKey = emu.EnviaAIChats("inst_demo"), "contactName"
	}
	var out []string
	for _, c := range chats {
		for _, key := range []string{nameKey, "phone"} {
			if s, ok := c[key].(string); ok && len(s) >= 4 {
				out = append(out, s)
			}
		}
	}
	return out
}

// holdsNone fails the step when the state holds any of texts.
func holdsNone(texts []string) statecheck.StateCheck {
	return stateCheckFunc(func(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
		state, err := json.Marshal(req.State)
		if err != nil {
			resp.Error = err
			return
		}
		for _, s := range texts {
			if strings.Contains(string(state), s) {
				resp.Error = fmt.Errorf("the state holds the customer data %q", s)
				return
			}
		}
	})
}

// ephemeralAudit reads chats only ephemerally, with its rules as
// preconditions of a resource: listRule on the list, and one on a chat.
// supportPhone is a chat the backend has. (A postcondition inside an
// ephemeral block works in a plan, but Terraform 1.11's `show -json`
// crashes on the state it leaves.)
func ephemeralAudit(supportPhone, listRule string) string {
	return fmt.Sprintf(`
ephemeral "whatsapp_chats" "backlog" {
  unread_only = true
  sort_by     = "unread_count"
  max_results = 5
}

ephemeral "whatsapp_chat" "support" {
  phone = %q
}

resource "terraform_data" "audit" {
  input = "audited"

  lifecycle {
    precondition {
      condition     = %s
      error_message = "The unread backlog rule failed."
    }
    precondition {
      condition     = ephemeral.whatsapp_chat.support.unread_count != null
      error_message = "The support chat reports no unread count."
    }
  }
}
`, supportPhone, listRule)
}

// The ephemeral faces of whatsapp_chats and whatsapp_chat read on both
// backends, their rules fire, and an apply whose rules read chats
// ephemerally leaves none of the chats' names or phones in state.
func TestEphemeralChats_RulesFireAndStateHoldsNoChat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		backend, support string
		provider         func(string) string
	}{
		{"zapi", "5511999999999", zapiProvider},
		{"enviaai", enviaAISupportPhone, enviaAIProvider},
	} {
		t.Run(tc.backend, func(t *testing.T) {
			emu := emulatortest.Start(t, emulator.Options{})
			url := emu.URL
			private := customerData(emu, tc.backend)
			if len(private) < 100 {
				t.Fatalf("only %d names and phones to look for", len(private))
			}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{
					{
						Config:      tc.provider(url) + ephemeralAudit(tc.support, "length(ephemeral.whatsapp_chats.backlog.chats) == 0"),
						ExpectError: regexp.MustCompile(`(?s)Resource precondition failed.*The unread backlog rule failed`),
					},
					{
						Config:             tc.provider(url) + ephemeralAudit(tc.support, "length(ephemeral.whatsapp_chats.backlog.chats) == 5 && ephemeral.whatsapp_chats.backlog.has_more"),
						ConfigStateChecks:  []statecheck.StateCheck{holdsNone(private)},
						ExpectNonEmptyPlan: planListsOpens(),
					},
				},
			})
		})
	}
}

// A phone with no chat fails the ephemeral read as it fails the data
// source.
func TestEphemeralChat_PhoneWithNoChat(t *testing.T) {
	url := emulatortest.Start(t, emulator.Options{}).URL
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + `
ephemeral "whatsapp_chat" "missing" {
  phone = "5500000000000"
}
resource "terraform_data" "audit" {
  input = "audited"

  lifecycle {
    precondition {
      condition     = ephemeral.whatsapp_chat.missing.id != null
      error_message = "No chat."
    }
  }
}
`,
			ExpectError: regexp.MustCompile(`(?s)Unable to Read Chat.*5500000000000`),
		}},
	})
}

// TestEphemeralChats_NoChatInOutput applies a configuration whose check
// walks every chat ephemerally, through the CLI with the provider built
// from this tree, and requires that the check fires and that neither the
// CLI's output nor the state file holds a chat's name or phone.
func TestEphemeralChats_NoChatInOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	t.Parallel()
	cliConfig := devOverrides(t)
	emu := emulatortest.Start(t, emulator.Options{})
	url := emu.URL
	work := t.TempDir()
	config := `terraform {
  required_providers {
    whatsapp = { source = "whatsapp-tf/whatsapp" }
  }
}

ephemeral "whatsapp_chats" "all" {}

check "no_spam" {
  assert {
    condition     = length([for c in ephemeral.whatsapp_chats.all.chats : c if c.marked_spam == true]) == 0
    error_message = "Chats are marked as spam."
  }
}

resource "terraform_data" "audit" {
  input = "audited"
}
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(terraformBinary(t), "-chdir="+work, "apply", "-auto-approve", "-input=false", "-no-color")
	cmd.Env = append(withoutBackendEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1")
	cmd.Env = append(cmd.Env, zapiAuditEnv("demo-instance")(url)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Chats are marked as spam.") {
		t.Errorf("the check did not fire:\n%s", out)
	}
	state, err := os.ReadFile(filepath.Join(work, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range customerData(emu, "zapi") {
		if strings.Contains(string(out), s) {
			t.Errorf("the CLI's output holds the customer data %q:\n%s", s, out)
		}
		if strings.Contains(string(state), s) {
			t.Errorf("the state holds the customer data %q", s)
		}
	}
}

// The ephemeral resources' examples run on every backend they fit, and
// leave no chat in state.
func TestExamples_EphemeralResources(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, backend, example string
		provider               func(string) string
	}{
		{"whatsapp_chats on Z-API", "zapi", "ephemeral-resources/whatsapp_chats/ephemeral-resource.tf", zapiProvider},
		{"whatsapp_chats on EnviaAI", "enviaai", "ephemeral-resources/whatsapp_chats/ephemeral-resource.tf", enviaAIProvider},
		{"whatsapp_chat on Z-API", "zapi", "ephemeral-resources/whatsapp_chat/ephemeral-resource.tf", zapiProvider},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := emulatortest.Start(t, emulator.Options{})
			url := emu.URL
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					// A configuration of ephemeral reads and checks alone
					// has nothing to apply; the resource gives the step a
					// state to check.
					Config:             tc.provider(url) + readExample(t, tc.example) + "resource \"terraform_data\" \"audit\" {\n  input = \"audited\"\n}\n",
					ConfigStateChecks:  []statecheck.StateCheck{holdsNone(customerData(emu, tc.backend))},
					ExpectNonEmptyPlan: planListsOpens(),
				}},
			})
		})
	}
}

// The ephemeral faces check their arguments as the data sources do, before
// any request.
func TestEphemeralChats_InvalidArgument(t *testing.T) {
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider("http://127.0.0.1:1") + `
ephemeral "whatsapp_chats" "bad" {
  page_size = 1000
}
`,
			ExpectError: regexp.MustCompile(`(?s)page_size.*value must be between 1 and 100`),
		}},
	})
}
