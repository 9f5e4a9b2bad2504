package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestChatsDataSource_ZAPISeedExample(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") != "1" {
			fmt.Fprint(w, `[]`)
			return
		}
		fmt.Fprint(w, `[{"archived":"false","pinned":"true","messagesUnread":0,"phone":"5511999999999","unread":"0","name":"Z-API SUPPORT","lastMessageTime":"1622991687","isMuted":"0","isMarkedSpam":"false","isGroupAnnouncement":false,"isGroup":false}]`)
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "whatsapp" {
  zapi = {
    instance_id = "inst"
    token       = "secret-token"
    base_url    = %q
  }
}
data "whatsapp_chats" "all" {}
`, srv.URL),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.whatsapp_chats.all", tfjsonpath.New("total"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue("data.whatsapp_chats.all", tfjsonpath.New("chats").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("Z-API SUPPORT")),
				statecheck.ExpectKnownValue("data.whatsapp_chats.all", tfjsonpath.New("chats").AtSliceIndex(0).AtMapKey("last_message_time"), knownvalue.StringExact("2021-06-06T15:01:27Z")),
				statecheck.ExpectKnownValue("data.whatsapp_chats.all", tfjsonpath.New("chats").AtSliceIndex(0).AtMapKey("profile_pic_url"), knownvalue.Null()),
			},
		}},
	})
}
