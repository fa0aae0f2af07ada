package scanner_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// randomNumbers returns n seeded random integers in [lo, lo+span).
func randomNumbers(seed uint64, n int, lo, span uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.FormatUint(lo+r.Uint64N(span), 10)
	}
	return out
}

// validCards returns n UnionPay numbers (IIN 622202) that pass Luhn.
func validCards(n int) []string {
	out := make([]string, n)
	for i := range out {
		body := fmt.Sprintf("622202%09d", 100000+i*7919)
		out[i] = body + string(luhnCheck(body))
	}
	return out
}

func luhnCheck(body string) byte {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// csvOf writes a header and columns of equal length as CSV.
func csvOf(header []string, cols ...[]string) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(header, ",") + "\n")
	for i := range cols[0] {
		for j, c := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(c[i])
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func countType(r *scanner.ObjectResult, typ string) (n int, evidence []string) {
	for _, f := range r.Findings {
		if f.DataType == typ {
			n++
			evidence = append(evidence, f.Evidence)
		}
	}
	return n, evidence
}

type numRow struct {
	N int64 `parquet:"n"`
}

// TestColumnOfNumbers: a column of random numbers, of which some pass a
// card's or a mobile's checks by chance, gives no findings of that type
// and one note without values; real columns keep every finding.
func TestColumnOfNumbers(t *testing.T) {
	t.Parallel()
	cards19 := randomNumbers(7, 1000, 1e18, 9e18)           // 19 digits: one in ten passes Luhn
	mobiles := randomNumbers(8, 1000, 17_000_000_000, 17e9) // 11 digits, 1.7e10-3.4e10
	jsonNums := randomNumbers(9, 1000, 1e18, 9e18)          // JSON numbers
	pqNums := randomNumbers(10, 1000, 1e18, 8e18)           // within int64
	keyed := randomNumbers(11, 200, 1e18, 9e18)             // a keyword in one record
	memo := make([]string, len(keyed))
	body := "622202000012345678" // a valid 19-digit card beside a keyword
	keyed[7], memo[7] = body+string(luhnCheck(body)), "paid by card"
	var jsonl bytes.Buffer
	for _, v := range jsonNums {
		fmt.Fprintf(&jsonl, "{\"value\": %s}\n", v)
	}
	rows := make([]numRow, len(pqNums))
	for i, v := range pqNums {
		n, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err)
		rows[i].N = n
	}
	var pq bytes.Buffer
	w := parquet.NewGenericWriter[numRow](&pq)
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	realMobiles := make([]string, 200)
	for i := range realMobiles {
		realMobiles[i] = fmt.Sprintf("1381234%04d", 8000+i)
	}
	files := map[string][]byte{
		"cards.csv":    csvOf([]string{"value"}, cards19),
		"mobiles.csv":  csvOf([]string{"value"}, mobiles),
		"real.csv":     csvOf([]string{"card_no", "c3"}, validCards(200), realMobiles),
		"keyed.csv":    csvOf([]string{"value", "memo"}, keyed, memo),
		"nums.jsonl":   jsonl.Bytes(),
		"nums.parquet": pq.Bytes(),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})

	tests := []struct {
		name, typ, column string
		values            []string
		want              int // findings of typ kept
		note              bool
	}{
		{"cards.csv", "bank_card", "value", cards19, 0, true},
		{"mobiles.csv", "cn_mobile", "value", mobiles, 0, true},
		{"real.csv", "bank_card", "card_no", nil, 200, false},
		{"real.csv", "cn_mobile", "c3", nil, 200, false},
		{"keyed.csv", "bank_card", "value", keyed, 1, true},
		{"nums.jsonl", "bank_card", "$.value", jsonNums, 0, true},
		{"nums.parquet", "bank_card", "n", pqNums, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.typ, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			require.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
			n, ev := countType(r, tt.typ)
			assert.Equal(t, tt.want, n, "%v", ev)
			for _, e := range ev {
				if tt.values != nil { // what is left of a column of numbers has context
					assert.Contains(t, e, "keyword:")
				}
			}
			notes := strings.Join(r.Notes, "\n")
			if !tt.note {
				assert.NotContains(t, notes, "taken as numbers")
				return
			}
			assert.Contains(t, notes, "column "+tt.column+": ")
			assert.Contains(t, notes, "taken as numbers, not "+tt.typ)
			for _, v := range tt.values {
				require.NotContains(t, notes, v, "a raw value in a note")
			}
		})
	}
}

// TestColumnOfNumbersSpill: findings the rule held until their column was
// decided are added after findings of later offsets; an object whose
// findings spill keeps them all, in offset order, and keeps its level.
func TestColumnOfNumbersSpill(t *testing.T) {
	t.Parallel()
	mobiles := make([]string, 300)
	mails := make([]string, len(mobiles))
	for i := range mobiles {
		mobiles[i] = fmt.Sprintf("1381234%04d", 1000+i)
		mails[i] = fmt.Sprintf("user%d@example.com", i)
	}
	// c3's mobiles wait for their column's decision (no field hint, no
	// keyword); the addresses beside them are found at once.
	data := csvOf([]string{"c3", "contact"}, mobiles, mails)
	for _, spillAt := range []int{7, 64, 100_000} {
		t.Run(fmt.Sprint(spillAt), func(t *testing.T) {
			t.Parallel()
			sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"m.csv": data}}, scanner.Config{Workers: 1, SpillAt: spillAt, TempDir: t.TempDir()})
			r := sink.ByName("m.csv")
			require.NotNil(t, r)
			n, _ := countType(r, "cn_mobile")
			assert.Equal(t, len(mobiles), n)
			n, _ = countType(r, "email")
			assert.Equal(t, len(mails), n)
			assert.Equal(t, "S2", r.TopLevel)
			for i := 1; i < len(r.Findings); i++ {
				require.LessOrEqual(t, r.Findings[i-1].ByteOffset, r.Findings[i].ByteOffset, "finding %d out of order", i)
			}
		})
	}
}
