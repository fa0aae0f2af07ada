package classifiers

import (
	"net/netip"
	"slices"
	"strings"
	"unsafe"

	"github.com/nyaruka/phonenumbers"
)

// GB 32100-2015: the 31-character alphabet of the unified social credit
// code and the weights 3^i mod 31 of its check character.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccTypes maps a USCC's registering authority (first character) to the
// organization types (second character) it registers (GB 32100-2015
// appendix A): 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
// 7 宗教, 8 工会, 9 工商, A 中央军委改革和编制办公室, N 农业, Y 其他.
var usccTypes = [256]string{
	'1': "1239", '2': "19", '3': "123459", '4': "19", '5': "1239", '6': "12",
	'7': "12", '8': "19", '9': "123", 'A': "19", 'N': "1239", 'Y': "1",
}

// uscc validates a unified social credit code: the authority and type
// table, a region code whose province part is real (10 is the national
// level), the embedded GB 11714 organization code with its own check
// character, and the GB 32100 mod 31 check character. Random 18-digit
// numbers (order numbers) pass the last check one time in 31; with the
// others, about one in 10,000.
func uscc(v []byte) bool {
	if len(v) != 18 {
		return false
	}
	if types := usccTypes[v[0]]; types == "" || strings.IndexByte(types, v[1]) < 0 {
		return false
	}
	if !allDigits(v[2:8]) || !(cnProvince(v[2], v[3]) || v[2] == '1' && v[3] == '0') {
		return false
	}
	if !orgCode(v[8:17]) {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		k := strings.IndexByte(usccAlphabet, v[i])
		if k < 0 {
			return false
		}
		sum += k * usccWeights[i]
	}
	c := (31 - sum%31) % 31
	return v[17] == usccAlphabet[c]
}

// orgCode checks a GB 11714 organization code: eight digits or capital
// letters and a check character, weights 3 7 9 10 5 8 4 2, mod 11
// (10 is written X).
func orgCode(o []byte) bool {
	w := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		c := o[i]
		switch {
		case isDigit(c):
			sum += int(c-'0') * w[i]
		case c >= 'A' && c <= 'Z':
			sum += int(c-'A'+10) * w[i]
		default:
			return false
		}
	}
	var want byte
	switch c := 11 - sum%11; c {
	case 10:
		want = 'X'
	case 11:
		want = '0'
	default:
		want = byte('0' + c)
	}
	return o[8] == want
}

// plateProvinces are the province characters of licence plates.
const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

func isPlateProvince(b []byte) bool {
	return len(b) == 3 && strings.Contains(plateProvinces, string(b))
}

func plateChar(c byte) bool {
	return isDigit(c) || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O')
}

// plate checks for a licence plate whose serial ends at te: solid
// ("京A12345", "京AD12345") or with a separator after the city letter
// ("粤B·D12345", "沪C 88888"). serial is the token holding the serial
// (with the city letter when solid). It returns the plate's start.
func (s *Scanner) plate(ts, te int) (int, bool) {
	buf := s.buf
	t := buf[ts:te]
	// A serial has five or six characters, after the city letter when
	// solid: most tokens end here, before any province lookup.
	if n := len(t); n < 5 || n > 7 {
		return 0, false
	}
	var start, letter int
	var serial []byte
	switch {
	case ts >= 3 && t[0] >= 'A' && t[0] <= 'Z' && isPlateProvince(buf[ts-3:ts]):
		start, letter, serial = ts-3, ts, t[1:]
	default:
		sep := 0
		if ts >= 1 && buf[ts-1] == ' ' {
			sep = 1
		} else if ts >= 2 && buf[ts-2] == 0xC2 && buf[ts-1] == 0xB7 { // ·
			sep = 2
		}
		l := ts - sep - 1
		if sep == 0 || l < 3 || buf[l] < 'A' || buf[l] > 'Z' || !isPlateProvince(buf[l-3:l]) {
			return 0, false
		}
		start, letter, serial = l-3, l, t
	}
	if buf[letter] == 'I' || buf[letter] == 'O' {
		return 0, false
	}
	for _, c := range serial {
		if !plateChar(c) {
			return 0, false
		}
	}
	switch len(serial) {
	case 5:
	case 6: // new-energy vehicles: D or F first (small) or last (large)
		if !(serial[0] == 'D' || serial[0] == 'F' || serial[5] == 'D' || serial[5] == 'F') {
			return 0, false
		}
	default:
		return 0, false
	}
	if !hasDigit(serial) {
		return 0, false
	}
	s.canon = append(append(append(s.canon[:0], buf[start:letter]...), buf[letter]), serial...)
	return start, true
}

// emitPlate reports a plate found by plate.
func (s *Scanner) emitPlate(start, end int) {
	s.emit(candidate{ri: s.e.det[dCnLicensePlate], start: start, end: end, canon: s.canon})
}

// areaCode returns the length of a mainland area code at the start of d
// (without its trunk 0): 10 and 2x are two digits, 3xx-9xx three.
func areaCode(d []byte) int {
	if len(d) < 2 {
		return 0
	}
	switch d[0] {
	case '1':
		if d[1] == '0' {
			return 2
		}
	case '2':
		return 2
	case '3', '4', '5', '6', '7', '8', '9':
		return 3
	}
	return 0
}

// landline validates digits (trunk 0 included) as a fixed-line number:
// area code and a subscriber number not starting with 0 or 1, of 8 digits
// after a two-digit area code (010 and 02x: Beijing, Shanghai, Guangzhou and
// the other large cities all dial eight) and of 7 or 8 after a three-digit one.
func landline(d []byte) bool {
	if len(d) < 10 || len(d) > 12 || d[0] != '0' {
		return false
	}
	a := areaCode(d[1:])
	if a == 0 {
		return false
	}
	n := len(d) - 1 - a
	sub := d[1+a:]
	return (n == 8 || n == 7 && a == 3) && sub[0] >= '2'
}

// tryLandline accepts the group layouts of fixed-line numbers: area code
// apart ("010-12345678", "0755 1234567"), solid (with context), or after
// +86 or 0086 with the trunk 0 dropped ("+86 21 6123 4567", "0086 21
// 61234567"). gs is the run being tried; seq is the whole group sequence
// holding it, from which before groups precede it (taken: a value was
// found in them).
func (s *Scanner) tryLandline(gs []group, d []byte, plus int, seq []group, before int, taken bool) bool {
	ri := s.e.det[dCnLandline]
	if ri == nil {
		return false
	}
	if len(gs) < len(seq) && !s.landlineApart(gs, seq, before, taken) {
		return false
	}
	start, end := gs[0].s, gs[len(gs)-1].e
	num := d
	needCtx := false
	switch {
	case (plus > 0 || len(gs) > 1 && gs[0].e-gs[0].s == 2) && d[0] == '8' && d[1] == '6':
		num = append(append(s.canon[:0], '0'), d[2:]...)
		start -= plus
	case len(gs) > 1 && gs[0].e-gs[0].s == 4 && string(d[:4]) == "0086":
		num = append(append(s.canon[:0], '0'), d[4:]...)
	case len(gs) == 1:
		needCtx = true
	default:
		// Written apart, the first group is the trunk 0 and the area code
		// ("010", "0755"): "080-2345-6789" is not a mainland number.
		if a := areaCode(d[1:]); gs[0].e-gs[0].s != 1+a {
			return false
		}
	}
	if !landline(num) {
		return false
	}
	s.canon = append(s.canon[:0], num...)
	return s.emit(candidate{ri: ri, start: start, end: end, canon: s.canon, needCtx: needCtx})
}

// landlineApart reports whether a landline found in some of the groups of
// a longer sequence stands apart from the others, so that the sequence is
// clearly two values rather than one long number written in groups
// ("0571 8888 6666 1234", "1234 0755 8765 4321 00" are activation codes
// and account numbers). A neighbouring group stands apart when it is
// joined by another separator than the run's own ("010-62345678
// 13812345678"), is a whole number itself (seven or more digits), or, before
// the run, held a value already found. After the run an extension may
// follow: one last group of at most six digits after an area code and a
// subscriber number written whole ("010-62345678-1234").
func (s *Scanner) landlineApart(gs, seq []group, before int, taken bool) bool {
	buf := s.buf
	var sep byte
	if len(gs) > 1 {
		sep = buf[gs[1].s-1]
	}
	if before > 0 {
		p := seq[before-1]
		if !taken && buf[gs[0].s-1] == sep && p.e-p.s < 7 {
			return false
		}
	}
	if after := before + len(gs); after < len(seq) {
		n := seq[after]
		if buf[n.s-1] == sep && n.e-n.s < 7 &&
			!(len(gs) == 2 && after == len(seq)-1 && n.e-n.s <= 6 && gs[1].e-gs[1].s >= 7) {
			return false
		}
	}
	return true
}

// parenLandline handles "(010)12345678" and "(0755) 8765 4321": an area
// code in parentheses, ASCII or full-width ("（010）62345678"; either of
// each, as folded full-width text can mix them: fullwidth.go), then the
// subscriber number.
func (s *Scanner) parenLandline(ts, te int) (int, bool) {
	buf := s.buf
	if te-ts < 3 || te-ts > 4 || buf[ts] != '0' {
		return 0, false
	}
	ow, cw := openParenBefore(buf, ts), closeParenAt(buf, te)
	if ow == 0 || cw == 0 {
		return 0, false
	}
	open, i := ts-ow, te+cw
	d := append(s.digits[:0], buf[ts:te]...)
	if i < len(buf) && buf[i] == ' ' {
		i++
	}
	end := i
	for end < len(buf) && (isDigit(buf[end]) || (buf[end] == ' ' || buf[end] == '-') && end+1 < len(buf) && isDigit(buf[end+1])) && end-i < 10 {
		if isDigit(buf[end]) {
			d = append(d, buf[end])
		}
		end++
	}
	s.digits = d
	if end < len(buf) && isAlnum(buf[end]) || !landline(d) {
		return 0, false
	}
	ri := s.e.det[dCnLandline]
	s.canon = append(s.canon[:0], d...)
	return end, ri != nil && s.emit(candidate{ri: ri, start: open, end: end, canon: s.canon})
}

// openParenBefore returns the width of the opening parenthesis that ends
// at i, '(' or '（' (EF BC 88), or 0.
func openParenBefore(buf []byte, i int) int {
	switch {
	case i >= 1 && buf[i-1] == '(':
		return 1
	case i >= 3 && buf[i-3] == 0xEF && buf[i-2] == 0xBC && buf[i-1] == 0x88:
		return 3
	}
	return 0
}

// closeParenAt returns the width of the closing parenthesis at i, ')' or
// '）' (EF BC 89), or 0.
func closeParenAt(buf []byte, i int) int {
	switch {
	case i < len(buf) && buf[i] == ')':
		return 1
	case i+2 < len(buf) && buf[i] == 0xEF && buf[i+1] == 0xBC && buf[i+2] == 0x89:
		return 3
	}
	return 0
}

// intlPhone reads a number after the plus sign at plus ("+1 (415)
// 555-2671", or "%2B1..." with the digits at from) and validates it with
// libphonenumber's metadata. Mainland numbers (+86) are left to the mobile
// and landline detectors.
func (s *Scanner) intlPhone(plus, from int) (int, bool) {
	ri := s.e.det[dPhoneNumber]
	if ri == nil {
		return 0, false
	}
	buf := s.buf
	d := append(s.digits[:0], '+')
	end := from
	last := end
	for end < len(buf) && end-from < 23 {
		c := buf[end]
		if isDigit(c) {
			d = append(d, c)
			last = end + 1
		} else if c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' {
			break
		}
		end++
	}
	s.digits = d
	if len(d) < 8 || len(d) > 16 || (last < len(buf) && isAlnum(buf[last])) || (d[1] == '8' && d[2] == '6') {
		return 0, false
	}
	s.stats.Candidates++
	num, err := phonenumbers.Parse(string(d), "ZZ")
	if err != nil {
		return 0, false
	}
	// A number in a range the metadata does not list as allocated, but of
	// a length its country dials ("+852 5551 9824"), is a phone number in
	// a phone column or after a phone keyword: ranges open faster than the
	// metadata follows them, and a form's field holds what was typed.
	needCtx := !phonenumbers.IsValidNumber(num)
	if needCtx && (phonenumbers.GetRegionCodeForNumber(num) == "" || !phonenumbers.IsPossibleNumber(num)) {
		return 0, false
	}
	s.canon = append(s.canon[:0], phonenumbers.Format(num, phonenumbers.E164)...)
	return last, s.emit(candidate{ri: ri, start: plus, end: last, canon: s.canon, needCtx: needCtx})
}

// parenCountry handles "(852) 9123 4567": the calling code of Hong Kong,
// Macao or Taiwan in parentheses, the way numbers there are written for
// callers from abroad, then the subscriber number. Other codes are left
// alone: "(212) 555-0134" is a US area code, not Morocco's.
func (s *Scanner) parenCountry(ts, te int) (int, bool) {
	buf := s.buf
	if te-ts != 3 {
		return 0, false
	}
	switch string(buf[ts:te]) {
	case "852", "853", "886":
	default:
		return 0, false
	}
	if ow, cw := openParenBefore(buf, ts), closeParenAt(buf, te); ow != 1 || cw != 1 {
		return 0, false
	}
	p := ts - 1
	for p > 0 && buf[p-1] == ' ' {
		p--
	}
	if p > 0 && (isDigit(buf[p-1]) || buf[p-1] == '+') {
		return 0, false // "+1 (886) 512-3456": a US area code
	}
	return s.intlPhone(ts-1, ts)
}

// hexPair reports two hex digits.
func hexPair(b []byte) bool {
	return len(b) >= 2 && isHexByte(b[0]) && isHexByte(b[1])
}

func isHexByte(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }

// macAddr reads a MAC address at p: six hex pairs joined by ':' or '-'
// (one kind), or three groups of four hex digits joined by '.'.
func (s *Scanner) macAddr(p int) (int, bool) {
	buf := s.buf
	// A '*' glued before is the Unicode collation element table's
	// "[*0670.0020.0002]" (allkeys.txt and every collation locale made from
	// it, as Perl's Unicode::Collate ships them); a switch marks a MAC
	// address with a '*' and a space.
	if p > 0 && (isAlnum(buf[p-1]) || buf[p-1] == ':' || buf[p-1] == '-' || buf[p-1] == '.' || buf[p-1] == '*') {
		return 0, false
	}
	s.canon = s.canon[:0]
	var end int
	needCtx := false
	switch {
	case p+17 <= len(buf) && (buf[p+2] == ':' || buf[p+2] == '-'):
		sep := buf[p+2]
		for k := 0; k < 6; k++ {
			q := p + 3*k
			if !hexPair(buf[q:]) || (k < 5 && buf[q+2] != sep) {
				return 0, false
			}
			if k > 0 {
				s.canon = append(s.canon, ':')
			}
			s.canon = append(s.canon, lowerTable[buf[q]], lowerTable[buf[q+1]])
		}
		end = p + 17
	case p+14 <= len(buf) && buf[p+4] == '.' && buf[p+9] == '.':
		for k := 0; k < 3; k++ {
			q := p + 5*k
			if !hexPair(buf[q:]) || !hexPair(buf[q+2:]) {
				return 0, false
			}
			for j := 0; j < 4; j += 2 {
				if len(s.canon) > 0 {
					s.canon = append(s.canon, ':')
				}
				s.canon = append(s.canon, lowerTable[buf[q+j]], lowerTable[buf[q+j+1]])
			}
		}
		end = p + 14
		// Three groups of four decimal digits are as often a collation
		// key, a version or a phone number written in fours ("0885.0020.0002",
		// 8,155 times in Perl's Unicode::Collate allkeys.txt): without a hex
		// letter this form needs a MAC keyword or column. Twelve random hex
		// digits are all decimal one time in 280.
		needCtx = allDigits(buf[p:p+4]) && allDigits(buf[p+5:p+9]) && allDigits(buf[p+10:p+14])
	default:
		return 0, false
	}
	if end < len(buf) && (isAlnum(buf[end]) || buf[end] == ':' || buf[end] == '-' || (buf[end] == '.' && end+1 < len(buf) && isAlnum(buf[end+1]))) {
		return 0, false
	}
	c := string(s.canon)
	if c == "00:00:00:00:00:00" || c == "ff:ff:ff:ff:ff:ff" {
		return end, false
	}
	s.stats.Candidates++
	return end, s.emit(candidate{ri: s.e.det[dMacAddress], start: p, end: end, canon: s.canon, needCtx: needCtx})
}

// macBack tries a MAC address whose hex group at ts may not be its first:
// digits are the trigger, so "AB-CD-12-34-56-78" is reached at "12" and
// "001a.2b3c.4d5e" at "001a". It walks back over whole groups and their
// separators.
func (s *Scanner) macBack(ts int) (int, bool) {
	buf := s.buf
	step := 3 // "hh-"
	if ts+4 < len(buf) && buf[ts+4] == '.' {
		step = 5 // "hhhh."
	}
	start := ts
	for k := 0; k < 5 && start-step >= 0; k++ {
		p := start - step
		if buf[start-1] != buf[ts+step-1] || !hexPair(buf[p:]) || (step == 5 && !hexPair(buf[p+2:])) {
			break
		}
		start = p
	}
	for p := start; p <= ts; p += step {
		if end, ok := s.macAddr(p); ok || end > 0 {
			return end, ok
		}
	}
	return 0, false
}

// colon handles a ':' at i: it finds the run of hex digits, colons and
// dots around it and, in one pass over it, decides whether it can be a MAC
// (six pairs) or an IPv6 address (a group of three or more hex digits, or
// a dotted IPv4 tail). Times like 08:00:00.731 are neither and cost one pass.
func (s *Scanner) colon(i int) int {
	buf := s.buf
	if !(i > 0 && (isHexByte(buf[i-1]) || buf[i-1] == ':')) || !(i+1 < len(buf) && (isHexByte(buf[i+1]) || buf[i+1] == ':')) {
		return i + 1
	}
	a := i
	for a > 0 && (isHexByte(buf[a-1]) || buf[a-1] == ':') && i-a < 45 {
		a--
	}
	if a > 0 && (isAlnum(buf[a-1]) || buf[a-1] == '_') {
		return i + 1 // glued to a word: "key:value", "http://"
	}
	b := a
	colons, run, dots, long := 0, 0, 0, false
	for b < len(buf) && (isHexByte(buf[b]) || buf[b] == ':' || buf[b] == '.') && b-a < 46 {
		switch buf[b] {
		case ':':
			colons++
			if run >= 3 && dots == 0 {
				long = true
			}
			run, dots = 0, 0
		case '.':
			dots++
		default:
			run++
		}
		b++
	}
	if run >= 3 && dots == 0 {
		long = true
	}
	for b > i && buf[b-1] == '.' {
		b--
	}
	if b < len(buf) && (isAlnum(buf[b]) || buf[b] == '_') {
		return b
	}
	switch {
	case b-a == 17 && colons == 5:
		if end, ok := s.macAddr(a); ok || end > 0 {
			return max(end, i+1)
		}
	case colons >= 2 && (long || dots == 3):
		s.ipv6(a, b)
	}
	return b
}

// ipv6 validates buf[a:b] as an IPv6 address with net/netip: not the
// unspecified, loopback or a multicast address, and with at least one group of three
// or more hex digits (so "1::2" or a time such as "12:34::56" is not one).
func (s *Scanner) ipv6(a, b int) {
	t := s.buf[a:b]
	// Shape first, without allocating: log times like 12:34:56 end here.
	colons, run, dot, long := 0, 0, false, false
	for k := 0; k <= len(t); k++ {
		if k == len(t) || t[k] == ':' {
			// A group holding a '.' is the embedded IPv4 part, not hex.
			if run >= 3 && !dot {
				long = true
			}
			if k < len(t) {
				colons++
			}
			run, dot = 0, false
			continue
		}
		if t[k] == '.' {
			dot = true
		}
		run++
	}
	if colons < 2 || !(long || dotted(t)) {
		return
	}
	s.stats.Candidates++
	if !ipv6Groups(t) {
		return
	}
	// netip keeps neither the string nor the error once we drop them, so
	// the bytes are lent to it; a shape that passed ipv6Groups rarely
	// fails here, and a failure is what allocates (the error).
	addr, err := netip.ParseAddr(unsafe.String(&t[0], len(t)))
	if err != nil || !addr.Is6() {
		return
	}
	if addr.Is4In6() {
		// An IPv4-mapped address follows the IPv4 rules.
		v4 := addr.Unmap().As4()
		if !hostIPv4([4]int{int(v4[0]), int(v4[1]), int(v4[2]), int(v4[3])}) {
			return
		}
	} else if addr.IsUnspecified() || addr.IsLoopback() || addr.IsMulticast() || slices.Contains(resolvers6, addr) || doc6.Contains(addr) {
		// ff00::/8 is multicast, as 224.0.0.0/4 is: ff02::1 (all nodes),
		// ff02::fb (mDNS) name groups, not machines. 2001:db8::/32 is
		// for documentation only (as ipv4's documentation blocks).
		return
	}
	if n, ok := prefixLen(s.buf, b, 128); ok {
		if p, err := addr.Prefix(n); err == nil && p.Addr() == addr {
			return // a network, host bits zero (as networkPrefix for IPv4)
		}
	}
	s.canon = addr.AppendTo(s.canon[:0])
	s.emit(candidate{ri: s.e.det[dIpv6], start: a, end: b, canon: s.canon})
}

// doc6 is the IPv6 documentation prefix of RFC 3849.
var doc6 = netip.MustParsePrefix("2001:db8::/32")

// resolvers6 are the IPv6 addresses of the public DNS resolvers of
// publicResolver: Google's, Cloudflare's, Quad9's, OpenDNS's, AliDNS's and
// DNSPod's, as their operators publish them.
var resolvers6 = []netip.Addr{
	netip.MustParseAddr("2001:4860:4860::8888"), netip.MustParseAddr("2001:4860:4860::8844"),
	netip.MustParseAddr("2606:4700:4700::1111"), netip.MustParseAddr("2606:4700:4700::1001"),
	netip.MustParseAddr("2620:fe::fe"), netip.MustParseAddr("2620:fe::9"),
	netip.MustParseAddr("2620:119:35::35"), netip.MustParseAddr("2620:119:53::53"),
	netip.MustParseAddr("2400:3200::1"), netip.MustParseAddr("2400:3200:baba::1"),
	netip.MustParseAddr("2402:4e00::"),
}

// ipv6Groups reports whether t has the group structure of an IPv6
// address: groups of one to four hex digits split by ':', at most one
// "::", eight groups without it and fewer with it, the last group
// possibly an IPv4 part (counted as two groups, its digits left to
// netip). It keeps the decoys (log times, hashes with colons) from
// netip.ParseAddr, whose errors allocate.
func ipv6Groups(t []byte) bool {
	groups, gap, i := 0, false, 0
	if len(t) >= 2 && t[0] == ':' && t[1] == ':' {
		gap, i = true, 2
		if len(t) == 2 {
			return true
		}
	}
	for i < len(t) {
		j := i
		for j < len(t) && j-i <= 4 && isHexByte(t[j]) {
			j++
		}
		if j < len(t) && t[j] == '.' {
			// The IPv4 part ends the address.
			return i > 0 && groups+2 <= 8 && (gap || groups+2 == 8)
		}
		if j == i || j-i > 4 {
			return false
		}
		groups++
		if j == len(t) {
			break
		}
		if t[j] != ':' || j+1 == len(t) {
			return false // a single ':' cannot end the address
		}
		i = j + 1
		if t[i] == ':' {
			if gap {
				return false
			}
			gap = true
			i++
			if i == len(t) {
				break
			}
		}
	}
	return groups <= 8 && (gap && groups < 8 || groups == 8)
}

// dotted reports an embedded IPv4 part (a last group with three dots),
// which marks an address as surely as a long hex group does
// ("::192.168.1.1", "::ffff:10.0.0.1"); a time like 08:00:00.731 has one.
func dotted(t []byte) bool {
	dots := 0
	for i := len(t) - 1; i >= 0 && t[i] != ':'; i-- {
		if t[i] == '.' {
			dots++
		}
	}
	return dots == 3
}

// icd10 reports an ICD-10 code ("E11", "E11.9", "J45.909") next to a
// medical keyword or in a medical column.
func (s *Scanner) icd10(ts, te int) int {
	ri := s.e.icdRule
	buf := s.buf
	end := te
	if end+1 < len(buf) && buf[end] == '.' && isUpperAlnum(buf[end+1]) {
		end++
		for end < len(buf) && isUpperAlnum(buf[end]) && end-te <= 5 {
			end++
		}
	}
	if end < len(buf) && isAlnum(buf[end]) {
		return te
	}
	s.canon = append(s.canon[:0], buf[ts:end]...)
	s.emit(candidate{ri: ri, start: ts, end: end, canon: s.canon, needCtx: true, evidence: "icd10"})
	return end
}
