package provider

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// faultyEmulator serves chats with faults switched on.
func faultyEmulator(t *testing.T, chats int, faults emulator.Faults) (*emulatortest.Server, string) {
	emu := emulatortest.Start(t, emulator.Options{Chats: chats})
	emu.Inject(emulatortest.Fault{Faults: faults})
	return emu, emu.URL
}

// bothBackends runs a test against the emulator's Z-API and EnviaAI.
func bothBackends(t *testing.T, url string, extra string, run func(t *testing.T, providerConfig string)) {
	for name, cfg := range map[string]string{"Z-API": zapiProvider(url), "EnviaAI": enviaAIProvider(url)} {
		t.Run(name, func(t *testing.T) {
			run(t, strings.Replace(cfg, "provider \"whatsapp\" {", "provider \"whatsapp\" {\n"+extra, 1))
		})
	}
}

func TestChatsDataSource_RidesOutTransientFaults(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel() // each status has its own emulator and providers
			emu, url := faultyEmulator(t, 250, emulator.Faults{})
			bothBackends(t, url, "", func(t *testing.T, cfg string) {
				emu.Inject(emulatortest.Fault{Faults: emulator.Faults{FailFirst: 3, FailStatus: status}})
				resource.UnitTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(),
					Steps: []resource.TestStep{{
						Config: cfg + `data "whatsapp_chats" "test" { page_size = 50 }`,
						ConfigStateChecks: []statecheck.StateCheck{
							chats.attr("total", knownvalue.Int64Exact(250)),
							chats.attr("chats", knownvalue.ListSizeExact(250)),
						},
					}},
				})
			})
		})
	}
}

// A server allowing 20 requests per 2-second window serves 2,000 chats in
// pages of 50 (40 requests, 8 at a time) with no failed run: the provider
// waits for the window instead of spending its retries.
func TestChatsDataSource_RespectsRateLimits(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits for rate-limit windows")
	}
	for name, faults := range map[string]emulator.Faults{
		"with Retry-After":        {RateLimit: 20, RateWindow: 2 * time.Second, RetryAfter: true},
		"with rate-limit headers": {RateLimit: 20, RateWindow: 2 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each case has its own emulator and providers
			emu, url := faultyEmulator(t, 2000, emulator.Faults{})
			bothBackends(t, url, "", func(t *testing.T, cfg string) {
				emu.Inject(emulatortest.Fault{Faults: faults})
				resource.UnitTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(),
					Steps: []resource.TestStep{{
						Config:            cfg + `data "whatsapp_chats" "test" { page_size = 50 }`,
						ConfigStateChecks: []statecheck.StateCheck{chats.attr("chats", knownvalue.ListSizeExact(2000))},
					}},
				})
			})
		})
	}
}

func TestChatsDataSource_HostileAnswersAreErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		faults emulator.Faults
		err    string
	}{
		{"HTML error page", emulator.Faults{Malformed: emulator.MalformedHTML}, `(?s)HTTP 502 Bad Gateway.*the body began\s+"<`},
		{"truncated JSON", emulator.Faults{Malformed: emulator.MalformedTruncated}, `(?s)not the expected JSON.*the body\s+began`},
		{"empty body", emulator.Faults{Malformed: emulator.MalformedEmpty}, `(?s)not the expected JSON.*\(empty\s+body\)`},
		{"object instead of a list", emulator.Faults{Malformed: emulator.MalformedObject}, `(?s)(not the expected JSON|missing or\s+null|field\s+"data"\s+could\s+not\s+be\s+read:\s+want\s+a\s+list).*the body\s+began`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, url := faultyEmulator(t, 50, tc.faults)
			bothBackends(t, url, "max_retries = 0", func(t *testing.T, cfg string) {
				parallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(),
					Steps: []resource.TestStep{{
						Config:      cfg + `data "whatsapp_chats" "test" {}`,
						ExpectError: regexp.MustCompile(tc.err),
					}},
				})
			})
		})
	}
}

func TestChatsDataSource_APIThatIgnoresPageIsAnError(t *testing.T) {
	_, url := faultyEmulator(t, 250, emulator.Faults{IgnorePage: true})
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			// The read timeout keeps a broken paging check from reading
			// until the package's timeout.
			Config: zapiProvider(url) + `data "whatsapp_chats" "test" {
  timeouts = { read = "60s" }
}`,
			ExpectError: regexp.MustCompile(`(?s)Z-API paging went wrong at page 2: it repeated chats already read on an\s+earlier page`),
		}},
	})
}

func TestChatsDataSource_EndsWithinTheRequestTimeout(t *testing.T) {
	t.Parallel()
	_, url := faultyEmulator(t, 10, emulator.Faults{Hang: true})
	bothBackends(t, url, "request_timeout = \"1s\"\nmax_retries = 1", func(t *testing.T, cfg string) {
		parallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(),
			Steps: []resource.TestStep{{
				Config:      cfg + `data "whatsapp_chats" "test" {}`,
				ExpectError: regexp.MustCompile(`(?s)did not answer within the\s+request\s+timeout\s+of\s+1s\s+\(2\s+attempts\)`),
			}},
		})
	})
}

func TestChatsDataSource_EndsWithinTheReadTimeout(t *testing.T) {
	_, url := faultyEmulator(t, 10, emulator.Faults{Hang: true})
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(url) + `data "whatsapp_chats" "test" {
  timeouts = { read = "1s" }
}`,
			ExpectError: regexp.MustCompile(`(?s)did not finish within its timeout of 1s\s+\(timeouts.read\)`),
		}},
	})
}

// Distinctive credentials, so any leak is found by a plain search.
const (
	secretZAPIToken   = "zapi-token-4f1c9e"
	secretClientToken = "client-token-7b2d0a"
	secretAPIKey      = "enviaai-key-93e5c1"
)

var secrets = []string{secretZAPIToken, secretClientToken, secretAPIKey}

func leakedIn(s string) []string {
	var found []string
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			found = append(found, secret)
		}
	}
	return found
}

// TestProvider_SecretsStayOutOfLogsAndErrors reads chats at TF_LOG=TRACE
// through success, retry and failure paths, and searches the provider's
// log, the Terraform CLI's log and every error for the credentials.
func TestProvider_SecretsStayOutOfLogsAndErrors(t *testing.T) {
	var calls atomic.Int64
	api := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1: // a failure to retry
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"error":"busy"}`)
		default:
			if r.URL.Query().Get("page") != "1" {
				fmt.Fprint(w, `[]`) // a list of one page, as Z-API pages it
				return
			}
			fmt.Fprint(w, `[{"phone":"5511000000001","name":"one"}]`)
		}
	})
	broken := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		// An API that echoes the request path (and so the token) in its error.
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":"bad request for %s with %s"}`, r.URL.Path, r.Header.Get("Authorization"))
	})
	refused := "http://127.0.0.1:1"

	zapi := func(url string) string {
		return fmt.Sprintf(`provider "whatsapp" {
  zapi = { instance_id = "inst", token = %q, client_token = %q, base_url = %q }
  max_retries = 1
}
`, secretZAPIToken, secretClientToken, url)
	}
	enviaai := func(url string) string {
		return fmt.Sprintf(`provider "whatsapp" {
  enviaai = { api_key = %q, instance_id = "inst", base_url = %q }
  max_retries = 1
}
`, secretAPIKey, url)
	}
	for _, tc := range []struct {
		name, config, err string
	}{
		{"success after a retry", zapi(api.URL), ""},
		{"Z-API error that echoes the path", zapi(broken.URL), `HTTP 400`},
		{"EnviaAI error that echoes the key", enviaai(broken.URL), `HTTP 400`},
		{"Z-API connection refused", zapi(refused), `failed after 2 attempts`},
		{"EnviaAI connection refused", enviaai(refused), `failed after 2 attempts`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLogs := traceLogs(t)
			step := resource.TestStep{Config: tc.config + `data "whatsapp_chats" "test" {}`}
			if tc.err == "" {
				step.ConfigStateChecks = []statecheck.StateCheck{chats.names("one")}
			}
			if err := runStep(t, step, tc.err != ""); tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one containing %q", err, tc.err)
				}
				if leaks := leakedIn(err.Error()); len(leaks) > 0 {
					t.Errorf("the error shows %v:\n%s", leaks, err)
				}
			}
			checkLogs(leakedIn)
		})
	}
}

// runStep runs one step; when it is to fail, it returns the whole error
// for the caller to judge instead of failing the test.
func runStep(t *testing.T, step resource.TestStep, fails bool) error {
	t.Helper()
	var sawError error
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		ErrorCheck: func(err error) error {
			if !fails {
				return err
			}
			sawError = err
			return nil
		},
		Steps: []resource.TestStep{step},
	})
	return sawError
}

// traceLogs logs the test's Terraform runs at TRACE level and returns a
// check that the provider's log and the CLI's log show nothing leaks finds.
func traceLogs(t *testing.T) func(leaks func(string) []string) {
	logs := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logs, "provider.log"))
	t.Setenv("TF_LOG_PATH", filepath.Join(logs, "terraform.log"))
	return func(leaks func(string) []string) {
		t.Helper()
		providerLog := withoutTestConfig(readLog(t, filepath.Join(logs, "provider.log")))
		if !strings.Contains(providerLog, "Sending request") {
			t.Fatalf("the provider log holds no request line; is logging captured?\n%.2000s", providerLog)
		}
		for file, text := range map[string]string{"provider.log": providerLog, "terraform.log": readLog(t, filepath.Join(logs, "terraform.log"))} {
			if found := leaks(text); len(found) > 0 {
				t.Errorf("%s shows %v", file, found)
			}
		}
	}
}

// withoutTestConfig drops the test harness's own log entry that prints the
// test's configuration, credentials included: that is the test's input, not
// something the provider wrote.
func withoutTestConfig(log string) string {
	var kept []string
	skipping := false
	for _, line := range strings.Split(log, "\n") {
		if logEntryStart.MatchString(line) {
			skipping = strings.Contains(line, "sdk.helper_resource: Setting Terraform configuration")
		}
		if !skipping {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

var logEntryStart = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T`)

func readLog(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(b)
}

// A read whose state would not fit Terraform's message limit fails before
// any gRPC error, saying how to narrow it; narrowed, it succeeds.
func TestChatsDataSource_StateTooLargeSaysHowToNarrow(t *testing.T) {
	t.Parallel()
	_, url := faultyEmulator(t, 1000, emulator.Faults{})
	p := &whatsappProvider{version: "test", maxStateBytes: 64 << 10}
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"whatsapp": func() (tfprotov6.ProviderServer, error) { return newServer(p), nil },
	}
	bothBackends(t, url, "", func(t *testing.T, cfg string) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories,
			Steps: []resource.TestStep{{
				Config:      cfg + `data "whatsapp_chats" "test" {}`,
				ExpectError: regexp.MustCompile(`(?s)Result Too Large.*read\s+from\s+(Z-API|EnviaAI)\s+so\s+far\s+take\s+more\s+than\s+65536\s+bytes.*256\s+MiB.*max_results.*page.*search.*whatsapp_chat_summary`),
			}, {
				Config:            cfg + `data "whatsapp_chats" "test" { max_results = 20 }`,
				ConfigStateChecks: []statecheck.StateCheck{chats.attr("chats", knownvalue.ListSizeExact(20))},
			}},
		})
	})
}
