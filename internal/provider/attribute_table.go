package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// An attributeTable is the one description of a result type T (a chat, an
// instance, a summary, a list of webhooks): each computed attribute's name,
// its schema, and how to write its value from a T. A data source's schema
// (schemaAttributes) and its state both come from the table, so an
// attribute cannot be in one and not the other. The entries are sorted by
// name, the order of Terraform's msgpack objects.
//
// A data source with a small result is written this way: its schema is its
// results table with its arguments added (withArguments), its Read takes the
// arguments (startRead) and writes the results (setResults);
// whatsapp_webhook_deliveries is a short example. A resource's state also
// holds what the configuration and the plan say, so a resource keeps a
// model struct instead (webhookModel, instanceSettingsModel).
//
// A small result is written as the framework's values (values, object,
// setResults). A list that may hold many thousands of entries (whatsapp_chats)
// is written straight to msgpack instead (writeObject, encodeStateWithin; see
// state.go): the same table, the same values.
type attributeTable[T any] []attribute[T]

// attribute is one entry of an attributeTable: value and write give the
// same value, as the framework's attr.Value and as msgpack.
type attribute[T any] struct {
	name       string
	definition schema.Attribute
	typ        attr.Type
	value      func(T) attr.Value
	write      func(*stateEncoder, T)
}

// newAttributeTable sorts the attributes by name. Two attributes of one
// name are a programming error: the schema would keep one, the state both.
func newAttributeTable[T any](attrs ...attribute[T]) attributeTable[T] {
	table := attributeTable[T](slices.SortedFunc(slices.Values(attrs), func(a, b attribute[T]) int { return strings.Compare(a.name, b.name) }))
	for i := 1; i < len(table); i++ {
		if table[i].name == table[i-1].name {
			panic("attribute " + table[i].name + " is in the table twice")
		}
	}
	return table
}

// schemaAttributes is the table's schema, a new map on each call so that
// a data source may add its arguments to it.
func (t attributeTable[T]) schemaAttributes() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(t))
	for _, a := range t {
		attrs[a.name] = a.definition
	}
	return attrs
}

// withArguments adds a data source's arguments to the schema of its
// results (schemaAttributes).
func withArguments(attrs map[string]schema.Attribute, args map[string]schema.Attribute) map[string]schema.Attribute {
	maps.Copy(attrs, args)
	return attrs
}

// without is the table less the named attributes, for a data source that
// takes one of them as an argument instead.
func (t attributeTable[T]) without(names ...string) attributeTable[T] {
	return slices.DeleteFunc(slices.Clone(t), func(a attribute[T]) bool { return slices.Contains(names, a.name) })
}

// lookup finds an attribute by name.
func (t attributeTable[T]) lookup(name string) (attribute[T], bool) {
	i, ok := slices.BinarySearchFunc(t, name, func(a attribute[T], name string) int { return strings.Compare(a.name, name) })
	if !ok {
		return attribute[T]{}, false
	}
	return t[i], true
}

// attrTypes are the table's attribute types, as an object type wants them.
func (t attributeTable[T]) attrTypes() map[string]attr.Type {
	types := make(map[string]attr.Type, len(t))
	for _, a := range t {
		types[a.name] = a.typ
	}
	return types
}

// values are v's attribute values.
func (t attributeTable[T]) values(v T) map[string]attr.Value {
	values := make(map[string]attr.Value, len(t))
	for _, a := range t {
		values[a.name] = a.value(v)
	}
	return values
}

// object is v as an object of the table's attributes.
func (t attributeTable[T]) object(v T) (types.Object, diag.Diagnostics) {
	return types.ObjectValue(t.attrTypes(), t.values(v))
}

// setResults writes v's attributes into the state of a data source (or the
// result of an ephemeral resource), which holds its arguments already.
func setResults[T any](ctx context.Context, state attributeSetter, t attributeTable[T], v T) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range t {
		diags.Append(state.SetAttribute(ctx, path.Root(a.name), a.value(v))...)
	}
	return diags
}

// attributeSetter is a data source's state or an ephemeral resource's
// result (*tfsdk.State, *tfsdk.EphemeralResultData).
type attributeSetter interface {
	SetAttribute(ctx context.Context, at path.Path, v any) diag.Diagnostics
}

// writeObject writes v as an object of the table's attributes.
func (t attributeTable[T]) writeObject(e *stateEncoder, v T) {
	e.check(e.enc.EncodeMapLen(len(t)))
	for i := range t {
		e.str(t[i].name)
		t[i].write(e, v)
	}
}

// The constructors below make computed attributes; each reads its value
// through get, which returns nil for a value the API did not send.

func stringAttribute[T any](name, description string, get func(T) *string) attribute[T] {
	return attribute[T]{name, schema.StringAttribute{Computed: true, MarkdownDescription: description}, types.StringType,
		func(v T) attr.Value { return types.StringPointerValue(get(v)) },
		func(e *stateEncoder, v T) { e.optStr(get(v)) }}
}

func boolAttribute[T any](name, description string, get func(T) *bool) attribute[T] {
	return attribute[T]{name, schema.BoolAttribute{Computed: true, MarkdownDescription: description}, types.BoolType,
		func(v T) attr.Value { return types.BoolPointerValue(get(v)) },
		func(e *stateEncoder, v T) { e.optBool(get(v)) }}
}

func int64Attribute[T any](name, description string, get func(T) *int64) attribute[T] {
	return attribute[T]{name, schema.Int64Attribute{Computed: true, MarkdownDescription: description}, types.Int64Type,
		func(v T) attr.Value { return types.Int64PointerValue(get(v)) },
		func(e *stateEncoder, v T) { e.optInt(get(v)) }}
}

func float64Attribute[T any](name, description string, get func(T) *float64) attribute[T] {
	return attribute[T]{name, schema.Float64Attribute{Computed: true, MarkdownDescription: description}, types.Float64Type,
		func(v T) attr.Value { return types.Float64PointerValue(get(v)) },
		func(e *stateEncoder, v T) { e.optFloat(get(v)) }}
}

// timeAttribute is a string attribute holding an RFC 3339 timestamp in UTC.
func timeAttribute[T any](name, description string, get func(T) *time.Time) attribute[T] {
	return attribute[T]{name, schema.StringAttribute{Computed: true, MarkdownDescription: description}, types.StringType,
		func(v T) attr.Value { return timeValue(get(v)) },
		func(e *stateEncoder, v T) { e.optTime(get(v)) }}
}

// timeValue is t as a time attribute holds it (timeText); null when t is nil.
func timeValue(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(timeText(*t))
}

// stringMapAttribute is a map of strings; null when get returns nil.
func stringMapAttribute[T any](name, description string, get func(T) map[string]string) attribute[T] {
	return attribute[T]{name, schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: description},
		types.MapType{ElemType: types.StringType},
		func(v T) attr.Value {
			m := get(v)
			if m == nil {
				return types.MapNull(types.StringType)
			}
			elems := make(map[string]attr.Value, len(m))
			for k, s := range m {
				elems[k] = types.StringValue(s)
			}
			return types.MapValueMust(types.StringType, elems)
		},
		func(e *stateEncoder, v T) {
			m := get(v)
			if m == nil {
				e.null()
				return
			}
			e.check(e.enc.EncodeMapLen(len(m)))
			for _, k := range slices.Sorted(maps.Keys(m)) {
				e.str(k)
				e.str(m[k])
			}
		}}
}

// stringSetAttribute is a set of strings; null when get returns nil.
func stringSetAttribute[T any](name, description string, get func(T) []string) attribute[T] {
	return attribute[T]{name, schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: description},
		types.SetType{ElemType: types.StringType},
		func(v T) attr.Value { return stringSet(get(v)) },
		func(e *stateEncoder, v T) {
			items := get(v)
			if items == nil {
				e.null()
				return
			}
			items = slices.Compact(slices.Sorted(slices.Values(items)))
			e.check(e.enc.EncodeArrayLen(len(items)))
			for _, s := range items {
				e.str(s)
			}
		}}
}

// objectAttribute is a nested object described by its own table; null when
// get returns nil.
func objectAttribute[T, U any](name, description string, table attributeTable[*U], get func(T) *U) attribute[T] {
	typ := types.ObjectType{AttrTypes: table.attrTypes()}
	return attribute[T]{
		name,
		schema.SingleNestedAttribute{Computed: true, MarkdownDescription: description, Attributes: table.schemaAttributes()},
		typ,
		func(v T) attr.Value {
			u := get(v)
			if u == nil {
				return types.ObjectNull(typ.AttrTypes)
			}
			return types.ObjectValueMust(typ.AttrTypes, table.values(u))
		},
		func(e *stateEncoder, v T) {
			u := get(v)
			if u == nil {
				e.null()
				return
			}
			table.writeObject(e, u)
		},
	}
}

// listAttribute is a list of nested objects described by their own table.
func listAttribute[T, U any](name, description string, table attributeTable[*U], get func(T) []U) attribute[T] {
	elem := types.ObjectType{AttrTypes: table.attrTypes()}
	return attribute[T]{
		name,
		schema.ListNestedAttribute{Computed: true, MarkdownDescription: description,
			NestedObject: schema.NestedAttributeObject{Attributes: table.schemaAttributes()}},
		types.ListType{ElemType: elem},
		func(v T) attr.Value {
			items := get(v)
			objects := make([]attr.Value, len(items))
			for i := range items {
				objects[i] = types.ObjectValueMust(elem.AttrTypes, table.values(&items[i]))
			}
			return types.ListValueMust(elem, objects)
		},
		func(e *stateEncoder, v T) {
			items := get(v)
			e.check(e.enc.EncodeArrayLen(len(items)))
			for i := range items {
				table.writeObject(e, &items[i])
				if e.over() {
					return
				}
			}
		},
	}
}
