package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The two chats of the Z-API reference's example, verbatim.
const zapiReferenceExample = `[
  {"archived":"false","pinned":"true","messagesUnread":0,"phone":"5511999999999","unread":"0","name":"Z-API SUPPORT","lastMessageTime":"1622991687","isMuted":"0","isMarkedSpam":"false","isGroupAnnouncement":false,"isGroup":false},
  {"archived":"false","pinned":"true","messagesUnread":0,"phone":"5511999999999","unread":"0","name":"Z-api - Team","lastMessageTime":"1622990503","muteEndTime":1655953774000,"isMuted":"0","isMarkedSpam":"false","isGroupAnnouncement":false,"isGroup":false,
   "notes":{"id":"KlesU6f4f/Qd5d6VuAbvOMi31rg/F92owVe/xDYad1C=","content":"annotation text","createdAt":1655953774000,"lastUpdateAt":1655953774000}}
]`

// The EnviaAI reference's example answer, verbatim.
const enviaAIReferenceExample = `{"success":true,"data":[
  {"chatId":"chat_abc123","phone":"5511999999999","contactName":"John Doe","profilePicUrl":"https://pps.whatsapp.net/v/t61.24694-24/...",
   "lastMessage":{"messageId":"msg_xyz789","content":"Thanks for your help!","timestamp":"2026-02-03T12:30:00.000Z","isFromMe":false,"type":"text"},
   "unreadCount":2,"isGroup":false,"createdAt":"2026-01-15T10:00:00.000Z"},
  {"chatId":"chat_def456","phone":"5521988888888","contactName":"Jane Smith","profilePicUrl":"https://pps.whatsapp.net/v/t61.24694-24/...",
   "lastMessage":{"messageId":"msg_abc456","content":"[Image]","timestamp":"2026-02-03T11:45:00.000Z","isFromMe":true,"type":"image"},
   "unreadCount":0,"isGroup":false,"createdAt":"2026-01-20T14:30:00.000Z"}],
 "pagination":{"total":156,"limit":20,"offset":0,"hasMore":true}}`

const chats = expect("data.whatsapp_chats.test")

func TestChatsDataSource_ZAPIReferenceExample(t *testing.T) {
	// Both reference chats share a phone, Z-API's chat id; the second is a
	// duplicate and is dropped, so serve the second alone on its own fake.
	first := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "1" {
			fmt.Fprint(w, zapiReferenceExample)
			return
		}
		fmt.Fprint(w, `[]`)
	})
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(first.URL) + `data "whatsapp_chats" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				chats.attr("total", knownvalue.Int64Exact(1)),
				chats.attr("has_more", knownvalue.Bool(false)),
				chats.attr("chats", knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                    knownvalue.StringExact("5511999999999"),
					"phone":                 knownvalue.StringExact("5511999999999"),
					"name":                  knownvalue.StringExact("Z-API SUPPORT"),
					"is_group":              knownvalue.Bool(false),
					"is_group_announcement": knownvalue.Bool(false),
					"archived":              knownvalue.Bool(false),
					"pinned":                knownvalue.Bool(true),
					"muted":                 knownvalue.Bool(false),
					"mute_end_time":         knownvalue.Null(),
					"muted_forever":         knownvalue.Bool(false),
					"marked_spam":           knownvalue.Bool(false),
					"unread_count":          knownvalue.Int64Exact(0),
					"last_message_time":     knownvalue.StringExact("2021-06-06T15:01:27.000Z"),
					"profile_pic_url":       knownvalue.Null(),
					"created_at":            knownvalue.Null(),
					"last_message":          knownvalue.Null(),
					"notes":                 knownvalue.Null(),
				})})),
			},
		}},
	})
}

func TestChatsDataSource_ZAPIMuteAndNotes(t *testing.T) {
	srv := newFakeZAPI(t,
		`{"phone":"5511000000001","name":"Z-api - Team","lastMessageTime":"1622990503000","muteEndTime":1655953774000,"isMuted":"1","notes":{"id":"n1","content":"annotation text","createdAt":1655953774000,"lastUpdateAt":"1655953774123"}}`,
		`{"phone":"120363012345678901-group","name":"120363012345678901-group","isGroup":true,"muteEndTime":"-1","isMuted":1}`,
	)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: zapiProvider(srv.URL) + `data "whatsapp_chats" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				chats.chat(0, "last_message_time", knownvalue.StringExact("2021-06-06T14:41:43.000Z")),
				chats.chat(0, "muted", knownvalue.Bool(true)),
				chats.chat(0, "mute_end_time", knownvalue.StringExact("2022-06-23T03:09:34.000Z")),
				chats.chat(0, "muted_forever", knownvalue.Bool(false)),
				chats.chat(0, "notes", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":              knownvalue.StringExact("n1"),
					"content":         knownvalue.StringExact("annotation text"),
					"created_at":      knownvalue.StringExact("2022-06-23T03:09:34.000Z"),
					"last_updated_at": knownvalue.StringExact("2022-06-23T03:09:34.123Z"),
				})),
				chats.chat(0, "archived", knownvalue.Null()),
				chats.chat(0, "unread_count", knownvalue.Null()),
				chats.chat(1, "name", knownvalue.StringExact("120363012345678901-group")),
				chats.chat(1, "is_group", knownvalue.Bool(true)),
				chats.chat(1, "mute_end_time", knownvalue.Null()),
				chats.chat(1, "muted_forever", knownvalue.Bool(true)),
				chats.chat(1, "last_message_time", knownvalue.Null()),
			},
		}},
	})
}

func TestChatsDataSource_EnviaAIReferenceExample(t *testing.T) {
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, enviaAIReferenceExample) })
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(srv.URL) + `data "whatsapp_chats" "test" {
  page      = 1
  page_size = 20
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				chats.attr("total", knownvalue.Int64Exact(156)),
				chats.attr("has_more", knownvalue.Bool(true)),
				chats.value(tfjsonpath.New("chats").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                    knownvalue.StringExact("chat_abc123"),
					"phone":                 knownvalue.StringExact("5511999999999"),
					"name":                  knownvalue.StringExact("John Doe"),
					"is_group":              knownvalue.Bool(false),
					"is_group_announcement": knownvalue.Null(),
					"archived":              knownvalue.Null(),
					"pinned":                knownvalue.Null(),
					"muted":                 knownvalue.Null(),
					"mute_end_time":         knownvalue.Null(),
					"muted_forever":         knownvalue.Null(),
					"marked_spam":           knownvalue.Null(),
					"unread_count":          knownvalue.Int64Exact(2),
					"last_message_time":     knownvalue.StringExact("2026-02-03T12:30:00.000Z"),
					"profile_pic_url":       knownvalue.StringExact("https://pps.whatsapp.net/v/t61.24694-24/..."),
					"created_at":            knownvalue.StringExact("2026-01-15T10:00:00.000Z"),
					"notes":                 knownvalue.Null(),
					"last_message": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":        knownvalue.StringExact("msg_xyz789"),
						"content":   knownvalue.StringExact("Thanks for your help!"),
						"timestamp": knownvalue.StringExact("2026-02-03T12:30:00.000Z"),
						"from_me":   knownvalue.Bool(false),
						"type":      knownvalue.StringExact("text"),
					}),
				})),
				chats.chat(1, "last_message", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"content": knownvalue.StringExact("[Image]"), "from_me": knownvalue.Bool(true), "type": knownvalue.StringExact("image"),
				})),
			},
		}},
	})
	assertQueries(t, srv, url.Values{"instanceId": {"inst_demo"}, "limit": {"20"}, "offset": {"0"}})
}

func TestChatsDataSource_EnviaAIMissingFieldsAreNull(t *testing.T) {
	srv := newFakeEnviaAI(t, `{"chatId":"chat_1","phone":"5511000000001"}`)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(srv.URL) + `data "whatsapp_chats" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				chats.chat(0, "name", knownvalue.Null()),
				chats.chat(0, "is_group", knownvalue.Null()),
				chats.chat(0, "unread_count", knownvalue.Null()),
				chats.chat(0, "last_message", knownvalue.Null()),
				chats.chat(0, "last_message_time", knownvalue.Null()),
				chats.attr("total", knownvalue.Int64Exact(1)),
			},
		}},
	})
}

// zapiAccount is a small account in Z-API's order, with names, unread
// counts and times chosen so every filter and sort gives a distinct answer.
var zapiAccount = []string{
	zapiChat("5511000000001", "bravo", 0, 1700000300),
	zapiChat("5511000000002", "Alpha", 3, 1700000100),
	zapiChat("5511000000003", "charlie", 1, 1700000500),
	zapiChat("5511000000004", "Álvaro", 0, 1700000400),
	zapiChat("5511000000005", "delta", 7, 1700000200),
}

func TestChatsDataSource_ZAPIArguments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, args    string
		want          []string
		total         knownvalue.Check
		hasMore       bool
		pageSizesSent []string
	}{
		{"every page, API order", `page_size = 2`, []string{"bravo", "Alpha", "charlie", "Álvaro", "delta"}, knownvalue.Int64Exact(5), false, []string{"2", "2", "2"}},
		{"one page as is", "page = 2\npage_size = 2", []string{"charlie", "Álvaro"}, knownvalue.Null(), true, []string{"2", "1"}},
		{"last page as is", "page = 3\npage_size = 2", []string{"delta"}, knownvalue.Null(), false, []string{"2"}},
		{"max_results stops early", "max_results = 2\npage_size = 2", []string{"bravo", "Alpha"}, knownvalue.Null(), true, []string{"2", "2"}},
		{"search ignores case", `search = "ALP"`, []string{"Alpha"}, knownvalue.Int64Exact(1), false, []string{"100"}},
		{"search matches phone", `search = "00003"`, []string{"charlie"}, knownvalue.Int64Exact(1), false, []string{"100"}},
		{"unread_only", `unread_only = true`, []string{"Alpha", "charlie", "delta"}, knownvalue.Int64Exact(3), false, []string{"100"}},
		{"sort by name, default desc", `sort_by = "name"`, []string{"delta", "charlie", "bravo", "Álvaro", "Alpha"}, knownvalue.Int64Exact(5), false, []string{"100"}},
		{"sort by name asc", "sort_by = \"name\"\nsort_order = \"asc\"", []string{"Alpha", "Álvaro", "bravo", "charlie", "delta"}, knownvalue.Int64Exact(5), false, []string{"100"}},
		{"sort by unread, ties keep API order", "sort_by = \"unread_count\"", []string{"delta", "Alpha", "charlie", "bravo", "Álvaro"}, knownvalue.Int64Exact(5), false, []string{"100"}},
		{"sort_order alone sorts by last message time", `sort_order = "asc"`, []string{"Alpha", "delta", "bravo", "Álvaro", "charlie"}, knownvalue.Int64Exact(5), false, []string{"100"}},
		{"page of a filtered, sorted list", "unread_only = true\nsort_by = \"name\"\nsort_order = \"asc\"\npage = 2\npage_size = 2", []string{"delta"}, knownvalue.Int64Exact(3), false, []string{"100"}},
		{"first page of a filtered list", "unread_only = true\npage = 1\npage_size = 2", []string{"Alpha", "charlie"}, knownvalue.Int64Exact(3), true, []string{"100"}},
		{"max_results after a sort", "sort_by = \"last_message_time\"\nmax_results = 2", []string{"charlie", "Álvaro"}, knownvalue.Int64Exact(5), true, []string{"100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeZAPI(t, zapiAccount...)
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: zapiProvider(srv.URL) + "data \"whatsapp_chats\" \"test\" {\n" + tc.args + "\n}",
					ConfigStateChecks: []statecheck.StateCheck{
						chats.names(tc.want...),
						chats.attr("total", tc.total),
						chats.attr("has_more", knownvalue.Bool(tc.hasMore)),
					},
				}},
			})
			// Terraform reads a data source at plan and again at refresh:
			// compare the first read's requests.
			got := pageSizes(srv.queries())
			if !reflect.DeepEqual(got[:min(len(got), len(tc.pageSizesSent))], tc.pageSizesSent) {
				t.Errorf("pageSize per request = %v, want the read to start with %v", got, tc.pageSizesSent)
			}
		})
	}
}

func pageSizes(qs []url.Values) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Get("pageSize")
	}
	return out
}

func TestChatsDataSource_EnviaAIArgumentsGoToTheServer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, args string
		want       url.Values
	}{
		{"defaults", ``, url.Values{"instanceId": {"inst_demo"}, "limit": {"100"}, "offset": {"0"}}},
		{"page and page_size", "page = 3\npage_size = 25", url.Values{"instanceId": {"inst_demo"}, "limit": {"25"}, "offset": {"50"}}},
		{"search", `search = "John"`, url.Values{"instanceId": {"inst_demo"}, "limit": {"100"}, "offset": {"0"}, "search": {"John"}}},
		{"unread_only", `unread_only = true`, url.Values{"instanceId": {"inst_demo"}, "limit": {"100"}, "offset": {"0"}, "unreadOnly": {"true"}}},
		{"unread_only false sends nothing", `unread_only = false`, url.Values{"instanceId": {"inst_demo"}, "limit": {"100"}, "offset": {"0"}}},
		{"sort_by name", `sort_by = "name"`, url.Values{"instanceId": {"inst_demo"}, "limit": {"100"}, "offset": {"0"}, "sortBy": {"contactName"}, "sortOrder": {"desc"}}},
		{"sort_by unread_count asc", "sort_by = \"unread_count\"\nsort_order = \"asc\"", url.Values{"instanceId": {"inst_demo"}, "limit": {"100"}, "offset": {"0"}, "sortBy": {"unreadCount"}, "sortOrder": {"asc"}}},
		{"sort_order alone", `sort_order = "asc"`, url.Values{"instanceId": {"inst_demo"}, "limit": {"100"}, "offset": {"0"}, "sortBy": {"lastMessageAt"}, "sortOrder": {"asc"}}},
		{"instance_id", `instance_id = "inst_other"`, url.Values{"instanceId": {"inst_other"}, "limit": {"100"}, "offset": {"0"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeEnviaAI(t, enviaChat("chat_1", "5511000000001", "John", 1))
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:            enviaAIProvider(srv.URL) + "data \"whatsapp_chats\" \"test\" {\n" + tc.args + "\n}",
					ConfigStateChecks: []statecheck.StateCheck{chats.attr("total", knownvalue.Int64Exact(1))},
				}},
			})
			assertQueries(t, srv, tc.want)
		})
	}
}

func TestChatsDataSource_EnviaAIReadsEveryPage(t *testing.T) {
	var account []string
	for i := range 7 {
		account = append(account, enviaChat(fmt.Sprintf("chat_%d", i), fmt.Sprintf("55110000000%02d", i), fmt.Sprintf("name %d", i), i))
	}
	srv := newFakeEnviaAI(t, account...)
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(srv.URL) + "data \"whatsapp_chats\" \"test\" {\npage_size = 3\n}",
			ConfigStateChecks: []statecheck.StateCheck{
				chats.names("name 0", "name 1", "name 2", "name 3", "name 4", "name 5", "name 6"),
				chats.attr("total", knownvalue.Int64Exact(7)),
				chats.attr("has_more", knownvalue.Bool(false)),
			},
		}},
	})
	var offsets []string
	for _, q := range srv.queries()[:3] {
		offsets = append(offsets, q.Get("offset"))
	}
	// Pages after the first are read concurrently, in any order.
	slices.Sort(offsets)
	if !reflect.DeepEqual(offsets, []string{"0", "3", "6"}) {
		t.Errorf("offsets of the first read = %v, want 0, 3 and 6", offsets)
	}
}

func TestChatsDataSource_EnviaAIMaxResults(t *testing.T) {
	srv := newFakeEnviaAI(t, enviaChat("c1", "1", "one", 0), enviaChat("c2", "2", "two", 0), enviaChat("c3", "3", "three", 0))
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(srv.URL) + "data \"whatsapp_chats\" \"test\" {\nmax_results = 2\n}",
			ConfigStateChecks: []statecheck.StateCheck{
				chats.names("one", "two"),
				chats.attr("total", knownvalue.Int64Exact(3)),
				chats.attr("has_more", knownvalue.Bool(true)),
			},
		}},
	})
}

func TestChatsDataSource_InvalidArguments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ args, err string }{
		{`page = 0`, `Attribute page value must be at least 1`},
		{`page_size = 0`, `Attribute page_size value must be between 1 and 100`},
		{`page_size = 101`, `Attribute page_size value must be between 1 and 100`},
		{`max_results = 0`, `Attribute max_results value must be at least 1`},
		{"max_results = 5\npage = 1", `Attribute "page" cannot be specified when "max_results" is specified`},
		{`search = ""`, `Attribute search string length must be at least 1`},
		{`sort_by = "date"`, `Attribute sort_by value must be one of`},
		{`sort_order = "up"`, `Attribute sort_order value must be one of`},
		{`instance_id = ""`, `Attribute instance_id string length must be at least 1`},
		{`timeouts = { read = "soon" }`, `Invalid Attribute Value Time Duration`},
		{`timeouts = { read = "0s" }`, `timeouts.read: 0s is shorter than the minimum of 1s`},
		{`timeouts = { read = "-5m" }`, `timeouts.read: -5m0s is shorter than the minimum of 1s`},
	} {
		t.Run(tc.args, func(t *testing.T) {
			srv := newFakeZAPI(t, zapiAccount...)
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      zapiProvider(srv.URL) + "data \"whatsapp_chats\" \"test\" {\n" + tc.args + "\n}",
					ExpectError: regexp.MustCompile(regexp.QuoteMeta(tc.err)),
				}},
			})
			if n := len(srv.queries()); n != 0 {
				t.Errorf("the provider sent %d requests for an invalid argument, want none", n)
			}
		})
	}
}

func TestChatsDataSource_InstanceIDOnZAPIIsAnError(t *testing.T) {
	t.Parallel()
	for _, ds := range []string{"whatsapp_chats", "whatsapp_chat_summary"} {
		t.Run(ds, func(t *testing.T) {
			srv := newFakeZAPI(t, zapiAccount...)
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      zapiProvider(srv.URL) + `data "` + ds + `" "test" { instance_id = "other" }`,
					ExpectError: regexp.MustCompile(`(?s)Invalid Argument for This Backend.*with data.` + ds + `.test.*instance_id: Z-API credentials reach one instance.*even one its listing\s+shows`),
				}},
			})
			if n := len(srv.queries()); n != 0 {
				t.Errorf("the provider sent %d requests, want none", n)
			}
		})
	}
}

func TestChatsDataSource_APIErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		enviaAI bool
		err     string
	}{
		{"Z-API disconnected", 400, `{"error":"You are not connected."}`, false, `(?s)Unable to List Chats.*HTTP 400 Bad Request.*You are not connected.*not\s+connected\s+yet,\s+or\s+no\s+longer.*Connect it in the API.s\s+panel`},
		{"Z-API missing Client-Token", 400, `{"error":"null not allowed"}`, false, `(?s)null not allowed.*client_token`},
		{"Z-API 405", 405, ``, false, `(?s)HTTP 405 Method Not Allowed.*refused the HTTP method`},
		{"Z-API 415", 415, ``, false, `(?s)HTTP 415 Unsupported Media Type.*Content-Type`},
		{"EnviaAI bad key", 401, `{"success":false,"error":{"code":"invalid_api_key","message":"Invalid API key"}}`, true, `(?s)HTTP 401 Unauthorized with error\s+"invalid_api_key".*ENVIAAI_API_KEY`},
		{"EnviaAI unknown instance", 404, `{"success":false,"error":{"code":"invalid_instance","message":"Instance not found"}}`, true, `(?s)invalid_instance.*Check\s+instance_id`},
		{"EnviaAI disconnected", 409, `{"success":false,"error":{"code":"instance_disconnected","message":"The WhatsApp instance is not connected"}}`, true, `(?s)instance_disconnected.*not\s+connected\s+yet,\s+or\s+no\s+longer`},
		{"not JSON", 200, `<html><body>Bad gateway</body></html>`, false, `(?s)not the expected JSON.*<html><body>Bad gateway`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			cfg := zapiProvider(srv.URL)
			if tc.enviaAI {
				cfg = enviaAIProvider(srv.URL)
			}
			parallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      cfg + `data "whatsapp_chats" "test" {}`,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
}

func TestChatsDataSource_UnknownInstanceIsBlamedOnInstanceID(t *testing.T) {
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"success":false,"error":{"code":"invalid_instance","message":"Instance not found"}}`)
	})
	parallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: enviaAIProvider(srv.URL) + `data "whatsapp_chats" "test" { instance_id = "inst_gone" }`,
			// On the argument: Terraform quotes its line.
			ExpectError: regexp.MustCompile(`(?s)instance_id = "inst_gone".*invalid_instance.*Check\s+instance_id:\s+the\s+account\s+has\s+no\s+instance\s+"inst_gone"`),
		}},
	})
}

func assertQueries(t *testing.T, srv *fakeAPI, want url.Values) {
	t.Helper()
	qs := srv.queries()
	if len(qs) == 0 {
		t.Fatal("the provider sent no request")
	}
	for i, q := range qs {
		if !reflect.DeepEqual(q, want) {
			t.Errorf("request %d query = %v, want %v", i, q, want)
		}
	}
}
