package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// Seeds shared by the scalar targets; testdata/fuzz holds more.
var flexSeeds = []string{
	`true`, `false`, `"true"`, `"FALSE"`, `"1"`, `"0"`, `1`, `0`, `-1`, `"-1"`, `null`, `""`,
	`3`, `"3"`, `3.0`, `1.5`, `"abc"`, `{}`, `[]`, `[1]`, `"tru\u0065"`, `" 7 "`,
	`1622991687`, `"1622991687"`, `1655953774000`, `"1655953774000"`, `1.655953774e12`,
	`99999999999`, `100000000000`, `99999999999999`, `100000000000000`, `1e300`, `-5`,
	`"2026-02-03T12:30:00.000Z"`, `"2026-02-03T09:30:00-03:00"`, `"2026-02-03T14:30:00.5+02:00"`,
	`"0001-01-01T00:00:00Z"`, `"9999-12-31T23:59:59.999999999Z"`, `"9999-12-31T23:30:00-01:00"`, `"1970-01-01T00:30:00+01:00"`, `"yesterday"`, `"NaN"`, `"Inf"`, `"0x1p4"`,
	`9223372036854775807`, `-9223372036854775808`, `9223372036854775808`, `"9.223372036854775807e18"`,
}

func assertRejected(t *testing.T, err error) {
	t.Helper()
	var ve *valueError
	if !errors.As(err, &ve) {
		t.Fatalf("rejection %v (%T) is not a *valueError", err, err)
	}
	if ve.want == "" || !strings.HasPrefix(ve.Error(), "want ") {
		t.Fatalf("rejection %q does not say what it wanted", ve.Error())
	}
}

func FuzzFlexTime(f *testing.F) {
	for _, s := range flexSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return // the JSON decoder never hands an invalid value to a field
		}
		var ft flexTime
		if err := json.Unmarshal(data, &ft); err != nil {
			assertRejected(t, err)
			if ft.set {
				t.Fatal("a rejected value left a time behind")
			}
		} else if ft.set {
			if ft.val.Location() != time.UTC {
				t.Fatalf("%s decoded to %v, not UTC", data, ft.val)
			}
			if y := ft.val.Year(); y < 1970 || y > 9999 {
				t.Fatalf("%s decoded to %v, outside the years 1970 to 9999", data, ft.val)
			}
			// The RFC 3339 form of a time decodes to the same instant.
			if y := ft.val.Year(); y >= 0 && y <= 9999 {
				var again flexTime
				text := strconv.Quote(ft.val.Format(time.RFC3339Nano))
				if err := json.Unmarshal([]byte(text), &again); err != nil || !again.set || !again.val.Equal(ft.val) {
					t.Fatalf("%s: %s does not decode back to %v (%v)", data, text, ft.val, err)
				}
			}
		}
		var m muteEnd
		if err := json.Unmarshal(data, &m); err != nil {
			assertRejected(t, err)
			return
		}
		if m.forever && m.set {
			t.Fatalf("%s is both forever and %v", data, m.val)
		}
		if m.set && m.val.Location() != time.UTC {
			t.Fatalf("mute end %v is not UTC", m.val)
		}
	})
}

func FuzzFlexBool(f *testing.F) {
	for _, s := range flexSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var b flexBool
		if err := json.Unmarshal(data, &b); err != nil {
			assertRejected(t, err)
			if b.ptr() != nil {
				t.Fatal("a rejected value left a boolean behind")
			}
			return
		}
		if !b.set {
			return
		}
		// An accepted value re-decodes to itself, as a boolean and as text.
		for _, form := range []string{strconv.FormatBool(b.val), strconv.Quote(strconv.FormatBool(b.val))} {
			var again flexBool
			if err := json.Unmarshal([]byte(form), &again); err != nil || !again.set || again.val != b.val {
				t.Fatalf("%s read as %v, but %s reads as %+v (%v)", data, b.val, form, again, err)
			}
		}
	})
}

func FuzzFlexInt(f *testing.F) {
	for _, s := range flexSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var n flexInt
		if err := json.Unmarshal(data, &n); err != nil {
			assertRejected(t, err)
			return
		}
		if !n.set {
			return
		}
		for _, form := range []string{strconv.FormatInt(n.val, 10), strconv.Quote(strconv.FormatInt(n.val, 10))} {
			var again flexInt
			if err := json.Unmarshal([]byte(form), &again); err != nil || !again.set || again.val != n.val {
				t.Fatalf("%s read as %d, but %s reads as %+v (%v)", data, n.val, form, again, err)
			}
		}
		var s flexString
		if err := json.Unmarshal(data, &s); err != nil {
			assertRejected(t, err)
		}
	})
}

// checkDecoded holds the invariants of any decoded page or error.
func checkDecoded(t *testing.T, backend string, p *page, err error) {
	t.Helper()
	if err != nil {
		if p != nil {
			t.Fatal("a page came with the error")
		}
		var de *DecodeError
		var ae *APIError
		if !errors.As(err, &de) && !errors.As(err, &ae) {
			t.Fatalf("error %v (%T) is neither a DecodeError nor an APIError", err, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, backend) {
			t.Fatalf("error %q does not name %s", msg, backend)
		}
		assertNoSecretOf(t, "error", msg, secretsOf(backend)...)
		if de != nil && len([]rune(de.Excerpt)) > transport.ExcerptRunes+1 {
			t.Fatalf("excerpt of %d runes", len([]rune(de.Excerpt)))
		}
		return
	}
	if p == nil {
		t.Fatal("neither a page nor an error")
	}
	utcOrNil := func(what string, tm *time.Time) {
		if tm != nil && tm.Location() != time.UTC {
			t.Fatalf("%s %v is not UTC", what, tm)
		}
	}
	for i, c := range p.chats {
		if c.ID == "" {
			t.Fatalf("chat %d has no id", i)
		}
		if backend == BackendZAPI && (c.Phone == nil || *c.Phone != c.ID) {
			t.Fatalf("Z-API chat %d: id %q is not its phone %s", i, c.ID, showStr(c.Phone))
		}
		if c.MutedForever != nil && *c.MutedForever && c.MuteEndTime != nil {
			t.Fatalf("chat %d is muted forever until %v", i, c.MuteEndTime)
		}
		if c.Notes != nil && *c.Notes == (Notes{}) {
			t.Fatalf("chat %d has empty notes", i)
		}
		utcOrNil("mute end", c.MuteEndTime)
		utcOrNil("last message time", c.LastMessageTime)
		utcOrNil("created at", c.CreatedAt)
		if c.LastMessage != nil {
			utcOrNil("last message timestamp", c.LastMessage.Timestamp)
		}
		if c.Notes != nil {
			utcOrNil("notes created at", c.Notes.CreatedAt)
			utcOrNil("notes updated at", c.Notes.LastUpdatedAt)
		}
	}
	if backend == BackendZAPI && (p.total != nil || p.hasMore != nil) {
		t.Fatal("a Z-API page carries a total or hasMore it was never sent")
	}
}

var decoderSeeds = []string{
	zapiReferenceExample, zapiReferenceSchema, enviaReferenceExample,
	`[]`, `null`, ``, `{}`, `[null]`, `[5]`, `"ok"`, `<html>502</html>`,
	`[{"phone":"1","archived":"maybe"}]`, `[{"phone":"1","muteEndTime":-1,"isMuted":"1"}]`,
	`[{"phone":"1","notes":{}}]`, `[{"phone":5511999999999,"unread":"3","messagesUnread":9}]`,
	`{"error":"You are not connected."}`, `{"error":"null not allowed"}`, `{"message":"` + testToken + `"}`,
	`[{"phone":"` + testToken + `","archived":"` + testClientToken + `"}]`,
	`{"success":false,"error":{"code":"invalid_instance","message":"bad"}}`,
	`{"success":true,"data":null}`, `{"success":true,"data":{"chatId":"a"}}`,
	`{"success":true,"data":[{"chatId":"a","lastMessage":{"timestamp":"2026-02-03T12:30:00-03:00"}}],"pagination":{"total":"1","hasMore":"false"}}`,
	`{"success":true,"data":[{"chatId":"","phone":"1"}]}`, `{"success":true,"data":[{"chatId":"a","unreadCount":"` + testAPIKey + `"}]}`,
	`{"success":false,"error":{"code":"rate_limit_exceeded","message":"Rate limit exceeded","retryAfter":7}}`,
	`{"success":false,"retryAfter":"1e300"}`, `{"error":{"retryAfter":-1},"retryAfter":"NaN"}`, `{"error":"x","retryAfter":1.5}`,
}

func FuzzZAPIDecode(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add([]byte(s))
	}
	c := newTestZAPI(f, "http://127.0.0.1:1", HTTPOptions{})
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: body, Attempts: 1})
		checkDecoded(t, BackendZAPI, p, err)
		apiErr := c.api.apiError(c.core, &transport.Answer{Status: http.StatusBadRequest, Body: body, Attempts: 1})
		assertNoSecretOf(t, "API error", apiErr.Error(), secretsOf(BackendZAPI)...)
	})
}

func FuzzEnviaAIDecode(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add([]byte(s))
	}
	c := newTestEnviaAI(f, "http://127.0.0.1:1", HTTPOptions{})
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: body, Attempts: 1})
		checkDecoded(t, BackendEnviaAI, p, err)
		if p != nil {
			for i, ch := range p.chats {
				if ch.LastMessageTime == nil && ch.LastMessage != nil && ch.LastMessage.Timestamp != nil {
					t.Fatalf("chat %d has a last message timestamp but no last message time", i)
				}
			}
		}
		apiErr := c.api.apiError(c.core, &transport.Answer{Status: http.StatusBadRequest, Body: body, Attempts: 1})
		assertNoSecretOf(t, "API error", apiErr.Error(), secretsOf(BackendEnviaAI)...)
		// The wait a 429 body names is never negative nor beyond a day.
		if d, ok := enviaRetryAfter(body); d < 0 || d > transport.MaxAskedWait || (!ok && d != 0) {
			t.Fatalf("enviaRetryAfter(%q) = %v, %v", body, d, ok)
		}
	})
}
