package classifiers

import (
	"context"
	"encoding/hex"
	"math/big"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/piiscan/piiscan/rules"
)

// Fuzz targets of the validators and the engine (STYLE.md section 7):
// validators never panic and agree with a plain reference implementation;
// the engine never panics and reports matches inside the owned region.
// `make fuzz` runs each briefly.

// luhnRef is ISO/IEC 7812-1 Luhn written the textbook way.
func luhnRef(d []byte) bool {
	if len(d) < 2 {
		return false
	}
	sum := 0
	for i := range d {
		c := d[len(d)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		v := int(c - '0')
		if i%2 == 1 {
			v = v * 2 % 9
			if c == '9' {
				v = 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// mod97Ref is ISO 13616 with math/big: move the first four characters to
// the end, letters become 10..35, the number mod 97 must be 1.
func mod97Ref(v []byte) bool {
	if len(v) < 5 {
		return false
	}
	s := ""
	for _, c := range append(append([]byte{}, v[4:]...), v[:4]...) {
		switch {
		case c >= '0' && c <= '9':
			s += string(c)
		case c >= 'A' && c <= 'Z':
			s += big.NewInt(int64(c-'A') + 10).String()
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(s, 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// gbRef is the GB 11643 MOD 11-2 check character of 17 digits.
func gbRef(d []byte) byte {
	sum := 0
	for i := range 17 {
		w := new(big.Int).Exp(big.NewInt(2), big.NewInt(int64(17-i)), big.NewInt(11)).Int64()
		sum += int(d[i]-'0') * int(w)
	}
	return "10X98765432"[sum%11]
}

func FuzzLuhn(f *testing.F) {
	for _, s := range []string{"4111111111111111", "79927398713", "0", "", "4111 1111 1111 1112", "9", "00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		if got, want := luhn(v), luhnRef(v); got != want {
			t.Fatalf("luhn(%q) = %v, reference %v", v, got, want)
		}
		if got, want := Validators["luhn"](v), luhnRef(compact(v, false)); got != want {
			t.Fatalf("validator luhn(%q) = %v, reference %v", v, got, want)
		}
		_ = Validators["bank_card"](v)
	})
}

func FuzzIBAN(f *testing.F) {
	for _, s := range []string{"GB82WEST12345698765432", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32", "XX00", "GB00WEST12345698765432"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		if got, want := ibanMod97(v), mod97Ref(v); got != want {
			t.Fatalf("ibanMod97(%q) = %v, reference %v", v, got, want)
		}
		if iban(v) && !mod97Ref(v) {
			t.Fatalf("iban(%q) accepted a failing checksum", v)
		}
		_ = Validators["iban_mod97"](v)
	})
}

func FuzzGB11643(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "440104195101058590", "110105194912310021", "1101051949123", "11010520261301002X"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		birth, ok := residentID(v, testAsOf)
		_ = Validators["gb11643"](v)
		if !ok {
			return
		}
		if len(v) != 18 {
			t.Fatalf("residentID accepted %d characters", len(v))
		}
		if gbRef(v) != v[17] {
			t.Fatalf("residentID(%q) accepted check %c, want %c", v, v[17], gbRef(v))
		}
		if birth.After(testAsOf) || birth.Year() < 1800 {
			t.Fatalf("residentID(%q) accepted birth date %v", v, birth)
		}
	})
}

// FuzzValidators runs every named validator and the other checks on the
// same input: none may panic, whatever the bytes.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"A123456(3)", "F223456786", "13812348000", "+86 138 1234 8000", "622202123456789", "", "\xff\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		for _, name := range ValidatorNames() {
			_ = Validators[name](v)
		}
		_, _, _ = hkid(v), twID(v), cnMobile(v)
		// cardIIN and gb11643Check take digits of a checked length, as
		// their callers pass them.
		if allDigits(v) && cardLength(v) {
			_ = cardIIN(v)
		}
		if len(v) == 17 && allDigits(v) {
			_ = gb11643Check(v)
		}
	})
}

// fuzzEngine is the built-in engine, compiled once for all inputs.
var fuzzEngine = sync.OnceValue(func() *Engine {
	b, err := rules.Builtin()
	if err != nil {
		panic(err)
	}
	rs, err := rules.Merge(b)
	if err != nil {
		panic(err)
	}
	e, err := Compile(rs, Options{HMACKey: []byte("fuzz-key"), AsOf: testAsOf})
	if err != nil {
		panic(err)
	}
	return e
})

// checkEmitter checks every match as it comes.
type checkEmitter struct {
	t          *testing.T
	buf        []byte
	own0, own1 int
	n          int
}

func (c *checkEmitter) Match(m *Match) error {
	c.n++
	if m.Start < c.own0 || m.Start >= c.own1 || m.End <= m.Start || m.End > len(c.buf) {
		c.t.Fatalf("match %s [%d,%d) outside owned [%d,%d) of %d bytes", m.DataType, m.Start, m.End, c.own0, c.own1, len(c.buf))
	}
	if b, err := hex.DecodeString(m.Fingerprint); err != nil || len(b) != 32 {
		c.t.Fatalf("match %s: fingerprint %q is not HMAC-SHA256 hex", m.DataType, m.Fingerprint)
	}
	if raw := c.buf[m.Start:m.End]; len(raw) >= 8 && m.Masked == string(raw) {
		c.t.Fatalf("match %s: masked value is the raw value", m.DataType)
	}
	if m.DataType == "" || m.Level == "" || !utf8.ValidString(m.Masked) {
		c.t.Fatalf("match without type or level, or an invalid masked value: %+v", m)
	}
	return nil
}
func (c *checkEmitter) EndRecord(int64, bool) error { return nil }
func (c *checkEmitter) Anchor(int) any              { return nil }

// FuzzEngine scans arbitrary bytes as text with an arbitrary owned region
// and column name: no panic, matches start in the owned region and end in
// the buffer, masked values are not raw values, and a second scan of the
// same input gives the same number of matches (no state leaks between
// calls of a scanner after Reset).
func FuzzEngine(f *testing.F) {
	for _, s := range []string{
		"客户身份证号 11010519491231002X，手机 138 1234 8000",
		"email zhang.san@example.com card 4111 1111 1111 1111 iban GB82 WEST 1234 5698 7654 32",
		"39.904200,116.407400 192.168.10.24 A123456(3) F223456786 护照 E12345678",
		"",
	} {
		f.Add([]byte(s), uint16(0), uint16(0xFFFF), "")
		f.Add([]byte(s), uint16(3), uint16(20), "id_no")
	}
	f.Fuzz(func(t *testing.T, buf []byte, a, b uint16, field string) {
		if len(buf) > 1<<16 {
			return
		}
		own0, own1 := min(int(a), len(buf)), min(int(b), len(buf))
		if own0 > own1 {
			own0, own1 = own1, own0
		}
		e := fuzzEngine()
		var fld *Field
		if field != "" {
			fld = e.Field(field)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s := e.NewScanner()
		first := &checkEmitter{t: t, buf: buf, own0: own0, own1: own1}
		if err := s.ScanText(ctx, buf, own0, own1, fld, first); err != nil {
			t.Fatalf("scan: %v", err)
		}
		s.Reset()
		again := &checkEmitter{t: t, buf: buf, own0: own0, own1: own1}
		if err := s.ScanText(ctx, buf, own0, own1, fld, again); err != nil {
			t.Fatalf("scan: %v", err)
		}
		if first.n != again.n {
			t.Fatalf("the same input gave %d then %d matches", first.n, again.n)
		}
	})
}
