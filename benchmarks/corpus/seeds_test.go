package corpus

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGenerateSeedsTerminate generates the corpus with a few seeds,
// seed 99 among them (reported to hang in safeEmbedding), each within a
// deadline: generation must end for every seed.
func TestGenerateSeedsTerminate(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{0, 2, 99, 1234, -5} {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			done := make(chan error, 1)
			go func() {
				_, err := Generate(dir, Options{Seed: seed})
				done <- err
			}()
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-time.After(time.Minute):
				t.Fatalf("seed %d: generation did not end within a minute", seed)
			}
		})
	}
}

// TestRepairEmbedding: the repair makes any vector's base64 safe, zeroing
// only values, and also the worst case, a vector whose base64 is all
// digits, in at most one repair per value.
func TestRepairEmbedding(t *testing.T) {
	t.Parallel()
	fromBytes := func(b []byte) vector {
		v := vector{}
		for i := 0; i+4 <= len(b); i += 4 {
			v.f = append(v.f, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
			v.text = append(v.text, "x")
		}
		return v
	}
	worst, err := base64.StdEncoding.DecodeString(strings.Repeat("4567", 128))
	require.NoError(t, err)
	g := &gen{r: rngFor(99, "repair"), asOf: DefaultAsOf}
	cases := map[string]vector{"all digits": fromBytes(worst)}
	for i := 0; len(cases) < 6; i++ {
		v := g.embedding(256)
		if !b64Safe(base64.StdEncoding.EncodeToString(v.bytes())) {
			cases["drawn "+strconv.Itoa(i)] = v
		}
	}
	for name, v := range cases {
		orig := append([]float32(nil), v.f...)
		got, s := repairEmbedding(vector{f: append([]float32(nil), v.f...), text: append([]string(nil), v.text...)})
		assert.True(t, b64Safe(s), name)
		assert.Equal(t, base64.StdEncoding.EncodeToString(got.bytes()), s, name)
		zeroed := 0
		for i := range orig {
			if got.f[i] != orig[i] {
				assert.Zero(t, got.f[i], name)
				assert.Equal(t, "0.000000", got.text[i], name)
				zeroed++
			}
		}
		assert.Positive(t, zeroed, name)
		assert.LessOrEqual(t, zeroed, len(orig), name)
	}
}
