package provider

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// State is written straight to msgpack, Terraform's wire format for values,
// from the decoded chats. Going through the framework's attr.Value and
// tftypes.Value costs thousands of allocations per chat, which a list of
// 100,000 chats turns into the dominant cost of a plan. Each data source's
// attribute table (attribute_table.go) says what to write; a test decodes
// what it writes against the schema's type.

// stateEncoder writes msgpack into one growing buffer.
type stateEncoder struct {
	buf bytes.Buffer
	enc *msgpack.Encoder
	err error
	// limit, when positive, is the most bytes the state may take.
	limit int
}

func newStateEncoder(sizeHint int) *stateEncoder {
	e := &stateEncoder{}
	e.buf.Grow(sizeHint)
	e.enc = msgpack.NewEncoder(&e.buf)
	return e
}

// check keeps the first error; writes after it are skipped by bytes().
func (e *stateEncoder) check(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *stateEncoder) bytes() ([]byte, error) { return e.buf.Bytes(), e.err }

func (e *stateEncoder) null() { e.check(e.enc.EncodeNil()) }

func (e *stateEncoder) str(s string) { e.check(e.enc.EncodeString(s)) }

func (e *stateEncoder) optStr(s *string) {
	if s == nil {
		e.null()
		return
	}
	e.str(*s)
}

func (e *stateEncoder) optBool(b *bool) {
	if b == nil {
		e.null()
		return
	}
	e.check(e.enc.EncodeBool(*b))
}

func (e *stateEncoder) optInt(n *int64) {
	if n == nil {
		e.null()
		return
	}
	e.check(e.enc.EncodeInt(*n))
}

func (e *stateEncoder) optFloat(f *float64) {
	if f == nil {
		e.null()
		return
	}
	e.check(e.enc.EncodeFloat64(*f))
}

// optTime writes an RFC 3339 timestamp in UTC.
func (e *stateEncoder) optTime(t *time.Time) {
	if t == nil {
		e.null()
		return
	}
	e.str(timeText(*t))
}

// timeText is how every time attribute of an attribute table writes a time.
func timeText(t time.Time) string { return t.UTC().Format(timeFormat) }

// raw copies a value Terraform sent (an argument) into the state as is.
func (e *stateEncoder) raw(typ tftypes.Type, v tftypes.Value) {
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		e.check(err)
		return
	}
	e.buf.Write(dv.MsgPack)
}

// encodeStateWithin writes a data source's state: each attribute of results
// is written from v, every other attribute (an argument) is copied from
// config. It gives up with errOverLimit once the state passes limit bytes
// (no limit when it is not positive), so the buffer never grows much past it.
func encodeStateWithin[T any](config tftypes.Value, limit, sizeHint int, results attributeTable[T], v T) ([]byte, error) {
	typ, ok := config.Type().(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("configuration is a %s, not an object", config.Type())
	}
	var args map[string]tftypes.Value
	if err := config.As(&args); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(typ.AttributeTypes))
	e := newStateEncoder(sizeHint)
	e.limit = limit
	e.check(e.enc.EncodeMapLen(len(names)))
	for _, name := range names {
		e.str(name)
		if a, ok := results.lookup(name); ok {
			a.write(e, v)
			continue
		}
		e.raw(typ.AttributeTypes[name], args[name])
	}
	return e.bytes()
}

// maxStateBytes is the largest state a read returns. Terraform refuses a
// message from a provider over 256 MiB with a gRPC error; the rest of the
// answer (diagnostics) needs far less than the margin.
const maxStateBytes = 255 << 20

// errOverLimit ends an encoding that passed its encoder's limit.
var errOverLimit = errors.New("state over its size limit")

// over reports, once the buffer has passed the encoder's limit (when it has
// one), that writing should stop; the encoding then fails with errOverLimit.
func (e *stateEncoder) over() bool {
	if e.limit > 0 && e.buf.Len() > e.limit {
		e.check(errOverLimit)
		return true
	}
	return false
}

// decodeState turns encoded state back into a value, for the framework's
// own Read path and for tests.
func decodeState(typ tftypes.Type, state []byte) (tftypes.Value, error) {
	return (&tfprotov6.DynamicValue{MsgPack: state}).Unmarshal(typ)
}
