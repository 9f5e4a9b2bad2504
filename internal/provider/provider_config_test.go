package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// clearEnv unsets every backend variable of the process for the test.
// Only the tests that read the process environment need it:
// TestProvider_EnvironmentFallback, which proves the provider reads it, and
// the examples' audits, which set TF_ACC_PROVIDER_NAMESPACE and so run
// sequentially anyway. The others give their provider an environment of
// its own (factoriesWithEnv).
func clearEnv(t *testing.T) {
	for _, name := range []string{envZAPIInstanceID, envZAPIToken, envZAPIClientToken, envZAPIBaseURL,
		envZAPIPartnerToken, envEnviaAIAPIKey, envEnviaAIInstanceID, envEnviaAIBaseURL} {
		t.Setenv(name, "")
	}
}

func TestProvider_EnvironmentFallback(t *testing.T) {
	clearEnv(t)
	srv := newFakeZAPIFor(t, emulator.ZAPICredentials{InstanceID: "env-instance", Token: "env-token", ClientToken: "env-client-token"}, zapiAccount...)
	t.Setenv(envZAPIInstanceID, "env-instance")
	t.Setenv(envZAPIToken, "env-token")
	t.Setenv(envZAPIClientToken, "env-client-token")
	t.Setenv(envZAPIBaseURL, srv.URL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:            `data "whatsapp_chats" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{chats.attr("total", knownvalue.Int64Exact(5))},
		}},
	})
	r := srv.Received()[0]
	if r.URL.Path != "/instances/env-instance/token/env-token/chats" || r.Header.Get("Client-Token") != "env-client-token" {
		t.Errorf("request = %s with Client-Token %q, want the environment's instance, token and client token", r.URL.Path, r.Header.Get("Client-Token"))
	}
}

func TestProvider_ConfigWinsOverEnvironment(t *testing.T) {
	srv := newFakeEnviaAI(t, enviaChat("chat_1", "5511000000001", "John", 1))
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesWithEnv(map[string]string{
			envEnviaAIAPIKey:     "env-key",
			envEnviaAIInstanceID: "inst_env",
			envEnviaAIBaseURL:    "http://127.0.0.1:1",
		}),
		Steps: []resource.TestStep{{
			Config:            enviaAIProvider(srv.URL) + `data "whatsapp_chats" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{chats.attr("total", knownvalue.Int64Exact(1))},
		}},
	})
	if got := srv.queries()[0].Get("instanceId"); got != "inst_demo" {
		t.Errorf("instanceId = %q, want the configured inst_demo", got)
	}
}

func TestProvider_EnvironmentPicksEnviaAI(t *testing.T) {
	srv := newFakeEnviaAIFor(t, emulator.EnviaAICredentials{APIKey: "demo-api-key", InstanceIDs: []string{"inst_env"}}, enviaChat("chat_1", "5511000000001", "John", 1))
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesWithEnv(map[string]string{
			envEnviaAIAPIKey:     "demo-api-key",
			envEnviaAIInstanceID: "inst_env",
			envEnviaAIBaseURL:    srv.URL,
		}),
		Steps: []resource.TestStep{{
			Config:            `data "whatsapp_chats" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{chats.names("John")},
		}},
	})
}

func TestProvider_InvalidConfiguration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		env    map[string]string
		config string
		err    string
	}{
		{"both blocks", nil, `provider "whatsapp" {
  zapi    = { instance_id = "i", token = "t" }
  enviaai = { api_key = "k", instance_id = "i" }
}`, `(?s)Two Backends in One Provider Block.*Both zapi and enviaai are set.*alias`},
		{"no backend", nil, ``, `(?s)Missing WhatsApp Backend.*ZAPI_INSTANCE_ID`},
		{"both backends in the environment", map[string]string{envZAPIToken: "t", envEnviaAIAPIKey: "k"}, ``, `(?s)Ambiguous WhatsApp Backend.*unset one set of variables`},
		{"missing Z-API token", nil, `provider "whatsapp" {
  zapi = { instance_id = "i" }
}`, `(?s)Missing Z-API Token.*Set zapi.token in the provider\s+configuration or the ZAPI_TOKEN environment variable`},
		{"EnviaAI chats without an instance", map[string]string{envEnviaAIAPIKey: "k"}, ``,
			`(?s)Unable to List Chats.*needs an instance id, which the provider\s+configuration does not set.*Set instance_id on the data.*ENVIAAI_INSTANCE_ID`},
		{"missing EnviaAI key", map[string]string{envEnviaAIInstanceID: "i"}, ``, `(?s)Missing EnviaAI API Key.*ENVIAAI_API_KEY`},
		{"plain http to a remote host", nil, `provider "whatsapp" {
  zapi = { instance_id = "i", token = "t", base_url = "http://api.z-api.io" }
}`, `(?s)Invalid Base URL.*zapi\.base_url:\s+the\s+base\s+URL.*plain\s+http\s+to\s+a\s+host\s+that\s+is\s+not\s+loopback`},
		{"not a URL scheme", nil, `provider "whatsapp" {
  enviaai = { api_key = "k", instance_id = "i", base_url = "ftp://example.com" }
}`, `must start with https://`},
		{"bad base URL in the environment", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "t", envZAPIBaseURL: "http://10.0.0.1"}, ``, `(?s)Invalid Z-API Base URL.*ZAPI_BASE_URL`},
		{"empty token", nil, `provider "whatsapp" {
  zapi = { instance_id = "i", token = "" }
}`, `Attribute zapi.token string length must be at least 1`},
		{"token that changes the URL", nil, `provider "whatsapp" {
  zapi = { instance_id = "i", token = "../../../v1/messages/x" }
}`, `(?s)Invalid Credential.*zapi\.token holds a character other than letters, digits`},
		{"instance_id of dots", nil, `provider "whatsapp" {
  zapi = { instance_id = "..", token = "t" }
}`, `(?s)Invalid Credential.*zapi\.instance_id is empty or only dots`},
		{"client_token with a line break", nil, `provider "whatsapp" {
  zapi = { instance_id = "i", token = "t", client_token = "ct\nX-Evil: 1" }
}`, `(?s)Invalid Credential.*zapi\.client_token holds a space, a control character`},
		{"api_key with a space", nil, `provider "whatsapp" {
  enviaai = { api_key = "k k", instance_id = "i" }
}`, `(?s)Invalid Credential.*enviaai\.api_key holds a space`},
		{"token in the environment that changes the URL", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "a/../b"}, ``,
			`(?s)Invalid Z-API Token.*The ZAPI_TOKEN environment variable holds a character other than letters`},
		{"token in the environment with a slash", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "bad/token"}, ``,
			`(?s)Invalid Z-API Token.*ZAPI_TOKEN environment variable holds a character other than.*\(at byte 4\)`},
		{"instance id in the environment of dots", map[string]string{envZAPIInstanceID: "..", envZAPIToken: "t"}, ``,
			`(?s)Invalid Z-API Instance ID.*ZAPI_INSTANCE_ID environment variable is empty or only dots`},
		{"client token in the environment with a space", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "t", envZAPIClientToken: "c t"}, ``,
			`(?s)Invalid Z-API Client Token.*ZAPI_CLIENT_TOKEN environment variable holds a space`},
		{"partner_token with a line break", nil, `provider "whatsapp" {
  zapi = { partner_token = "pt\nX-Evil: 1" }
}`, `(?s)Invalid Credential.*zapi\.partner_token holds a space, a control character`},
		{"partner token in the environment with a space", map[string]string{envZAPIPartnerToken: "p t"}, ``,
			`(?s)Invalid Z-API Partner Token.*ZAPI_PARTNER_TOKEN environment variable holds a space`},
		{"API key in the environment with a line break", map[string]string{envEnviaAIAPIKey: "k\nX-Evil: 1", envEnviaAIInstanceID: "i"}, ``,
			`(?s)Invalid EnviaAI API Key.*ENVIAAI_API_KEY environment variable holds a space, a control character`},
		{"bad request_timeout", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "t"}, `provider "whatsapp" {
  request_timeout = "thirty"
}`, `(?s)Invalid Duration.*request_timeout: "thirty" is not a duration`},
		{"request_timeout too short", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "t"}, `provider "whatsapp" {
  request_timeout = "10ms"
}`, `Duration Too Short`},
		{"max_retries too high", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "t"}, `provider "whatsapp" {
  max_retries = 11
}`, `Attribute max_retries value must be between 0 and 10`},
		{"max_concurrent_requests zero", map[string]string{envZAPIInstanceID: "i", envZAPIToken: "t"}, `provider "whatsapp" {
  max_concurrent_requests = 0
}`, `Attribute max_concurrent_requests value must be between 1 and 32`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factoriesWithEnv(tc.env),
				Steps: []resource.TestStep{{
					Config:      tc.config + "\n" + `data "whatsapp_chats" "test" {}`,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
}

func TestProvider_UnknownConfigurationIsAnError(t *testing.T) {
	srv := newFakeZAPI(t, zapiAccount...)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesWithEnv(nil),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "later" { input = "value" }
provider "whatsapp" {
  zapi = {
    instance_id = terraform_data.later.output
    token       = "t"
    base_url    = %q
  }
}
data "whatsapp_chats" "test" {}
`, srv.URL),
			ExpectError: regexp.MustCompile(`(?s)Unknown Z-API Instance ID.*known at plan time`),
		}},
	})
}

func TestProvider_UserAgent(t *testing.T) {
	var agent string
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		agent = r.Header.Get("User-Agent")
		fmt.Fprint(w, `[]`)
	})
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factoriesWithEnv(nil),
		Steps: []resource.TestStep{{
			Config:            zapiProvider(srv.URL) + `data "whatsapp_chats" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{chats.attr("total", knownvalue.Int64Exact(0))},
		}},
	})
	if !regexp.MustCompile(`^terraform-provider-whatsapp/test Terraform/\d+\.\d+\.\d+`).MatchString(agent) {
		t.Errorf("User-Agent = %q, want terraform-provider-whatsapp/<version> Terraform/<version>", agent)
	}
}
