package deid

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type ff1Vector struct {
	Sample     int    `json:"sample"`
	Key        string `json:"key"`
	Radix      int    `json:"radix"`
	Tweak      string `json:"tweak"`
	Plaintext  string `json:"plaintext"`
	Ciphertext string `json:"ciphertext"`
}

func loadFF1Vectors(t testing.TB) []ff1Vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deid", "ff1_nist.json"))
	require.NoError(t, err)
	var doc struct {
		Vectors []ff1Vector `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.Vectors, 9, "all nine NIST FF1 samples")
	return doc.Vectors
}

func TestFF1NISTSamples(t *testing.T) {
	t.Parallel()
	for _, v := range loadFF1Vectors(t) {
		t.Run("sample"+string(rune('0'+v.Sample)), func(t *testing.T) {
			t.Parallel()
			key, err := hex.DecodeString(v.Key)
			require.NoError(t, err)
			tweak, err := hex.DecodeString(v.Tweak)
			require.NoError(t, err)
			f, err := newFF1(key)
			require.NoError(t, err)
			alpha := alphabet10
			if v.Radix == 36 {
				alpha = alphabet36
			}
			ct, err := f.encryptString(alpha, []byte(v.Plaintext), tweak)
			require.NoError(t, err)
			assert.Equal(t, v.Ciphertext, string(ct))
			pt, err := f.decryptString(alpha, ct, tweak)
			require.NoError(t, err)
			assert.Equal(t, v.Plaintext, string(pt))
		})
	}
}

func TestFF1Limits(t *testing.T) {
	t.Parallel()
	f, err := newFF1(make([]byte, 16))
	require.NoError(t, err)
	tests := []struct {
		name  string
		radix int
		n     int
		ok    bool
	}{
		{"six digits is the minimum domain", 10, 6, true},
		{"five digits is too small", 10, 5, false},
		{"four radix-36 symbols", 36, 4, true},
		{"three radix-36 symbols", 36, 3, false},
		{"ipv4 as four bytes", 256, 4, true},
		{"radix 1", 1, 30, false},
		{"too long", 10, ff1MaxLen + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := make([]uint16, tt.n)
			_, err := f.encrypt(tt.radix, x, nil)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
	_, err = f.encrypt(10, []uint16{1, 2, 3, 4, 5, 10}, nil)
	assert.Error(t, err, "numeral not below the radix")
	_, err = newFF1(make([]byte, 15))
	assert.Error(t, err)
}

func TestFF1RoundTripShapes(t *testing.T) {
	t.Parallel()
	f, err := newFF1([]byte("0123456789abcdef0123456789abcdef"))
	require.NoError(t, err)
	for _, tc := range []struct {
		alpha string
		in    string
	}{
		{alphabet10, "440104195101058590"},
		{alphabet10, "6222021234567890123"},
		{alphabet36, "zhangsan1990"},
		{alphabet62, "AbCdEf123456XyZ"},
		{alphabet10, "000000"},
		{alphabet10, "9999999999999999999999999999999999"},
	} {
		ct, err := f.encryptString(tc.alpha, []byte(tc.in), []byte("t"))
		require.NoError(t, err)
		assert.Len(t, ct, len(tc.in))
		assert.NotEqual(t, tc.in, string(ct))
		pt, err := f.decryptString(tc.alpha, ct, []byte("t"))
		require.NoError(t, err)
		assert.Equal(t, tc.in, string(pt))
		other, err := f.encryptString(tc.alpha, []byte(tc.in), []byte("u"))
		require.NoError(t, err)
		assert.NotEqual(t, string(ct), string(other), "the tweak changes the token")
	}
}

// FuzzFF1RoundTrip checks Decrypt(Encrypt(x)) == x and that the length and
// alphabet are kept, for any digits, tweak and radix 10, 36 or 62.
func FuzzFF1RoundTrip(f *testing.F) {
	f.Add([]byte("0123456789"), []byte(""), uint8(0))
	f.Add([]byte("0123456789abcdefghi"), []byte("7777pqrs777"), uint8(1))
	f.Add([]byte("AbC123xyz"), []byte("cn_resident_id"), uint8(2))
	c, err := newFF1([]byte("fuzz-key-0123456"))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, raw, tweak []byte, which uint8) {
		alpha := []string{alphabet10, alphabet36, alphabet62}[int(which)%3]
		// Map arbitrary bytes into the alphabet.
		in := make([]byte, len(raw))
		for i, b := range raw {
			in[i] = alpha[int(b)%len(alpha)]
		}
		ct, err := c.encryptString(alpha, in, tweak)
		if err != nil {
			if checkFF1(len(alpha), len(in), len(tweak)) == nil {
				t.Fatalf("valid input rejected: %v", err)
			}
			return
		}
		if len(ct) != len(in) {
			t.Fatalf("length %d, want %d", len(ct), len(in))
		}
		if _, err := numerals(alpha, ct); err != nil {
			t.Fatalf("token leaves the alphabet: %v", err)
		}
		pt, err := c.decryptString(alpha, ct, tweak)
		if err != nil || string(pt) != string(in) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

// TestFF1LongVectors runs vectors with long inputs (where S is longer than
// one block) and radix 2 with a 255-byte tweak: testdata/deid/ff1_extra.json.
func TestFF1LongVectors(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deid", "ff1_extra.json"))
	require.NoError(t, err)
	var doc struct {
		Vectors []struct {
			Name                              string
			Key, Tweak, Plaintext, Ciphertext string
			Radix                             int
		} `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.Vectors, 5)
	for _, v := range doc.Vectors {
		key, err := hex.DecodeString(v.Key)
		require.NoError(t, err)
		tweak, err := hex.DecodeString(v.Tweak)
		require.NoError(t, err)
		f, err := newFF1(key)
		require.NoError(t, err)
		alpha := alphabet36[:v.Radix]
		ct, err := f.encryptString(alpha, []byte(v.Plaintext), tweak)
		require.NoError(t, err, v.Name)
		assert.Equal(t, v.Ciphertext, string(ct), v.Name)
		pt, err := f.decryptString(alpha, ct, tweak)
		require.NoError(t, err)
		assert.Equal(t, v.Plaintext, string(pt), v.Name)
	}
}
