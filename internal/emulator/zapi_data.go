package emulator

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// zapiChat is one chat before it is given its wire form.
type zapiChat struct {
	phone, name             string
	isGroup, announcement   bool
	pinned, archived, spam  bool
	unread                  int
	lastMessageMS           int64
	muteEndMS               int64 // 0: not muted; -1: muted forever
	notes                   *zapiNote
	stringBools, millisTime bool // wire forms of pinned/archived/isMarkedSpam and lastMessageTime
	stringMute              bool // muteEndTime as a string
	unreadForm              unreadForm
}

type zapiNote struct {
	id, content                 string
	createdAtMS, lastUpdateAtMS int64
}

// unreadForm is how messagesUnread appears on the wire.
type unreadForm int

const (
	unreadAbsent unreadForm = iota
	unreadNumber
	unreadString
)

func (c zapiChat) wire() map[string]any {
	isMuted := "0"
	if c.muteEndMS != 0 {
		isMuted = "1"
	}
	m := map[string]any{
		"archived":            c.flag(c.archived),
		"pinned":              c.flag(c.pinned),
		"isMarkedSpam":        c.flag(c.spam),
		"phone":               c.phone,
		"name":                c.name,
		"unread":              strconv.Itoa(c.unread),
		"lastMessageTime":     c.lastMessageTime(),
		"isMuted":             isMuted,
		"isGroup":             c.isGroup,
		"isGroupAnnouncement": c.announcement,
	}
	switch c.unreadForm {
	case unreadNumber:
		m["messagesUnread"] = c.unread
	case unreadString:
		m["messagesUnread"] = strconv.Itoa(c.unread)
	}
	if c.muteEndMS != 0 {
		m["muteEndTime"] = c.muteEndMS
		if c.stringMute {
			m["muteEndTime"] = strconv.FormatInt(c.muteEndMS, 10)
		}
	}
	if n := c.notes; n != nil {
		m["notes"] = map[string]any{"id": n.id, "content": n.content, "createdAt": n.createdAtMS, "lastUpdateAt": n.lastUpdateAtMS}
	}
	return m
}

func (c zapiChat) flag(b bool) any {
	if c.stringBools {
		return strconv.FormatBool(b)
	}
	return b
}

func (c zapiChat) lastMessageTime() string {
	if c.millisTime {
		return strconv.FormatInt(c.lastMessageMS, 10)
	}
	return strconv.FormatInt(c.lastMessageMS/1000, 10)
}

// generateZAPIChats returns n chats in API order: pinned first, then by last
// message time, newest first; ties keep generation order.
func generateZAPIChats(seed int64, n int) []zapiChat {
	g := newGenerator(seed, "z-api")
	g.used[zapiSupportPhone] = true
	chats := []zapiChat{{
		phone: zapiSupportPhone, name: "Z-API SUPPORT", pinned: true,
		lastMessageMS: epoch.UnixMilli(), stringBools: true, unreadForm: unreadNumber,
	}}
	for i := 1; i < n; i++ {
		c := g.zapiChat()
		if i <= len(zapiShowcase) {
			zapiShowcase[i-1](g, &c)
		}
		chats = append(chats, c)
	}
	slices.SortStableFunc(chats, func(a, b zapiChat) int {
		if a.pinned != b.pinned {
			if a.pinned {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.lastMessageMS, a.lastMessageMS)
	})
	return chats
}

func (g *generator) zapiChat() zapiChat {
	c := zapiChat{
		unread:        g.unreadCount(),
		lastMessageMS: g.between(epoch.Add(-180*day), epoch).UnixMilli(),
		archived:      g.chance(0.05),
		spam:          g.chance(0.02),
		stringBools:   g.chance(0.7),
		millisTime:    g.chance(0.1),
		unreadForm:    unreadForm(g.rng.IntN(3)),
	}
	if g.chance(0.12) {
		c.becomeGroup(g)
		c.announcement = g.chance(0.2)
	} else {
		c.phone, c.name = g.contactPhone(), g.personName()
	}
	if g.chance(0.1) {
		c.muteEndMS, c.stringMute = g.muteEnd(), g.chance(0.5)
	}
	if g.chance(0.05) {
		c.notes = g.note(c.lastMessageMS)
	}
	return c
}

// zapiShowcase makes sure the first chats carry every wire quirk, whatever
// the seed.
var zapiShowcase = []func(*generator, *zapiChat){
	func(g *generator, c *zapiChat) {
		c.becomeContact(g, showcaseNames[0])
		c.pinned, c.stringBools = true, false
	},
	func(g *generator, c *zapiChat) {
		c.becomeContact(g, showcaseNames[1])
		c.muteEndMS, c.stringMute = -1, false
	},
	func(g *generator, c *zapiChat) {
		c.becomeContact(g, showcaseNames[2])
		c.muteEndMS, c.stringMute, c.millisTime = -1, true, true
	},
	func(g *generator, c *zapiChat) {
		c.becomeContact(g, showcaseNames[3])
		c.pinned, c.stringBools, c.notes = true, true, g.note(c.lastMessageMS)
	},
	func(g *generator, c *zapiChat) {
		c.becomeGroup(g)
		c.muteEndMS, c.stringMute = epoch.Add(30*day).UnixMilli(), false
	},
	func(g *generator, c *zapiChat) {
		c.becomeGroup(g)
		c.announcement, c.muteEndMS, c.stringMute = true, epoch.Add(8*time.Hour).UnixMilli(), true
	},
	func(_ *generator, c *zapiChat) { c.archived, c.stringBools = true, false },
	func(_ *generator, c *zapiChat) { c.archived, c.stringBools = true, true },
	func(_ *generator, c *zapiChat) { c.spam, c.stringBools, c.unreadForm = true, true, unreadAbsent },
	func(_ *generator, c *zapiChat) {
		c.spam, c.stringBools, c.unreadForm, c.unread = true, false, unreadString, 4
	},
	func(_ *generator, c *zapiChat) { c.unread, c.unreadForm, c.millisTime = 7, unreadNumber, true },
}

func (c *zapiChat) becomeContact(g *generator, name string) {
	if c.isGroup {
		c.isGroup, c.announcement, c.phone = false, false, g.contactPhone()
	}
	c.name = name
}

// becomeGroup names the chat by its id, as Z-API does for groups.
func (c *zapiChat) becomeGroup(g *generator) {
	if !c.isGroup {
		c.isGroup, c.phone = true, g.groupNumber()+"-group"
	}
	c.name = c.phone
}

// muteEnd is -1 (muted forever) for some chats, else a time in the next year.
func (g *generator) muteEnd() int64 {
	if g.chance(0.3) {
		return -1
	}
	return g.between(epoch, epoch.Add(365*day)).UnixMilli()
}

var noteTexts = []string{
	"annotation text", "Cliente VIP – atender primeiro", "Pagamento pendente",
	"Prefere contato à tarde", "要フォロー", "Enviar catálogo 📒",
}

func (g *generator) note(afterMS int64) *zapiNote {
	created := g.between(time.UnixMilli(afterMS).Add(-30*day), epoch)
	updated := g.between(created, epoch.Add(time.Millisecond))
	return &zapiNote{
		id:             g.base64(44),
		content:        g.pick(noteTexts),
		createdAtMS:    created.UnixMilli(),
		lastUpdateAtMS: updated.UnixMilli(),
	}
}
