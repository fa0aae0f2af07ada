package deid

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/cbcmac"
	gmcipher "github.com/emmansun/gmsm/cipher"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/daead/subtle"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	require.NoError(t, err)
	return b
}

// TestSM3Vectors checks SM3 against GB/T 32905-2016 Appendix A.
func TestSM3Vectors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"abc", "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"},
		{strings.Repeat("abcd", 16), "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"},
	}
	for _, tt := range tests {
		sum := sm3.Sum([]byte(tt.in))
		assert.Equal(t, strings.ReplaceAll(tt.want, " ", ""), hex.EncodeToString(sum[:]))
	}
}

// TestSM4Vector checks SM4 against GB/T 32907-2016 Appendix A, example 1.
func TestSM4Vector(t *testing.T) {
	t.Parallel()
	key := unhex(t, "0123456789abcdeffedcba9876543210")
	b, err := sm4.NewCipher(key)
	require.NoError(t, err)
	out := make([]byte, 16)
	b.Encrypt(out, key) // the example encrypts the key itself
	assert.Equal(t, "681edf34d206965e86b3e94f536e4246", hex.EncodeToString(out))
}

// TestGCMSIVVector checks gmsm's generic GCM-SIV, which the SM4 mode uses,
// against RFC 8452 Appendix C.1 with AES-128.
func TestGCMSIVVector(t *testing.T) {
	t.Parallel()
	a, err := gmcipher.NewGCMSIV(aes.NewCipher, unhex(t, "01000000000000000000000000000000"))
	require.NoError(t, err)
	out := a.Seal(nil, unhex(t, "030000000000000000000000"), unhex(t, "0100000000000000"), nil)
	assert.Equal(t, "b5d839330ac7b786578782fff6013b815b287c22493a364c", hex.EncodeToString(out))
	out = a.Seal(nil, unhex(t, "030000000000000000000000"), unhex(t, "0200000000000000"), unhex(t, "01"))
	assert.Equal(t, "1e6daba35669f4273b0a1a2560969cdf790d99759abd1508", hex.EncodeToString(out))
}

// referenceSIV is RFC 5297 written from the RFC (S2V over CMAC, then CTR
// with bits 31 and 63 of the IV cleared), used only to anchor Tink's
// AES-SIV, which supports 512-bit keys only, to the RFC's vectors.
func referenceSIV(t testing.TB, key []byte, ads [][]byte, pt []byte) []byte {
	t.Helper()
	half := len(key) / 2
	k1, err := aes.NewCipher(key[:half])
	require.NoError(t, err)
	k2, err := aes.NewCipher(key[half:])
	require.NoError(t, err)
	mac := func(b []byte) []byte { return cbcmac.NewCMAC(k1, 16).MAC(b) }
	dbl := func(d []byte) []byte {
		out := make([]byte, 16)
		carry := byte(0)
		for i := 15; i >= 0; i-- {
			out[i] = d[i]<<1 | carry
			carry = d[i] >> 7
		}
		if d[0]&0x80 != 0 {
			out[15] ^= 0x87
		}
		return out
	}
	d := mac(make([]byte, 16))
	for _, ad := range ads {
		m := mac(ad)
		d = dbl(d)
		for i := range d {
			d[i] ^= m[i]
		}
	}
	var tb []byte
	if len(pt) >= 16 {
		tb = append([]byte{}, pt...)
		for i := range 16 {
			tb[len(tb)-16+i] ^= d[i]
		}
	} else {
		p := append(append([]byte{}, pt...), 0x80)
		p = append(p, make([]byte, 16-len(p))...)
		tb = dbl(d)
		for i := range tb {
			tb[i] ^= p[i]
		}
	}
	v := mac(tb)
	q := append([]byte{}, v...)
	q[8] &= 0x7f
	q[12] &= 0x7f
	ct := make([]byte, len(pt))
	cipher.NewCTR(k2, q).XORKeyStream(ct, pt)
	return append(v, ct...)
}

func TestAESSIV(t *testing.T) {
	t.Parallel()
	// RFC 5297 A.1 (deterministic) and A.2 (several AD components).
	a1 := referenceSIV(t,
		unhex(t, "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"),
		[][]byte{unhex(t, "101112131415161718191a1b1c1d1e1f2021222324252627")},
		unhex(t, "112233445566778899aabbccddee"))
	assert.Equal(t, "85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c", hex.EncodeToString(a1))
	a2 := referenceSIV(t,
		unhex(t, "7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f"),
		[][]byte{
			unhex(t, "00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100"),
			unhex(t, "102030405060708090a0"),
			unhex(t, "09f911029d74e35bd84156c5635688c0"),
		},
		unhex(t, "7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553"))
	assert.Equal(t, "7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d", hex.EncodeToString(a2))

	// Tink's AES-SIV with a 512-bit key agrees with the RFC construction.
	key := unhex(t, strings.Repeat("0f1e2d3c4b5a69788796a5b4c3d2e1f0", 4))
	s, err := subtle.NewAESSIV(key)
	require.NoError(t, err)
	for _, pt := range []string{"", "13812345678", "440104195101058590", "a value longer than one block of sixteen bytes"} {
		got, err := s.EncryptDeterministically([]byte(pt), nil)
		require.NoError(t, err)
		assert.Equal(t, hex.EncodeToString(referenceSIV(t, key, [][]byte{nil}, []byte(pt))), hex.EncodeToString(got), pt)
	}
}

func TestEncrypt(t *testing.T) {
	t.Parallel()
	key := []byte("encrypt-test-key-0123456789")
	other := []byte("another-key-material-xyz")
	ctx := OpContext{DataType: "cn_resident_id"}
	value := []byte("440104195101058590")
	for _, alg := range []string{AlgAESSIV, AlgSM4GCMSIV, AlgAESGCM, AlgSM4GCM} {
		t.Run(alg, func(t *testing.T) {
			e, err := NewEncrypt(EncryptConfig{Algorithm: alg}, key)
			require.NoError(t, err)
			tok, err := e.Apply(ctx, value)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(tok), TokenPrefix+alg+":"), string(tok))
			assert.NotContains(t, string(tok), string(value))
			back, err := e.Decrypt(tok)
			require.NoError(t, err)
			assert.Equal(t, value, back)
			again, err := e.Apply(ctx, value)
			require.NoError(t, err)
			if e.Deterministic() {
				assert.Equal(t, tok, again, "deterministic: joins work")
			} else {
				assert.NotEqual(t, tok, again, "randomized")
			}
			o, err := NewEncrypt(EncryptConfig{Algorithm: alg}, other)
			require.NoError(t, err)
			otok, err := o.Apply(ctx, value)
			require.NoError(t, err)
			assert.NotEqual(t, tok, otok, "another key gives another token")
			_, err = o.Decrypt(tok)
			assert.ErrorIs(t, err, ErrToken)
			assert.NotContains(t, err.Error(), string(value))
			// A changed token fails authentication.
			bad := []byte(string(tok))
			bad[len(bad)-2] ^= 1
			if bad[len(bad)-2] == '-' || bad[len(bad)-2] == '_' || (bad[len(bad)-2] >= '0' && bad[len(bad)-2] <= 'z') {
				_, err = e.Decrypt(bad)
				assert.ErrorIs(t, err, ErrToken)
			}
			_, err = e.Apply(OpContext{DataType: "x", Kind: KindJSONNumber}, []byte("123"))
			assert.ErrorIs(t, err, ErrUnsupported)
		})
	}
	_, err := NewEncrypt(EncryptConfig{Algorithm: "des"}, key)
	assert.Error(t, err)
	_, err = NewEncrypt(EncryptConfig{}, []byte("short"))
	assert.Error(t, err)
}

func TestEncryptTokenIsAESSIVOfDerivedKey(t *testing.T) {
	t.Parallel()
	master := []byte("encrypt-test-key-0123456789")
	e, err := NewEncrypt(EncryptConfig{}, master)
	require.NoError(t, err)
	tok, err := e.Apply(OpContext{DataType: "email"}, []byte("zhang.san@example.com"))
	require.NoError(t, err)
	k, err := deriveKey(master, "encrypt/aes-siv", 64)
	require.NoError(t, err)
	want := referenceSIV(t, k, [][]byte{nil}, []byte("zhang.san@example.com"))
	assert.Equal(t, TokenPrefix+"aes-siv:"+base64.RawURLEncoding.EncodeToString(want), string(tok))
}

func TestNextToken(t *testing.T) {
	t.Parallel()
	text := []byte(`id,enc:v1:aes-siv:AbC-_09,x enc:v1: enc:v1:sm4-gcm:Zz9 enc:v1:bad`)
	var got []string
	for from := 0; ; {
		s, e, ok := NextToken(text, from)
		if !ok {
			break
		}
		got = append(got, string(text[s:e]))
		from = e
	}
	assert.Equal(t, []string{"enc:v1:aes-siv:AbC-_09", "enc:v1:sm4-gcm:Zz9"}, got)
	_, _, err := ParseToken([]byte("enc:v1:aes-siv:***"))
	assert.ErrorIs(t, err, ErrToken)
	_, _, err = ParseToken([]byte("v1:aes-siv:AA"))
	assert.ErrorIs(t, err, ErrToken)
}

func TestHash(t *testing.T) {
	t.Parallel()
	// RFC 4231 test case 1: HMAC-SHA256 with twenty 0x0b bytes.
	key := unhex(t, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")
	h, err := NewHash(HashConfig{}, key)
	require.NoError(t, err)
	out, err := h.Apply(OpContext{DataType: "note"}, []byte("Hi There"))
	require.NoError(t, err)
	assert.Equal(t, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", string(out))

	// HMAC-SM3 is RFC 2104 over GB/T 32905.
	s, err := NewHash(HashConfig{Algorithm: "sm3"}, key)
	require.NoError(t, err)
	out, err = s.Apply(OpContext{DataType: "note"}, []byte("Hi There"))
	require.NoError(t, err)
	m := hmac.New(sm3.New, key)
	m.Write([]byte("Hi There"))
	assert.Equal(t, hex.EncodeToString(m.Sum(nil)), string(out))

	// Canonical input: written forms of one mobile number join.
	ctx := OpContext{DataType: "cn_mobile"}
	a, _ := h.Apply(ctx, []byte("138 1234 5678"))
	b, _ := h.Apply(ctx, []byte("+86-138-1234-5678"))
	c, _ := h.Apply(ctx, []byte("13812345678"))
	assert.Equal(t, a, b)
	assert.Equal(t, a, c)
	d, _ := s.Apply(ctx, []byte("13812345678"))
	assert.NotEqual(t, c, d, "sm3 and sha256 differ")
	other, _ := NewHash(HashConfig{}, []byte("another-key-0123456"))
	e, _ := other.Apply(ctx, []byte("13812345678"))
	assert.NotEqual(t, c, e, "another key, another pseudonym")

	// Truncation, and never all digits.
	tr, err := NewHash(HashConfig{Length: 16}, key)
	require.NoError(t, err)
	for i := range 2000 {
		out, err := tr.Apply(ctx, []byte(strings.Repeat("1", i%40+1)+string(rune('a'+i%26))))
		require.NoError(t, err)
		require.Len(t, out, 16)
		require.False(t, allDigits(out))
	}
	_, err = tr.Apply(OpContext{Kind: KindJSONNumber}, []byte("1"))
	assert.ErrorIs(t, err, ErrUnsupported)

	for _, bad := range []HashConfig{{Algorithm: "md5"}, {Length: 8}, {Length: 65}} {
		_, err := NewHash(bad, key)
		assert.Error(t, err)
	}
	_, err = NewHash(HashConfig{}, []byte("short"))
	assert.Error(t, err)
}
