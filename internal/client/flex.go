package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// The APIs send the same value in several forms: Z-API's own example has
// "false" where its schema says false, "0"/"1" for flags, Unix seconds in one
// answer and milliseconds in the next. These types accept every form seen and
// reject anything else with a valueError, so a value that cannot be read
// never becomes a silent zero. JSON null reads as "not sent" for every type.
// So does "" for flexBool, flexInt, flexTime and muteEnd, as it holds no
// boolean, number or time; flexString keeps "" as a value the API sent (a
// contact may have an empty name).

// valueError says what a field should have held and what it held. got is
// the value as sent, so that a message can replace credentials in it
// before cutting it (describe); Error, which knows no credential,
// is for tests and fuzzing.
type valueError struct {
	want string
	got  []byte
}

// valueRunes is how much of a value that could not be read a message quotes.
const valueRunes = 40

// maxValueBytes is how much of a value a valueError keeps: enough to find a
// credential of any plausible length around the quoted start.
const maxValueBytes = 64 << 10

func (e *valueError) Error() string {
	return fmt.Sprintf("want %s, got %s", e.want, transport.Printable(transport.CutRunes(string(e.got), valueRunes)))
}

// badValue copies the value: the decoder owns data.
func badValue(want string, data []byte) error {
	return &valueError{want: want, got: bytes.Clone(data[:min(len(data), maxValueBytes)])}
}

// unquote returns a JSON string's content, or the literal itself for
// numbers and booleans. Z-API strings hold plain digits or words, so the
// escape-free fast path covers them; anything else goes through encoding/json.
func unquote(data []byte) (string, bool, error) {
	if len(data) == 0 || data[0] != '"' {
		return string(data), false, nil
	}
	inner := data[1 : len(data)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), true, nil
	}
	var s string
	err := json.Unmarshal(data, &s)
	return s, true, err
}

// isNull reports JSON null or "", which the types built on it read as
// "not sent" (flexString does not use it).
func isNull(data []byte) bool {
	return string(data) == "null" || string(data) == `""`
}

// opt is a value that the API may not have sent.
type opt[T any] struct {
	set bool
	val T
}

func sent[T any](v T) opt[T] { return opt[T]{set: true, val: v} }

// ptr is the value, or nil when it was not sent.
func (o opt[T]) ptr() *T {
	if !o.set {
		return nil
	}
	v := o.val
	return &v
}

// flexBool accepts true/false, "true"/"false" and 1/0 in either form.
type flexBool struct{ opt[bool] }

func (b *flexBool) UnmarshalJSON(data []byte) error {
	*b = flexBool{}
	if isNull(data) {
		return nil
	}
	s, _, err := unquote(data)
	if err != nil {
		return badValue("a boolean", data)
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		b.opt = sent(true)
	case "false", "0":
		b.opt = sent(false)
	default:
		return badValue("a boolean", data)
	}
	return nil
}

// flexInt accepts a whole number, or a string holding one.
type flexInt struct{ opt[int64] }

func (n *flexInt) UnmarshalJSON(data []byte) error {
	*n = flexInt{}
	if isNull(data) {
		return nil
	}
	v, err := parseWhole(data)
	if err != nil {
		return badValue("a whole number", data)
	}
	n.opt = sent(v)
	return nil
}

// flexCount is a flexInt that counts something, so is never negative.
type flexCount struct{ flexInt }

func (n *flexCount) UnmarshalJSON(data []byte) error {
	if err := n.flexInt.UnmarshalJSON(data); err != nil {
		return badValue("a count (a whole number, 0 or more)", data)
	}
	if n.set && n.val < 0 {
		*n = flexCount{}
		return badValue("a count (a whole number, 0 or more)", data)
	}
	return nil
}

// flexNonNegative is a flexInt that measures something (seconds,
// milliseconds), so is never negative.
type flexNonNegative struct{ flexInt }

func (n *flexNonNegative) UnmarshalJSON(data []byte) error {
	const want = "a whole number, 0 or more"
	if err := n.flexInt.UnmarshalJSON(data); err != nil || n.set && n.val < 0 {
		*n = flexNonNegative{}
		return badValue(want, data)
	}
	return nil
}

func parseWhole(data []byte) (int64, error) {
	s, _, err := unquote(data)
	if err != nil {
		return 0, err
	}
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	// 3.0 and 1.655953774e12 are whole numbers written as floats.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return 0, fmt.Errorf("not a whole number")
	}
	return int64(f), nil
}

// flexString accepts a string, or a number kept as its literal digits
// (a phone number sent as a JSON number must not lose its digits). Only
// null is "not sent": "" is a sent, empty value.
type flexString struct{ opt[string] }

func (s *flexString) UnmarshalJSON(data []byte) error {
	*s = flexString{}
	if string(data) == "null" {
		return nil
	}
	switch data[0] {
	case '"':
		v, _, err := unquote(data)
		if err != nil {
			return badValue("a string", data)
		}
		s.opt = sent(v)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		s.opt = sent(string(data))
	default:
		return badValue("a string", data)
	}
	return nil
}

// The seconds/milliseconds rule for Unix times. A number up to maxSeconds
// (9999-12-31T23:59:59Z, the last time RFC 3339 can write) is seconds; one
// from millisecondsFrom (2001-09-09T01:46:40Z) up to maxMilliseconds (the
// end of 9999) is milliseconds. A number between is neither and is refused:
// in seconds it is after the year 9999, in milliseconds before 2001, years
// before WhatsApp (2009). No time the APIs can plausibly send, in either
// unit, crosses a bound.
const (
	maxSeconds       = 253402300799
	millisecondsFrom = 1_000_000_000_000
	maxMilliseconds  = 253402300799999
)

// flexTime accepts an RFC 3339 / ISO 8601 string, or Unix seconds or
// milliseconds as a number or a string of digits. 0 reads as "no time".
type flexTime struct{ opt[time.Time] }

func (t *flexTime) UnmarshalJSON(data []byte) error {
	*t = flexTime{}
	if isNull(data) {
		return nil
	}
	v, ok, err := parseTime(data)
	if err != nil {
		return err
	}
	if ok {
		t.opt = sent(v)
	}
	return nil
}

// parseTime reads a timestamp; ok is false for the epoch 0 ("no time").
func parseTime(data []byte) (time.Time, bool, error) {
	s, quoted, err := unquote(data)
	if err != nil {
		return time.Time{}, false, badValue("a timestamp", data)
	}
	if n, err := parseWhole(data); err == nil {
		return epochTime(n, data)
	}
	if !quoted {
		return time.Time{}, false, badValue("a timestamp", data)
	}
	v, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, false, badValue("an RFC 3339 timestamp or Unix time", data)
	}
	return inYears(v, data)
}

// inYears is t in UTC, refused outside the years 1970 to 9999, as a Unix
// time is: RFC 3339 writes no other year in its one width, and an offset
// can carry 9999-12-31T23:00:00-02:00 into the year 10000.
func inYears(t time.Time, data []byte) (time.Time, bool, error) {
	t = t.UTC()
	if y := t.Year(); y < 1970 || y > 9999 {
		return time.Time{}, false, badValue("a time in the years 1970 to 9999 (UTC)", data)
	}
	return t, true, nil
}

func epochTime(n int64, data []byte) (time.Time, bool, error) {
	switch {
	case n == 0:
		return time.Time{}, false, nil
	case n < 0 || n > maxSeconds && n < millisecondsFrom || n > maxMilliseconds:
		return time.Time{}, false, badValue("a Unix time in seconds or milliseconds", data)
	case n >= millisecondsFrom:
		return time.UnixMilli(n).UTC(), true, nil
	default:
		return time.Unix(n, 0).UTC(), true, nil
	}
}

// muteEnd is flexTime plus Z-API's -1, "muted until unmuted by hand".
type muteEnd struct {
	flexTime
	forever bool
}

func (m *muteEnd) UnmarshalJSON(data []byte) error {
	*m = muteEnd{}
	if n, err := parseWhole(data); err == nil && n == -1 {
		m.forever = true
		return nil
	}
	return m.flexTime.UnmarshalJSON(data)
}

// foreverPtr reports whether the mute is forever, nil when nothing was sent.
func (m muteEnd) foreverPtr() *bool {
	if !m.set && !m.forever {
		return nil
	}
	v := m.forever
	return &v
}

// flexFloat accepts a number, or a string holding one.
type flexFloat struct{ opt[float64] }

func (f *flexFloat) UnmarshalJSON(data []byte) error {
	*f = flexFloat{}
	if isNull(data) {
		return nil
	}
	s, _, err := unquote(data)
	if err == nil {
		var v float64
		if v, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			f.opt = sent(v)
			return nil
		}
	}
	return badValue("a number", data)
}

// flexRate is a flexFloat that is a share, from 0 to 1.
type flexRate struct{ flexFloat }

func (f *flexRate) UnmarshalJSON(data []byte) error {
	if err := f.flexFloat.UnmarshalJSON(data); err != nil || f.set && (f.val < 0 || f.val > 1) {
		*f = flexRate{}
		return badValue("a number from 0 to 1", data)
	}
	return nil
}
