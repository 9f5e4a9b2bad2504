package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// decodeError explains why a 2xx body meant for a value of type T could
// not be read. When the body is valid JSON but holds a value of the wrong
// type, it names that value: chatsAt is the field holding the page's chats
// ("" when the body is the list itself), so a value inside a chat is named
// by the chat's place on the page and its path within the chat, and any
// other by its path in the body.
func decodeError[T any](r redactor, backend string, a *transport.Answer, err error, chatsAt string) error {
	e := &DecodeError{Backend: backend, StatusCode: a.Status, Index: -1, Err: errors.New(describe(r, err)), Excerpt: r.Excerpt(a.Body)}
	if !json.Valid(a.Body) {
		return e
	}
	path, cause := blame(a.Body, reflect.TypeFor[T]())
	if len(path) == 0 {
		return e
	}
	if slices.ContainsFunc(path, withheld) {
		// A value under a field that names a credential, or a customer's
		// personal data, is not quoted.
		want, ve := "another value", (*valueError)(nil)
		if errors.As(cause, &ve) {
			want = ve.want
		}
		cause = badValue(want, []byte(`"REDACTED"`))
	}
	e.Err = errors.New(describe(r, cause))
	chats := path // the path from the list of chats on
	if chatsAt != "" {
		chats = nil
		if path[0] == chatsAt {
			chats = path[1:]
		}
	}
	if len(chats) > 0 {
		if i, ok := listIndex(chats[0]); ok {
			e.Index, path = i, chats[1:]
		}
	}
	e.Field = joinPath(path)
	return e
}

// describe is err's text for a message, quoting what the API sent through
// Clip: a value that could not be read is quoted from the value as sent.
func describe(r redactor, err error) string {
	var ve *valueError
	if errors.As(err, &ve) {
		return fmt.Sprintf("want %s, got %s", ve.want, transport.Printable(r.Clip(string(ve.got), valueRunes)))
	}
	return transport.Printable(r.Clip(err.Error(), transport.MaxQuotedRunes))
}

// listIndex reads the index of a "[i]" path step.
func listIndex(step string) (int, bool) {
	inner, ok := strings.CutPrefix(step, "[")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimSuffix(inner, "]"))
	return i, err == nil
}

// joinPath writes a path as pagination.total or lastMessage.timestamp.
func joinPath(path []string) string {
	var b strings.Builder
	for i, step := range path {
		if i > 0 && !strings.HasPrefix(step, "[") {
			b.WriteByte('.')
		}
		b.WriteString(step)
	}
	return b.String()
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// blame finds the first value in raw, valid JSON meant for a value of
// type t, that does not decode, and returns its path (field names and
// "[i]" list indexes) and why. It looks inside objects and lists the
// provider reads part by part, and stops at values read whole (the flexible
// types of flex.go). The path is empty when no single value is to blame.
func blame(raw []byte, t reflect.Type) ([]string, error) {
	leaf := func() ([]string, error) {
		err := json.Unmarshal(raw, reflect.New(t).Interface())
		if err == nil {
			return nil, nil
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			err = badValue(jsonKind(typeErr.Type), raw)
		}
		return []string{}, err
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || isNull(raw) {
		return leaf()
	}
	switch {
	case t.Kind() == reflect.Struct && firstByte(raw) == '{':
		var fields map[string]json.RawMessage
		_ = json.Unmarshal(raw, &fields)
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			field, ok := jsonField(t, name)
			if !ok {
				continue // unknown fields are ignored
			}
			if path, err := blame(fields[name], field); path != nil {
				return append([]string{name}, path...), err
			}
		}
		return nil, nil
	case t.Kind() == reflect.Slice && firstByte(raw) == '[':
		var items []json.RawMessage
		_ = json.Unmarshal(raw, &items)
		for i, item := range items {
			if path, err := blame(item, t.Elem()); path != nil {
				return append([]string{"[" + strconv.Itoa(i) + "]"}, path...), err
			}
		}
		return nil, nil
	}
	return leaf()
}

// jsonKind names the JSON a Go type is read from, for messages.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// jsonField is the type of t's field that encoding/json fills from the key
// name: the exact tag first, then one that differs only in case.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	var folded reflect.Type
	for f := range t.Fields() {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == name:
			return f.Type, true
		case folded == nil && strings.EqualFold(tag, name):
			folded = f.Type
		}
	}
	return folded, folded != nil
}

// firstByte is the first non-space byte of a body, or 0.
func firstByte(body []byte) byte {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return 0
	}
	return body[0]
}

// errNotAnObject is a 2xx body that should hold one JSON object and does not.
var errNotAnObject = errors.New("the body is not a JSON object")

// decodeObject reads a 2xx body holding one JSON object into v. With
// inBody set, an error the API sends in an object with a 2xx status (Z-API's
// {"error": "..."}) is that error, as inBody reads it (not for Z-API's
// /status, whose "error" field is its status sentence).
func decodeObject[T any](r redactor, backend string, a *transport.Answer, v *T, inBody errorReader) error {
	if inBody != nil && firstByte(a.Body) == '{' {
		if apiErr := inBody.apiError(r, a); apiErr.Message != "" {
			return apiErr
		}
	}
	if firstByte(a.Body) != '{' {
		return &DecodeError{Backend: backend, StatusCode: a.Status, Index: -1, Err: errNotAnObject, Excerpt: r.Excerpt(a.Body)}
	}
	if err := json.Unmarshal(a.Body, v); err != nil {
		return decodeError[T](r, backend, a, err, "")
	}
	return nil
}
