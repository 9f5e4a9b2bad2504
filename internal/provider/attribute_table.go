package provider

import (
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// An attributeTable is the one description of a result type T (a chat, a
// chat list): each computed attribute's name, its schema, and how to write
// its value from a T. The data source's schema (schemaAttributes) and its
// state (writeObject, encodeState) both come from the table, so an
// attribute cannot be in one and not the other. The entries are sorted by
// name, the order of Terraform's msgpack objects.
type attributeTable[T any] []attribute[T]

// attribute is one entry of an attributeTable.
type attribute[T any] struct {
	name       string
	definition schema.Attribute
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
	return attribute[T]{name, schema.StringAttribute{Computed: true, MarkdownDescription: description},
		func(e *stateEncoder, v T) { e.optStr(get(v)) }}
}

func boolAttribute[T any](name, description string, get func(T) *bool) attribute[T] {
	return attribute[T]{name, schema.BoolAttribute{Computed: true, MarkdownDescription: description},
		func(e *stateEncoder, v T) { e.optBool(get(v)) }}
}

func int64Attribute[T any](name, description string, get func(T) *int64) attribute[T] {
	return attribute[T]{name, schema.Int64Attribute{Computed: true, MarkdownDescription: description},
		func(e *stateEncoder, v T) { e.optInt(get(v)) }}
}

// timeAttribute is a string attribute holding an RFC 3339 timestamp in UTC.
func timeAttribute[T any](name, description string, get func(T) *time.Time) attribute[T] {
	return attribute[T]{name, schema.StringAttribute{Computed: true, MarkdownDescription: description},
		func(e *stateEncoder, v T) { e.optTime(get(v)) }}
}

// objectAttribute is a nested object described by its own table; null when
// get returns nil.
func objectAttribute[T, U any](name, description string, table attributeTable[*U], get func(T) *U) attribute[T] {
	return attribute[T]{
		name,
		schema.SingleNestedAttribute{Computed: true, MarkdownDescription: description, Attributes: table.schemaAttributes()},
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
	return attribute[T]{
		name,
		schema.ListNestedAttribute{Computed: true, MarkdownDescription: description,
			NestedObject: schema.NestedAttributeObject{Attributes: table.schemaAttributes()}},
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
