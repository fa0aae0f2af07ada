package classifiers

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

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
