package provider

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// addClientError reports a client error with its cause and what to do
// about it, on the argument to blame when there is one. instanceID is the
// data source's own instance_id argument (null when unset). The client's
// errors are fragments; the sentences are written here.
func addClientError(diags *diag.Diagnostics, summary string, err error, instanceID types.String) {
	if !instanceID.IsNull() && instanceUnknown(err) {
		diags.AddAttributeError(path.Root("instance_id"), summary,
			err.Error()+".\n\nCheck instance_id: the account has no instance "+strconv.Quote(instanceID.ValueString())+".")
		return
	}
	var optErr *client.OptionError
	if errors.As(err, &optErr) {
		detail := fmt.Sprintf("%s: %s.", optErr.Option, optErr.Reason)
		if optErr.Kind == client.KindOneInstance {
			detail += " A Z-API provider block reads and writes one instance, its own: leave instance_id unset, " +
				"and configure another instance in a second provider block with an alias."
		}
		diags.AddAttributeError(path.Root(optErr.Option), "Invalid Argument for This Backend", detail)
		return
	}
	var credErr *client.CredentialsError
	if errors.As(err, &credErr) {
		missing := credentialSettings[credErr.Missing]
		diags.AddError(summary, fmt.Sprintf("Reading %s from %s needs %s, which the provider configuration does not set.\n\n%s",
			credErr.Read, credErr.Backend, credErr.Missing, missing))
		return
	}
	if kind := client.KindOf(err); kind == client.KindNoChat || kind == client.KindAmbiguousPhone {
		diags.AddAttributeError(path.Root("phone"), summary, err.Error()+".\n\n"+hint(err))
		return
	}
	var timeout *readTimeoutError
	if errors.As(err, &timeout) {
		// Terraform 1.11 shows an error inside an object argument at the
		// enclosing block's line; the detail names timeouts.read too.
		diags.AddAttributeError(path.Root("timeouts").AtName("read"), summary,
			fmt.Sprintf("The read did not finish within its timeout of %s (timeouts.read). Raise timeouts.read%s.", timeout.limit, timeout.narrow))
		return
	}
	detail := err.Error() + "."
	if h := hint(err); h != "" {
		detail += "\n\n" + h
	}
	diags.AddError(summary, detail)
}

// instanceUnknown tells an answer that the instance named does not exist.
// Z-API answers "Instance not found" to a wrong token as well, so only
// EnviaAI's answer is taken at its word.
func instanceUnknown(err error) bool {
	var apiErr *client.APIError
	return client.KindOf(err) == client.KindUnknownInstance && errors.As(err, &apiErr) && apiErr.Backend == client.BackendEnviaAI
}

// credentialSettings says where each credential is set.
var credentialSettings = map[client.Credential]string{
	client.CredentialPartnerToken: "Set partner_token in the provider's zapi block, or the ZAPI_PARTNER_TOKEN environment variable, to the partner account's token: whatsapp_instances reads the partner listing with it.",
	client.CredentialInstance: "Set instance_id and token in the provider's zapi block, or ZAPI_INSTANCE_ID and ZAPI_TOKEN in the environment. " +
		"A zapi block with only partner_token lists instances (whatsapp_instances) and reads none of them.",
	client.CredentialInstanceID: "Set instance_id on the data source or resource, or in the provider's enviaai block (or ENVIAAI_INSTANCE_ID). " +
		"An enviaai block with only api_key lists instances (whatsapp_instances) and reads an instance only where one is named.",
}

// hint says what a user can do about err, in full sentences, or "".
func hint(err error) string {
	var apiErr *client.APIError
	errors.As(err, &apiErr)
	return advice(client.KindOf(err), apiErr)
}

// advice says what a user can do about a failure of this kind; apiErr is
// the API's refusal, when the API refused.
func advice(kind client.Kind, apiErr *client.APIError) string {
	switch kind {
	case client.KindTimeout:
		return "Check that base_url points at the API and that it is up, or raise request_timeout."
	case client.KindUnreachable:
		return "Check base_url and the network path to the API (proxy, firewall, DNS), then run again."
	case client.KindPaging:
		return "The API did not page as documented, so the list cannot be trusted to be complete. Run again; if it persists, read one page at a time (the page argument of whatsapp_chats)."
	case client.KindAmbiguousPhone:
		return "Read them with the whatsapp_chats data source and its search argument, and pick one by id."
	case client.KindNoChat:
		return "Check the phone number (international format, digits only), or list chats with the whatsapp_chats data source and its search argument."
	case client.KindTooLarge:
		return fmt.Sprintf("An answer this large holds far more than was asked for: check that base_url points at the API itself. "+
			"A page's answer may take %d MiB plus %d KiB for each chat asked for (page_size).", client.PageBodyBase>>20, client.PageBodyPerChat>>10)
	case client.KindUnexpectedBody:
		return "The API changed its answer or something between the provider and the API rewrote it. Check base_url; if it is right, report the excerpt above to the provider developers."
	case client.KindOutcomeUnknown:
		return "Read the instance to see its state before writing again."
	case client.KindClearRefused:
		if apiErr != nil {
			return clearInPanel(apiErr.Backend)
		}
		return clearInPanel("API's")
	}
	if apiErr == nil {
		return ""
	}
	return apiAdvice(kind, apiErr)
}

// apiAdvice advises on an answer the API refused.
func apiAdvice(kind client.Kind, e *client.APIError) string {
	zapi := e.Backend == client.BackendZAPI
	switch kind {
	case client.KindClientTokenMissing:
		return "The account requires its security token: set client_token (or ZAPI_CLIENT_TOKEN) to the Client-Token from the Z-API panel's Security tab."
	case client.KindClientTokenRefused:
		return "The Client-Token was refused: check client_token (or ZAPI_CLIENT_TOKEN) against the Z-API panel's Security tab."
	case client.KindCredentialsRefused:
		if zapi {
			return "The credentials were refused. Check token (ZAPI_TOKEN) and the instance_id (ZAPI_INSTANCE_ID) it belongs to."
		}
		return "The credentials were refused. Check api_key (ENVIAAI_API_KEY)."
	case client.KindNotConnected:
		return "The WhatsApp instance is not connected yet, or no longer: it may be disconnected, still connecting, or waiting for its QR code to be scanned (the whatsapp_instance data source shows its status). Connect it in the API's panel, then run again."
	case client.KindUnknownInstance:
		if zapi {
			return "Check instance_id (ZAPI_INSTANCE_ID) and the token that belongs to it."
		}
		return "Check instance_id (of the data source or resource, or else the provider's, or ENVIAAI_INSTANCE_ID) against the instances of this API key: whatsapp_instances lists them."
	case client.KindQueryRejected:
		return "The API rejected the request. Check the arguments; if they are valid, please report this issue to the provider developers."
	case client.KindRedirect:
		return "The base_url points at something that redirects (HTTP " + strconv.Itoa(e.StatusCode) + "). Redirects are not followed, so that credentials stay on the configured host: " +
			"set base_url to the address the API answers at itself."
	case client.KindMethodRefused:
		return "The API refused the HTTP method. The provider sends each request with the method the API's reference documents (GET to read; PUT, PATCH, POST or DELETE to write), so check that base_url points at the API itself and not at a proxy or page that rewrites requests."
	case client.KindContentType:
		return "The API wants a Content-Type header. The provider sends Content-Type: application/json, so check that no proxy between the provider and the API strips it."
	case client.KindRateLimited:
		return "The API kept limiting the request rate. Lower max_concurrent_requests, raise max_retries, or run again later."
	case client.KindServerFailed:
		return "The API failed on its side. Run again later; raise max_retries to ride out longer outages."
	case client.KindForbidden:
		if zapi {
			return "The credentials lack access to this instance. Check the instance's token and client_token."
		}
		return "The credentials lack access to this instance. Check api_key and instance_id."
	case client.KindNotFound:
		return "Check base_url and instance_id."
	}
	return ""
}
