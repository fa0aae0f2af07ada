package scanner_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestGPSPairInNamedColumns: a value that is a pair of decimals alone, in a
// column or key whose name says nothing of a place, is a pair of metrics
// (latency percentiles, precision and recall, a range) unless its record
// has a location keyword; under a location name, in a column without a
// name, in a sentence or in a text file it is a coordinate as before.
func TestGPSPairInNamedColumns(t *testing.T) {
	t.Parallel()
	const pair = "39.9042,116.4074"
	cases := []struct {
		file, doc string
		want      int // gps_coordinate findings
	}{
		{"latency.csv", "run,\"lat_ms(p50,p99)\"\n1,\"" + pair + "\"\n2,\"13.3924,140.9911\"\n", 0},
		{"range.json", `{"bbox":"` + pair + `","score":"(` + pair + `)"}`, 0},
		{"location.csv", "id,location\n1,\"" + pair + "\"\n2,\"(" + pair + ")\"\n", 2},
		{"pos.csv", "id,pos\n1,\"" + pair + "\"\n", 1},
		{"keyword.csv", "id,note,v\n1,定位,\"" + pair + "\"\n", 1},
		{"headerless.csv", "1,\"" + pair + "\"\n2,\"31.2304,121.4737\"\n3,\"22.5431,114.0579\"\n", 3},
		{"sentence.json", `{"remark":"` + pair + ` 附近"}`, 1},
		{"route.json", `{"route":[[116.397128,39.916527],[121.473701,31.230416]]}`, 2},
		{"note.txt", "met at " + pair + "\n", 1},
	}
	files := map[string][]byte{}
	for _, tc := range cases {
		files[tc.file] = []byte(tc.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			r := sink.ByName(tc.file)
			require.NotNil(t, r)
			n := 0
			for _, f := range r.Findings {
				if f.DataType == "gps_coordinate" {
					n++
				}
			}
			assert.Equal(t, tc.want, n)
		})
	}
}
