package provider

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

const chat = expect("data.whatsapp_chat.test")

func TestChatDataSource_ZAPIFound(t *testing.T) {
	srv := newFakeZAPI(t, zapiAccount...)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(srv.URL) + `data "whatsapp_chat" "test" { phone = "+55 11 0000-00003" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				chat.attr("id", knownvalue.StringExact("5511000000003")),
				chat.attr("phone", knownvalue.StringExact("+55 11 0000-00003")),
				chat.attr("chat_phone", knownvalue.StringExact("5511000000003")),
				chat.attr("name", knownvalue.StringExact("charlie")),
				chat.attr("unread_count", knownvalue.Int64Exact(1)),
				chat.attr("pinned", knownvalue.Bool(false)),
				chat.attr("last_message", knownvalue.Null()),
				chat.attr("instance_id", knownvalue.Null()),
			},
		}},
	})
}

func TestChatDataSource_EnviaAIFoundThroughSearch(t *testing.T) {
	srv := newFakeEnviaAI(t,
		enviaChat("chat_1", "5511000000001", "John", 1),
		enviaChat("chat_2", "551100000000", "Prefix of John's phone", 0),
	)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(srv.URL) + `data "whatsapp_chat" "test" {
  phone       = "5511000000001"
  instance_id = "inst_other"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				chat.attr("id", knownvalue.StringExact("chat_1")),
				chat.attr("chat_phone", knownvalue.StringExact("5511000000001")),
				chat.attr("name", knownvalue.StringExact("John")),
				chat.attr("last_message", knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("m-chat_1")})),
				chat.attr("archived", knownvalue.Null()),
			},
		}},
	})
	assertQueries(t, srv, url.Values{"instanceId": {"inst_other"}, "limit": {"100"}, "offset": {"0"}, "search": {"5511000000001"}})
}

func TestChatDataSource_NotFound(t *testing.T) {
	srv := newFakeZAPI(t, zapiAccount...)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(srv.URL) + `data "whatsapp_chat" "test" { phone = "5599999999999" }`,
			// On the phone argument: Terraform quotes its line.
			ExpectError: regexp.MustCompile(`(?s)Unable to Read Chat.*phone = "5599999999999".*Z-API has no chat with phone "5599999999999"`),
		}},
	})
}

func TestChatDataSource_InvalidArguments(t *testing.T) {
	srv := newFakeZAPI(t, zapiAccount...)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config:      zapiProvider(srv.URL) + `data "whatsapp_chat" "test" { phone = "" }`,
				ExpectError: regexp.MustCompile(`Attribute phone must hold a phone number in international format, or a\s+group\s+id`),
			},
			{
				Config:      zapiProvider(srv.URL) + `data "whatsapp_chat" "test" {` + "\n" + `phone = "5511999999999"` + "\n" + `timeouts = { read = "0s" }` + "\n}",
				ExpectError: regexp.MustCompile(`(?s)Duration Too Short.*timeouts\.read.*0s is shorter than the minimum of 1s`),
			},
			{
				Config:      zapiProvider(srv.URL) + `data "whatsapp_chat" "test" { phone = "+ ( )" }`,
				ExpectError: regexp.MustCompile(`Attribute phone must hold a phone number in international format, or a\s+group\s+id`),
			},
			{
				Config:      zapiProvider(srv.URL) + `data "whatsapp_chat" "test" {}`,
				ExpectError: regexp.MustCompile(`The argument "phone" is required`),
			},
			{
				Config: zapiProvider(srv.URL) + `data "whatsapp_chat" "test" {
  phone       = "5511000000003"
  instance_id = "x"
}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Argument for This Backend.*instance_id`),
			},
		},
	})
	if n := len(srv.queries()); n != 0 {
		t.Errorf("the provider sent %d requests for invalid arguments, want none", n)
	}
}
