package deid

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	gmcipher "github.com/emmansun/gmsm/cipher"
	"github.com/emmansun/gmsm/sm4"
	"github.com/tink-crypto/tink-go/v2/daead/subtle"
)

// TokenPrefix starts every token of the encrypt operator:
// enc:v1:<algorithm>:<base64url of the ciphertext, no padding>.
const TokenPrefix = "enc:v1:"

// The encryption algorithms.
const (
	// AlgAESSIV is AES-SIV (RFC 5297) with a 512-bit key, from Google's
	// Tink: deterministic, so equal values give equal tokens and joins
	// work. The default.
	AlgAESSIV = "aes-siv"
	// AlgSM4GCMSIV is GCM-SIV (RFC 8452) over SM4 (GB/T 32907) with a
	// fixed nonce, from emmansun/gmsm: the deterministic choice for
	// ShangMi-only deployments.
	AlgSM4GCMSIV = "sm4-gcm-siv"
	// AlgAESGCM is AES-256-GCM with a random nonce: equal values give
	// different tokens (no joins, nothing learnt from equality).
	AlgAESGCM = "aes-gcm"
	// AlgSM4GCM is SM4-GCM (RFC 8998) with a random nonce.
	AlgSM4GCM = "sm4-gcm"
)

// EncryptConfig configures Encrypt.
type EncryptConfig struct {
	// Algorithm is aes-siv (default), sm4-gcm-siv, aes-gcm or sm4-gcm.
	Algorithm string `yaml:"algorithm"`
	// KeyEnv names the environment variable holding the key material;
	// the algorithm's key is derived from it with HKDF-SHA256.
	KeyEnv string `yaml:"key_env"`
}

// Encrypt replaces a value with a reversible token. The plaintext is the
// value as written, so Decrypt restores it byte for byte. Tokens are not
// bound to the data type: `piiscan redact --decrypt` finds them by their
// prefix without knowing where they came from.
type Encrypt struct {
	alg  string
	siv  *subtle.AESSIV
	aead cipher.AEAD
}

var (
	_ Operator = (*Encrypt)(nil)
	_ Reverser = (*Encrypt)(nil)
)

// gcmSIVNonce is the fixed nonce of the deterministic SM4-GCM-SIV mode.
// Reusing a GCM-SIV nonce reveals only whether two plaintexts are equal
// (RFC 8452 section 9), which is what a deterministic token is for.
var gcmSIVNonce = make([]byte, 12)

// NewEncrypt returns an Encrypt operator whose key is derived from the key
// material master.
func NewEncrypt(cfg EncryptConfig, master []byte) (*Encrypt, error) {
	if err := checkKey("encrypt", master); err != nil {
		return nil, err
	}
	alg := cfg.Algorithm
	if alg == "" {
		alg = AlgAESSIV
	}
	e := &Encrypt{alg: alg}
	var err error
	switch alg {
	case AlgAESSIV:
		var k []byte
		if k, err = deriveKey(master, "encrypt/"+alg, subtle.AESSIVKeySize); err == nil {
			e.siv, err = subtle.NewAESSIV(k)
		}
	case AlgSM4GCMSIV:
		var k []byte
		if k, err = deriveKey(master, "encrypt/"+alg, 16); err == nil {
			e.aead, err = gmcipher.NewGCMSIV(sm4.NewCipher, k)
		}
	case AlgAESGCM:
		e.aead, err = newGCM(master, alg, aes.NewCipher, 32)
	case AlgSM4GCM:
		e.aead, err = newGCM(master, alg, sm4.NewCipher, 16)
	default:
		return nil, fmt.Errorf("encrypt: unknown algorithm %q, want %s, %s, %s or %s",
			alg, AlgAESSIV, AlgSM4GCMSIV, AlgAESGCM, AlgSM4GCM)
	}
	if err != nil {
		return nil, fmt.Errorf("encrypt %s: %w", alg, err)
	}
	return e, nil
}

func newGCM(master []byte, alg string, block func([]byte) (cipher.Block, error), n int) (cipher.AEAD, error) {
	k, err := deriveKey(master, "encrypt/"+alg, n)
	if err != nil {
		return nil, err
	}
	b, err := block(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// Name returns "encrypt".
func (e *Encrypt) Name() string { return "encrypt" }

// Algorithm returns the algorithm's name as written in tokens.
func (e *Encrypt) Algorithm() string { return e.alg }

// Deterministic reports whether equal values give equal tokens.
func (e *Encrypt) Deterministic() bool { return e.alg == AlgAESSIV || e.alg == AlgSM4GCMSIV }

// Apply returns the token of the value.
func (e *Encrypt) Apply(ctx OpContext, value []byte) ([]byte, error) {
	if ctx.Kind == KindJSONNumber {
		return nil, unsupported(e.Name(), ctx.DataType, "a token is not a json number")
	}
	var ct []byte
	switch {
	case e.siv != nil:
		var err error
		if ct, err = e.siv.EncryptDeterministically(value, nil); err != nil {
			return nil, fmt.Errorf("encrypt %s: %w", e.alg, err)
		}
	case e.Deterministic():
		ct = e.aead.Seal(nil, gcmSIVNonce, value, nil)
	default:
		nonce := make([]byte, e.aead.NonceSize())
		rand.Read(nonce) // never fails (crypto/rand, Go 1.24+)
		ct = e.aead.Seal(nonce, nonce, value, nil)
	}
	out := make([]byte, 0, len(TokenPrefix)+len(e.alg)+1+base64.RawURLEncoding.EncodedLen(len(ct)))
	out = append(out, TokenPrefix...)
	out = append(out, e.alg...)
	out = append(out, ':')
	out = base64.RawURLEncoding.AppendEncode(out, ct)
	return fitKind(e.Name(), ctx, out)
}

// Reverse is Decrypt; the context is not needed.
func (e *Encrypt) Reverse(_ OpContext, token []byte) ([]byte, error) { return e.Decrypt(token) }

// Decrypt returns the value of a token made by this operator's algorithm
// and key. A token of another algorithm or key, or a damaged one, gives an
// error wrapping ErrToken.
func (e *Encrypt) Decrypt(token []byte) ([]byte, error) {
	alg, ct, err := ParseToken(token)
	if err != nil {
		return nil, err
	}
	if alg != e.alg {
		return nil, fmt.Errorf("decrypt: %w: algorithm %s, this key is for %s", ErrToken, alg, e.alg)
	}
	var pt []byte
	switch {
	case e.siv != nil:
		pt, err = e.siv.DecryptDeterministically(ct, nil)
	case e.Deterministic():
		pt, err = e.aead.Open(nil, gcmSIVNonce, ct, nil)
	default:
		n := e.aead.NonceSize()
		if len(ct) < n {
			return nil, fmt.Errorf("decrypt %s: %w: too short", e.alg, ErrToken)
		}
		pt, err = e.aead.Open(nil, ct[:n], ct[n:], nil)
	}
	if err != nil {
		// The library's error text never holds plaintext, but the cause
		// is always the same: a wrong key or a changed token.
		return nil, fmt.Errorf("decrypt %s: %w: authentication failed (wrong key or damaged token)", e.alg, ErrToken)
	}
	return pt, nil
}

// ParseToken splits a token into its algorithm and ciphertext.
func ParseToken(token []byte) (alg string, ciphertext []byte, err error) {
	rest, ok := bytes.CutPrefix(token, []byte(TokenPrefix))
	if !ok {
		return "", nil, fmt.Errorf("decrypt: %w: no %s prefix", ErrToken, TokenPrefix)
	}
	a, b64, ok := bytes.Cut(rest, []byte{':'})
	if !ok || len(a) == 0 {
		return "", nil, fmt.Errorf("decrypt: %w: no algorithm", ErrToken)
	}
	ct, err := base64.RawURLEncoding.DecodeString(string(b64))
	if err != nil {
		return "", nil, fmt.Errorf("decrypt: %w: bad base64", ErrToken)
	}
	return string(a), ct, nil
}

// NextToken finds the first token in b at or after from and returns its
// bounds, for `piiscan redact --decrypt`, which finds tokens in text.
func NextToken(b []byte, from int) (start, end int, ok bool) {
	for from < len(b) {
		i := bytes.Index(b[from:], []byte(TokenPrefix))
		if i < 0 {
			return 0, 0, false
		}
		start = from + i
		j := start + len(TokenPrefix)
		for j < len(b) && (isLower(b[j]) || isDigit(b[j]) || b[j] == '-') {
			j++
		}
		if j > start+len(TokenPrefix) && j < len(b) && b[j] == ':' {
			k := j + 1
			for k < len(b) && (isAlnum(b[k]) || b[k] == '-' || b[k] == '_') {
				k++
			}
			if k > j+1 {
				return start, k, true
			}
		}
		from = start + len(TokenPrefix)
	}
	return 0, 0, false
}

// errNoKey reports an encrypt token for which a policy holds no operator.
var errNoKey = errors.New("no encrypt operator of the policy uses this algorithm")
