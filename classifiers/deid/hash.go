package deid

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm3"
)

// MinKeyBytes is the shortest key material accepted from the environment.
// Use 32 random bytes or more, e.g. `openssl rand -hex 32`.
const MinKeyBytes = 16

// deriveKey derives an n-byte key for one purpose from the key material
// of an environment variable (HKDF-SHA256, RFC 5869), so one secret can
// serve FF1, encryption and substitution without reusing a key across
// algorithms.
func deriveKey(master []byte, purpose string, n int) ([]byte, error) {
	k, err := hkdf.Key(sha256.New, master, nil, "piiscan/deid/v1/"+purpose, n)
	if err != nil {
		return nil, fmt.Errorf("derive %s key: %w", purpose, err)
	}
	return k, nil
}

// checkKey rejects missing or short key material.
func checkKey(op string, key []byte) error {
	if len(key) < MinKeyBytes {
		return fmt.Errorf("%s: key of %d bytes, want at least %d", op, len(key), MinKeyBytes)
	}
	return nil
}

// HashConfig configures Hash.
type HashConfig struct {
	// Algorithm is "hmac-sha256" (the default) or "sm3" (HMAC-SM3,
	// GB/T 32905 hash in the RFC 2104 construction).
	Algorithm string `yaml:"algorithm"`
	// KeyEnv names the environment variable holding the key.
	KeyEnv string `yaml:"key_env"`
	// Length keeps the first Length hex characters (16..64); 0 keeps all.
	Length int `yaml:"length"`
}

// Hash replaces a value with a keyed pseudonym: lowercase hex of
// HMAC(key, canonical value). Equal values give equal pseudonyms whatever
// their written form, so joins still work; without the key the pseudonym
// cannot be recomputed from a guess (a bare hash of an 11-digit mobile
// number can be inverted by trying them all). With the key of
// PIISCAN_HMAC_KEY and hmac-sha256 at full length, the pseudonym equals
// the fingerprint column of the findings.
type Hash struct {
	alg    string
	key    []byte
	length int
	newH   func() hash.Hash
}

var _ Operator = (*Hash)(nil)

// NewHash returns a Hash operator keyed with key.
func NewHash(cfg HashConfig, key []byte) (*Hash, error) {
	if err := checkKey("hash", key); err != nil {
		return nil, err
	}
	h := &Hash{alg: cfg.Algorithm, key: append([]byte{}, key...), length: cfg.Length}
	switch cfg.Algorithm {
	case "", "hmac-sha256":
		h.alg, h.newH = "hmac-sha256", sha256.New
	case "sm3":
		h.newH = sm3.New
	default:
		return nil, fmt.Errorf("hash: unknown algorithm %q, want hmac-sha256 or sm3", cfg.Algorithm)
	}
	if cfg.Length != 0 && (cfg.Length < 16 || cfg.Length > 64) {
		return nil, fmt.Errorf("hash: length %d out of range 16..64", cfg.Length)
	}
	return h, nil
}

// Name returns "hash".
func (h *Hash) Name() string { return "hash" }

// Apply returns the pseudonym.
func (h *Hash) Apply(ctx OpContext, value []byte) ([]byte, error) {
	mac := hmac.New(h.newH, h.key)
	mac.Write(Canonical(ctx.DataType, value))
	out := make([]byte, 64)
	hex.Encode(out, mac.Sum(nil))
	if h.length > 0 {
		out = out[:h.length]
		// A truncated pseudonym of digits only could be read as a card or
		// phone number by a rescan; make its first character a letter.
		if allDigits(out) {
			out[0] = 'a' + (out[0]-'0')%6
		}
	}
	return fitKind(h.Name(), ctx, out)
}

// randRead fills b from crypto/rand, which never fails (Go 1.24+).
func randRead(b []byte) { rand.Read(b) }
