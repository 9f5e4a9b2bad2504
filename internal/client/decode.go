package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// excerptRunes is how much of an unexpected body an error quotes.
const excerptRunes = 120

// decodeError explains why a 2xx body could not be read. When the body is
// valid JSON but one chat holds a value of the wrong type, it names that
// chat and field; elements pulls the raw chats out of the body.
func decodeError[T any](c *Client, a *answer, err error, elements func([]byte) ([]json.RawMessage, error)) error {
	e := &DecodeError{Backend: c.core.backend, StatusCode: a.status, Err: errors.New(c.core.redact(err.Error())), Excerpt: c.excerpt(a.body)}
	if raws, rawErr := elements(a.body); rawErr == nil {
		for i, raw := range raws {
			var chat T
			if json.Unmarshal(raw, &chat) == nil {
				continue
			}
			e.Index = i
			e.Field, e.Err = badField[T](raw)
			e.Err = errors.New(c.core.redact(e.Err.Error()))
			return e
		}
	}
	return e
}

// badField finds the first field of one raw chat that T cannot read.
func badField[T any](raw []byte) (string, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return "", fmt.Errorf("want an object, got %s", shorten(string(raw), 40))
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		one, _ := json.Marshal(map[string]json.RawMessage{name: fields[name]})
		var chat T
		if err := json.Unmarshal(one, &chat); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				err = fmt.Errorf("want %s, got %s", typeErr.Type, shorten(string(fields[name]), 40))
			}
			return name, err
		}
	}
	return "", errors.New("unreadable chat")
}

// excerpt quotes the start of a body with credentials removed.
func (c *Client) excerpt(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "(empty body)"
	}
	// Redact before cutting: a cut through a secret would leave part of it.
	s := c.core.redact(string(body))
	if len(s) > 4*excerptRunes {
		s = s[:4*excerptRunes]
	}
	return shorten(s, excerptRunes)
}

// firstByte is the first non-space byte of a body, or 0.
func firstByte(body []byte) byte {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return 0
	}
	return body[0]
}
