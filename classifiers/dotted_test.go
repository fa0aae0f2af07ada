package classifiers

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
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
		{"version 10.0.19041.1", false},
		{"Version: 10.1.2.3", false},
		{"ver 1.2.3.4", false},
		{"ver. 1.2.3.4", false},
		{"v1.2.3.4", false},
		{"lodash@4.17.21.1", false},
		{"FileVersion: 6.1.7601.1", false},
		{"client 10.0.0.1", true},
		{"ip=192.168.1.20", true},
		{"1.2.3.4:8080", true},
		{"ip 1.2.3.4 version 2", true},
		{"server 10.0.0.1", true},
		{"driver: 10.0.0.1", true},
		{"<td>10.0.0.1</td>", true},
		{`if ip == "10.0.0.1"`, true},
		{"addr: 8.8.8.8 (ver 2)", true},
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
		assert.True(t, lastWord(w, latWords) >= 0 || lastWord(w, lngWords) >= 0, "%s", w)
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
		require.Equal(t, ref(text, words), lastWord(text, words), "case %d: %q", n, text)
	}
}
