package emulator

import (
	"fmt"
	"time"
)

// enviaWire is a chat as EnviaAI sends it, fields in the documented order.
type enviaWire struct {
	ChatID        string        `json:"chatId"`
	Phone         string        `json:"phone"`
	ContactName   string        `json:"contactName,omitempty"`
	ProfilePicURL string        `json:"profilePicUrl,omitempty"`
	LastMessage   *enviaMessage `json:"lastMessage,omitempty"`
	UnreadCount   int           `json:"unreadCount"`
	IsGroup       bool          `json:"isGroup"`
	CreatedAt     string        `json:"createdAt"`
}

type enviaMessage struct {
	MessageID string `json:"messageId"`
	Content   string `json:"content"`
	Timestamp string `json:"timestamp"`
	IsFromMe  bool   `json:"isFromMe"`
	Type      string `json:"type"`
}

func iso(t time.Time) string { return t.UTC().Format(isoLayout) }

func (g *generator) enviaWire() enviaWire {
	created := g.between(epoch.Add(-730*day), epoch)
	w := enviaWire{
		ChatID:      g.unique(func() string { return "chat_" + g.hex(12) }),
		UnreadCount: g.unreadCount(),
		CreatedAt:   iso(created),
	}
	switch {
	case g.chance(0.1):
		g.makeGroup(&w)
	case g.chance(0.15): // a number not saved in the phone
		w.Phone = g.contactPhone()
	default:
		w.Phone, w.ContactName = g.contactPhone(), g.personName()
	}
	if !g.chance(0.1) {
		w.ProfilePicURL = fmt.Sprintf("https://pps.whatsapp.net/v/t61.24694-24/%d_%d_n.jpg?oh=%s&oe=%s",
			g.rng.Int64N(1e9), g.rng.Int64N(1e15), g.hex(32), g.hex(8))
	}
	if g.chance(0.03) {
		w.UnreadCount = 0
	} else {
		w.LastMessage = g.message(created, "")
	}
	return w
}

var (
	messageTypes = []string{"text", "text", "text", "text", "text", "image", "audio", "document"}
	mediaContent = map[string]string{"image": "[Image]", "audio": "[Audio]", "document": "[Document]"}
	textMessages = []string{
		"Thanks for your help!", "Obrigado pela ajuda!", "Bom dia ☀️", "Pedido #4521 enviado",
		"Qual o horário de funcionamento?", "Até amanhã 👋", "お疲れ様です", "¿Dónde está mi pedido?",
		"Ok", "Pode me ligar?",
	}
)

// message is sent after the chat was created; typ "" picks one, mostly text.
func (g *generator) message(created time.Time, typ string) *enviaMessage {
	if typ == "" {
		typ = g.pick(messageTypes)
	}
	content, ok := mediaContent[typ]
	if !ok {
		content = g.pick(textMessages)
	}
	return &enviaMessage{
		MessageID: "msg_" + g.hex(12),
		Content:   content,
		Timestamp: iso(g.between(created, epoch)),
		IsFromMe:  g.chance(0.4),
		Type:      typ,
	}
}

func (g *generator) makeGroup(w *enviaWire) {
	w.IsGroup, w.Phone, w.ContactName = true, g.groupNumber(), g.pick(groupNames)
}

func (g *generator) replaceMessage(w *enviaWire, typ string) {
	created, _ := time.Parse(isoLayout, w.CreatedAt) // written by iso
	w.LastMessage = g.message(created, typ)
}

// enviaShowcase makes sure the first chats cover every shape, whatever the
// seed.
var enviaShowcase = []func(*generator, *enviaWire){
	func(g *generator, w *enviaWire) {
		w.ContactName, w.UnreadCount = showcaseNames[0], 3
		g.replaceMessage(w, "text")
	},
	func(g *generator, w *enviaWire) { w.ContactName = showcaseNames[1]; g.replaceMessage(w, "image") },
	func(g *generator, w *enviaWire) { w.ContactName = showcaseNames[2]; g.replaceMessage(w, "audio") },
	func(g *generator, w *enviaWire) { w.ContactName = showcaseNames[3]; g.replaceMessage(w, "document") },
	func(g *generator, w *enviaWire) {
		if w.IsGroup {
			w.IsGroup, w.Phone = false, g.contactPhone()
		}
		w.ContactName = ""
	},
	func(_ *generator, w *enviaWire) { w.ProfilePicURL = "" },
	func(_ *generator, w *enviaWire) { w.LastMessage, w.UnreadCount = nil, 0 },
	func(g *generator, w *enviaWire) {
		if !w.IsGroup {
			g.makeGroup(w)
		}
	},
}
