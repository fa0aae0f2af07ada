package deid

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// MaskConfig configures Mask. The zero value masks every content
// character with '*'.
type MaskConfig struct {
	// KeepFirst and KeepLast are content characters left visible at the
	// start and end of the masked region. At least one character is
	// always hidden, so a short value is never shown whole.
	KeepFirst int `yaml:"keep_first"`
	KeepLast  int `yaml:"keep_last"`
	// From and To, when To > 0, mask only the content characters with
	// index From <= i < To (0-based) instead of using KeepFirst/KeepLast.
	From int `yaml:"from"`
	To   int `yaml:"to"`
	// Before restricts masking to the part before the first occurrence of
	// this character (mask before '@' keeps an e-mail's domain); After to
	// the part after it. At most one of them is set.
	Before string `yaml:"before"`
	After  string `yaml:"after"`
	// Char is the mask character; empty means "*".
	Char string `yaml:"char"`
}

// Validate checks the configuration.
func (c MaskConfig) Validate() error {
	if c.KeepFirst < 0 || c.KeepLast < 0 || c.From < 0 || c.To < 0 {
		return fmt.Errorf("keep_first, keep_last, from and to must not be negative")
	}
	if c.To > 0 && c.From >= c.To {
		return fmt.Errorf("from (%d) must be below to (%d)", c.From, c.To)
	}
	if c.Before != "" && c.After != "" {
		return fmt.Errorf("set before or after, not both")
	}
	for _, s := range []struct{ name, v string }{{"before", c.Before}, {"after", c.After}, {"char", c.Char}} {
		if s.v != "" && utf8.RuneCountInString(s.v) != 1 {
			return fmt.Errorf("%s must be one character", s.name)
		}
	}
	if c.Char != "" {
		r, _ := utf8.DecodeRuneInString(c.Char)
		if r < 0x80 && isAlnum(byte(r)) {
			// An alphanumeric mask character could rebuild a valid
			// identifier ("138 0000 5678" is a real mobile number).
			return fmt.Errorf("char must not be a letter or digit")
		}
	}
	return nil
}

// Mask hides part of a value and keeps its written shape: separators,
// parentheses, a +86 prefix and, with before '@', an e-mail's domain stay
// in place ("+86 138-****-5678", "A******(3)", "z****.***@example.com").
// Content characters are runes other than ASCII punctuation and spaces,
// so Chinese names and addresses are masked per character.
type Mask struct {
	cfg  MaskConfig
	char []byte
}

var _ Operator = (*Mask)(nil)

// NewMask returns a Mask operator.
func NewMask(cfg MaskConfig) (*Mask, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mask: %w", err)
	}
	ch := cfg.Char
	if ch == "" {
		ch = "*"
	}
	return &Mask{cfg: cfg, char: []byte(ch)}, nil
}

// Name returns "mask".
func (m *Mask) Name() string { return "mask" }

// Apply masks the value.
func (m *Mask) Apply(ctx OpContext, value []byte) ([]byte, error) {
	if ctx.Kind == KindJSONNumber {
		// A masked number is not a number, and masking digits with
		// digits could make another real identifier.
		return nil, unsupported(m.Name(), ctx.DataType, "cannot mask a json number")
	}
	out, err := m.mask(ctx, value)
	if err != nil {
		return nil, err
	}
	return fitKind(m.Name(), ctx, out)
}

func (m *Mask) mask(ctx OpContext, v []byte) ([]byte, error) {
	// The region to mask: all, before or after a character.
	lo, hi := 0, len(v)
	if m.cfg.Before != "" {
		i := bytes.Index(v, []byte(m.cfg.Before))
		if i < 0 && m.cfg.Before == "@" {
			i = bytes.Index(v, []byte("%40")) // an address in a URL: zhang%40example.com
		}
		if i >= 0 {
			hi = i
		}
	}
	if m.cfg.After != "" {
		if i := bytes.Index(v, []byte(m.cfg.After)); i >= 0 {
			lo = i + len(m.cfg.After)
		}
	}
	if ctx.DataType == "cn_mobile" {
		// Keep a country code out of the count: keep_first 3 means the
		// segment (138), not "+86".
		r := v[lo:hi]
		if s := newShape("cn_mobile", r); len(s.pos) > 0 && len(s.pos) < len(newShape("", r).pos) {
			lo += s.pos[0]
		}
	}
	// Content runes of the region.
	type run struct{ off, n int }
	var content []run
	for i := lo; i < hi; {
		r, n := utf8.DecodeRune(v[i:])
		if !isSeparator(r) {
			content = append(content, run{i, n})
		}
		i += n
	}
	total := len(content)
	if total == 0 {
		return bytes.Clone(v), nil
	}
	masked := make([]bool, total)
	if m.cfg.To > 0 {
		for i := m.cfg.From; i < m.cfg.To && i < total; i++ {
			masked[i] = true
		}
	} else {
		first, last := m.cfg.KeepFirst, m.cfg.KeepLast
		for first+last >= total && (first > 0 || last > 0) {
			if last >= first && last > 0 {
				last--
			} else {
				first--
			}
		}
		for i := first; i < total-last; i++ {
			masked[i] = true
		}
	}
	out := make([]byte, 0, len(v)+total)
	prev := 0
	for i, c := range content {
		if !masked[i] {
			continue
		}
		out = append(out, v[prev:c.off]...)
		out = append(out, m.char...)
		prev = c.off + c.n
	}
	return append(out, v[prev:]...), nil
}

// isSeparator reports the characters masking keeps: ASCII spaces and
// punctuation, and full-width spaces.
func isSeparator(r rune) bool {
	switch {
	case r == ' ' || r == '\t' || r == '\u3000':
		return true
	case r < 0x80:
		return !isAlnum(byte(r))
	}
	return false
}
