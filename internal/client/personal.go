package client

import (
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// personalNames are the fields that carry a customer's personal data in a
// chat: names, phones, message texts and pictures. An error quotes no
// value under them either, though the decoded chat keeps them: a
// diagnostic or log line is no place for a customer's data.
var personalNames = []string{"name", "contactname", "pushname", "chatname", "phone", "content", "caption", "profilepicurl"}

// withheld reports whether a value under the JSON field name may not be
// quoted: a credential's, or a customer's personal data. The transport
// withholds the same fields in every text it quotes (see newTransport).
func withheld(name string) bool {
	return transport.SecretField(name) || isPersonalName(name)
}

// isPersonalName reports whether a JSON field name is one of personalNames,
// in any case, with or without '_' and '-'.
func isPersonalName(name string) bool {
	n := strings.ToLower(strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}, name))
	for _, w := range personalNames {
		if n == w {
			return true
		}
	}
	return false
}
