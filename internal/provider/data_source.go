package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// defaultReadTimeout bounds a data source read when timeouts.read is unset.
const defaultReadTimeout = 20 * time.Minute

// timeoutsAttribute is the timeouts argument of every data source: the
// framework's, with descriptions and a read timeout of at least a second.
// The type assertions hold for the pinned framework-timeouts release; the
// schema tests build this attribute, so a change there fails them.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	attr := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		ReadDescription: fmt.Sprintf("How long a read may take in all, paging and retries included, as a duration such as `5m` or `90s`. Defaults to `%s`.",
			strings.TrimSuffix(defaultReadTimeout.String(), "0s")), // 20m0s reads as 20m
	}).(schema.SingleNestedAttribute)
	attr.MarkdownDescription = "Time limits for this data source."
	read := attr.Attributes["read"].(schema.StringAttribute)
	read.Validators = append(read.Validators, durationValidator{min: time.Second, onlyMin: true})
	attr.Attributes["read"] = read
	return attr
}

// configuredDataSource is what every data source embeds: the provider's
// client and settings, which its Configure takes from the provider's.
type configuredDataSource struct{ data *providerData }

func (d *configuredDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// getArguments reads the named arguments of a data source into their
// targets; its results are an attribute table, written by setResults.
func getArguments(ctx context.Context, config tfsdk.Config, targets map[string]any) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, name := range slices.Sorted(maps.Keys(targets)) {
		diags.Append(config.GetAttribute(ctx, path.Root(name), targets[name])...)
	}
	return diags
}

// setState sets a data source's state from its encoded form
// (encodeStateWithin).
func setState(resp *datasource.ReadResponse, config tftypes.Value, state []byte) {
	var err error
	resp.State.Raw, err = decodeState(config.Type(), state)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Set State", err.Error()+". Please report this issue to the provider developers.")
	}
}

// readContext bounds a read by timeouts.read and masks the credentials in
// every log line written under it. narrow is the advice, after "Raise
// timeouts.read", on how the data source can read less (readNarrowing).
func readContext(ctx context.Context, data *providerData, t timeouts.Value, narrow string) (context.Context, context.CancelFunc, diag.Diagnostics) {
	if data == nil {
		var diags diag.Diagnostics
		diags.AddError("Provider Not Configured",
			"The data source was read before the provider was configured. Please report this issue to the provider developers.")
		return ctx, func() {}, diags
	}
	limit, diags := t.Read(ctx, defaultReadTimeout)
	ctx, cancel := context.WithTimeoutCause(data.withMasks(ctx), limit, &readTimeoutError{limit, narrow})
	return ctx, cancel, diags
}

// startRead reads a data source's arguments into their targets, as
// getArguments does, and its timeouts argument into t, then bounds the read
// by t (readContext, with the narrowing advice narrow). ok is false, with
// the errors in diags and nothing left to cancel, when either step fails.
func startRead(ctx context.Context, data *providerData, config tfsdk.Config, args map[string]any, t *timeouts.Value, narrow string, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	diags.Append(getArguments(ctx, config, args)...)
	diags.Append(config.GetAttribute(ctx, path.Root("timeouts"), t)...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	readCtx, cancel, readDiags := readContext(ctx, data, *t, narrow)
	diags.Append(readDiags...)
	if diags.HasError() {
		cancel()
		return ctx, func() {}, false
	}
	return readCtx, cancel, true
}

// readNarrowing says, per data source, how it can read less when it runs
// out of timeouts.read, naming only its own arguments; a data source
// without such arguments has none.
var readNarrowing = map[string]string{
	"whatsapp_chats":        ", or read fewer chats with page or max_results",
	"whatsapp_chat_summary": "; a summary reads every chat that search and unread_only select",
}

// readTimeoutError is the cause of a read that ran out of timeouts.read.
type readTimeoutError struct {
	limit  time.Duration
	narrow string
}

func (e *readTimeoutError) Error() string {
	return fmt.Sprintf("the read did not finish within its timeout of %s (timeouts.read)", e.limit)
}
