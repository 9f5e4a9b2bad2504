package emulator

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// epoch is "now" for the generated data, so the data does not depend on the
// clock.
var epoch = time.Date(2026, 2, 3, 12, 30, 0, 0, time.UTC)

const day = 24 * time.Hour

// Names every data set shows early on, so clients meet non-ASCII text even
// with few chats.
var showcaseNames = []string{"São Paulo Suporte", "José Álvarez", "山田太郎", "Équipe 🚀"}

var (
	firstNames = []string{
		"Ana", "Bruno", "Camila", "Diego", "Eduarda", "Felipe", "Gabriela", "Heitor",
		"Isabela", "João", "Larissa", "Marcos", "Natália", "Otávio", "Paula", "Rafael",
		"Sofia", "Thiago", "Vitória", "Yuri", "Amélie", "Zoë", "Mei", "Hiroshi",
		"Fátima", "Søren", "Björn", "Chloé", "Ñeco", "Aiyana",
	}
	lastNames = []string{
		"Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Rodrigues",
		"Almeida", "Nascimento", "Araújo", "Gonçalves", "Müller", "O'Brien", "Nguyen",
		"Tanaka", "Ferreira", "Carvalho", "Ribeiro", "Conceição",
	}
	businessNames = []string{
		"Padaria Pão Quente", "Oficina do Zé", "Clínica Sorriso", "Loja 🛍️ Centro",
		"Pizzaria Bella Napoli", "Pet Shop Au Au", "Farmácia Saúde", "李记餐馆",
	}
	groupNames = []string{
		"Família Silva", "Equipe Vendas", "Futebol de Quinta ⚽", "Condomínio Bela Vista",
		"Projeto Alpha", "Turma 2010", "Suporte N2", "Viagem 🏖️ 2026",
	}
	areaCodes = []int{11, 19, 21, 27, 31, 41, 47, 51, 61, 71, 81, 85, 91, 98}
)

// generator draws deterministic data from a seed and keeps ids unique.
type generator struct {
	rng  *rand.Rand
	used map[string]bool
}

// newGenerator gives each stream (an API, an instance) its own sequence
// from the same seed.
func newGenerator(seed int64, stream string) *generator {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return &generator{rng: rand.New(rand.NewPCG(uint64(seed), h.Sum64())), used: map[string]bool{}}
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// unique retries next until it yields a value not seen before.
func (g *generator) unique(next func() string) string {
	for {
		s := next()
		if !g.used[s] {
			g.used[s] = true
			return s
		}
	}
}

// contactPhone is a Brazilian mobile number in international format.
func (g *generator) contactPhone() string {
	return g.unique(func() string {
		return fmt.Sprintf("55%d9%08d", areaCodes[g.rng.IntN(len(areaCodes))], g.rng.IntN(100_000_000))
	})
}

// groupNumber is the numeric part of a WhatsApp group id.
func (g *generator) groupNumber() string {
	return g.unique(func() string { return fmt.Sprintf("120363%012d", g.rng.Int64N(1_000_000_000_000)) })
}

func (g *generator) personName() string {
	if g.chance(0.08) {
		return g.pick(businessNames)
	}
	return g.pick(firstNames) + " " + g.pick(lastNames)
}

func (g *generator) hex(n int) string {
	return g.chars("0123456789abcdef", n)
}

// base64 looks like a padded base64 id of n characters.
func (g *generator) base64(n int) string {
	return g.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", n-1) + "="
}

func (g *generator) chars(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// between is a millisecond-precision time in [from, to).
func (g *generator) between(from, to time.Time) time.Time {
	span := to.Sub(from).Milliseconds()
	if span <= 0 {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(span)) * time.Millisecond)
}

// unreadCount is mostly 0, sometimes a few, rarely many.
func (g *generator) unreadCount() int {
	switch r := g.rng.Float64(); {
	case r < 0.6:
		return 0
	case r < 0.97:
		return 1 + g.rng.IntN(20)
	default:
		return 21 + g.rng.IntN(300)
	}
}
