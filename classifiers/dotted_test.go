package classifiers

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExactDecimalMatchesParseFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		ni, nf := 1+r.IntN(4), 1+r.IntN(15)
		b := make([]byte, 0, 20)
		for range ni {
			b = append(b, byte('0'+r.IntN(10)))
		}
		b = append(b, '.')
		for range nf {
			b = append(b, byte('0'+r.IntN(10)))
		}
		v, ok := exactDecimal(b[:ni], b[ni+1:])
		want, err := strconv.ParseFloat(string(b), 64)
		require.NoError(t, err)
		if ni+nf > 15 {
			require.False(t, ok, "%s has too many digits for the exact path", b)
			continue
		}
		require.True(t, ok)
		require.Equal(t, math.Float64bits(want), math.Float64bits(v), "%s", b)
	}
}

// TestDocumentationAddresses: the blocks reserved for documentation
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32) are
// never reported, written alone, mapped into IPv6 or in a keyword's
// context; the addresses around them are.
func TestDocumentationAddresses(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text, typ string
		found     bool
	}{
		{"client 192.0.2.1", "ipv4", false},
		{"client 192.0.2.255", "ipv4", false},
		{"server IP 198.51.100.23", "ipv4", false},
		{"ntpd: adjust time server 203.0.113.130 offset", "ipv4", false},
		{"client 192.0.1.255", "ipv4", true},
		{"client 192.0.3.0", "ipv4", true},
		{"client 198.51.101.1", "ipv4", true},
		{"client 203.0.112.9", "ipv4", true},
		{"client 2001:db8::1", "ipv6", false},
		{"IPv6 示例：2001:db8:85a3::8a2e:370:7334", "ipv6", false},
		{"client 2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6", false},
		{"client ::ffff:192.0.2.1", "ipv6", false},
		{"client 2001:db7:ffff::1", "ipv6", true},
		{"client 2001:db9::1", "ipv6", true},
		{"client ::ffff:192.0.3.1", "ipv6", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.found, slices.Contains(scanString(t, e, tt.text).types(), tt.typ))
		})
	}
}

// TestIPv4VersionStrings: dotted quads that their context calls versions
// are not IPv4 addresses; addresses next to other words still are.
func TestIPv4VersionStrings(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		ip   bool
	}{
		{`[assembly: AssemblyVersion("1.0.0.0")]`, false},
		{`[assembly: AssemblyFileVersion('2.1.0.0')]`, false},
		{"Assembly 4.0.0.0", false},
		{"mscorlib, Version=4.0.0.0, Culture=neutral", false},
		{"pkg==3.10.2.1", false},
		{"pkg >= 1.2.3.4", false},
		{"pkg<=1.2.3.4", false},
		{"pkg~=1.2.3.4", false},
		{"Breaks: macs (<< 2.2.7.1-3~), nocache (<< 1.1-1~)", false},
		{"Depends: libfoo (>> 4.6.2.7+dfsg)", false},
		{"version 10.0.19041.1", false},
		{"Version: 10.1.2.3", false},
		{"ver 1.2.3.4", false},
		{"ver. 1.2.3.4", false},
		{"v1.2.3.4", false},
		{"lodash@4.17.21.1", false},
		{"FileVersion: 6.1.7601.1", false},
		// A release word earlier on the line, words between.
		{"  - 更新 SDK 至 3.4.1.2", false},
		{"升级到 2.1.0.3 后重启", false},
		{"firmware is now 1.0.2.7", false},
		{"更新网关为 47.96.3.21", true},
		{"更新说明\n客户端 5.2.3.1", true},
		{"client 10.0.0.1", true},
		{"ip=192.168.1.20", true},
		{"1.2.3.4:8080", true},
		{"ip 1.2.3.4 version 2", true},
		{"server 10.0.0.1", true},
		{"driver: 10.0.0.1", true},
		{"<td>10.0.0.1</td>", true},
		{`if ip == "10.0.0.1"`, true},
		{"addr: 8.8.8.9 (ver 2)", true},
		// Section numbers of specifications, as code comments cite them.
		{"// Limits of RFC 5321 section 4.5.3.1", false},
		{"see Section 4.5.3.1.", false},
		{"(sec. 4.5.3.1)", false},
		{"GB/T 35273 § 5.2.3.1", false},
		{"§5.2.3.1", false},
		{"clause 5.2.3.1", false},
		{"Chapter 10.1.2.3", false},
		{"record r at off ([MS-EMF] 2.3.5.32, 2.3.5.33)", false},
		{"([MS-EMF] 2.1.1, [MS-EMFPLUS] 2.1.1.1, [MS-WMF] 2.1.1.1)", false},
		{"subsection 10.0.0.1", true},
		{"[host] 10.0.0.1", true},
		{"[2024-01-01 10:00:00] 10.0.0.1 GET /", true},
		{"secure 10.0.0.1", true},
		// Compacted SVG path data: ".75.75" is two numbers.
		{`<path d="M558.06,551.55c-3.1.18.09,4-2.57,4.43-3.07,1.2"/>`, false},
		{`<path d="m-6 2.558a.75.75 0 110 1.5.75.75 0 110-1.5z"/>`, false},
		{`<path d="M461.18,828.68l-3.25,1.08c-1.33-1.05-2.57-.33-3.82.2.13-2-.87"/>`, false},
		{"range 10.0.0.1-10.0.0.255", true},
		{"10.0.0.1-10.0.0.255", true},
		{"ip 10.0.0.1 10.0.0.2", true},
		{"A 10.0.0.1", true},
		// Versions of packages and release notes, section headings of
		// manuals (a scan of /usr/share: 3,682 context-free ipv4 findings,
		// most of them these).
		{"Openwall patch shadow-4.0.4.1-owl-userdel.diff", false},
		{"install-1.2.3.4.sh", false},
		{"// Revision 1.1.2.5  1995/07/11", false},
		{"$Id: rev 1.2.3.4 $", false},
		{"New in 1.0.14.2:", false},
		{"Changes in 1.2.3.3 (2 October 2006)", false},
		{"Fixed in 2.3.1.4.", false},
		{"deps: upgrade V8 to 4.6.85.25 from 4.5.103.35", false},
		{"Bump libfoo to 4.6.85.25", false},
		{"text.\n\n2.2.1.1 An Example of Context Format", false},
		{"text.\n\n2.2.1.1. Unix platforms", false},
		{"text.\r\n\r\n16.1.6.1 Two Use-cases", false},
		{`<h4 class="subsubsection">7.3.1.2 Cipher-specific functions</h4>`, false},
		{"line\n10.1.2.3 Accepted password for root", true},
		{"\n\n10.1.2.3 - - [24/Nov/2026] GET /", true},
		{"\n\n10.1.2.3 GET /", true},
		{"\n\n192.168.1.20 Router", true},
		{"<td>7.3.1.2 Cipher</td>", true},
		{"host-a 10.0.0.1", true},
		{"login from 10.0.0.1 to 10.0.0.2", true},
		{"in 10.0.0.1", true},
		{"route to 10.0.0.1", true},
		{"changes 10.0.0.1", true},
		{`CRL_REASON = ObjectIdentifier("2.5.29.21")`, false},
		{"Start preparing for 1.8.3.2", false},
		{"Prepare for 1.6.5.4", false},
		{"waiting for 10.0.0.1", true},
		{"dpkg (1.15.5.3) unstable; urgency=low", false},
		// A quad of small numbers after a word or a parenthesis: a release.
		{"Junio C Hamano (3):\n      Git 1.7.11.6\n      Git 1.7.12-rc0", false},
		{"    XFree86 4.3.0.1\n\ncommit d1eb0ee", false},
		{"  2014-12-05 (3.8.7.3)\n\n    1. Bug fix", false},
		{"**deps**: update zlib to 1.3.0.1-motley-24c07df", false},
		{"Use DNS resolver at 8.8.8.8 in tor-mode.", false},
		// Address keywords of logs and configs bring a small quad back.
		{"login from 5.20.3.1", true},
		{"Failed password for invalid user admin from 5.20.3.1 port 4242 ssh2", true},
		{"Connection closed by 3.14.2.7 port 22 [preauth]", true},
		{"DNS server 1.2.3.9", true},
		{"via proxy 4.4.4.4", true},
		{"nameserver 8.8.8.9", true},
		// A public DNS resolver is shared infrastructure, no one's address.
		{"nameserver 8.8.8.8", false},
		{"nameserver 114.114.114.114", false},
		{"client 223.5.5.5", false},
		{"nameserver 223.5.5.6", true},
		{"Connection from host 1.2.3.4 port 22", true},
		{"1.2.3.4 - - [24/Nov/2026] GET /", true},
		{"登录 5.2.3.1", true},
		{"login from 5.62.3.1 port 22", true},
		{"Git 1.7.11.31", true},
		{"XFree86 14.3.0.1", true},
		{"alsa-lib (1.2.6.1-2) unstable; urgency=medium", false},
		{"binutils (2.10.0.27-0.cvs20001011.2) unstable; urgency=low", false},
		{"libxft (2.1.8.2-0ubuntu1) dapper; urgency=low", false},
		{"client (10.0.0.1-2) connected", true},
		{"  * Declare compliance with Debian Policy 4.1.0.0.", false},
		{"firewall policy 10.0.0.1", true},
		{"client (10.0.0.1) connected", true},
		// Networks: a prefix length that leaves the host bits zero.
		{"--range=10.240.0.0/29 --zone", false},
		{"for example 192.168.100.0/24).", false},
		{"route 203.0.114.0/24 via", false},
		{"addr 10.1.2.3/24 dev eth0", true},
		{"allow 203.0.114.7/32", true},
		{"allow 203.0.114.0/32", true},
		// Documentation blocks (RFC 5737): examples, never a host's.
		{"client 192.0.2.10 connected", false},
		{"upstream 198.51.100.23", false},
		{"ntpd: adjust time server 203.0.113.130 offset", false},
		{"client 192.0.3.10 connected", true},
		// A netmask for the length; a netmask is no address.
		{"#+:root:192.168.201.0/255.255.255.0", false},
		{"-s 10.8.0.0/255.255.0.0 -j ACCEPT", false},
		{"-s 10.8.0.1/255.255.0.0 -j ACCEPT", true},
		{"-s 10.8.0.0/255.255.0.1 -j ACCEPT", true},
		{"inet 10.1.2.3  netmask 255.255.255.0", true},
		{"netmask 255.255.240.0", false},
		{"mask 255.255.255.254", false},
		{"host 255.254.255.0", true},
		{"path 203.0.114.0/index.html", true},
		// An access log's address after a line that ends in a letter an
		// SVG path could use as a command: "- -" after it is no number.
		{"GET / rt=0.022 req_id=624a5528db192ccb195a4fe9f4e3b3c0\n27.121.146.233 - - [21/Nov/2024:10:00:56 +0800]", true},
		{"x z\n27.121.146.233 - - [21/Nov/2024:10:00:56 +0800]", true},
		{"d=\"m 1.5.75.75 -1.5.75.75z\"", false},
		// Section numbers in C-style comments and after a standard's name
		// (libstdc++'s and the kernel's headers under /usr/include, Go's
		// sources).
		{"x;\n/* 4.3.2.2 Output Terminal Descriptor */", false},
		{"    // 27.4.2.6  Members for callbacks", false},
		{"/* 2.4.3.3. Payload Header Information */", false},
		{"      // [23.2.1.1] construct/copy/destroy", false},
		{"      // 23.3.4.2 iterators:\n", false},
		{"  ///  5.2.1.1  Associated Laguerre polynomials.", false},
		{"\t// 2.2.5.4. Prefetch Instructions", false},
		{"// 10.0.0.1 is the gateway", true},
		{"      // 10.0.0.1 gateway\n", true},
		{"x = 1; // 10.0.0.1  gateway", true},
		{"// 192.168.1.1  Router", true},
		{"#10.0.0.1\tdb db.local", true},
		{"# 10.0.0.1  gateway", true},
		{"      // C++14 20.8.2.2\n", false},
		{"// ISO C++ 14882: 22.2.1.5  Template class codecvt", false},
		{"interval as defined by IEEE 802.11 7.3.1.6 (u16).", false},
		{"See 802.11-2012 8.4.2.29 for more information.", false},
		{"described in ECMA-262, 15.10.4.1.", false},
		{"// Special opcode [DWARF2 6.2.5.1, DWARF4 6.2.5.1]", false},
		{"//            in subclause 7.3.5.1.", false},
		{"In clauses 21.1.3.1 and 27.4.1", false},
		{"Dwarf 5 specification, 7.5.1.2, 7.5.1.3 and Dwarf 4", false},
		{"from CDC spec  5.2.3.1 */", false},
		{"C++ 10.0.0.1", true},
		{"ECMA 10.0.0.1", true},
		// Debian symbols files and release notes named by version.
		{"libasound.so.2 libasound2 #MINVER#\n snd_pcm_open@ALSA_0.9 1.2.7.1\n", false},
		{" EVP_sha256@OPENSSL_3.0.0 3.0.0.1", false},
		{"\n foo@Base 1.2.3.4\n", false},
		{"\n li@example.com 10.0.0.1\n", true},
		{"login li@EXAMPLE 10.0.0.1", true},
		{"/usr/share/doc/git/RelNotes/1.5.0.1.txt", false},
		{"docs/release-notes/2.3.1.4.md", false},
		{"/etc/hosts/10.0.0.1.yaml", true},
		{"backup/notes/10.0.0.1.txt", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got := slices.Contains(scanString(t, e, tt.text).types(), "ipv4")
			assert.Equal(t, tt.ip, got)
		})
	}
}

// TestPairLabelsHoldAWord: every pair label (经纬度, lnglat, ...) holds a
// latitude or a longitude word, which gpsPair relies on to skip looking
// for pair labels when it found neither.
func TestPairLabelsHoldAWord(t *testing.T) {
	for _, w := range append(append([][]byte{}, lngLatWords...), latLngWords...) {
		assert.True(t, lastWord(w, latWords, nil) >= 0 || lastWord(w, lngWords, nil) >= 0, "%s", w)
	}
}

// TestLastWordAgrees: the backward loop finds what bytes.LastIndex finds.
func TestLastWordAgrees(t *testing.T) {
	ref := func(text []byte, words [][]byte) int {
		best := -1
		for _, w := range words {
			if i := bytes.LastIndex(text, w); i >= 0 && i+len(w) > best {
				best = i + len(w)
			}
		}
		return best
	}
	r := rand.New(rand.NewPCG(8, 8))
	alphabet := []string{"l", "a", "t", "n", "g", "o", "_", ",", "纬", "经", "度", " ", ":"}
	lists := [][][]byte{latWords, lngWords, lngLatWords, latLngWords}
	for n := range 20000 {
		var text []byte
		for range r.IntN(12) {
			text = append(text, alphabet[r.IntN(len(alphabet))]...)
		}
		words := lists[r.IntN(len(lists))]
		require.Equal(t, ref(text, words), lastWord(text, words, nil), "case %d: %q", n, text)
	}
}

// TestGPSDrawingNumbers: the numbers of vector drawings are not
// coordinates. SVG icons gave thousands of gps_coordinate findings (818 SVG
// files on a developer machine: 10,871 in 597 files, every one of them a
// path, transform or polygon; now none), which failed a CI job run with
// --fail-on S3 on any repository with icons. Labels are words of their own:
// "translate(-2.92 -6.54)" was read as a latitude label. Coordinates in
// prose, WKT, KML and GeoJSON are still found.
func TestGPSDrawingNumbers(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		gps  bool
	}{
		{`<path d="M 0 -1.332031 -0.8125 -2.273438 -1.550781"/>`, false},
		{`<path d="c 0 -1.332031 -0.8125 -2.273438 -1.550781 -2.644531 c -0.7421"/>`, false},
		{`<path d="m 12.345678,45.678901 c 1.234567,2.345678 3.456789,4.567890 5.678901,6.789012 z"/>`, false},
		{`<path d="M124,-126C124,-126 149.4376,-81.2672 183.6334,-73.2"/>`, false},
		{`<path d="M39.9445,62.9023 L-80.04849 -68.86891 M39.9445,62.9023"/>`, false},
		{`<path d="M 6.503906 142.375 L 15 142.375 L 139.703125 14.792969 "/>`, false},
		{`<path d="q16.75702689707279,0 26.23991382300854,12.124128554614499 zm-18.4553"/>`, false},
		{`<path d="m0 5.2459 0.875 31.875 6e-3 1.2834-0.46958 2.5635-1.3125 3.5312"/>`, false},
		{`<path d="h 1 v 2 c -1.2e-4,0.77087 0.83516,1.25205 1.50195,0.86523"/>`, false},
		{`<g transform="translate(36.4081 -60.6962)">`, false},
		{`<g transform="translate(-2.92 -6.54)">`, false},
		{`<g transform="matrix(0.7071 0.7071 -0.7071 0.7071 36.4081 60.6962)">`, false},
		{`<g transform="matrix(1,-1.73472e-18,0,1,-0.962634,-2.89287)">`, false},
		{`<polygon points="39.9042,116.4074 39.9043,116.4075 39.9044,116.4076"/>`, false},
		{"translate 39.90, 116.40", false},
		{"platform 39.90, 116.40", false},
		{"POINT(116.407400 39.904200)", true},
		{"LINESTRING(116.4074 39.9042, 116.4075 39.9043, 116.4076 39.9044)", true},
		{"<coordinates>116.4074,39.9042,0 116.4075,39.9043,0</coordinates>", true},
		{"2024-01-01T10:00:00 39.904200 116.407400 12.5", true},
		{"[116.4074, 39.9042]", true},
		// A PostScript or PDF text matrix: six numbers in brackets.
		{"[1 0 0 -1 39.921997 116.330002] Tm", false},
		{"[1.0 0 0 -1.0 39.921997 116.330002]", false},
		{"[116.4074, 39.9042, 43.5]", true},
		{"[[116.4074, 39.9042], [116.4075, 39.9043]]", true},
		{"bbox [116.3, 39.8, 116.4074, 39.9042]", true},
		{"S 33.8688, 151.2093", true},
		{"A 39.9042, 116.4074", true},
		{`{"p": "A 39.9042, 116.4074"}`, true},
		{"点位 L 39.9042 116.4074", true},
		{"position 39.904211 116.407413 heading 12", true},
		{"lat 39.90, 116.40", true},
		{"userLat: 39.90, userLng: 116.40", true},
		{"gps_lat 39.90 gps_lng 116.40", true},
		// A PostScript or Illustrator path: a pair, then moveto, lineto
		// or curveto alone at the end of the line.
		{"0 D\n8.1999 8.1999 m\n80.6999 8.1999 L\nS", false},
		{"39.904211 116.407413 l", false},
		{"39.904211 116.407413 c\r\n", false},
		{"39.904211 116.407413 m above the sea", true},
		{"39.904211,116.407413 m", true},
		{"(csv) pos,unit|39.904211 116.407413 m,x", false},
		{"(csv) pos,unit|39.904211 116.407413,m", true},
		// A pair cut from a comma-separated list of numbers, and a DOI.
		{" *  1234567.89, -123456.789, 12345.6789, -1234.56789, 123.456789, -12.3456789, 1.23456789};", false},
		{"1, 39.904200, 116.407400, 2", false},
		{"id, 39.904200, 116.407400, 2", true},
		{"1, 39.904200, 116.407400, ok", true},
		{"https://dx.doi.org/10.1109/26.231911", false},
		{"39.904211/116.407413", true},
		// A value of a batch is read on its own: a cell "M" before it is
		// not a path command.
		{"(csv) sex,pos,age|M,39.904211 116.407413,35", true},
		{"(csv) sex,pos,age|L,39.904211 116.407413,35", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			found, err := runExample(context.Background(), e.NewScanner(), tt.text)
			require.NoError(t, err)
			assert.Equal(t, tt.gps, found.has("gps_coordinate"))
		})
	}
}

// TestGPSOpenSea: a pair of small numbers is a point of the Gulf of
// Guinea's open water. Unlabelled it is read as two measurements (a
// PostScript white point gave 161 findings in one manual); a label, a
// location keyword or a location column keeps it.
func TestGPSOpenSea(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	for text, want := range map[string]bool{
		"/WhitePoint [0.964200 1.000000 0.824900]":         false,
		"produces:\n\n  1.000000 2.000000 3.000000 nan":    false,
		"/dev/sda1 0 92828 4.002804 2.677592 0.86186":      false,
		"p t_float_values(3.14159,-2.3765)":                false,
		"-4.4999 4.4999 ok":                                false,
		"// for x in [4.5453,2.8571] = 1/[0.2199,0.35001]": false,
		"lat 0.964200, lng 1.000000":                       true,
		"纬度 3.141590 经度 -2.376500":                         true,
		"location: 0.964200, 1.000000":                     true,
		"(csv) id,gps|7,0.9642 1.0000":                     true,
		// Just outside the box: Ghana's coast, São Tomé, Lagos.
		"fix 4.742600 -2.090100":  true,
		"fix 0.336300 6.730200":   true,
		"fix 6.524400, 3.379200":  true,
		"fix 39.904200 1.000000":  true,
		"fix -4.812300 -1.234500": true,
	} {
		found, err := runExample(context.Background(), e.NewScanner(), text)
		require.NoError(t, err)
		assert.Equal(t, want, found.has("gps_coordinate"), "%q", text)
	}
}

// TestIPv6Networks: a network written with its prefix length, host bits
// zero, names a subnet, not a host; an address with a prefix is a host.
func TestIPv6Networks(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	for text, want := range map[string]bool{
		"route 2001:db8:1::/48 via":  false,
		"allow 2409:8a00:1234::/48.": false,
		"addr 2409:8a00:1234::10/64": true,
		"client 2409:8a00:1234::10":  true,
		"host 2409:8a00:1234::/128":  true,
	} {
		assert.Equal(t, want, slices.Contains(scanString(t, e, text).types(), "ipv6"), "%q", text)
	}
}

// TestPublicResolvers: the published addresses of public DNS resolvers
// are shared infrastructure in every resolv.conf, not anyone's address,
// in either family and in an IPv4-mapped IPv6 address; their neighbours
// are addresses.
func TestPublicResolvers(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	for text, want := range map[string]string{
		"nameserver 8.8.8.8":                "",
		"nameserver 223.6.6.6":              "",
		"client 208.67.222.222 connected":   "",
		"nameserver 2001:4860:4860::8888":   "",
		"nameserver 2400:3200::1":           "",
		"nameserver ::ffff:114.114.114.114": "",
		"client 208.67.222.223 connected":   "ipv4",
		"nameserver 2001:4860:4860::8889":   "ipv6",
		"nameserver 2400:3200::2":           "ipv6",
		"nameserver ::ffff:114.114.114.113": "ipv6",
		"client 119.29.29.28 connected":     "ipv4",
	} {
		got := strings.Join(scanString(t, e, text).types(), ",")
		assert.Equal(t, want, got, "%q", text)
	}
}
