package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure = (*chatsDataSource)(nil)
)

func newChatsDataSource() datasource.DataSource { return &chatsDataSource{} }

type chatsDataSource struct{ configuredDataSource }

type chatsDataSourceModel struct {
	Page       types.Int64    `tfsdk:"page"`
	PageSize   types.Int64    `tfsdk:"page_size"`
	MaxResults types.Int64    `tfsdk:"max_results"`
	Search     types.String   `tfsdk:"search"`
	UnreadOnly types.Bool     `tfsdk:"unread_only"`
	SortBy     types.String   `tfsdk:"sort_by"`
	SortOrder  types.String   `tfsdk:"sort_order"`
	InstanceID types.String   `tfsdk:"instance_id"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
	Chats      types.List     `tfsdk:"chats"`
	Total      types.Int64    `tfsdk:"total"`
	HasMore    types.Bool     `tfsdk:"has_more"`
}

func (d *chatsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chats"
}

func (d *chatsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := chatListAttributes.schemaAttributes()
	maps.Copy(attrs, map[string]schema.Attribute{
		"page": schema.Int64Attribute{
			MarkdownDescription: "Return only this page (1-based) of `page_size` chats. When unset, every page is read. " +
				"On Z-API with a client-side filter or sort, every chat is read, then filtered, sorted and sliced, so pages stay consistent.",
			Optional:   true,
			Validators: []validator.Int64{int64validator.AtLeast(1)},
		},
		"page_size": schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("The page length, 1 to %d. Defaults to %d.", client.MaxPageSize, client.DefaultPageSize),
			Optional:            true,
			Validators:          []validator.Int64{int64validator.Between(1, client.MaxPageSize)},
		},
		"max_results": schema.Int64Attribute{
			MarkdownDescription: "When `page` is unset, stop after this many chats; `has_more` then tells whether more exist. Conflicts with `page`.",
			Optional:            true,
			Validators: []validator.Int64{
				int64validator.AtLeast(1),
				int64validator.ConflictsWith(path.MatchRoot("page")),
			},
		},
		"sort_by": schema.StringAttribute{
			MarkdownDescription: "Order chats by " + quotedList(client.SortFields) + ". EnviaAI sorts on its server; on Z-API the provider sorts " +
				"stably (ties keep the API's order), `name` alphabetically ignoring case, and chats without the field last. " +
				"When neither `sort_by` nor `sort_order` is set, chats come in the API's order.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(stringsOf(client.SortFields)...)},
		},
		"sort_order": schema.StringAttribute{
			MarkdownDescription: "`asc` or `desc`. Defaults to `desc` when `sort_by` is set; set alone, it sorts by `last_message_time`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(stringsOf(client.SortOrders)...)},
		},
	})
	maps.Copy(attrs, filterArguments(ctx))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the chats of the configured WhatsApp instance. Every argument means the same on both backends: " +
			"what the API can do (EnviaAI: search, unread filter, sort, offset paging) is sent to it, and the provider does the rest itself over every page (Z-API). " +
			"With `page` unset, every page is read.",
		Attributes: attrs,
	}
}

// filterArguments are the arguments whatsapp_chats and
// whatsapp_chat_summary share: which chats to read, and for how long.
func filterArguments(ctx context.Context) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"search": schema.StringAttribute{
			MarkdownDescription: "Keep chats whose name or phone contains this text, ignoring case.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"unread_only": schema.BoolAttribute{
			MarkdownDescription: "Keep only chats with unread messages.",
			Optional:            true,
		},
		"instance_id": schema.StringAttribute{
			MarkdownDescription: "EnviaAI only: read another instance of the same account instead of the provider's `instance_id`. An error on Z-API.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"timeouts": timeoutsAttribute(ctx),
	}
}

// chatListAttributes are whatsapp_chats' results; its arguments are copied
// from the configuration.
var chatListAttributes = newAttributeTable(
	listAttribute("chats", "The chats, in the order asked for.",
		chatAttributes, func(l *client.ChatList) []client.Chat { return l.Chats }),
	int64Attribute("total", "How many chats match the arguments: EnviaAI's own count when neither `search` nor `unread_only` is set, or else the number the provider counted once it had seen them all "+
		"(EnviaAI does not say whether its count under `search` or `unread_only` counts the chats that match or all of them; Z-API sends no count). "+
		"Null when it has not: the read stopped at `max_results`, or `page` asked for a page other than the first, or for a first page with more chats after it.",
		func(l *client.ChatList) *int64 { return l.Total }),
	boolAttribute("has_more", "Whether more chats exist beyond those returned.",
		func(l *client.ChatList) *bool { return &l.HasMore }),
)

// stateTooLargeError is a listing whose state would not fit maxStateBytes.
type stateTooLargeError struct{ chats, limit int }

func (e *stateTooLargeError) Error() string {
	size := fmt.Sprintf("%d bytes", e.limit)
	if e.limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", e.limit>>20)
	}
	return fmt.Sprintf("the %d chats read make a state larger than %s", e.chats, size)
}

// chatStateSize tells how many bytes a chat takes in the state. It reuses
// one buffer, so each read needs its own.
func chatStateSize() func(*client.Chat) int {
	e := newStateEncoder(1024)
	return func(c *client.Chat) int {
		e.buf.Reset()
		chatAttributes.writeObject(e, c)
		return e.buf.Len()
	}
}

// encodeChatsState is the state of whatsapp_chats after a listing.
func encodeChatsState(config tftypes.Value, list *client.ChatList) ([]byte, error) {
	return encodeChatsStateWithin(config, list, maxStateBytes)
}

// encodeChatsStateWithin refuses a state over limit bytes, stopping at the
// first chat that takes it over.
func encodeChatsStateWithin(config tftypes.Value, list *client.ChatList, limit int) ([]byte, error) {
	state, err := encodeStateWithin(config, limit, min(512*len(list.Chats)+256, limit), chatListAttributes, list)
	if errors.Is(err, errOverLimit) || (err == nil && len(state) > limit) {
		return state, &stateTooLargeError{chats: len(list.Chats), limit: limit}
	}
	return state, err
}

// Read hands the encoded state to the provider's server (server.go), which
// answers with it; a server built straight from the framework's has no
// slot for it, and the state is decoded and set. A test checks that both
// give the same state.
func (d *chatsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	state, diags := readChats(ctx, d.data, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || storeEncodedResult(ctx, state) {
		return
	}
	setState(resp, req.Config.Raw, state)
}

// readChats lists the chats a whatsapp_chats configuration asks for and
// returns the data source's state (or the ephemeral resource's result),
// encoded.
func readChats(ctx context.Context, data *providerData, config tfsdk.Config) ([]byte, diag.Diagnostics) {
	var m chatsDataSourceModel
	diags := config.Get(ctx, &m)
	if diags.HasError() {
		return nil, diags
	}
	ctx, cancel, readDiags := readContext(ctx, data, m.Timeouts, readNarrowing["whatsapp_chats"])
	diags.Append(readDiags...)
	if diags.HasError() {
		return nil, diags
	}
	defer cancel()

	opts := m.listOptions()
	// Stop reading once the chats could not fit the state, rather than
	// after the whole list.
	opts.MaxBytes, opts.SizeOf = int64(data.stateLimit()), chatStateSize()
	list, err := data.client.ListChats(ctx, opts)
	var readTooLarge *client.TooLargeError
	switch {
	case errors.As(err, &readTooLarge):
		addResultTooLarge(&diags, readTooLarge.Error())
		return nil, diags
	case err != nil:
		addClientError(&diags, "Unable to List Chats", err, m.InstanceID)
		return nil, diags
	}
	state, err := encodeChatsStateWithin(config.Raw, list, data.stateLimit())
	var tooLarge *stateTooLargeError
	switch {
	case errors.As(err, &tooLarge):
		addResultTooLarge(&diags, tooLarge.Error())
		return nil, diags
	case err != nil:
		diags.AddError("Unable to Set State", err.Error()+". Please report this issue to the provider developers.")
	}
	return state, diags
}

// addResultTooLarge reports a read whose state would not fit Terraform's
// message limit, and how to narrow it.
func addResultTooLarge(diags *diag.Diagnostics, cause string) {
	diags.AddError("Result Too Large", "The result is too large: "+cause+". Terraform accepts no answer from a provider over 256 MiB. Read fewer chats at once: "+
		"set max_results, read one page at a time with page and page_size, narrow the list with search or unread_only, "+
		"or count the chats with the whatsapp_chat_summary data source instead of listing them.")
}

func (m *chatsDataSourceModel) listOptions() client.ListOptions {
	return client.ListOptions{
		Page:       int(m.Page.ValueInt64()),
		PageSize:   int(m.PageSize.ValueInt64()),
		MaxResults: int(m.MaxResults.ValueInt64()),
		Search:     m.Search.ValueString(),
		UnreadOnly: m.UnreadOnly.ValueBool(),
		SortBy:     client.SortField(m.SortBy.ValueString()),
		SortOrder:  client.SortOrder(m.SortOrder.ValueString()),
		InstanceID: m.InstanceID.ValueString(),
	}
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func quotedList[T ~string](values []T) string {
	quoted := stringsOf(values)
	for i, v := range quoted {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}
