package classifiers

import (
	"bytes"

	"golang.org/x/net/publicsuffix"
)

// Limits of RFC 5321 section 4.5.3.1.
const (
	maxLocal  = 64
	maxDomain = 253
)

func isLocalChar(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isLabelChar(c byte) bool { return isAlnum(c) || c == '-' }

// email reads an address around the '@' at i: a local part of up to 64
// characters before it, a domain of two or more labels after it, and a top
// level domain that ICANN delegates (golang.org/x/net/publicsuffix), so
// user@localhost, a@b.c and log lines like x@y.z123 are not addresses.
func (s *Scanner) email(at int) { s.emailAt(at, 1) }

// emailAt is email with the '@' at buf[at:at+w]: one byte, or the three of
// "%40" in a URL's query ("?email=zhang%40example.com"), whose canonical
// value has the '@'. It returns the end of the address, or 0.
func (s *Scanner) emailAt(at, w int) int {
	buf := s.buf
	j := at
	for j > 0 && isLocalChar(buf[j-1]) {
		j--
		if at-j > maxLocal {
			return 0
		}
	}
	// The local part may not start or end with punctuation.
	for j < at && (buf[j] == '.' || buf[j] == '-' || buf[j] == '+' || buf[j] == '_' || buf[j] == '%') {
		j++
	}
	if j == at || buf[at-1] == '.' {
		return 0
	}
	if w == 1 && urlUserinfo(buf, j, at) {
		return 0
	}
	k := at + w
	labels := 0
	lastStart := k
	for {
		ls := k
		for k < len(buf) && isLabelChar(buf[k]) && k-at <= maxDomain {
			k++
		}
		if k == ls || buf[ls] == '-' || buf[k-1] == '-' {
			if labels == 0 {
				return 0
			}
			k = ls - 1 // drop the trailing dot
			break
		}
		labels++
		lastStart = ls
		if k+1 < len(buf) && buf[k] == '.' && isLabelChar(buf[k+1]) {
			k++
			continue
		}
		break
	}
	if labels < 2 || k-at-w > maxDomain {
		return 0
	}
	if k < len(buf) && (buf[k] == '@' || buf[k] == '_') {
		return 0
	}
	if gitRemote(buf, j, at, k) || sshAlgorithm(buf[j:at], buf[at+w:k]) || messageID(buf, j, k) {
		return 0
	}
	tld := buf[lastStart:k]
	if len(tld) < 2 || len(tld) > 30 {
		return 0
	}
	s.canon = append(s.canon[:0], buf[j:at]...)
	s.canon = append(append(s.canon, '@'), buf[at+w:k]...)
	lowerASCII(s.canon, s.canon)
	t := s.canon[len(s.canon)-len(tld):]
	// A TLD is letters, or an internationalized one in punycode (xn--p1ai).
	if !(len(t) > 4 && string(t[:4]) == "xn--") {
		for _, c := range t {
			if !isLetter(c) {
				return 0
			}
		}
	}
	s.stats.Candidates++
	if !s.icannTLD(t) {
		return 0
	}
	s.emit(candidate{ri: s.e.det[dEmail], start: j, end: k, canon: s.canon, strong: true})
	return k
}

// maxUserinfo bounds urlUserinfo's look back.
const maxUserinfo = 128

// urlUserinfo reports a local part buf[j:at] that is the password of a
// URL's userinfo, scheme://user:password@host (a connection string such as
// postgres://app:s3cret@db.example.com/app): the bytes before it, back to
// "://", hold no '/', '?', '#' or space and do hold a ':'. A password may
// hold an '@' of its own (redis://:p@ss@host).
func urlUserinfo(buf []byte, j, at int) bool {
	colon := false
	p := j
	for p > 0 && at-p < maxUserinfo {
		c := buf[p-1]
		if c <= ' ' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c >= 0x80 {
			break
		}
		if c == ':' {
			colon = true
		}
		p--
	}
	return colon && p >= 3 && buf[p-1] == '/' && buf[p-2] == '/' && buf[p-3] == ':'
}

// messageID reports an address-shaped message id, <local@domain> in a
// header that holds message ids: Message-ID, In-Reply-To, References,
// Content-ID and their Resent- and X- forms (RFC 5322 section 3.6.4),
// folded over continuation lines or not. Every e-mail carries one
// ("<9ef6a76dac7980a2.9696016902@mail.example.com>"); it names a message
// the sending software made up, not a mailbox. The header's name is looked
// for at most 1 KiB back.
func messageID(buf []byte, j, k int) bool {
	if j == 0 || buf[j-1] != '<' || k >= len(buf) || buf[k] != '>' {
		return false
	}
	lo := max(0, j-1024)
	for p := j - 1; p >= lo; {
		ls := p
		for ls > lo && buf[ls-1] != '\n' {
			ls--
		}
		if ls == lo && lo > 0 {
			return false
		}
		if buf[ls] == ' ' || buf[ls] == '\t' {
			p = ls - 2 // a folded header: its name is on a line before
			continue
		}
		name, _, ok := bytes.Cut(buf[ls:j], []byte{':'})
		if !ok {
			return false
		}
		for _, pre := range [...]string{"resent-", "x-"} {
			if len(name) > len(pre) && asciiFoldEq(name[:len(pre)], pre) {
				name = name[len(pre):]
			}
		}
		for _, h := range [...]string{"message-id", "in-reply-to", "references", "content-id", "original-message-id"} {
			if asciiFoldEq(name, h) {
				return true
			}
		}
		return false
	}
	return false
}

// gitRemote reports git@host:org/repo, an SSH remote (and
// ssh://git@host/...): the local part is "git" and the host is followed by
// ':' and a path ("git@example.com: merged" is an address), or the address
// follows "://".
func gitRemote(buf []byte, j, at, k int) bool {
	if at-j != 3 || !asciiFoldEq(buf[j:at], "git") {
		return false
	}
	return k+1 < len(buf) && buf[k] == ':' && buf[k+1] > ' ' || j >= 3 && string(buf[j-3:j]) == "://"
}

// sshAlgorithm reports an SSH algorithm or extension name, which RFC 4251
// (section 6) writes name@domain: chacha20-poly1305@openssh.com,
// hmac-sha2-256-etm@openssh.com, curve25519-sha256@libssh.org,
// zlib@openssh.com. Every sshd_config, SSH library and module cache holds
// dozens. The domain is one of the SSH implementations' and the name
// either holds a '-' (an algorithm: cipher-mode, mac-hash-etm) or is one
// of their single-word extension names; a person's address there is a
// handle without one (djm@openssh.com), and stays an address.
func sshAlgorithm(local, domain []byte) bool {
	switch {
	case asciiFoldEq(domain, "openssh.com"), asciiFoldEq(domain, "libssh.org"), asciiFoldEq(domain, "ssh.com"),
		asciiFoldEq(domain, "libssh2.org"), asciiFoldEq(domain, "putty.projects.tartarus.org"):
	default:
		return false
	}
	if bytes.IndexByte(local, '-') > 0 {
		return true
	}
	for _, w := range []string{"zlib", "hostkeys", "lsearch", "fsync", "hardlink", "limits", "keepalive"} {
		if asciiFoldEq(local, w) {
			return true
		}
	}
	return false
}

// maxTLDs bounds the scanner's table of top-level domains (text may hold
// any number of made-up ones).
const maxTLDs = 512

// icannTLD reports whether t is a top-level domain of the ICANN section of
// the public suffix list. Answers are kept: a corpus has few distinct TLDs,
// and the list's lookup allocates.
func (s *Scanner) icannTLD(t []byte) bool {
	if icann, ok := s.tlds[string(t)]; ok {
		return icann
	}
	_, icann := publicsuffix.PublicSuffix(string(t))
	if len(s.tlds) < maxTLDs {
		if s.tlds == nil {
			s.tlds = map[string]bool{}
		}
		s.tlds[string(t)] = icann
	}
	return icann
}
