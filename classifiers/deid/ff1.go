package deid

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
)

// FF1 is the format-preserving encryption mode of NIST SP 800-38G
// (Revision 1, 2019), Algorithms 7 and 8, over AES. It is written here
// because no maintained Go library was usable: github.com/capitalone/fpe,
// the usual choice, has had no release since 2019 and is not served by the
// module proxy this project builds from. It is checked against all nine
// NIST sample vectors (testdata/deid/ff1_nist.json).
//
// Numerals are uint16 values below the radix, so one implementation serves
// digits (radix 10), lower-case alphanumerics (36), mixed-case ones (62) and
// the bytes of an IPv4 address (256).

// ff1MinDomain is the smallest domain SP 800-38G Rev. 1 allows:
// radix^minlen >= 1,000,000. Shorter inputs are rejected, since a Feistel
// network over a smaller domain can be tabulated.
const ff1MinDomain = 1_000_000

// ff1MaxLen bounds the numeral string length. The standard allows up to
// 2^32; personal identifiers are far shorter, and a bound keeps the big
// integer work per value small.
const ff1MaxLen = 256

// ff1MaxTweak bounds the tweak length in bytes.
const ff1MaxTweak = 256

// errFF1Domain is returned for an input whose domain is below the minimum.
var errFF1Domain = errors.New("ff1: domain below 10^6 (value too short)")

// ff1 is FF1 keyed with one AES key. It is immutable and safe for
// concurrent use: cipher.Block from crypto/aes is.
type ff1 struct {
	block cipher.Block
}

// newFF1 returns FF1 with an AES-128, -192 or -256 key.
func newFF1(key []byte) (*ff1, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("ff1: %w", err)
	}
	return &ff1{block: b}, nil
}

// checkFF1 validates the radix and the length of a numeral string.
func checkFF1(radix, n, tweak int) error {
	if radix < 2 || radix > 1<<16 {
		return fmt.Errorf("ff1: radix %d out of range 2..65536", radix)
	}
	if n < 2 || n > ff1MaxLen {
		return fmt.Errorf("ff1: length %d out of range 2..%d", n, ff1MaxLen)
	}
	if tweak > ff1MaxTweak {
		return fmt.Errorf("ff1: tweak of %d bytes exceeds %d", tweak, ff1MaxTweak)
	}
	// radix^n >= 10^6, computed without overflow.
	d := 1
	for i := 0; i < n && d < ff1MinDomain; i++ {
		d *= radix
	}
	if d < ff1MinDomain {
		return errFF1Domain
	}
	return nil
}

// encrypt returns FF1.Encrypt(K, T, X) for numerals x in the radix.
func (f *ff1) encrypt(radix int, x []uint16, tweak []byte) ([]uint16, error) {
	return f.crypt(radix, x, tweak, true)
}

// decrypt returns FF1.Decrypt(K, T, Y).
func (f *ff1) decrypt(radix int, x []uint16, tweak []byte) ([]uint16, error) {
	return f.crypt(radix, x, tweak, false)
}

func (f *ff1) crypt(radix int, x []uint16, tweak []byte, enc bool) ([]uint16, error) {
	n, t := len(x), len(tweak)
	if err := checkFF1(radix, n, t); err != nil {
		return nil, err
	}
	for _, c := range x {
		if int(c) >= radix {
			return nil, fmt.Errorf("ff1: numeral %d not below radix %d", c, radix)
		}
	}
	// Step 1-2: split into A (u numerals) and B (v numerals).
	u := n / 2
	v := n - u
	bigRadix := big.NewInt(int64(radix))
	ru := new(big.Int).Exp(bigRadix, big.NewInt(int64(u)), nil)
	rv := ru
	if v != u {
		rv = new(big.Int).Mul(ru, bigRadix)
	}
	// Step 3: b = ceil(ceil(v*log2(radix))/8). ceil(log2(N)) is the bit
	// length of N-1, exact where floating point is not.
	bits := new(big.Int).Sub(rv, big.NewInt(1)).BitLen()
	b := (bits + 7) / 8
	// Step 4: d = 4*ceil(b/4) + 4.
	d := 4*((b+3)/4) + 4

	// Step 5: P = [1,2,1] [radix]^3 [10] [u mod 256] [n]^4 [t]^4.
	var p [16]byte
	p[0], p[1], p[2] = 1, 2, 1
	p[3], p[4], p[5] = byte(radix>>16), byte(radix>>8), byte(radix)
	p[6] = 10
	p[7] = byte(u)
	binary.BigEndian.PutUint32(p[8:12], uint32(n))
	binary.BigEndian.PutUint32(p[12:16], uint32(t))

	// Q = T || [0]^((-t-b-1) mod 16) || [i] || [NUM(B)]^b.
	pad := ((-t-b-1)%16 + 16) % 16
	q := make([]byte, t+pad+1+b)
	copy(q, tweak)
	round := t + pad

	// The halves are kept as numbers: NUM_radix of a numeral string with
	// leading zeros is the same number, so STR is needed only at the end.
	a := num(x[:u], radix)
	bb := num(x[u:], radix)
	var y, c big.Int
	s := make([]byte, (d+15)/16*16)
	for k := 0; k < 10; k++ {
		i := k
		if !enc {
			i = 9 - k
		}
		q[round] = byte(i)
		// Encryption feeds B into the round function, decryption A.
		in := bb
		if !enc {
			in = a
		}
		clear(q[round+1:])
		in.FillBytes(q[round+1:])
		f.roundBytes(p[:], q, s)
		y.SetBytes(s[:d])
		m := ru
		if i%2 == 1 {
			m = rv
		}
		if enc {
			// c = (NUM(A) + y) mod radix^m; A = B; B = C.
			c.Add(a, &y)
			c.Mod(&c, m)
			a, bb = bb, new(big.Int).Set(&c)
		} else {
			// c = (NUM(B) - y) mod radix^m; B = A; A = C.
			c.Sub(bb, &y)
			c.Mod(&c, m) // big.Int.Mod is Euclidean: never negative
			bb, a = a, new(big.Int).Set(&c)
		}
	}
	out := make([]uint16, n)
	str(a, radix, out[:u])
	str(bb, radix, out[u:])
	return out, nil
}

// roundBytes computes R = PRF(P || Q) (CBC-MAC with a zero IV) and
// S = R || CIPH(R xor [1]^16) || CIPH(R xor [2]^16) ... into s, whose
// length is a multiple of 16.
func (f *ff1) roundBytes(p, q, s []byte) {
	var r [16]byte
	f.block.Encrypt(r[:], p)
	for off := 0; off < len(q); off += 16 {
		for j := range 16 {
			r[j] ^= q[off+j]
		}
		f.block.Encrypt(r[:], r[:])
	}
	copy(s, r[:])
	for j := 1; j*16 < len(s); j++ {
		var blk [16]byte
		copy(blk[:], r[:])
		var ctr [16]byte
		binary.BigEndian.PutUint64(ctr[8:], uint64(j))
		for z := range 16 {
			blk[z] ^= ctr[z]
		}
		f.block.Encrypt(s[j*16:j*16+16], blk[:])
	}
}

// num is NUM_radix(X): the number whose base-radix digits are x, most
// significant first.
func num(x []uint16, radix int) *big.Int {
	r := big.NewInt(int64(radix))
	n := new(big.Int)
	var d big.Int
	for _, c := range x {
		n.Mul(n, r)
		n.Add(n, d.SetInt64(int64(c)))
	}
	return n
}

// str is STR^m_radix(x): x written as len(out) base-radix digits.
func str(x *big.Int, radix int, out []uint16) {
	r := big.NewInt(int64(radix))
	v := new(big.Int).Set(x)
	var m big.Int
	for i := len(out) - 1; i >= 0; i-- {
		v.QuoRem(v, r, &m)
		out[i] = uint16(m.Int64())
	}
}

// Alphabets of the string forms. Radix 62 follows math/big: digits, then
// lower case, then upper case.
const (
	alphabet10 = "0123456789"
	alphabet36 = "0123456789abcdefghijklmnopqrstuvwxyz"
	alphabet62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// numerals maps the bytes of s to their indexes in alphabet.
func numerals(alphabet string, s []byte) ([]uint16, error) {
	out := make([]uint16, len(s))
	for i, c := range s {
		j := -1
		for k := 0; k < len(alphabet); k++ {
			if alphabet[k] == c {
				j = k
				break
			}
		}
		if j < 0 {
			return nil, fmt.Errorf("ff1: character at %d not in the radix-%d alphabet", i, len(alphabet))
		}
		out[i] = uint16(j)
	}
	return out, nil
}

// letters maps numerals back to alphabet bytes.
func letters(alphabet string, x []uint16) []byte {
	out := make([]byte, len(x))
	for i, c := range x {
		out[i] = alphabet[c]
	}
	return out
}

// encryptString is FF1 over a string in an alphabet of up to 62 symbols.
func (f *ff1) encryptString(alphabet string, s, tweak []byte) ([]byte, error) {
	x, err := numerals(alphabet, s)
	if err != nil {
		return nil, err
	}
	y, err := f.encrypt(len(alphabet), x, tweak)
	if err != nil {
		return nil, err
	}
	return letters(alphabet, y), nil
}

// decryptString inverts encryptString.
func (f *ff1) decryptString(alphabet string, s, tweak []byte) ([]byte, error) {
	x, err := numerals(alphabet, s)
	if err != nil {
		return nil, err
	}
	y, err := f.decrypt(len(alphabet), x, tweak)
	if err != nil {
		return nil, err
	}
	return letters(alphabet, y), nil
}
