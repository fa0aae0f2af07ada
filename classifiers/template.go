package classifiers

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
)

// Fingerprint minutiae templates: ISO/IEC 19794-2:2005 and ANSI/INCITS
// 378-2004 records both start with the format identifier "FMR\0" and a
// version (" 20\0"; "030\0" in ISO/IEC 19794-2:2011). They are found raw
// (in binary files or JSON strings) and base64-encoded, whose text always
// starts "Rk1SA".

var (
	fmrMagic = []byte("FMR\x00")
	fmrB64   = []byte("Rk1SA")
)

// maxTemplate caps the bytes of a template that are fingerprinted, so the
// canonical value does not depend on where a chunk boundary falls (the
// look-ahead always holds this much).
const maxTemplate = 2048

// templates checks the fused pass's candidates for fingerprint templates.
func (s *Scanner) templates() {
	ri := s.e.det[dFingerprintTemplate]
	buf := s.buf
	done := -1
	for _, p := range s.tmpl {
		at := p - 2 // "FMR\0": the pair was R,\0
		if buf[p+1] == 'k' {
			at = p // "Rk1SA"
		}
		if at < s.own0 || at >= s.own1 || at < done {
			continue
		}
		if buf[p+1] == 0 {
			if n, ok := templateLen(buf[at:]); ok {
				end := at + min(n, maxTemplate, len(buf)-at)
				s.canon = append(s.canon[:0], buf[at:end]...)
				s.emit(candidate{ri: ri, start: at, end: end, canon: s.canon, strong: true, evidence: "raw"})
				done = end
			}
			continue
		}
		if !hasPrefixAt(buf, at, fmrB64) || (at > 0 && isB64Body(buf[at-1])) {
			continue // inside a longer base64 run: not a record start
			// ("template=Rk1S..." is one: '=' only pads a run's end)
		}
		end := at
		for end < len(buf) && end-at < maxTemplate*4/3+4 && isB64(buf[end]) {
			end++
		}
		dec, ok := decodeB64Prefix(buf[at:end])
		if !ok {
			continue
		}
		if n, ok := templateLen(dec); ok {
			s.canon = append(s.canon[:0], dec[:min(n, len(dec), maxTemplate)]...)
			s.emit(candidate{ri: ri, start: at, end: end, canon: s.canon, strong: true, evidence: "base64"})
			done = end
		}
	}
}

func hasPrefixAt(b []byte, i int, p []byte) bool {
	return i >= 0 && i+len(p) <= len(b) && string(b[i:i+len(p)]) == string(p)
}

// templateLen checks a template header and returns the record length it
// declares. ISO 19794-2:2005 stores a 4-byte length at offset 8 followed by
// two zero bytes; ANSI 378 a 2-byte length (or 0 and a 4-byte length).
func templateLen(b []byte) (int, bool) {
	if len(b) < 14 || !bytes.HasPrefix(b, fmrMagic) {
		return 0, false
	}
	switch string(b[4:8]) {
	case " 20\x00", "030\x00":
	default:
		return 0, false
	}
	if l := int(binary.BigEndian.Uint32(b[8:12])); l >= 24 && l <= 1<<20 && b[12] == 0 && b[13] == 0 {
		return l, true
	}
	l := int(binary.BigEndian.Uint16(b[8:10]))
	if l == 0 && len(b) >= 14 {
		l = int(binary.BigEndian.Uint32(b[10:14]))
	}
	return l, l >= 24 && l <= 1<<20
}

func isB64(c byte) bool {
	return isB64Body(c) || c == '='
}

// isB64Body reports a base64 character other than the '=' padding.
func isB64Body(c byte) bool {
	return isAlnum(c) || c == '+' || c == '/'
}

// decodeB64Prefix decodes a base64 run, ignoring a trailing partial group.
func decodeB64Prefix(t []byte) ([]byte, bool) {
	t = bytes.TrimRight(t, "=")
	t = t[:len(t)/4*4]
	if len(t) < 20 {
		return nil, false
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(t)))
	n, err := base64.RawStdEncoding.Decode(out, t)
	return out[:n], err == nil
}
