package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewServer returns the provider's plugin protocol 6 server factory: the
// framework's server, except that a read may answer with a result it
// encoded itself (whatsapp_chats, the data source and the ephemeral
// resource, through storeEncodedResult).
//
// After a data source's Read the framework walks every value of the new
// state twice (to turn null collection blocks into empty ones, and to apply
// semantic equality), resolving the schema at each null value's path, and
// encodes it; an ephemeral resource's result is walked once and encoded.
// With 100,000 chats those walks cost more than the whole read and several
// gigabytes of allocations. So the server gives every read a slot in its
// context; readChats encodes the chats as msgpack, the read stores that in
// the slot and leaves the framework's placeholder (the configuration) as its
// state, which the framework walks and encodes in no time, and the server
// answers with the stored encoding in its place. The walks would change
// nothing in the chats' state: the whatsapp_chats schemas have no blocks and
// no types with semantic equality (TestChatsDataSource_ServerFastPathPremise).
// Everything else (configuration, validation, logging, stop, diagnostics)
// is the framework's.
//
// The slot can go once a framework release skips both walks for a schema
// that needs neither: hashicorp/terraform-plugin-framework pull request 1315
// ("Skip element semantic-equality walk when no element type implements
// semantic equality", for issue 1314) does so for semantic equality; the
// null-block pass (toproto6's ReifyNullCollectionBlocks) still runs on every
// state.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer { return newServer(&whatsappProvider{version: version}) }
}

func newServer(p *whatsappProvider) tfprotov6.ProviderServer {
	return wrapServer(providerserver.NewProtocol6(p)())
}

// frameworkServer is every interface the framework's protocol 6 server
// implements. encodedResultServer embeds it, so that it forwards all of
// them; a test fails when the framework's server has a method
// encodedResultServer lacks.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// wrapServer gives the reads of fw, a framework server, their result slot.
// A server that lacks one of frameworkServer's interfaces is returned as it
// is: reads then find no slot and return their state through the framework
// (TestServer_ForwardsEveryFrameworkMethod fails).
func wrapServer(fw tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	if full, ok := fw.(frameworkServer); ok {
		return encodedResultServer{full}
	}
	return fw
}

type encodedResultServer struct{ frameworkServer }

func (s encodedResultServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return readWithSlot(ctx, req, s.frameworkServer.ReadDataSource,
		func(resp *tfprotov6.ReadDataSourceResponse, v *tfprotov6.DynamicValue) { resp.State = v })
}

func (s encodedResultServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return readWithSlot(ctx, req, s.frameworkServer.OpenEphemeralResource,
		func(resp *tfprotov6.OpenEphemeralResourceResponse, v *tfprotov6.DynamicValue) { resp.Result = v })
}

// readWithSlot calls read, one of the framework server's reads, with a
// result slot in its context, and answers with what read answered, but for
// the result the read stored in the slot, if any, which set puts in place of
// the framework's.
func readWithSlot[Req, Resp any](ctx context.Context, req *Req, read func(context.Context, *Req) (*Resp, error), set func(*Resp, *tfprotov6.DynamicValue)) (*Resp, error) {
	slot := &encodedResult{}
	resp, err := read(context.WithValue(ctx, encodedResultKey{}, slot), req)
	if resp != nil && slot.msgpack != nil {
		set(resp, &tfprotov6.DynamicValue{MsgPack: slot.msgpack})
	}
	return resp, err
}

// encodedResult is the slot a read's context carries: the state or
// ephemeral result the server answers with, encoded as msgpack.
type encodedResult struct{ msgpack []byte }

type encodedResultKey struct{}

// storeEncodedResult stores msgpack, a whole state or ephemeral result, in
// the slot of ctx, and reports whether ctx has one: if not (a server built
// straight from the framework's), the read must set its state itself.
func storeEncodedResult(ctx context.Context, msgpack []byte) bool {
	slot, ok := ctx.Value(encodedResultKey{}).(*encodedResult)
	if ok {
		slot.msgpack = msgpack
	}
	return ok
}
