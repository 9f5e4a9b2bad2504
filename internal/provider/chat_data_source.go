package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*chatDataSource)(nil)

func newChatDataSource() datasource.DataSource { return &chatDataSource{} }

type chatDataSource struct{ configuredDataSource }

// chatDataSourceArgs are the arguments; the chat's own attributes are
// chatResults.
type chatDataSourceArgs struct {
	Phone      types.String   `tfsdk:"phone"`
	InstanceID types.String   `tfsdk:"instance_id"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (d *chatDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chat"
}

func (d *chatDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := chatResults.schemaAttributes()
	attrs["phone"] = schema.StringAttribute{
		MarkdownDescription: "The chat's phone number in international format (`5511999999999`), or a group's id. " +
			"A leading `+`, spaces, dashes and parentheses are ignored. A phone with no chat is an error. " +
			"As an argument it keeps the value written here; the chat's `id` identifies it as the API does.",
		Required: true,
		Validators: []validator.String{
			stringvalidator.RegexMatches(regexp.MustCompile(`[0-9]`), "must hold a phone number in international format, or a group id"),
		},
	}
	attrs["instance_id"] = schema.StringAttribute{
		MarkdownDescription: "EnviaAI only: look in another instance of the same account instead of the provider's `instance_id`. An error on Z-API.",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["timeouts"] = timeoutsAttribute(ctx)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one chat of the configured WhatsApp instance by phone number, through the same listing endpoint as `whatsapp_chats` " +
			"(EnviaAI narrows it with its search and reads every matching page, so a phone two chats share is an error; " +
			"on Z-API, where a chat's id is its phone, the read stops at the page that holds the chat).",
		Attributes: attrs,
	}
}

// chatResults are whatsapp_chat's results: the attributes of the chat that
// whatsapp_chats lists, but phone, the argument, which keeps the value
// written (Terraform requires configured values to be kept); chat_phone
// holds the chat's own phone instead.
var chatResults = newAttributeTable(append(chatAttributes.without("phone"),
	stringAttribute("chat_phone", "The chat's phone number as the API sent it, in international format (`5511999999999`), or the group's id: "+
		"`phone` keeps the value written in the configuration. Null when the API sends no phone.",
		func(c *client.Chat) *string { return c.Phone }))...)

func (d *chatDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	chat, diags := findChat(ctx, d.data, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setResults(ctx, &resp.State, chatResults, chat)...)
}

// findChat finds the chat a whatsapp_chat configuration names; the
// ephemeral resource of the same name reads it the same way (openChat).
func findChat(ctx context.Context, data *providerData, config tfsdk.Config) (*client.Chat, diag.Diagnostics) {
	var args chatDataSourceArgs
	var diags diag.Diagnostics
	ctx, cancel, ok := startRead(ctx, data, config, map[string]any{"phone": &args.Phone, "instance_id": &args.InstanceID}, &args.Timeouts, "", &diags)
	if !ok {
		return nil, diags
	}
	defer cancel()

	chat, err := data.client.FindChat(ctx, args.Phone.ValueString(), args.InstanceID.ValueString())
	if err != nil {
		addClientError(&diags, "Unable to Read Chat", err, args.InstanceID)
		return nil, diags
	}
	return chat, diags
}
