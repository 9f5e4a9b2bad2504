package provider

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/planoutcome"
)

// auditOutcomesFile holds, for each instance state, the exact diagnostics
// a plan of examples/audit gives; make audit-demo checks it too.
const auditOutcomesFile = "../../scripts/audit-outcomes.txt"

// readAuditOutcomes returns the outcome lines of each state in the file,
// sorted as planoutcome.Read sorts them.
func readAuditOutcomes(t *testing.T) map[string][]string {
	t.Helper()
	f, err := os.Open(auditOutcomesFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	states := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		state, outcome, _ := strings.Cut(line, " ")
		if outcome == "none" {
			states[state] = []string{}
			continue
		}
		states[state] = append(states[state], outcome)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, lines := range states {
		slices.Sort(lines)
	}
	return states
}

// auditState is one instance state of the audit: the provider's
// environment and variables, against its own emulator.
type auditState struct {
	name string
	env  func(url string) []string
	vars []string
	// setUp adjusts the emulator before the plan (a hook for states it
	// has no fixture for).
	setUp func(t *testing.T, emu *emulatortest.Server)
	// private: no name of a chat marked as spam may appear in the CLI's
	// output; named: every one must.
	private, named bool
}

func zapiAuditEnv(instance string) func(string) []string {
	return func(url string) []string {
		return []string{envZAPIInstanceID + "=" + instance, envZAPIToken + "=demo-token", envZAPIClientToken + "=demo-client-token", envZAPIBaseURL + "=" + url}
	}
}

func enviaAIAuditEnv(instance string) func(string) []string {
	return func(url string) []string {
		return []string{envEnviaAIAPIKey + "=demo-api-key", envEnviaAIInstanceID + "=" + instance, envEnviaAIBaseURL + "=" + url}
	}
}

// answerZAPI answers Z-API's /status and /me of every instance with the
// given bodies ("" passes the endpoint through to the emulator).
func answerZAPI(status, me string) func(*testing.T, *emulatortest.Server) {
	return func(_ *testing.T, emu *emulatortest.Server) {
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			switch {
			case status != "" && strings.HasSuffix(r.URL.Path, "/status"):
				return &emulator.Reply{Status: http.StatusOK, Body: []byte(status)}
			case me != "" && strings.HasSuffix(r.URL.Path, "/me"):
				return &emulator.Reply{Status: http.StatusOK, Body: []byte(me)}
			}
			return nil
		}})
	}
}

// The support chat of the EnviaAI states: a chat of inst_demo (EnviaAI has
// none at Z-API's support phone).
const enviaAISupportPhone = "5591983247397"

var auditStates = []auditState{
	{name: "zapi-connected", env: zapiAuditEnv("demo-instance"), private: true},
	{name: "zapi-connected-naming-chats", env: zapiAuditEnv("demo-instance"), vars: []string{"name_chats=true"}, named: true},
	{name: "zapi-paid-period-ending", env: zapiAuditEnv(emulator.ZAPIExpiringInstance), private: true},
	{name: "zapi-disconnected", env: zapiAuditEnv("demo-instance"),
		setUp: answerZAPI(`{"connected":false,"error":"You are not connected.","smartphoneConnected":false}`, "")},
	{name: "zapi-disconnected-me-refused", env: zapiAuditEnv(emulator.ZAPIDisconnectedInstance)},
	{name: "zapi-clean", env: zapiAuditEnv("demo-instance"), setUp: cleanAuditInstance},
	{name: "enviaai-connected", env: enviaAIAuditEnv("inst_demo"), vars: []string{"support_phone=" + enviaAISupportPhone}},
	{name: "enviaai-webhooks-audited", env: enviaAIAuditEnv("inst_demo"),
		vars: []string{"support_phone=" + enviaAISupportPhone, `webhook_ids=["wh_orders","wh_legacy"]`}},
	{name: "enviaai-disconnected", env: enviaAIAuditEnv(emulator.EnviaAIDisconnectedInstance)},
	{name: "enviaai-connecting", env: enviaAIAuditEnv(emulator.EnviaAIConnectingInstance)},
	{name: "enviaai-qr-pending", env: enviaAIAuditEnv(emulator.EnviaAIPairingInstance)},
}

// cleanAuditInstance serves a Z-API instance that breaks no rule: two
// chats, the support chat pinned, nothing spam or archived with unread
// messages, auto-read off, one webhook on the expected host, paid for 60
// days.
func cleanAuditInstance(_ *testing.T, emu *emulatortest.Server) {
	chats := `[{"phone":"5511999999999","name":"Support","pinned":"true","isMarkedSpam":"false","unread":"2"},` +
		`{"phone":"5511000000001","name":"Customer","pinned":false,"isMarkedSpam":false,"archived":"true","unread":"0"}]`
	me := fmt.Sprintf(`{"id":"demo-instance","name":"n","due":%d,"autoReadMessage":false,"receivedCallbackUrl":"https://hooks.example.com/in"}`,
		time.Now().Add(60*24*time.Hour).UnixMilli())
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		switch {
		case strings.HasSuffix(r.URL.Path, "/status"):
			return &emulator.Reply{Status: http.StatusOK, Body: []byte(`{"connected":true,"error":"You are already connected.","smartphoneConnected":true}`)}
		case strings.HasSuffix(r.URL.Path, "/me"):
			return &emulator.Reply{Status: http.StatusOK, Body: []byte(me)}
		case strings.HasSuffix(r.URL.Path, "/chats"):
			body := chats
			if r.URL.Query().Get("page") != "1" {
				body = "[]"
			}
			return &emulator.Reply{Status: http.StatusOK, Body: []byte(body)}
		}
		return nil
	}})
}

// TestExamples_AuditOutcomes plans examples/audit (both files) through the
// CLI under test, with the provider built from this tree, in every
// instance state the emulator can take, and requires exactly the rules
// scripts/audit-outcomes.txt lists for that state to fail or warn, and no
// other diagnostic: no read error, no expression error of the
// configuration. The plan fails exactly when an error is expected. By
// default no chat a rule finds is named in the output; with name_chats
// every one is.
func TestExamples_AuditOutcomes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	t.Parallel()
	want := readAuditOutcomes(t)
	cliConfig := devOverrides(t)
	for _, st := range auditStates {
		if _, ok := want[st.name]; !ok {
			t.Errorf("%s lists no outcome for %s", auditOutcomesFile, st.name)
		}
	}
	for state := range want {
		if !slices.ContainsFunc(auditStates, func(s auditState) bool { return s.name == state }) {
			t.Errorf("%s lists %s, which no test case sets up", auditOutcomesFile, state)
		}
	}
	for _, st := range auditStates {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			emu := emulatortest.Start(t, emulator.Options{})
			url := emu.URL
			if st.setUp != nil {
				st.setUp(t, emu)
			}
			out, failed := planAudit(t, cliConfig, st.env(url), st.vars)
			got, err := planoutcome.Read(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if got == nil {
				got = []string{}
			}
			if !slices.Equal(got, want[st.name]) {
				t.Errorf("outcomes:\n  %s\nwant:\n  %s\nplan output:\n%s", strings.Join(got, "\n  "), strings.Join(want[st.name], "\n  "), out)
			}
			wantFail := slices.ContainsFunc(want[st.name], func(o string) bool { return strings.HasPrefix(o, "error ") })
			if failed != wantFail {
				t.Errorf("plan failed: %t, want %t", failed, wantFail)
			}
			if st.private || st.named {
				checkSpamChatsNamed(t, emu, out, st.named)
			}
		})
	}
}

// checkSpamChatsNamed requires that the names of the emulator's chats
// marked as spam all appear in out (named) or none does.
func checkSpamChatsNamed(t *testing.T, emu *emulatortest.Server, out []byte, named bool) {
	t.Helper()
	var spam []string
	for _, c := range emu.ZAPIChats() {
		if name, ok := c["name"].(string); ok && fmt.Sprint(c["isMarkedSpam"]) == "true" {
			spam = append(spam, name)
		}
	}
	if len(spam) == 0 {
		t.Fatal("the emulator has no spam chat to look for")
	}
	for _, name := range spam {
		if shown := bytes.Contains(out, []byte(name)); shown != named {
			t.Errorf("the spam chat %q appears in the plan's output: %t, want %t", name, shown, named)
		}
	}
}

// planAudit runs `plan -json` on a copy of examples/audit with env and
// -var vars, and returns the CLI's output and whether the plan failed.
func planAudit(t *testing.T, cliConfig string, env, vars []string) ([]byte, bool) {
	t.Helper()
	work := copyExample(t, "audit", func(s string) string { return s })
	args := []string{"-chdir=" + work, "plan", "-json", "-input=false"}
	for _, v := range vars {
		args = append(args, "-var", v)
	}
	cmd := exec.Command(terraformBinary(t), args...)
	cmd.Env = append(withoutBackendEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running the CLI: %v", err)
	}
	return out, err != nil
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
