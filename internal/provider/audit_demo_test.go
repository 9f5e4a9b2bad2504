package provider

import (
	"strings"
	"testing"
)

// TestExamples_AuditDemo runs `make audit-demo`'s script: examples/audit
// planned against the emulator on both backends, each plan's findings
// shown and its exact outcome checked against scripts/audit-outcomes.txt
// (the script fails otherwise). It must leave nothing behind and name no
// chat the rules find.
func TestExamples_AuditDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider and the emulator")
	}
	t.Parallel()
	out := string(runScript(t, "audit-demo.sh"))
	for _, want := range []string{
		"zapi-connected: exactly the outcome scripts/audit-outcomes.txt lists (5 findings)",
		"enviaai-connected: exactly the outcome scripts/audit-outcomes.txt lists (4 findings)",
		"10 chats are marked as spam (set name_chats = true to name them).",
		"does not report whether the support chat",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the audit demo lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "development overrides") {
		t.Errorf("the dev_overrides notice is shown:\n%s", out)
	}
}
