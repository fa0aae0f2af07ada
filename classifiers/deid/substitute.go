package deid

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// SubstituteConfig configures Substitute.
type SubstituteConfig struct {
	// KeyEnv names the environment variable holding the seed. It is a
	// secret: with it, anyone can rebuild the mapping from the (small)
	// space of real values.
	KeyEnv string `yaml:"key_env"`
	// KeepDomain keeps an e-mail's domain; otherwise fakes use the
	// reserved example.com, example.net and example.org (RFC 2606), so
	// nothing is ever sent to a real mailbox.
	KeepDomain bool `yaml:"keep_domain"`
}

// Substitute replaces a value with a realistic fake of the same type that
// passes the same checks (check digits, real dates, allocated mobile
// segments) and keeps the written shape. The fake is drawn from a
// generator seeded with HMAC-SHA256(seed, type, canonical value), so one
// real value always gets the same fake and joins still work. Fakes are
// valid data: a rescan reports them, as it would the real thing.
//
// What each fake keeps: resident IDs the holder's gender (the parity of
// the sequence number; region and birth date are drawn, adults only);
// bank cards the IIN and length; IBANs the country and the BBAN's
// letters; mobiles the +86 prefix; private IPv4 addresses their private
// block; coordinates whether they are in China. Types without a
// generator give ErrUnsupported.
type Substitute struct {
	key        []byte
	keepDomain bool
}

var _ Operator = (*Substitute)(nil)

// NewSubstitute returns a Substitute operator whose seed is derived from
// master.
func NewSubstitute(cfg SubstituteConfig, master []byte) (*Substitute, error) {
	if err := checkKey("substitute", master); err != nil {
		return nil, err
	}
	k, err := deriveKey(master, "substitute", 32)
	if err != nil {
		return nil, err
	}
	return &Substitute{key: k, keepDomain: cfg.KeepDomain}, nil
}

// Name returns "substitute".
func (s *Substitute) Name() string { return "substitute" }

// rng returns the generator for one value.
func (s *Substitute) rng(dataType string, canon []byte) *rand.Rand {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(dataType))
	mac.Write([]byte{0})
	mac.Write(canon)
	var seed [32]byte
	copy(seed[:], mac.Sum(nil))
	return rand.New(rand.NewChaCha8(seed))
}

// Apply returns the fake.
func (s *Substitute) Apply(ctx OpContext, value []byte) ([]byte, error) {
	v := bytes.TrimSpace(value)
	r := s.rng(ctx.DataType, Canonical(ctx.DataType, v))
	sh := newShape(ctx.DataType, v)
	var fake []byte
	switch ctx.DataType {
	case "cn_resident_id":
		fake = fakeResidentID(r, upper(sh.content()))
	case "cn_mobile":
		fake = fakeMobile(r)
	case "bank_card":
		fake = fakeCard(r, sh.content())
	case "iban":
		fake = fakeIBAN(r, upper(sh.content()))
	case "hk_id":
		fake = fakeHKID(r, upper(sh.content()))
	case "tw_id":
		fake = fakeTWID(r, upper(sh.content()))
	case "cn_passport":
		fake = fakePassport(r, sh.content())
	case "email":
		return fitKind(s.Name(), ctx, s.fakeEmail(r, v))
	case "ipv4":
		q, ok := parseIPv4(v)
		if !ok {
			return nil, unsupported(s.Name(), ctx.DataType, "not a dotted quad")
		}
		return fitKind(s.Name(), ctx, fakeIPv4(r, q))
	case "gps_coordinate":
		p, ok := parsePair(v)
		if !ok {
			return nil, unsupported(s.Name(), ctx.DataType, "not a coordinate pair")
		}
		return fitKind(s.Name(), ctx, fakeGPS(r, p))
	default:
		return nil, unsupported(s.Name(), ctx.DataType, "no generator for this type")
	}
	if fake == nil {
		return nil, unsupported(s.Name(), ctx.DataType, "value not in the type's form")
	}
	out := fake
	if len(sh.pos) == len(fake) {
		out = sh.with(fake) // same separators, prefix and parentheses
		if bytes.Equal(out, v) {
			// A fake equal to the input would leak it; vanishingly rare.
			return nil, unsupported(s.Name(), ctx.DataType, "fake collided with the value")
		}
	}
	return fitKind(s.Name(), ctx, out)
}

func digitsN(r *rand.Rand, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = byte('0' + r.IntN(10))
	}
	return out
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// cnCounties are real county-level codes (GB/T 2260) fakes are born in.
var cnCounties = []string{
	"110101", "110105", "110108", "120101", "130102", "140105", "210102", "220102",
	"230102", "310101", "310115", "320102", "320505", "330106", "340104", "350102",
	"360102", "370102", "410105", "420106", "430104", "440104", "440305", "450103",
	"460105", "500103", "510107", "520102", "530102", "610113", "620102", "650102",
}

// fakeBirthFirst and fakeBirthDays bound fake birth dates: 1950-01-01 to
// 2005-12-31, so no fake holder is a minor.
var (
	fakeBirthFirst = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	fakeBirthDays  = int(time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC).Sub(fakeBirthFirst).Hours()/24) + 1
)

func fakeResidentID(r *rand.Rand, c []byte) []byte {
	if len(c) != 18 || !allDigits(c[:17]) {
		return nil
	}
	born := fakeBirthFirst.AddDate(0, 0, r.IntN(fakeBirthDays))
	seq := r.IntN(1000)
	if seq%2 != int(c[16]-'0')%2 { // keep the gender digit's parity
		seq ^= 1
	}
	body := fmt.Appendf(nil, "%s%s%03d", pick(r, cnCounties), born.Format("20060102"), seq)
	return append(body, gbCheck(body))
}

// cnMobileSegments are allocated mobile segments (MIIT numbering plan).
var cnMobileSegments = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
	"176", "177", "178", "180", "181", "182", "183", "184", "185", "186",
	"187", "188", "189", "191", "198", "199",
}

func fakeMobile(r *rand.Rand) []byte {
	return append([]byte(pick(r, cnMobileSegments)), digitsN(r, 8)...)
}

func fakeCard(r *rand.Rand, c []byte) []byte {
	if len(c) < 13 || len(c) > 19 || !allDigits(c) {
		return nil
	}
	body := append(append([]byte{}, c[:6]...), digitsN(r, len(c)-7)...)
	return append(body, luhnDigit(body))
}

func fakeIBAN(r *rand.Rand, c []byte) []byte {
	if len(c) < 15 || len(c) > 34 || !isUpper(c[0]) || !isUpper(c[1]) {
		return nil
	}
	out := bytes.Clone(c)
	for i := 4; i < len(out); i++ {
		if isDigit(out[i]) {
			out[i] = byte('0' + r.IntN(10))
		}
	}
	cd := ibanCheckDigits(out)
	out[2], out[3] = cd[0], cd[1]
	return out
}

func fakeHKID(r *rand.Rand, c []byte) []byte {
	nl := len(c) - 7
	if nl != 1 && nl != 2 {
		return nil
	}
	body := make([]byte, 0, 9)
	for range nl {
		body = append(body, "ACDEGHKMPRVYZ"[r.IntN(13)])
	}
	body = append(body, digitsN(r, 6)...)
	return append(body, hkidCheck(body))
}

func fakeTWID(r *rand.Rand, c []byte) []byte {
	if len(c) != 10 || (c[1] != '1' && c[1] != '2' && c[1] != '8' && c[1] != '9') {
		return nil
	}
	body := append([]byte{byte('A' + r.IntN(26)), c[1]}, digitsN(r, 7)...)
	return append(body, twCheck(body))
}

func fakePassport(r *rand.Rand, c []byte) []byte {
	nl := 0
	for nl < len(c) && (isUpper(c[nl]) || isLower(c[nl])) {
		nl++
	}
	if nl == 0 || nl == len(c) || !allDigits(c[nl:]) {
		return nil
	}
	d := digitsN(r, len(c)-nl)
	d[0] = byte('1' + r.IntN(9))
	return append(append([]byte{}, c[:nl]...), d...)
}

var (
	fakeSurnames = []string{"zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou",
		"xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao"}
	fakeGiven = []string{"wei", "fang", "na", "min", "jing", "qiang", "lei", "jun", "yan", "jie",
		"tao", "ming", "chao", "xiu", "xia", "ping", "gang", "hui", "yu", "ting"}
	fakeDomains = []string{"example.com", "example.net", "example.org"}
)

func (s *Substitute) fakeEmail(r *rand.Rand, v []byte) []byte {
	local := pick(r, fakeSurnames) + pick(r, []string{".", "_", ""}) + pick(r, fakeGiven)
	if n := r.IntN(5); n > 0 {
		local += string(digitsN(r, n))
	}
	domain := pick(r, fakeDomains)
	if at := bytes.LastIndexByte(v, '@'); s.keepDomain && at > 0 {
		domain = string(lower(v[at+1:]))
	}
	return []byte(local + "@" + domain)
}

// fakeIPv4 keeps private, loopback and link-local blocks and puts other
// addresses in the shared address space 100.64.0.0/10 (RFC 6598), which
// is never a public host.
func fakeIPv4(r *rand.Rand, q [4]int) []byte {
	o := func() int { return r.IntN(256) }
	var f [4]int
	switch {
	case q[0] == 10, q[0] == 127:
		f = [4]int{q[0], o(), o(), 1 + r.IntN(254)}
	case q[0] == 172 && q[1] >= 16 && q[1] <= 31:
		f = [4]int{172, 16 + r.IntN(16), o(), 1 + r.IntN(254)}
	case q[0] == 192 && q[1] == 168, q[0] == 169 && q[1] == 254:
		f = [4]int{q[0], q[1], o(), 1 + r.IntN(254)}
	default:
		f = [4]int{100, 64 + r.IntN(64), o(), 1 + r.IntN(254)}
	}
	return fmt.Appendf(nil, "%d.%d.%d.%d", f[0], f[1], f[2], f[3])
}

// fakeGPS draws a point in mainland China's bounding box when the real one
// is in it, anywhere between 60°S and 70°N otherwise, with the same
// decimals and separators.
func fakeGPS(r *rand.Rand, p pair) []byte {
	latLo, latHi, lngLo, lngHi := -60.0, 70.0, -180.0, 180.0
	if p.lat >= 18 && p.lat <= 54 && p.lng >= 73 && p.lng <= 135 {
		latLo, latHi, lngLo, lngHi = 18.2, 53.5, 73.7, 134.7
	}
	lat := latLo + r.Float64()*(latHi-latLo)
	lng := lngLo + r.Float64()*(lngHi-lngLo)
	out := p.lead + strconv.FormatFloat(lat, 'f', decimals(p.latS), 64) + p.mid +
		strconv.FormatFloat(lng, 'f', decimals(p.lngS), 64) + p.tail
	return []byte(out)
}
