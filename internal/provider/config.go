package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// backendSetup is one backend's configuration, before credentials are
// resolved from the config and the environment.
type backendSetup interface {
	connect(ctx context.Context, opts client.HTTPOptions, env environment) (*providerData, diag.Diagnostics)
}

// environment looks up an environment variable, "" when it is unset. The
// provider's is os.Getenv; tests give theirs a map (whatsappProvider.getenv).
type environment func(name string) string

// anySet reports whether any of the variables is set and not empty.
func (env environment) anySet(names ...string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return env(n) != "" })
}

// Environment variables each backend falls back to.
const (
	envZAPIInstanceID    = "ZAPI_INSTANCE_ID"
	envZAPIToken         = "ZAPI_TOKEN"
	envZAPIClientToken   = "ZAPI_CLIENT_TOKEN"
	envZAPIBaseURL       = "ZAPI_BASE_URL"
	envZAPIPartnerToken  = "ZAPI_PARTNER_TOKEN"
	envEnviaAIAPIKey     = "ENVIAAI_API_KEY"
	envEnviaAIInstanceID = "ENVIAAI_INSTANCE_ID"
	envEnviaAIBaseURL    = "ENVIAAI_BASE_URL"
)

// chooseBackend picks the block that is set or, with neither, the backend
// whose credentials are in env.
func chooseBackend(ctx context.Context, cfg providerModel, env environment) (backendSetup, diag.Diagnostics) {
	var diags diag.Diagnostics
	for _, block := range []struct {
		name  string
		value types.Object
	}{{"zapi", cfg.ZAPI}, {"enviaai", cfg.EnviaAI}} {
		if block.value.IsUnknown() {
			diags.AddAttributeError(path.Root(block.name), "Unknown Provider Argument",
				fmt.Sprintf("The provider cannot be configured while %s is unknown. Set it to values known at plan time.", block.name))
		}
	}
	if diags.HasError() {
		return nil, diags
	}
	zapiSet, enviaSet := !cfg.ZAPI.IsNull(), !cfg.EnviaAI.IsNull()
	if !zapiSet && !enviaSet {
		zapiSet = env.anySet(envZAPIInstanceID, envZAPIToken, envZAPIPartnerToken)
		enviaSet = env.anySet(envEnviaAIAPIKey, envEnviaAIInstanceID)
		switch {
		case zapiSet && enviaSet:
			diags.AddAttributeError(path.Root("zapi"), "Ambiguous WhatsApp Backend",
				"Both Z-API ("+envZAPIInstanceID+", "+envZAPIToken+") and EnviaAI ("+envEnviaAIAPIKey+", "+envEnviaAIInstanceID+") environment variables are set, so the provider cannot tell which API to read. "+
					"Add a zapi or an enviaai block to the provider configuration, or unset one set of variables.")
			return nil, diags
		case !zapiSet && !enviaSet:
			diags.AddAttributeError(path.Root("zapi"), "Missing WhatsApp Backend",
				"The provider needs one backend. Add a zapi block (instance_id, token) or an enviaai block (api_key, instance_id) to the provider configuration, "+
					"or set "+envZAPIInstanceID+" and "+envZAPIToken+", or "+envEnviaAIAPIKey+" and "+envEnviaAIInstanceID+", in the environment.")
			return nil, diags
		}
	}
	if zapiSet {
		var m zapiModel
		diags.Append(objectAs(ctx, cfg.ZAPI, &m)...)
		return zapiSetup(m), diags
	}
	var m enviaAIModel
	diags.Append(objectAs(ctx, cfg.EnviaAI, &m)...)
	return enviaAISetup(m), diags
}

// objectAs reads a nested block into its model; a null block (backend
// chosen from the environment) leaves every attribute null.
func objectAs(ctx context.Context, obj types.Object, target any) diag.Diagnostics {
	if obj.IsNull() {
		return nil
	}
	return obj.As(ctx, target, basetypes.ObjectAsOptions{})
}

// setting is one credential or endpoint: its attribute, its environment
// variable, and how to name it to a person.
type setting struct {
	path     path.Path
	value    types.String
	env      string
	label    string
	required bool
}

// resolve returns the configured value, else env's. It reports unknown and
// missing values on the attribute.
func (s setting) resolve(env environment, diags *diag.Diagnostics) string {
	if s.value.IsUnknown() {
		diags.AddAttributeError(s.path, "Unknown "+s.label,
			fmt.Sprintf("The provider cannot be configured while the %s is unknown. Set it to a value known at plan time, or leave it unset and use the %s environment variable.", s.label, s.env))
		return ""
	}
	if v := s.value.ValueString(); v != "" {
		return v
	}
	v := env(s.env)
	if v == "" && s.required {
		diags.AddAttributeError(s.path, "Missing "+s.label,
			fmt.Sprintf("The provider needs the %s. Set %s in the provider configuration or the %s environment variable.", s.label, s.path, s.env))
	}
	return v
}

// resolveCredential also checks a credential that came from the
// environment, which the schema's credentialValidator never saw; the error
// names the variable and never repeats the value.
func (s setting) resolveCredential(env environment, diags *diag.Diagnostics, v credentialValidator) string {
	val := s.resolve(env, diags)
	if val == "" || s.value.ValueString() != "" {
		return val
	}
	if err := v.check(val); err != nil {
		diags.AddAttributeError(s.path, "Invalid "+s.label,
			fmt.Sprintf("The %s environment variable %s, so it cannot be a real %s: it may hold only %s. Copy it again from the API's panel, or set %s in the provider configuration.",
				s.env, err, s.label, v.rule, s.path))
	}
	return val
}

// present reports whether the setting has a value, configured or from env
// (an unknown value counts as one).
func (s setting) present(env environment) bool {
	return s.value.IsUnknown() || s.value.ValueString() != "" || env(s.env) != ""
}

// resolveBaseURL also checks a URL that came from the environment, which
// the schema validator never saw.
func (s setting) resolveBaseURL(env environment, diags *diag.Diagnostics) string {
	v := s.resolve(env, diags)
	if v == "" {
		return ""
	}
	if err := client.CheckBaseURL(v); err != nil {
		diags.AddAttributeError(s.path, "Invalid "+s.label,
			fmt.Sprintf("The %s (from %s or the %s environment variable) %s.", s.label, s.path, s.env, err))
	}
	return v
}

type zapiSetup zapiModel

func (z zapiSetup) connect(_ context.Context, opts client.HTTPOptions, env environment) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	at := path.Root("zapi")
	partner := setting{at.AtName("partner_token"), z.PartnerToken, envZAPIPartnerToken, "Z-API Partner Token", false}.resolveCredential(env, &diags, headerCredential)
	instance := setting{at.AtName("instance_id"), z.InstanceID, envZAPIInstanceID, "Z-API Instance ID", true}
	token := setting{at.AtName("token"), z.Token, envZAPIToken, "Z-API Token", true}
	// With only a partner token, the provider can list instances and
	// nothing else; the data sources that need an instance say so.
	if partner != "" && !instance.present(env) && !token.present(env) {
		instance.required, token.required = false, false
	}
	cfg := client.ZAPIConfig{
		InstanceID:   instance.resolveCredential(env, &diags, pathCredential),
		Token:        token.resolveCredential(env, &diags, pathCredential),
		ClientToken:  setting{at.AtName("client_token"), z.ClientToken, envZAPIClientToken, "Z-API Client Token", false}.resolveCredential(env, &diags, headerCredential),
		PartnerToken: partner,
		BaseURL:      setting{at.AtName("base_url"), z.BaseURL, envZAPIBaseURL, "Z-API Base URL", false}.resolveBaseURL(env, &diags),
	}
	if diags.HasError() {
		return nil, diags
	}
	c, err := client.NewZAPI(cfg, opts)
	return newProviderData(c, err, at, &diags, cfg.Token, cfg.ClientToken, cfg.PartnerToken), diags
}

type enviaAISetup enviaAIModel

func (e enviaAISetup) connect(_ context.Context, opts client.HTTPOptions, env environment) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	at := path.Root("enviaai")
	cfg := client.EnviaAIConfig{
		APIKey: setting{at.AtName("api_key"), e.APIKey, envEnviaAIAPIKey, "EnviaAI API Key", true}.resolveCredential(env, &diags, headerCredential),
		// Optional: listing instances needs none, and a data source or
		// resource may name its own (the client says when one is missing).
		InstanceID: setting{at.AtName("instance_id"), e.InstanceID, envEnviaAIInstanceID, "EnviaAI Instance ID", false}.resolve(env, &diags),
		BaseURL:    setting{at.AtName("base_url"), e.BaseURL, envEnviaAIBaseURL, "EnviaAI Base URL", false}.resolveBaseURL(env, &diags),
	}
	if diags.HasError() {
		return nil, diags
	}
	c, err := client.NewEnviaAI(cfg, opts)
	return newProviderData(c, err, at, &diags, cfg.APIKey), diags
}

func newProviderData(c *client.Client, err error, at path.Path, diags *diag.Diagnostics, secrets ...string) *providerData {
	if err != nil {
		diags.AddAttributeError(at, "Unable to Configure WhatsApp Client", err.Error()+".")
		return nil
	}
	var kept []string
	for _, s := range secrets {
		if s != "" {
			kept = append(kept, s)
		}
	}
	return &providerData{client: c, secrets: kept}
}
