package classifiers

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf8"
)

// dotted parses a number with dots: four parts make an IPv4 address, two a
// decimal that may open a latitude/longitude pair. Anything else (dates
// like 2024.01.15, OIDs, version strings) is skipped whole.
func (s *Scanner) dotted(ts int) int {
	buf := s.buf
	start := ts
	for start >= 2 && buf[start-1] == '.' && isDigit(buf[start-2]) {
		q := start - 1
		for q > 0 && isDigit(buf[q-1]) {
			q--
			if ts-q > maxTok {
				return skipDotted(buf, ts)
			}
		}
		start = q
	}
	var comps [6][2]int
	n := 0
	i := start
	for {
		e := digitsEnd(buf, i)
		if n == len(comps) {
			return skipDotted(buf, e)
		}
		comps[n] = [2]int{i, e}
		n++
		if e+1 < len(buf) && buf[e] == '.' && isDigit(buf[e+1]) {
			i = e + 1
			continue
		}
		break
	}
	end := comps[n-1][1]
	glued := func(c byte) bool { return isAlnum(c) || c == '_' || c == '@' }
	if (start > 0 && glued(buf[start-1])) || (end < len(buf) && glued(buf[end])) {
		return end
	}
	switch n {
	case 4:
		// Section numbers are a document's: a value of records starts a
		// "line" of the buffer of its own.
		// Compacted SVG path data runs decimals together (".75.75" is
		// 0.75 0.75), so "1.5.75.75" there is four numbers, not an address.
		if !versionBefore(buf, start, s.name) && !debianVersion(buf, start, end) && !sectionBefore(buf, start, 1) && !(s.spans == nil && sectionNumber(buf, start, end, comps[:4])) && !s.drawingNumbers(start, end, false) {
			s.ipv4(start, end, comps[:4])
		}
	case 2:
		return s.gpsPair(start, comps[0], comps[1])
	}
	return end
}

// versionBefore reports a dotted quad that the bytes before it call a
// version: a requirement operator right before it (pkg==3.10.2.1,
// ">= 1.2.3.4", Debian's "<< 2.2.7.1-3~"), a product token of a
// User-Agent (MyApp/4.2.1.1), a package or file name joined to it by a
// hyphen (shadow-4.0.4.1, install-1.2.3.4.sh), a name ending in "version"
// or "revision" (AssemblyVersion("1.0.0.0"), FileVersion: …, Revision
// 1.1.2.5), an object identifier (ObjectIdentifier("2.5.29.29"), an X.509
// OID) or the word "ver" or "rev" a few separators before it, release
// notes' "New in", "Changes in", "Fixed in" and "upgrade V8 to", a Debian
// symbols file's line (symbolVersion) or a release-notes folder
// (releaseFolder). "v1.2.3.4" and "pkg@1.2.3.4" are glued and skipped
// already; "version 1.2.3.4" is also a negative keyword, but a name like
// AssemblyVersion is not a word, and a positive keyword does not overrule
// this. ASCII, case-insensitive, a few byte compares per quad. In a name
// (ScanName) a '/' ends a folder, never a product token: hosts/10.0.0.1.yaml
// names a host.
func versionBefore(buf []byte, start int, name bool) bool {
	if !name && start > 0 && buf[start-1] == '/' && productToken(buf, start-1) {
		return true
	}
	if start >= 2 && buf[start-1] == '-' && isLetter(buf[start-2]) {
		return true // a name's version: a range of addresses joins digits
	}
	if start > 0 && (buf[start-1] == ' ' && symbolVersion(buf, start-1) || buf[start-1] == '/' && releaseFolder(buf, start-1)) {
		return true
	}
	p := start
	if p > 0 && buf[p-1] == ' ' {
		p--
	}
	if p >= 2 && buf[p-1] == '=' {
		switch buf[p-2] {
		case '=', '>', '<', '~':
			return true
		}
	}
	if p >= 2 && (buf[p-1] == '<' || buf[p-1] == '>') && buf[p-2] == buf[p-1] {
		return true // Debian's strict relations: "macs (<< 2.2.7.1-3~)"
	}
	// Up to three separators: AssemblyVersion("1.0.0.0"), Version: 1.2.3.4.
	p = start
	for k := 0; k < 3 && p > 0 && isVersionSep(buf[p-1]); k++ {
		p--
	}
	if p >= 7 && asciiFoldEq(buf[p-7:p], "version") || p >= 8 && asciiFoldEq(buf[p-8:p], "revision") || p >= 16 && asciiFoldEq(buf[p-16:p], "objectidentifier") {
		return true
	}
	if wordEndsAt(buf, p, "ver") || wordEndsAt(buf, p, "rev") {
		return true
	}
	if wordEndsAt(buf, p, "policy") && p >= 13 && asciiFoldEq(buf[p-13:p-7], "debian") {
		return true // "Debian Policy 4.1.0.0", the standards a package meets
	}
	return releaseNotes(buf, start)
}

// symbolVersion reports the line of a Debian symbols file before the
// space at sp: " snd_pcm_open@ALSA_0.9 1.2.7.1", " EVP_sha256@OPENSSL_3.0.0
// 3.0.0.1", " foo@Base 1.2.3.4": a symbol, its version node and the
// package version that brought it. A version node has no top-level
// domain: " li@example.com 10.0.0.1" is an e-mail address and an address.
func symbolVersion(buf []byte, sp int) bool {
	p, at := sp, -1
	for p > 0 && sp-p < 256 && buf[p-1] != ' ' && buf[p-1] != '\n' {
		p--
		if buf[p] == '@' && at < 0 {
			at = p
		}
	}
	if at < 0 || p < 1 || buf[p-1] != ' ' || p >= 2 && buf[p-2] != '\n' || at == p || sp-at < 2 {
		return false
	}
	node := buf[at+1 : sp]
	for i, c := range node {
		if !isAlnum(c) && c != '_' && c != '.' {
			return false
		}
		if c == '.' && i+1 < len(node) && isLetter(node[i+1]) {
			return false // a domain's dot
		}
	}
	return true
}

// releaseFolder reports a path segment before the '/' at slash that holds
// release notes named by version: git's "RelNotes/1.5.0.1.txt",
// "release-notes/2.3.1.4.md", "changelog/1.0.0.3". A host's file is named
// by its address under any other folder (hosts/10.0.0.1.yaml).
func releaseFolder(buf []byte, slash int) bool {
	p := slash
	for p > 0 && slash-p < 16 && (isAlnum(buf[p-1]) || buf[p-1] == '-' || buf[p-1] == '_') {
		p--
	}
	if p > 0 && buf[p-1] != '/' {
		return false
	}
	seg := buf[p:slash]
	for _, w := range [...]string{"relnotes", "releasenotes", "release-notes", "release_notes", "releases", "changelog", "changelogs", "changes", "news"} {
		if len(seg) == len(w) && asciiFoldEq(seg, w) {
			return true
		}
	}
	return false
}

// wordEndsAt reports the word w (lower-case ASCII) ending at p, matched
// ignoring case, with no letter right before it.
func wordEndsAt(buf []byte, p int, w string) bool {
	return p >= len(w) && asciiFoldEq(buf[p-len(w):p], w) && (p == len(w) || !isLetter(buf[p-len(w)-1]))
}

// wordStartsIn reports a word beginning with w (lower-case ASCII,
// ignoring case) that lies within buf[lo:hi]: "upgrade" in "deps: upgraded
// V8 to".
func wordStartsIn(buf []byte, lo, hi int, w string) bool {
	for i := hi - len(w); i >= lo; i-- {
		if asciiFoldEq(buf[i:i+len(w)], w) && (i == 0 || !isLetter(buf[i-1])) {
			return true
		}
	}
	return false
}

// dottedStart returns where the dotted number ending at p starts (digits
// and dots, at most 16 bytes) and whether there is one.
func dottedStart(buf []byte, p int) (int, bool) {
	q := p
	for q > 0 && p-q < 16 && (isDigit(buf[q-1]) || buf[q-1] == '.') {
		q--
	}
	return q, q < p && isDigit(buf[q])
}

// releaseNotes reports a dotted quad that release notes name as a version:
// "New in 1.0.14.2", "Changes in 1.2.3.3", "Fixed in 2.3.1.4", "upgrade V8
// to 4.6.85.25" (within a few words of "upgrade" or "bump") and the
// version it replaces, "from 4.5.103.35", "Start preparing for 1.8.3.2".
func releaseNotes(buf []byte, start int) bool {
	p := start
	if p > 0 && buf[p-1] == ' ' {
		p--
	}
	word := func(w string) bool { return wordEndsAt(buf, p, w) }
	switch {
	case word("in"):
		p -= 2
		if p == 0 || buf[p-1] != ' ' {
			return false
		}
		p--
		for _, w := range [...]string{"new", "changes", "added", "fixed", "deprecated", "removed", "introduced"} {
			if word(w) {
				return true
			}
		}
	case word("from"):
		// "upgrade V8 to 4.6.85.25 from 4.5.103.35": the version it replaces.
		q := p - 4
		if q == 0 || buf[q-1] != ' ' {
			return false
		}
		r, ok := dottedStart(buf, q-1)
		return ok && releaseNotes(buf, r)
	case word("for"):
		// "Start preparing for 1.8.3.2", "Prepare for 1.6.5.4".
		return wordStartsIn(buf, max(0, p-3-16), p-3, "prepar")
	case word("to"):
		return wordStartsIn(buf, max(0, p-2-24), p-2, "upgrade") || wordStartsIn(buf, max(0, p-2-24), p-2, "bump")
	}
	return false
}

// debianVersion reports the version in the first line of a Debian
// changelog entry, "dpkg (1.15.5.3) unstable; urgency=low" or with a
// Debian revision, "alsa-lib (1.2.6.1-2) unstable; urgency=medium", which
// every package's changelog.Debian.gz starts each entry with (every
// Debian-based container image holds hundreds of them).
func debianVersion(buf []byte, start, end int) bool {
	if start == 0 || buf[start-1] != '(' {
		return false
	}
	for end < len(buf) && end-start < 48 && (isAlnum(buf[end]) || buf[end] == '-' || buf[end] == '+' || buf[end] == '~' || buf[end] == '.') {
		end++ // the revision: "-2", "-0ubuntu1", "-0.cvs20001011.2"
	}
	if end >= len(buf) || buf[end] != ')' {
		return false
	}
	line := buf[end:min(len(buf), end+64)]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return bytes.Contains(line, []byte("; urgency="))
}

// productToken reports a User-Agent product name before the '/' at
// slash ("MyApp/4.2.1.1", "okhttp/4.9.3.1"): a word that starts with a
// letter and is not a path segment (the byte before it is not '/' or
// '.'), so ".../hosts/10.0.0.1" and "http://10.0.0.1" stay addresses.
func productToken(buf []byte, slash int) bool {
	p := slash
	for p > 0 && slash-p < 32 && (isAlnum(buf[p-1]) || buf[p-1] == '-' || buf[p-1] == '_' || buf[p-1] == '.') {
		p--
	}
	if p == slash || !isLetter(buf[p]) {
		return false
	}
	return p == 0 || buf[p-1] != '/' && !isAlnum(buf[p-1])
}

// sectionNumber reports a dotted quad that numbers a section of a
// document, each part of one or two digits: at the start of a Markdown
// heading and then a space and a non-ASCII character ("## 5.2.3.1
// 个人信息的收集"), or at the start of a paragraph or in an HTML heading
// and then a space and a title ("\n\n2.2.1.1 An Example", texinfo and
// plain-text manuals; "<h4 class=...>7.3.1.2 Cipher functions"). A log
// line that starts with a client address goes on in ASCII and not with a
// title (nginx's "10.1.2.3 - - [...]", "10.1.2.3 GET /"), and one with
// three-digit parts is an address anyway.
func sectionNumber(buf []byte, start, end int, comps [][2]int) bool {
	for _, c := range comps {
		if c[1]-c[0] > 2 {
			return false
		}
	}
	if commentHeading(buf, start, end) {
		return true
	}
	if end < len(buf) && buf[end] == '.' {
		end++ // "2.2.1.1. Unix platforms"
	}
	if end+1 >= len(buf) || buf[end] != ' ' {
		return false
	}
	p, heading := start, false
	for p > 0 && start-p < 16 && (buf[p-1] == ' ' || buf[p-1] == '\t' || buf[p-1] == '#') {
		heading = heading || buf[p-1] == '#'
		p--
	}
	if buf[end+1] >= 0x80 {
		// Only a Markdown heading: a plain line starting "10.1.2.3 登录成功"
		// is an application log, and 10.x addresses have small parts.
		return heading && (p == 0 || buf[p-1] == '\n')
	}
	if end+2 >= len(buf) || buf[end+1] < 'A' || buf[end+1] > 'Z' || buf[end+2] < 'a' || buf[end+2] > 'z' {
		return false // a title: a capital and a small letter
	}
	return p == start && (paragraphStart(buf, p) || htmlHeading(buf, p))
}

// commentHeading reports a section number (parts of one or two digits,
// checked by sectionNumber) that opens a C-style comment line and is
// followed by its title, as headers and sources number their parts after
// a standard: "/* 4.3.2.2 Output Terminal Descriptor */", "// 27.4.2.6
// Members for callbacks", "/* 2.4.3.3. Payload Header */", "//
// [23.2.1.1] construct/copy/destroy", "// 23.3.4.2 iterators:". A title
// is set apart by brackets, a full stop, two spaces or a tab, starts with
// a capital and a small letter or ends its line with a colon; one space
// and a small word is not enough ("// 10.0.0.1 is the gateway"). '#'
// comments are left out: a hosts file's commented-out entry is
// "#10.0.0.1\tdb db.local".
func commentHeading(buf []byte, start, end int) bool {
	p, bracket := start, false
	if p > 0 && buf[p-1] == '[' {
		p, bracket = p-1, true
	}
	q := p
	for q > 0 && p-q < 8 && (buf[q-1] == ' ' || buf[q-1] == '\t') {
		q--
	}
	// The comment opener: "//" (or more slashes), "/*" ("/**"), or the '*'
	// that continues a block comment.
	o := q
	for o > 0 && q-o < 4 && (buf[o-1] == '/' || buf[o-1] == '*') {
		o--
	}
	switch {
	case q-o >= 2 && buf[o] == '/':
	case q-o == 1 && buf[o] == '*':
	default:
		return false
	}
	for o > 0 && buf[o-1] != '\n' {
		if buf[o-1] != ' ' && buf[o-1] != '\t' || q-o > 64 {
			return false // not at the start of its line
		}
		o--
	}
	e := end
	if bracket {
		if e >= len(buf) || buf[e] != ']' {
			return false
		}
		e++
	}
	stop := e < len(buf) && buf[e] == '.'
	if stop {
		e++
	}
	w := e
	for w < len(buf) && w-e < 8 && (buf[w] == ' ' || buf[w] == '\t') {
		w++
	}
	if w == e || w == len(buf) || !isLetter(buf[w]) {
		return false
	}
	if bracket || stop || w-e >= 2 || buf[e] == '\t' {
		return true
	}
	// One space: a title in capitals ("Output Terminal Descriptor"), or
	// one that ends its line with a colon.
	if w+1 < len(buf) && buf[w] >= 'A' && buf[w] <= 'Z' && buf[w+1] >= 'a' && buf[w+1] <= 'z' {
		return true
	}
	for k := w; k < len(buf) && k-w < 64; k++ {
		switch buf[k] {
		case '\n', '\r':
			return k > w && buf[k-1] == ':'
		}
	}
	return false
}

// paragraphStart reports that p starts a line after an empty line (or the
// buffer).
func paragraphStart(buf []byte, p int) bool {
	if p == 0 {
		return true
	}
	if buf[p-1] != '\n' {
		return false
	}
	p--
	if p > 0 && buf[p-1] == '\r' {
		p--
	}
	return p == 0 || buf[p-1] == '\n'
}

// htmlHeading reports that p follows the opening tag of an HTML heading,
// h1 to h6 ("<h4 class=\"subsubsection\">").
func htmlHeading(buf []byte, p int) bool {
	if p == 0 || buf[p-1] != '>' {
		return false
	}
	for q := p - 2; q >= 0 && p-q < 64 && buf[q] != '>'; q-- {
		if buf[q] == '<' {
			return q+2 < p && buf[q+1]|0x20 == 'h' && buf[q+2] >= '1' && buf[q+2] <= '6' && (buf[q+3] == '>' || buf[q+3] == ' ')
		}
	}
	return false
}

// sectionBefore reports a dotted quad that the bytes before it call the
// number of a section of a specification, as code comments and documents
// cite them: after the word section, sec, sect, clause, subclause,
// chapter or spec(ification) or a standard's name (standardName), or a §
// ("RFC 5321 section 4.5.3.1", "(sec. 4.5.3.1)", "§ 5.2.3.1", "In
// clauses 21.1.3.1", "Dwarf 5 specification, 7.5.1.2"), after a
// Microsoft Open Specifications or RFC reference in brackets ("[MS-EMF]
// 2.3.5.32"), or in a list after such a number ("2.3.5.32, 2.3.5.33");
// depth bounds how many list items back it looks. "subsection" ends in a
// word of the list but is not one, and "[host] 10.0.0.1" names no
// specification.
func sectionBefore(buf []byte, start, depth int) bool {
	p := start
	for k := 0; k < 3 && p > 0 && (buf[p-1] == ' ' || buf[p-1] == '.' || buf[p-1] == ':' || buf[p-1] == ',' || buf[p-1] == '[' || buf[p-1] == '('); k++ {
		p--
	}
	if p >= 2 && buf[p-2] == 0xC2 && buf[p-1] == 0xA7 { // §
		return true
	}
	for _, w := range [...]string{"section", "sections", "sect", "sec", "clause", "clauses", "subclause", "chapter", "spec", "specification"} {
		if wordEndsAt(buf, p, w) {
			return true
		}
	}
	if standardName(buf, p) {
		return true
	}
	if p > 0 && buf[p-1] == ']' {
		q := p - 1
		for q > 0 && p-q < 24 && buf[q-1] != '[' && buf[q-1] != '\n' {
			q--
		}
		if q > 0 && buf[q-1] == '[' && (p-1-q >= 3 && asciiFoldEq(buf[q:q+3], "ms-") || p-1-q >= 3 && asciiFoldEq(buf[q:q+3], "rfc")) {
			return true
		}
	}
	// A list: "2.3.5.32, 2.3.5.33" or "4.5.3.1 and 4.5.3.2".
	if depth == 0 {
		return false
	}
	p = start
	switch {
	case p >= 2 && buf[p-2] == ',' && buf[p-1] == ' ':
		p -= 2
	case p >= 5 && asciiFoldEq(buf[p-5:p], " and "):
		p -= 5
	default:
		return false
	}
	q, ok := dottedStart(buf, p)
	return ok && sectionBefore(buf, q, depth-1)
}

// standardName reports the name of a standard ending at p, whose
// sections code comments cite without a word for "section": "C++14
// 20.8.2.2", "ISO C++ 14882: 22.2.1.5", "IEEE 802.11 7.3.1.6",
// "802.11-2012 8.4.2.29", "ECMA-262, 15.10.4.1", "[DWARF2 6.2.5.1]".
func standardName(buf []byte, p int) bool {
	q := p
	for q > 0 && p-q < 16 && (isAlnum(buf[q-1]) || buf[q-1] == '+' || buf[q-1] == '-' || buf[q-1] == '.') {
		q--
	}
	if q > 0 && isAlnum(buf[q-1]) || q == p {
		return false
	}
	t := buf[q:p]
	switch {
	case len(t) == 5 && asciiFoldEq(t[:3], "c++") && isDigit(t[3]) && isDigit(t[4]):
		return true // C++98, C++11, ...
	case string(t) == "14882", len(t) >= 6 && string(t[:6]) == "802.11", len(t) == 8 && asciiFoldEq(t, "ecma-262"):
		return true
	case len(t) == 6 && asciiFoldEq(t[:5], "dwarf") && isDigit(t[5]):
		return true
	}
	return false
}

func isVersionSep(c byte) bool {
	return c == ' ' || c == '"' || c == '\'' || c == '(' || c == '=' || c == ':'
}

// asciiFoldEq reports whether b equals the lower-case ASCII word w, ignoring
// ASCII case.
func asciiFoldEq(b []byte, w string) bool {
	if len(b) != len(w) {
		return false
	}
	for i := range len(w) {
		if b[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// hostIPv4 reports whether an IPv4 address can be one machine's: not
// 0.0.0.0/8, loopback 127.0.0.0/8, multicast 224.0.0.0/4, the broadcast
// address, a netmask, nor a public DNS resolver. The IPv4 part of an
// IPv4-mapped IPv6 address is judged the same way.
func hostIPv4(v [4]int) bool {
	first := v[0]
	return first != 0 && first != 127 && (first < 224 || first > 239) &&
		v != [4]int{255, 255, 255, 255} && !netmask(v) && !publicResolver(v) && !documentation(v)
}

// documentation reports an address of the three blocks RFC 5737 reserves
// for documentation, 192.0.2.0/24 (TEST-NET-1), 198.51.100.0/24 and
// 203.0.113.0/24: no host is ever given one, so they stand only in
// manuals, API references, sample configs and test fixtures, as
// "example_upstream: 198.51.100.23" does; ipv6 leaves out 2001:db8::/32
// (RFC 3849) alike.
func documentation(v [4]int) bool {
	switch [3]int{v[0], v[1], v[2]} {
	case [3]int{192, 0, 2}, [3]int{198, 51, 100}, [3]int{203, 0, 113}:
		return true
	}
	return false
}

func skipDotted(buf []byte, i int) int {
	for i < len(buf) && (isDigit(buf[i]) || buf[i] == '.' && i+1 < len(buf) && isDigit(buf[i+1])) {
		i++
	}
	return i
}

// ipv4 validates a dotted quad: parts of one to three digits, each 0-255,
// a host's address (hostIPv4): not broadcast 255.255.255.255, and a first
// part that is neither 0 (0.0.0.0 and "this network") nor 127 (loopback,
// 127.0.0.0/8: a machine talking to itself, no one's personal data, as ::1
// for IPv6) nor 224-239 (multicast, 224.0.0.0/4: a group that listens,
// such as mDNS's 224.0.0.251 or SSDP's 239.255.255.250 in every router and
// firewall config, never one machine).
// The canonical form drops leading zeros.
func (s *Scanner) ipv4(start, end int, comps [][2]int) {
	s.canon = s.canon[:0]
	var v [4]int
	for k, c := range comps {
		if c[1]-c[0] > 3 {
			return
		}
		x := 0
		for _, d := range s.buf[c[0]:c[1]] {
			x = x*10 + int(d-'0')
		}
		if x > 255 {
			return
		}
		v[k] = x
		if k > 0 {
			s.canon = append(s.canon, '.')
		}
		s.canon = strconv.AppendInt(s.canon, int64(x), 10)
	}
	s.stats.Candidates++
	if !hostIPv4(v) || networkPrefix(s.buf, end, v) {
		return
	}
	small := smallQuad(v)
	if small && releaseWordBefore(s.buf, start) {
		return
	}
	s.emit(candidate{ri: s.e.det[dIpv4], start: start, end: end, canon: s.canon, needCtx: small && s.namedBefore(start)})
}

// releaseWords say that a number after them on their line is a release:
// "更新 SDK 至 3.4.1.2", "升级到 2.1.0.3", "firmware version 1.0.2.7".
var releaseWords = [][]byte{
	[]byte("版本"), []byte("升级"), []byte("更新"), []byte("固件"), []byte("补丁"),
	[]byte("sdk"), []byte("version"), []byte("release"), []byte("firmware"), []byte("build"),
}

// releaseWordBefore reports a release word at most releaseReach bytes
// before p on p's line, words between (versionBefore reads the separators
// right before a quad only). A small quad after one is a release, keyword
// or not: "更新网关为 47.96.3.21" is not small, and keeps its address.
func releaseWordBefore(buf []byte, p int) bool {
	lo := max(0, p-releaseReach)
	if i := bytes.LastIndexByte(buf[lo:p], '\n'); i >= 0 {
		lo += i + 1
	}
	line := buf[lo:p]
	for _, w := range releaseWords {
		for from := 0; ; {
			i := indexFold(line[from:], w)
			if i < 0 {
				break
			}
			at := lo + from + i
			if w[0] >= utf8.RuneSelf || wordAt(buf, at, len(w)) {
				return true
			}
			from += i + len(w)
		}
	}
	return false
}

// releaseReach is how far back releaseWordBefore looks.
const releaseReach = 24

// publicResolver reports the anycast address of a public DNS resolver, as
// its operator publishes it: Google's 8.8.8.8 and 8.8.4.4, Cloudflare's
// 1.1.1.1 and 1.0.0.1, Quad9's 9.9.9.9 and 149.112.112.112, OpenDNS's
// 208.67.222.222 and 208.67.220.220, and, in China, 114DNS's
// 114.114.114.114 and 114.114.115.115, AliDNS's 223.5.5.5 and 223.6.6.6,
// DNSPod's 119.29.29.29, Baidu's 180.76.76.76 and CNNIC's 1.2.4.8 and
// 210.2.4.8. They stand in every resolv.conf, container and router
// config as "nameserver 8.8.8.8": shared infrastructure that no one
// person uses alone, as loopback is no one's machine.
func publicResolver(v [4]int) bool {
	switch v {
	case [4]int{8, 8, 8, 8}, [4]int{8, 8, 4, 4},
		[4]int{1, 1, 1, 1}, [4]int{1, 0, 0, 1},
		[4]int{9, 9, 9, 9}, [4]int{149, 112, 112, 112},
		[4]int{208, 67, 222, 222}, [4]int{208, 67, 220, 220},
		[4]int{114, 114, 114, 114}, [4]int{114, 114, 115, 115},
		[4]int{223, 5, 5, 5}, [4]int{223, 6, 6, 6},
		[4]int{119, 29, 29, 29}, [4]int{180, 76, 76, 76},
		[4]int{1, 2, 4, 8}, [4]int{210, 2, 4, 8}:
		return true
	}
	return false
}

// smallQuad reports a quad of small numbers, the first under 10 and the
// others at most 30, as releases are numbered ("Git 1.7.11.6", SQLite's
// "3.8.7.2"). One address in 570 of 1.0.0.0/8 to 9.0.0.0/8 is such a quad,
// public DNS resolvers (1.1.1.1, 8.8.8.8) among them.
func smallQuad(v [4]int) bool {
	return v[0] < 10 && v[1] <= 30 && v[2] <= 30 && v[3] <= 30
}

// namedBefore reports an ASCII word and one space, or an opening
// parenthesis, just before p: "Git 1.7.11.6", "XFree86 4.3.0.1", "for
// 1.7.12.1", "(3.8.7.2)". A small quad there is a release far more often
// than an address (most of the 1,000 such ipv4 findings in /usr/share's
// changelogs), so it needs an address keyword or column ("client
// 1.2.3.4"). A log line that starts with its address, or one after a
// Chinese word ("客户端 5.2.3.1"), is left as it is.
func (s *Scanner) namedBefore(p int) bool {
	buf := s.buf
	switch {
	case p >= 1 && buf[p-1] == '(':
		return true
	case p >= 2 && buf[p-1] == ' ':
		return isAlnum(buf[p-2])
	}
	return false
}

// networkPrefix reports an address followed by a prefix length that
// leaves its host bits zero: "192.168.0.0/24", "10.240.0.0/29" name a
// network (a subnet to create, a firewall rule, a route), not a machine
// or a person's connection. "10.1.2.3/24" (an interface's address and
// its netmask) and "10.1.2.3/32" name one host and are kept. A netmask
// may stand for the length ("192.168.201.0/255.255.255.0", as pam's
// access.conf and iptables write it).
func networkPrefix(buf []byte, end int, v [4]int) bool {
	a := quad(v)
	n, ok := prefixLen(buf, end, 32)
	if !ok {
		m, ok := maskAfter(buf, end)
		return ok && a&^m == 0
	}
	return a<<n == 0 // the host bits, shifted up
}

func quad(v [4]int) uint32 {
	return uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
}

// netmask reports a quad of the form 255.x.x.x whose bits are ones and
// then zeros ("255.255.255.0", "255.255.240.0"): a subnet mask, in every
// ifconfig output and network config ("netmask 255.255.255.0"), not an
// address (255.0.0.0/8 is reserved; broadcast is left out already).
func netmask(v [4]int) bool {
	inv := ^quad(v)
	return v[0] == 255 && inv&(inv+1) == 0
}

// maskAfter reads a netmask written as a dotted quad after a '/' at end,
// ending the token.
func maskAfter(buf []byte, end int) (uint32, bool) {
	if end+1 >= len(buf) || buf[end] != '/' {
		return 0, false
	}
	var v [4]int
	j := end + 1
	for k := range v {
		if k > 0 {
			if j >= len(buf) || buf[j] != '.' {
				return 0, false
			}
			j++
		}
		q := j
		for j < len(buf) && isDigit(buf[j]) && j-q < 3 {
			v[k] = v[k]*10 + int(buf[j]-'0')
			j++
		}
		if j == q || v[k] > 255 {
			return 0, false
		}
	}
	if j < len(buf) && (isAlnum(buf[j]) || buf[j] == '.' && j+1 < len(buf) && isDigit(buf[j+1])) || !netmask(v) {
		return 0, false
	}
	return quad(v), true
}

// prefixLen reads the prefix length of a network at end ("/24" after an
// address): a '/' and a number below max, ending the token (a sentence's
// full stop may follow).
func prefixLen(buf []byte, end, max int) (int, bool) {
	if end+1 >= len(buf) || buf[end] != '/' || !isDigit(buf[end+1]) {
		return 0, false
	}
	n, j := 0, end+1
	for j < len(buf) && isDigit(buf[j]) && j-end <= 3 {
		n = n*10 + int(buf[j]-'0')
		j++
	}
	if n >= max || j < len(buf) && (isAlnum(buf[j]) || buf[j] == '.' && j+1 < len(buf) && isDigit(buf[j+1])) {
		return 0, false
	}
	return n, true
}

// decimal is a signed decimal number found in the buffer.
type decimal struct {
	start, end int
	v          float64
	frac       int
}

// readDecimal reads [-]digits.digits at p, ending at a boundary.
func (s *Scanner) readDecimal(p int) (decimal, bool) {
	buf := s.buf
	d := decimal{start: p}
	neg := false
	if p < len(buf) && buf[p] == '-' {
		neg = true
		p++
	}
	i := p
	for i < len(buf) && isDigit(buf[i]) && i-p < 4 {
		i++
	}
	if i == p || i+1 >= len(buf) || buf[i] != '.' || !isDigit(buf[i+1]) {
		return d, false
	}
	j := i + 1
	for j < len(buf) && isDigit(buf[j]) && j-i <= 15 {
		j++
	}
	if j < len(buf) && (isAlnum(buf[j]) || buf[j] == '.' && j+1 < len(buf) && isDigit(buf[j+1])) {
		return d, false
	}
	v, ok := exactDecimal(buf[p:i], buf[i+1:j])
	if !ok {
		var err error
		if v, err = strconv.ParseFloat(string(buf[p:j]), 64); err != nil {
			return d, false
		}
	}
	if neg {
		v = -v
	}
	d.end, d.v, d.frac = j, v, j-i-1
	return d, true
}

// pow10 holds the powers of ten that a float64 represents exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// exactDecimal is the value of the ASCII digits ip.fp when it can be
// computed exactly without strconv: with at most 15 digits in all, the
// mantissa and the power of ten are exact float64s and one division
// rounds correctly, so the result is the one strconv.ParseFloat gives
// (its own fast path). Otherwise ok is false.
func exactDecimal(ip, fp []byte) (v float64, ok bool) {
	if len(ip)+len(fp) > 15 {
		return 0, false
	}
	var m uint64
	for _, c := range ip {
		m = m*10 + uint64(c-'0')
	}
	for _, c := range fp {
		m = m*10 + uint64(c-'0')
	}
	return float64(m) / pow10[len(fp)], true
}

var (
	latWords = [][]byte{[]byte("latitude"), []byte("lat"), []byte("纬度"), []byte("緯度")}
	lngWords = [][]byte{[]byte("longitude"), []byte("lng"), []byte("lon"), []byte("经度"), []byte("經度")}
	// Labels of a whole pair, which name its order: 经纬度 and lnglat
	// (AMap, Baidu) put the longitude first, 纬经度 and latlng the
	// latitude. They hold a latitude and a longitude word, so they are
	// looked for first and win when they end at or after those words.
	lngLatWords = [][]byte{[]byte("经纬度"), []byte("經緯度"), []byte("lnglat"), []byte("lng_lat"), []byte("lng,lat"), []byte("lng/lat"), []byte("lonlat"), []byte("lon_lat"), []byte("lon,lat")}
	latLngWords = [][]byte{[]byte("纬经度"), []byte("緯經度"), []byte("latlng"), []byte("lat_lng"), []byte("lat,lng"), []byte("lat/lng"), []byte("latlon"), []byte("lat_lon"), []byte("lat,lon")}
)

// gpsPair looks for a second decimal after the first: "39.9042,116.4074",
// "(22.5431, 114.0579)", "lat: 31.23, lng: 121.47" or "纬度31.23 经度121.47".
// Unlabelled pairs need four decimals each (or two with a location keyword or
// column); labelled pairs need two. Pairs written longitude first are put
// in latitude,longitude order when the first number cannot be a latitude.
// A pair label (经纬度, lnglat; 纬经度, latlng) gives the order when both
// orders are in range, and gives way when only the other one is
// ("经纬度：39.9042,116.4074" is written latitude first all the same).
func (s *Scanner) gpsPair(start int, ip, fp [2]int) int {
	buf := s.buf
	// Cheap structural checks first: at least two decimals, an integer part
	// of at most three digits, and either a second decimal right after or a
	// possible label (an 'l' or the lead byte of 纬/经/緯/經) just before.
	if fp[1]-fp[0] < 2 || ip[1]-ip[0] > 3 {
		return fp[1]
	}
	labelled := s.mayBeLabelled(start)
	if !labelled && (fp[1]-fp[0] < 3 || !s.pairFollows(fp[1])) {
		return fp[1]
	}
	first, ok := s.readDecimal(start)
	if !ok {
		return fp[1]
	}
	if start > 0 && buf[start-1] == '-' && (start < 2 || !isAlnum(buf[start-2])) {
		first.start--
		first.v = -first.v
	}
	end := fp[1]
	// Labels before the first number.
	winStart := max(0, first.start-16)
	before := s.lowWindow(winStart, first.start)
	latAt, lngAt := -1, -1
	pairLngFirst, pairLatFirst := false, false
	if labelled {
		latAt, lngAt = s.lastLabel(before, winStart, latWords), s.lastLabel(before, winStart, lngWords)
		// Every pair label holds a latitude or a longitude word (经纬度
		// holds 纬度, lnglat holds lat): without one, there is none.
		if max(latAt, lngAt) >= 0 {
			if la, ll := s.lastLabel(before, winStart, lngLatWords), s.lastLabel(before, winStart, latLngWords); max(la, ll) >= max(latAt, lngAt) && max(la, ll) >= 0 {
				pairLngFirst, pairLatFirst = la > ll, ll > la
				latAt, lngAt = -1, -1
			}
		}
	}
	firstLat, firstLng := latAt > lngAt, lngAt > latAt
	labelled = firstLat || firstLng || pairLngFirst || pairLatFirst
	// The second number: after a separator, or after the other label.
	k := end
	limit := min(len(buf), end+48)
	sep, comma := false, false
	for k < limit && (buf[k] == ' ' || buf[k] == '\t') {
		k++
	}
	switch {
	case k < limit && (buf[k] == ',' || buf[k] == ';' || buf[k] == '/'):
		comma = buf[k] == ','
		k++
		sep = true
	case k+2 < limit && buf[k] == 0xEF && buf[k+1] == 0xBC && buf[k+2] == 0x8C: // full-width comma
		k += 3
		sep = true
	}
	for k < limit && (buf[k] == ' ' || buf[k] == '\t') {
		k++
	}
	second, ok := s.readDecimal(k)
	if !ok && labelled {
		// Skip a label such as `"lng": ` or `经度：` (no line breaks).
		for j := end; j < limit; j++ {
			if buf[j] == '\n' {
				break
			}
			if isDigit(buf[j]) || (buf[j] == '-' && j+1 < limit && isDigit(buf[j+1])) {
				gap := s.lowWindow(end, j)
				if (firstLat && hasWord(gap, lngWords)) || (firstLng && hasWord(gap, latWords)) {
					second, ok = s.readDecimal(j)
				}
				break
			}
		}
	} else if ok && !sep && k == end {
		ok = false // "39.90-116.40" is not a pair
	}
	if !ok {
		return end
	}
	minFrac := min(first.frac, second.frac)
	needCtx := false
	switch {
	case labelled && minFrac >= 2:
	case minFrac >= 4:
	case minFrac >= 3:
		// Three decimals need a location keyword or column. Two are left
		// out: "12.50,37.50" is a price pair far more often than a place.
		needCtx = true
	default:
		return end
	}
	lat, lng := first.v, second.v
	switch {
	case firstLng:
		lat, lng = lng, lat
	case pairLngFirst:
		if !(math.Abs(lng) > 90 && math.Abs(lat) <= 90) {
			lat, lng = lng, lat
		}
	case !firstLat && math.Abs(lat) > 90 && math.Abs(lng) <= 90:
		lat, lng = lng, lat
	}
	s.stats.Candidates++
	if !validLatLng(lat, lng) {
		return end
	}
	if !labelled && (s.drawingNumbers(first.start, second.end, true) || !sep && s.drawingOp(second.end) ||
		comma && inNumberList(buf, first.start, second.end) || doi(buf, first.start, end)) {
		return second.end
	}
	if !labelled && (openSea(lat, lng) || s.wholeNamedCell(first.start, second.end)) {
		needCtx = true
	}
	s.canon = appendLatLng(s.canon[:0], lat, lng)
	s.emit(candidate{ri: s.e.det[dGpsCoordinate], start: first.start, end: second.end, canon: s.canon, needCtx: needCtx})
	return second.end
}

// pairFollows reports a second decimal after a separator at p: spaces,
// then , ; / or a full-width comma, then spaces, then [-]d{1,3}.d.
func (s *Scanner) pairFollows(p int) bool {
	buf := s.buf
	k := p
	for k < len(buf) && k-p < 4 && (buf[k] == ' ' || buf[k] == '\t') {
		k++
	}
	switch {
	case k < len(buf) && (buf[k] == ',' || buf[k] == ';' || buf[k] == '/'):
		k++
	case k+2 < len(buf) && buf[k] == 0xEF && buf[k+1] == 0xBC && buf[k+2] == 0x8C:
		k += 3
	case k == p:
		return false
	}
	for k < len(buf) && k-p < 10 && (buf[k] == ' ' || buf[k] == '\t') {
		k++
	}
	if k < len(buf) && buf[k] == '-' {
		k++
	}
	d := k
	for k < len(buf) && isDigit(buf[k]) && k-d < 4 {
		k++
	}
	return k > d && k+1 < len(buf) && buf[k] == '.' && isDigit(buf[k+1])
}

// mayBeLabelled reports a latitude/longitude label (lat, lng, lon, 纬, 经,
// 緯, 經) in the 16 bytes before p, cheaply: prices and measurements are
// far more common than coordinates and must not pay for a label search.
func (s *Scanner) mayBeLabelled(p int) bool {
	w := s.buf[max(0, p-16):p]
	if len(w) == 16 && !hasLabelByte(w) {
		return false
	}
	return labelIn(w)
}

// labelIn is mayBeLabelled's exact search of its window.
func labelIn(w []byte) bool {
	for i := 0; i+1 < len(w); i++ {
		switch c := w[i] | 0x20; {
		case c == 'l':
			if n := w[i+1] | 0x20; n == 'a' || n == 'n' || n == 'o' {
				return true
			}
		case w[i] == 0xE7 && i+2 < len(w):
			switch string(w[i : i+3]) {
			case "纬", "经", "緯", "經":
				return true
			}
		}
	}
	return false
}

// hasLabelByte reports whether the 16 bytes of w hold an 'l' or 'L' among
// the first 15 or a 0xE7 (the lead byte of 纬, 经, 緯 and 經) among the first
// 14, eight bytes at a time: most decimals are prices with no label before.
func hasLabelByte(w []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	has := func(x, b uint64) uint64 { // high bit set in each byte of x equal to b
		y := x ^ (b * ones)
		return (y - ones) &^ y & highs
	}
	a, b := binary.LittleEndian.Uint64(w), binary.LittleEndian.Uint64(w[8:])
	// A false positive in the high bits (a borrow past a match) only sends
	// the window to the exact loop; a match is never missed.
	l := has(a|0x2020202020202020, 'l') | has(b|0x2020202020202020, 'l')&^(0x80<<56)
	e := has(a, 0xE7) | has(b, 0xE7)&^(0x8080<<48)
	return l|e != 0
}

// validLatLng checks ranges and rejects pairs near (0, 0), which are
// probabilities or ratios far more often than a point in the Gulf of Guinea.
func validLatLng(lat, lng float64) bool {
	if math.Abs(lat) > 90 || math.Abs(lng) > 180 {
		return false
	}
	return math.Abs(lat) >= 1 || math.Abs(lng) >= 1
}

// openSea reports a point of the Gulf of Guinea's open water, both
// numbers under 4.7 in size: the nearest land is Ghana's Cape Three Points
// at 4.74°N and São Tomé at 6.5°E. Without a label such a pair is two small ratios or
// measurements, not a place: a colour's white point "[0.964200 1.000000
// 0.824900]" (161 findings in one PostScript manual), "1.000000 2.000000"
// printed by a test, fsck's "4.002804 2.677592" timings. It needs a
// location keyword or column then; labelled, it is kept.
func openSea(lat, lng float64) bool {
	return math.Abs(lat) < 4.7 && math.Abs(lng) < 4.7
}

// wholeNamedCell reports a value that is the pair [start, end) alone (but
// for spaces, quotes and brackets) in a named column or key: a table's
// pair of decimals is a coordinate when its column says so (location,
// 坐标, latlng: the rule's field names) or its record has a location
// keyword, not under "lat_ms(p50,p99)", "precision,recall" or "bbox". A
// pair in a sentence, in a text file or in a column without a name
// (positional) is judged as before.
func (s *Scanner) wholeNamedCell(start, end int) bool {
	if s.spans == nil {
		return false
	}
	i := s.spanAt(start)
	if i < 0 {
		return false
	}
	sp := s.spans[i]
	if f := sp.Field; f == nil || f.Name == "" || f.col > 0 {
		return false
	}
	const cut = " \t\"'()[]"
	raw := s.buf[sp.Start:sp.End]
	lead := len(raw) - len(bytes.TrimLeft(raw, cut))
	return sp.Start+lead == start && len(bytes.TrimRight(raw[lead:], cut)) == end-start
}

// inNumberList reports a pair [start, end) joined by a comma with a
// number on either side, each after a comma: a
// pair cut from a list of numbers ("1234.56789, 123.456789, -12.3456789,
// 1.23456789", ICU's example of field positions), not a position. A
// GeoJSON position has at most an altitude after it, a bounding box two
// numbers before its second corner.
func inNumberList(buf []byte, start, end int) bool {
	p := start
	for p > 0 && isBlank(buf[p-1]) {
		p--
	}
	if p < 2 || buf[p-1] != ',' {
		return false
	}
	for p--; p > 0 && isBlank(buf[p-1]); p-- {
	}
	if p == 0 || !isDigit(buf[p-1]) {
		return false
	}
	q := end
	for q < len(buf) && isBlank(buf[q]) {
		q++
	}
	if q == len(buf) || buf[q] != ',' {
		return false
	}
	for q++; q < len(buf) && isBlank(buf[q]); q++ {
	}
	if q < len(buf) && (buf[q] == '-' || buf[q] == '+') {
		q++
	}
	return q < len(buf) && isDigit(buf[q])
}

// doi reports a DOI read as a pair: "10.1109/26.231911", "10." and a
// registrant code of four to nine digits, [start, mid), then a slash.
func doi(buf []byte, start, mid int) bool {
	return mid < len(buf) && buf[mid] == '/' && mid-start >= 7 && mid-start <= 12 &&
		string(buf[start:start+3]) == "10." && allDigits(buf[start+3:mid])
}

// drawingOp reports a PostScript or Illustrator path operator (m, l or c,
// either case) alone at the end of the line after a blank-separated pair
// ending at p: "8.1999 8.1999 m", a moveto.
func (s *Scanner) drawingOp(p int) bool {
	// A batch's values end with '\n', so the operator is in the pair's value.
	buf := s.buf
	k := p
	for k < len(buf) && k-p < 4 && (buf[k] == ' ' || buf[k] == '\t') {
		k++
	}
	if k == p || k >= len(buf) {
		return false
	}
	switch buf[k] | 0x20 {
	case 'm', 'l', 'c':
	default:
		return false
	}
	return k+1 == len(buf) || buf[k+1] == '\n' || buf[k+1] == '\r'
}

// appendLatLng writes the canonical "lat,lng" with six decimals.
func appendLatLng(b []byte, lat, lng float64) []byte {
	b = strconv.AppendFloat(b, lat, 'f', 6, 64)
	b = append(b, ',')
	return strconv.AppendFloat(b, lng, 'f', 6, 64)
}

// lowWindow returns buf[a:b] lower-cased (ASCII) in a scratch buffer.
func (s *Scanner) lowWindow(a, b int) []byte {
	s.low = append(s.low[:0], s.buf[a:b]...)
	lowerASCII(s.low, s.low)
	return s.low
}

// lastWord returns the end of the last occurrence of any word that ok
// accepts at its start (nil: any), or -1. The text is a short label window
// (16 bytes): a backward loop on each word's first byte beats
// bytes.LastIndex, which hashes (Rabin-Karp).
func lastWord(text []byte, words [][]byte, ok func(i int) bool) int {
	best := -1
	for _, w := range words {
		for i := len(text) - len(w); i >= 0 && i+len(w) > best; i-- {
			if text[i] == w[0] && bytes.Equal(text[i:i+len(w)], w) && (ok == nil || ok(i)) {
				best = i + len(w)
				break
			}
		}
	}
	return best
}

// lastLabel is lastWord for a label window that starts at base in the
// buffer, counting only words that start a word of the text: not after a
// letter ("translate", "template", "platform", "along" hold lat and lon),
// unless a lower-case letter is followed by the word's upper-case start
// ("userLat", "gpsLng").
func (s *Scanner) lastLabel(text []byte, base int, words [][]byte) int {
	return lastWord(text, words, func(i int) bool { return s.wordStart(base + i) })
}

// wordStart reports whether the byte at p starts a word: it is not an
// ASCII letter after a letter, except at a lower-to-upper case change.
func (s *Scanner) wordStart(p int) bool {
	if p == 0 || !isLetter(s.buf[p]) || !isLetter(s.buf[p-1]) {
		return true
	}
	up := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	return up(s.buf[p]) && !up(s.buf[p-1])
}

// drawingNumbers reports numbers at [start, end) inside the numbers
// of a vector drawing: SVG path data (`d="m 12.3456,45.6789 c 1.2345 ...`,
// `L-80.04849 -68.86891`), an SVG transform (`matrix(0.7071 0.7071
// -0.7071 0.7071 36.4081 60.6962)`) or the points of an SVG polygon or
// polyline (`points="18.2098,-9.20375 16,-19.5656"`). Icons and fonts hold
// thousands of such pairs, and one in four is a latitude and longitude in
// range: 818 SVG files found on a developer machine gave 10,871
// gps_coordinate findings in 597 of them. A drawing's pair comes after a
// path command (one letter standing alone: M L H V C S Q T A Z in either
// case), a transform's "(" or the quote of points=", with only numbers
// between, and is followed by another number or command, or by the end of
// the list when numbers stand before it; or, with glued, its first number
// is glued to the number before by a minus sign, as only compacted path
// data writes them (`1.2834-0.46958 2.5635`; an address range
// "10.0.0.1-10.0.0.255" is written so too, hence the parameter). The same
// test serves dotted quads, which compacted path data also makes
// ("1.5.75.75" is 1.5 0.75 0.75). A coordinate in prose or data ("S
// 33.8688, 151.2093", "N 39.9042, E 116.4074", "lat 39.9 lon 116.4", WKT,
// GeoJSON, KML lists without letters) has no such command before it, or
// nothing drawing-like after it.
func (s *Scanner) drawingNumbers(start, end int, glued bool) bool {
	buf := s.buf
	if glued && start >= 2 && buf[start-1] == '-' && isDigit(buf[start-2]) {
		return true
	}
	space := func(c byte) bool { return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r' }
	exponent := func(i int) bool { // the e of 1.2e-4
		return buf[i]|0x20 == 'e' && i > 0 && isDigit(buf[i-1]) && i+1 < len(buf) && (isDigit(buf[i+1]) || buf[i+1] == '-' || buf[i+1] == '+')
	}
	// Back over the numbers before the pair, at most 96 bytes, and within
	// its value when the buffer holds a batch of values.
	i := start - 1
	lo, hi := max(0, start-96), len(buf)
	if s.spans != nil {
		if k := s.spanAt(start); k >= 0 {
			lo, hi = max(lo, s.spans[k].Start), min(hi, s.spans[k].End)
		}
	}
	numbersBefore := false
	for i >= lo && (isDigit(buf[i]) || buf[i] == '.' || buf[i] == '-' || buf[i] == '+' || space(buf[i]) || exponent(i)) {
		numbersBefore = numbersBefore || isDigit(buf[i])
		i--
	}
	if i < lo {
		return false
	}
	if buf[i] == '[' {
		return matrixEnd(buf, i, start, end, hi)
	}
	closer := byte(0)
	switch {
	case s.pathCommand(i):
		closer = '"'
		// Numbers before the command: the path goes on before it.
		k := i - 1
		for k >= 0 && (space(buf[k]) || buf[k]|0x20 == 'z') {
			k--
		}
		numbersBefore = numbersBefore || k >= 0 && isDigit(buf[k])
	case buf[i] == '(' && transformBefore(buf[max(0, i-9):i]):
		closer = ')'
		numbersBefore = true
	case (buf[i] == '"' || buf[i] == '\'') && bytes.HasSuffix(buf[max(0, i-7):i], []byte("points=")):
		closer = buf[i]
		numbersBefore = true // a polygon's or polyline's list of points
	default:
		return false
	}
	// After the pair: another number or command, or the end of the list.
	j := end
	for j < hi && j-end < 8 && space(buf[j]) {
		j++
	}
	if j >= hi {
		return false
	}
	switch c := buf[j]; {
	case isDigit(c) || (c == '-' || c == '+' || c == '.') && j+1 < hi && (isDigit(buf[j+1]) || c != '.' && buf[j+1] == '.'):
		// A number: "- -" after an access log's address is none.
		return true
	case s.pathCommand(j):
		return true
	case c == closer || closer == '"' && c == '\'':
		return numbersBefore
	}
	return false
}

// matrixEnd reports a pair [start, end) that ends a bracketed list of
// at least six numbers opened at open: the last two numbers of a
// PostScript or PDF transformation matrix ("[1 0 0 -1 149.921997
// 56.330002] Tm", a text position; 1,017 findings in one PostScript
// manual). A GeoJSON position ("[116.4074, 39.9042]", with an altitude
// "[116.4074, 39.9042, 43.5]") or a bounding box holds fewer.
func matrixEnd(buf []byte, open, start, end, hi int) bool {
	j := end
	for j < hi && j-end < 8 && (buf[j] == ' ' || buf[j] == '\t') {
		j++
	}
	if j >= hi || buf[j] != ']' {
		return false
	}
	numbers := 0
	for k := open + 1; k < start; k++ {
		if isDigit(buf[k]) && !isDigit(buf[k-1]) && buf[k-1] != '.' {
			numbers++
		}
	}
	return numbers >= 4
}

// pathCommand reports an SVG path command at p: one of its letters, not
// next to another letter but a close-path z ("zm").
func (s *Scanner) pathCommand(p int) bool {
	buf := s.buf
	cmd := func(c byte) bool {
		switch c | 0x20 {
		case 'm', 'l', 'h', 'v', 'c', 's', 'q', 't', 'a', 'z':
			return true
		}
		return false
	}
	if !cmd(buf[p]) {
		return false
	}
	z := buf[p]|0x20 == 'z'
	prevOK := p == 0 || !isLetter(buf[p-1]) || buf[p-1]|0x20 == 'z'
	nextOK := p+1 >= len(buf) || !isLetter(buf[p+1]) || z && cmd(buf[p+1])
	return prevOK && nextOK
}

// transformBefore reports an SVG transform function name ending b.
func transformBefore(b []byte) bool {
	for _, f := range [...]string{"matrix", "translate", "rotate", "scale", "skewX", "skewY"} {
		if bytes.HasSuffix(b, []byte(f)) {
			return true
		}
	}
	return false
}

func hasWord(text []byte, words [][]byte) bool {
	for _, w := range words {
		if bytes.Contains(text, w) {
			return true
		}
	}
	return false
}
