package classifiers

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestIPv6GroupsNeverRejectsAnAddress checks the shape filter in front of
// netip.ParseAddr against netip itself: on generated strings of the
// candidate alphabet, every string netip reads as an IPv6 address passes
// the filter, and the filter passes few that netip rejects.
func TestIPv6GroupsNeverRejectsAnAddress(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	const alphabet = "0123456789abcdefABCDEF:."
	valid, passed, wrong := 0, 0, 0
	gen := func() string {
		switch r.IntN(3) {
		case 0: // an address, possibly mangled
			var a [16]byte
			for i := range a {
				a[i] = byte(r.IntN(4) * r.IntN(256) / 3)
			}
			s := netip.AddrFrom16(a).String()
			if r.IntN(4) == 0 {
				b := []byte(s)
				b[r.IntN(len(b))] = alphabet[r.IntN(len(alphabet))]
				s = string(b)
			}
			return s
		case 1: // an IPv4-mapped or IPv4-embedded form
			return []string{"::ffff:", "64:ff9b::", "::", "1:2:3:4:5:6:"}[r.IntN(4)] +
				netip.AddrFrom4([4]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))}).String()
		default: // noise
			b := make([]byte, 2+r.IntN(40))
			for i := range b {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
			return string(b)
		}
	}
	for range 200000 {
		s := gen()
		a, err := netip.ParseAddr(s)
		ok := err == nil && a.Is6()
		got := ipv6Groups([]byte(s))
		if ok {
			valid++
			if !got {
				t.Fatalf("ipv6Groups(%q) = false, but netip reads %v", s, a)
			}
		}
		if got {
			passed++
			if !ok {
				wrong++
			}
		}
	}
	if valid < 50000 {
		t.Fatalf("only %d valid addresses generated", valid)
	}
	if wrong*20 > passed {
		t.Errorf("the filter passed %d strings netip rejects, of %d passed", wrong, passed)
	}
	t.Logf("%d valid, %d passed, %d of those rejected by netip", valid, passed, wrong)
}
