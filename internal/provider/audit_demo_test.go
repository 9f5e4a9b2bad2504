package provider

import (
	"strings"
	"testing"
)

// TestExamples_AuditDemo runs `make audit-demo`'s script: examples/audit
// planned against the emulator on both backends, where every rule of the
// audit fails or warns at least once, the failing conditions and the check
// warnings in the same plan. It must leave nothing behind.
func TestExamples_AuditDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider and the emulator")
	}
	t.Parallel()
	out := runScript(t, "audit-demo.sh")
	zapi, enviaai, found := strings.Cut(string(out), "against the emulator's EnviaAI API")
	if !found {
		t.Fatalf("no EnviaAI run:\n%s", out)
	}
	for backend, c := range map[string]struct {
		out  string
		want []string
	}{
		"Z-API":   {zapi, []string{"Error: Module output value precondition failed", "Chats marked as spam: ", "over the limit of 500", "Archived chats hide unread messages: "}},
		"EnviaAI": {enviaai, []string{"Error: Resource postcondition failed", "does not report whether the support chat", "No chat reports its spam or archive status", "over the limit of 500"}},
	} {
		for _, want := range c.want {
			if !strings.Contains(strings.Join(strings.Fields(c.out), " "), want) {
				t.Errorf("%s run lacks %q:\n%s", backend, want, c.out)
			}
		}
	}
	if strings.Contains(string(out), "development overrides") {
		t.Errorf("the dev_overrides notice is shown:\n%s", out)
	}
}
