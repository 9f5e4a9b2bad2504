package provider

import (
	"context"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*chatSummaryDataSource)(nil)

func newChatSummaryDataSource() datasource.DataSource { return &chatSummaryDataSource{} }

type chatSummaryDataSource struct{ configuredDataSource }

// chatSummaryDataSourceArgs are the arguments; the counts are
// chatSummaryAttributes.
type chatSummaryDataSourceArgs struct {
	Search     types.String   `tfsdk:"search"`
	UnreadOnly types.Bool     `tfsdk:"unread_only"`
	InstanceID types.String   `tfsdk:"instance_id"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (d *chatSummaryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chat_summary"
}

func (d *chatSummaryDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := chatSummaryAttributes.schemaAttributes()
	maps.Copy(attrs, filterArguments(ctx))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Counts the chats of the configured WhatsApp instance that match `search` and `unread_only`: how many, how many are groups, " +
			"unread, archived, pinned, muted or marked as spam, the unread messages they hold, and their oldest unread and latest message times. " +
			"It reads every page as `whatsapp_chats` does (same arguments, paging, retries and rate limits) but adds the chats up page by page and keeps none, " +
			"so neither the provider's memory nor Terraform's state grows with the number of chats. Use it for rules that need counts; use `whatsapp_chats` for rules that must name chats.",
		Attributes: attrs,
	}
}

const notCounted = " A chat that does not report the field is not counted."

// chatSummaryAttributes are whatsapp_chat_summary's results.
var chatSummaryAttributes = newAttributeTable(
	int64Attribute("chats", "How many chats match.",
		func(s *client.ChatSummary) *int64 { return &s.Chats }),
	int64Attribute("groups", "How many of them are groups."+notCounted,
		func(s *client.ChatSummary) *int64 { return &s.Groups }),
	int64Attribute("unread_chats", "How many of them have unread messages."+notCounted,
		func(s *client.ChatSummary) *int64 { return &s.UnreadChats }),
	int64Attribute("unread_messages", "The unread messages of the matching chats: the sum of their `unread_count`. A chat that does not report its count adds nothing.",
		func(s *client.ChatSummary) *int64 { return &s.UnreadMessages }),
	int64Attribute("archived", "How many are archived."+notCounted+zapiOnly,
		func(s *client.ChatSummary) *int64 { return s.Archived }),
	int64Attribute("pinned", "How many are pinned."+notCounted+zapiOnly,
		func(s *client.ChatSummary) *int64 { return s.Pinned }),
	int64Attribute("muted", "How many are muted."+notCounted+zapiOnly,
		func(s *client.ChatSummary) *int64 { return s.Muted }),
	int64Attribute("marked_spam", "How many are marked as spam."+notCounted+zapiOnly,
		func(s *client.ChatSummary) *int64 { return s.MarkedSpam }),
	timeAttribute("oldest_unread_message_time", "The earliest `last_message_time` among the chats with unread messages: since when the longest-waiting chat has waited."+
		rfc3339+" Null when no chat with unread messages reports a last message time.",
		func(s *client.ChatSummary) *time.Time { return s.OldestUnreadMessageTime }),
	timeAttribute("last_message_time", "The latest `last_message_time` of the matching chats."+rfc3339+" Null when none reports one.",
		func(s *client.ChatSummary) *time.Time { return s.LastMessageTime }),
)

func (d *chatSummaryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args chatSummaryDataSourceArgs
	ctx, cancel, ok := startRead(ctx, d.data, req.Config, map[string]any{
		"search": &args.Search, "unread_only": &args.UnreadOnly, "instance_id": &args.InstanceID,
	}, &args.Timeouts, readNarrowing["whatsapp_chat_summary"], &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	summary, err := d.data.client.SummarizeChats(ctx, client.SummaryOptions{
		Search: args.Search.ValueString(), UnreadOnly: args.UnreadOnly.ValueBool(), InstanceID: args.InstanceID.ValueString(),
	})
	if err != nil {
		addClientError(&resp.Diagnostics, "Unable to Summarize Chats", err, args.InstanceID)
		return
	}
	resp.Diagnostics.Append(setResults(ctx, &resp.State, chatSummaryAttributes, summary)...)
}
