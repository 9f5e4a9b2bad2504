package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// baseURLValidator accepts https URLs and http to loopback hosts.
type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "value must be an https:// URL, or http:// to a loopback host"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.CheckBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Base URL", fmt.Sprintf("%s: the base URL %s.", req.Path, err))
	}
}

// durationValidator accepts Go durations of at least min. With onlyMin it
// leaves values that do not parse to another validator.
type durationValidator struct {
	min     time.Duration
	onlyMin bool
}

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a duration such as 30s or 2m, at least %s", v.min)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	switch {
	case err != nil && v.onlyMin:
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%s: %q is not a duration. Write it as a number and a unit, such as 30s, 90s or 2m.", req.Path, req.ConfigValue.ValueString()))
	case d < v.min:
		resp.Diagnostics.AddAttributeError(req.Path, "Duration Too Short",
			fmt.Sprintf("%s: %s is shorter than the minimum of %s.", req.Path, d, v.min))
	}
}

// oneBackendValidator refuses a backend block set alongside the other one.
// It sits on one of the two blocks only, so the mistake gets one error.
// objectvalidator.ConflictsWith would report the same conflict, but only as
// "cannot be specified when" and without the way out (a second, aliased
// provider block), which is what a user needs here.
type oneBackendValidator struct{ other string }

func (v oneBackendValidator) Description(context.Context) string {
	return fmt.Sprintf("conflicts with %s: a provider block reads one backend", v.other)
}

func (v oneBackendValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v oneBackendValidator) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() {
		return
	}
	var other types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.other), &other)...)
	if other.IsNull() {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Two Backends in One Provider Block",
		fmt.Sprintf("Both %s and %s are set, but a provider block reads one backend. Keep one here; for the other, declare a second "+
			"provider block with an alias (provider \"whatsapp\" { alias = \"other\" ... }) and select it in its data sources "+
			"with provider = whatsapp.other.", v.other, req.Path))
}

// credentialValidator refuses a credential holding characters no real one
// has. Its error names the attribute and never repeats the value.
type credentialValidator struct {
	check func(string) error
	rule  string
}

// The credentials that go into the Z-API URL path, and those sent in a header.
var (
	pathCredential   = credentialValidator{client.CheckPathCredential, "letters, digits, '-', '.', '_' and '~', not dots alone"}
	headerCredential = credentialValidator{client.CheckHeaderCredential, "visible ASCII characters, with no spaces"}
)

func (v credentialValidator) Description(context.Context) string {
	return "value must hold only " + v.rule
}

func (v credentialValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v credentialValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return // empty is refused by its length validator
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Credential",
			fmt.Sprintf("%s %s, so it cannot be a real one: it may hold only %s. Copy it again from the API's panel.", req.Path, err, v.rule))
	}
}
