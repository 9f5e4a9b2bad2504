package client

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// assertValueError fails unless err is a *valueError that wants want and
// quotes the rejected input.
func assertValueError(t *testing.T, err error, want, input string) {
	t.Helper()
	var ve *valueError
	if !errors.As(err, &ve) {
		t.Fatalf("got error %v (%T), want a *valueError", err, err)
	}
	if ve.want != want {
		t.Errorf("valueError wants %q, want %q", ve.want, want)
	}
	if !strings.Contains(ve.Error(), "want "+want) || !strings.Contains(ve.Error(), transport.Printable(transport.CutRunes(input, valueRunes))) {
		t.Errorf("valueError %q should name %q and quote %s", ve.Error(), want, input)
	}
}

func TestFlexBool(t *testing.T) {
	tests := []struct {
		in      string
		set     bool
		val     bool
		wantErr bool
	}{
		{in: `true`, set: true, val: true},
		{in: `false`, set: true, val: false},
		{in: `"true"`, set: true, val: true},
		{in: `"false"`, set: true, val: false},
		{in: `"TRUE"`, set: true, val: true},
		{in: `"False"`, set: true, val: false},
		{in: `" true "`, set: true, val: true},
		{in: `"1"`, set: true, val: true},
		{in: `"0"`, set: true, val: false},
		{in: `1`, set: true, val: true},
		{in: `0`, set: true, val: false},
		{in: `"tru\u0065"`, set: true, val: true},
		{in: `null`, set: false},
		{in: `""`, set: false},
		{in: `"yes"`, wantErr: true},
		{in: `"2"`, wantErr: true},
		{in: `2`, wantErr: true},
		{in: `1.0`, wantErr: true},
		{in: `{}`, wantErr: true},
		{in: `[true]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b := flexBool{sent(true)} // decoding must reset it
			err := json.Unmarshal([]byte(tt.in), &b)
			if tt.wantErr {
				assertValueError(t, err, "a boolean", tt.in)
				if b.ptr() != nil {
					t.Errorf("a rejected value left %v behind", *b.ptr())
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := b.ptr(); tt.set != (got != nil) || (got != nil && *got != tt.val) {
				t.Errorf("got %s, want set=%v val=%v", showBool(got), tt.set, tt.val)
			}
		})
	}
}

func TestFlexInt(t *testing.T) {
	tests := []struct {
		in      string
		want    *int64
		wantErr bool
	}{
		{in: `3`, want: new(int64(3))},
		{in: `"3"`, want: new(int64(3))},
		{in: `" 7 "`, want: new(int64(7))},
		{in: `3.0`, want: new(int64(3))},
		{in: `"3.0"`, want: new(int64(3))},
		{in: `-2`, want: new(int64(-2))},
		{in: `0`, want: new(int64(0))},
		{in: `"0"`, want: new(int64(0))},
		{in: `1.655953774e12`, want: new(int64(1655953774000))},
		{in: `9007199254740993`, want: new(int64(9007199254740993))},
		{in: `null`, want: nil},
		{in: `""`, want: nil},
		{in: `"abc"`, wantErr: true},
		{in: `1.5`, wantErr: true},
		{in: `"1.5"`, wantErr: true},
		{in: `true`, wantErr: true},
		{in: `{}`, wantErr: true},
		{in: `[1]`, wantErr: true},
		{in: `1e300`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n := flexInt{sent(int64(42))}
			err := json.Unmarshal([]byte(tt.in), &n)
			if tt.wantErr {
				assertValueError(t, err, "a whole number", tt.in)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := n.ptr(); showInt(got) != showInt(tt.want) {
				t.Errorf("got %s, want %s", showInt(got), showInt(tt.want))
			}
		})
	}
}

func TestFlexString(t *testing.T) {
	tests := []struct {
		in      string
		want    *string
		wantErr bool
	}{
		{in: `"Z-API SUPPORT"`, want: new("Z-API SUPPORT")},
		{in: `"caf\u00e9 \"quoted\""`, want: new(`café "quoted"`)},
		// A phone sent as a number keeps every digit (no float rounding).
		{in: `5511999999999`, want: new("5511999999999")},
		{in: `12345678901234567890`, want: new("12345678901234567890")},
		{in: `-12`, want: new("-12")},
		{in: `null`, want: nil},
		// An empty string is a value the API sent, unlike null.
		{in: `""`, want: new("")},
		{in: `{}`, wantErr: true},
		{in: `{"a":"b"}`, wantErr: true},
		{in: `["a"]`, wantErr: true},
		{in: `true`, wantErr: true},
		{in: `false`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s := flexString{sent("stale")}
			err := json.Unmarshal([]byte(tt.in), &s)
			if tt.wantErr {
				assertValueError(t, err, "a string", tt.in)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := s.ptr(); showStr(got) != showStr(tt.want) {
				t.Errorf("got %s, want %s", showStr(got), showStr(tt.want))
			}
		})
	}
}

func TestFlexTime(t *testing.T) {
	const (
		wantTimestamp = "a timestamp"
		wantRFC       = "an RFC 3339 timestamp or Unix time"
		wantEpoch     = "a Unix time in seconds or milliseconds"
	)
	tests := []struct {
		name    string
		in      string
		want    *time.Time
		wantErr string
	}{
		{name: "RFC 3339 with millis", in: `"2026-02-03T12:30:00.000Z"`, want: utcp("2026-02-03T12:30:00Z")},
		{name: "RFC 3339 without millis", in: `"2026-02-03T12:30:00Z"`, want: utcp("2026-02-03T12:30:00Z")},
		{name: "RFC 3339 nanoseconds", in: `"2026-02-03T12:30:00.123456789Z"`, want: utcp("2026-02-03T12:30:00.123456789Z")},
		{name: "negative offset to UTC", in: `"2026-02-03T09:30:00-03:00"`, want: utcp("2026-02-03T12:30:00Z")},
		{name: "positive offset with fraction to UTC", in: `"2026-02-03T14:30:00.5+02:00"`, want: utcp("2026-02-03T12:30:00.5Z")},
		{name: "offset crossing midnight", in: `"2026-02-03T23:30:00-05:00"`, want: utcp("2026-02-04T04:30:00Z")},
		{name: "seconds number", in: `1622991687`, want: utcp("2021-06-06T15:01:27Z")},
		{name: "seconds string", in: `"1622991687"`, want: utcp("2021-06-06T15:01:27Z")},
		{name: "milliseconds number", in: `1655953774000`, want: utcp("2022-06-23T03:09:34Z")},
		{name: "milliseconds string", in: `"1655953774000"`, want: utcp("2022-06-23T03:09:34Z")},
		{name: "milliseconds with a fraction of a second", in: `1655953774123`, want: utcp("2022-06-23T03:09:34.123Z")},
		{name: "milliseconds as float exponent", in: `1.655953774e12`, want: utcp("2022-06-23T03:09:34Z")},
		// Either side of each bound of the seconds/milliseconds rule.
		{name: "year 2009 in seconds", in: `1230768000`, want: utcp("2009-01-01T00:00:00Z")},
		{name: "largest seconds value: the year 9999 in seconds", in: `253402300799`, want: utcp("9999-12-31T23:59:59Z")},
		{name: "year 9999 in seconds as a string", in: `"253402300799"`, want: utcp("9999-12-31T23:59:59Z")},
		{name: "one past the year 9999 in seconds", in: `253402300800`, wantErr: wantEpoch},
		{name: "1e11, once read as 1973 in milliseconds", in: `100000000000`, want: utcp("5138-11-16T09:46:40Z")},
		{name: "one below the smallest milliseconds value", in: `999999999999`, wantErr: wantEpoch},
		{name: "smallest milliseconds value", in: `1000000000000`, want: utcp("2001-09-09T01:46:40Z")},
		{name: "smallest milliseconds value as a string", in: `"1000000000000"`, want: utcp("2001-09-09T01:46:40Z")},
		{name: "year 2009 in milliseconds", in: `1230768000000`, want: utcp("2009-01-01T00:00:00Z")},
		{name: "largest milliseconds value: the year 9999", in: `253402300799999`, want: utcp("9999-12-31T23:59:59.999Z")},
		{name: "one past the year 9999 in milliseconds", in: `253402300800000`, wantErr: wantEpoch},
		{name: "zero number is unset", in: `0`},
		{name: "zero string is unset", in: `"0"`},
		{name: "null is unset", in: `null`},
		{name: "empty string is unset", in: `""`},
		{name: "negative number", in: `-5`, wantErr: wantEpoch},
		{name: "negative string", in: `"-1655953774000"`, wantErr: wantEpoch},
		{name: "minus one is not a time", in: `-1`, wantErr: wantEpoch},
		{name: "a word", in: `"yesterday"`, wantErr: wantRFC},
		{name: "a date without time", in: `"2026-02-03"`, wantErr: wantRFC},
		{name: "1e15 is beyond any time", in: `1000000000000000`, wantErr: wantEpoch},
		{name: "1e15 as string", in: `"1000000000000000"`, wantErr: wantEpoch},
		{name: "huge float", in: `1e20`, wantErr: wantTimestamp},
		{name: "fraction", in: `1.5`, wantErr: wantTimestamp},
		{name: "boolean", in: `true`, wantErr: wantTimestamp},
		{name: "object", in: `{}`, wantErr: wantTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := flexTime{sent(time.Now())}
			err := json.Unmarshal([]byte(tt.in), &ft)
			if tt.wantErr != "" {
				assertValueError(t, err, tt.wantErr, tt.in)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := ft.ptr()
			if showTime(got) != showTime(tt.want) {
				t.Errorf("got %s, want %s", showTime(got), showTime(tt.want))
			}
			if got != nil && got.Location() != time.UTC {
				t.Errorf("time %v is in %v, want UTC", got, got.Location())
			}
		})
	}
}

func TestMuteEnd(t *testing.T) {
	tests := []struct {
		in          string
		wantTime    *time.Time
		wantForever *bool
		wantErr     bool
	}{
		{in: `-1`, wantForever: new(true)},
		{in: `"-1"`, wantForever: new(true)},
		{in: `-1.0`, wantForever: new(true)},
		{in: `1655953774000`, wantTime: utcp("2022-06-23T03:09:34Z"), wantForever: new(false)},
		{in: `"1655953774000"`, wantTime: utcp("2022-06-23T03:09:34Z"), wantForever: new(false)},
		{in: `"2022-06-23T03:09:34Z"`, wantTime: utcp("2022-06-23T03:09:34Z"), wantForever: new(false)},
		{in: `null`},
		{in: `""`},
		{in: `0`},
		{in: `-2`, wantErr: true},
		{in: `"never"`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m := muteEnd{forever: true}
			err := json.Unmarshal([]byte(tt.in), &m)
			if tt.wantErr {
				var ve *valueError
				if !errors.As(err, &ve) {
					t.Fatalf("got %v, want a *valueError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := m.ptr(); m.forever && got != nil {
				t.Errorf("a mute forever has an end time %v", got)
			}
			var end *time.Time
			if !m.forever {
				end = m.ptr()
			}
			if showTime(end) != showTime(tt.wantTime) {
				t.Errorf("end time %s, want %s", showTime(end), showTime(tt.wantTime))
			}
			if showBool(m.foreverPtr()) != showBool(tt.wantForever) {
				t.Errorf("forever %s, want %s", showBool(m.foreverPtr()), showBool(tt.wantForever))
			}
		})
	}
}

func TestValueErrorQuotesAShortExcerpt(t *testing.T) {
	long := `"` + strings.Repeat("x", 500) + `"`
	var b flexBool
	err := json.Unmarshal([]byte(long), &b)
	var ve *valueError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *valueError", err)
	}
	if n := len([]rune(ve.Error())); n > len("want a boolean, got ")+valueRunes+1 {
		t.Errorf("the message has %d runes, want the value cut to %d: %q", n, valueRunes, ve.Error())
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := map[string]string{
		"+55 (11) 99999-9999":       "5511999999999",
		"5511999999999":             "5511999999999",
		" 55.11.99999.9999 ":        "5511999999999",
		"120363019502650977-group":  "120363019502650977-group",
		"status@broadcast":          "status@broadcast",
		"":                          "",
		"  +  ":                     "+",
		"5511999999999@c.us":        "5511999999999@c.us",
		"+1 (555) 010-0000 ":        "15550100000",
		"120363019502650977@g.us  ": "120363019502650977@g.us",
	}
	for in, want := range tests {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmptyStringIsAValueOnlyForStrings(t *testing.T) {
	// "" is a string the API sent (a contact may have an empty name), but
	// holds no boolean, number or time: those read as not sent, like null.
	t.Run("scalars", func(t *testing.T) {
		var s flexString
		var b flexBool
		var n flexInt
		var tm flexTime
		var m muteEnd
		for _, v := range []any{&s, &b, &n, &tm, &m} {
			if err := json.Unmarshal([]byte(`""`), v); err != nil {
				t.Fatalf("%T: %v", v, err)
			}
		}
		if showStr(s.ptr()) != `""` {
			t.Errorf("flexString: got %s, want the empty string", showStr(s.ptr()))
		}
		if b.ptr() != nil || n.ptr() != nil || tm.ptr() != nil || m.ptr() != nil || m.foreverPtr() != nil {
			t.Errorf(`"" read as a value: bool %s, int %s, time %s, mute end %s forever %s`,
				showBool(b.ptr()), showInt(n.ptr()), showTime(tm.ptr()), showTime(m.ptr()), showBool(m.foreverPtr()))
		}
	})
	tests := []struct {
		name    string
		backend string
		body    string
		want    Chat
	}{
		{
			name: "empty strings", backend: BackendZAPI,
			body: `[{"phone":"1","name":"","archived":"","pinned":"","isMuted":"","isMarkedSpam":"","isGroup":"",
				"isGroupAnnouncement":"","unread":"","messagesUnread":"","lastMessageTime":"","muteEndTime":"",
				"notes":{"id":"","content":"","createdAt":"","lastUpdateAt":""}}]`,
			want: Chat{ID: "1", Phone: new("1"), Name: new(""), Notes: &Notes{ID: new(""), Content: new("")}},
		},
		{
			name: "nulls", backend: BackendZAPI,
			body: `[{"phone":"1","name":null,"archived":null,"unread":null,"lastMessageTime":null,"muteEndTime":null,"notes":null}]`,
			want: Chat{ID: "1", Phone: new("1")},
		},
		{
			name: "empty strings", backend: BackendEnviaAI,
			body: `{"success":true,"data":[{"chatId":"a","phone":"","contactName":"","profilePicUrl":"","unreadCount":"",
				"isGroup":"","createdAt":"","lastMessageAt":"",
				"lastMessage":{"messageId":"","content":"","timestamp":"","isFromMe":"","type":""}}]}`,
			want: Chat{ID: "a", Phone: new(""), Name: new(""), ProfilePicURL: new(""),
				LastMessage: &Message{ID: new(""), Content: new(""), Type: new("")}},
		},
		{
			name: "nulls", backend: BackendEnviaAI,
			body: `{"success":true,"data":[{"chatId":"a","phone":null,"contactName":null,"profilePicUrl":null,"unreadCount":null,
				"isGroup":null,"createdAt":null,"lastMessageAt":null,
				"lastMessage":{"messageId":null,"content":null,"timestamp":null,"isFromMe":null,"type":null}}]}`,
			// A lastMessage with nothing in it is no message, like Z-API's empty notes.
			want: Chat{ID: "a"},
		},
		{
			name: "empty objects", backend: BackendEnviaAI,
			body: `{"success":true,"data":[{"chatId":"a","lastMessage":{}}]}`,
			want: Chat{ID: "a"},
		},
		{
			name: "empty objects", backend: BackendZAPI,
			body: `[{"phone":"1","notes":{}}]`,
			want: Chat{ID: "1", Phone: new("1")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.backend, func(t *testing.T) {
			decode := zapiDecode
			if tt.backend == BackendEnviaAI {
				decode = enviaDecode
			}
			p, err := decode(t, tt.body)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(p.chats) != 1 {
				t.Fatalf("%d chats, want 1", len(p.chats))
			}
			assertChat(t, "chat", p.chats[0], tt.want)
		})
	}
}
