package scanner

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
)

// manyKeys is a JSON document that is one object keyed by n phone
// numbers, each holding {"v": pad}: one record with n findings.
func manyKeys(n int, pad string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strconv.Itoa(13800000000+i) + `":{"v":"` + pad + `"}`)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// watchReader reads an object for objectScan o and notes, at each read,
// how many of the bytes read so far o has not classified yet.
type watchReader struct {
	r    io.Reader
	o    *objectScan
	read int64
	held int64 // the most bytes read and not yet classified
}

func (w *watchReader) Read(p []byte) (int, error) {
	w.held = max(w.held, w.read-w.o.bytes)
	n, err := w.r.Read(p)
	w.read += int64(n)
	return n, err
}

// TestJSONManyKeysBounded: a JSON document that is one object with very
// many keys is one record; scanning it holds the same at any size: bytes
// read and not yet classified, findings held for the record's minor rule
// and fields (one per path, its keys being data), while every key is
// found, at the object's path.
func TestJSONManyKeysBounded(t *testing.T) {
	t.Parallel()
	b, err := rules.Builtin()
	require.NoError(t, err)
	rs, err := rules.Merge(b)
	require.NoError(t, err)
	eng, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("k")})
	require.NoError(t, err)
	type peaks struct{ size, held, pend, fields int }
	scan := func(n int) peaks {
		cfg := &Config{ScanID: "t", Workers: 1, TempDir: t.TempDir()}
		require.NoError(t, cfg.Validate())
		w := newWorker(cfg, nil, eng)
		o := &objectScan{ctx: context.Background(), w: w, res: &ObjectResult{}, findings: newFindings()}
		doc := manyKeys(n, strings.Repeat("x", 1000))
		wr := &watchReader{r: bytes.NewReader(doc), o: o}
		require.NoError(t, o.scanJSON(wr, false))
		require.Nil(t, o.spill)
		assert.Len(t, o.findings, n, "every key is found")
		for _, f := range o.findings {
			if assert.NotNil(t, f.Field) {
				assert.Equal(t, "$", *f.Field)
			}
		}
		return peaks{size: len(doc), held: int(wr.held), pend: cap(o.pend), fields: len(o.colOrder)}
	}
	small, big := scan(5000), scan(10000)
	assert.LessOrEqual(t, big.held, small.held+batchBytes, "bytes read and not yet classified")
	assert.Less(t, big.held, big.size/4)
	assert.Equal(t, small.pend, big.pend, "room for the findings held for one record")
	assert.LessOrEqual(t, big.fields, 3, "fields: $, its keys' and $.*.v")
}

// TestCrowdRecord: a record with more than maxRecordFindings findings is
// a collection of many people's data: what it held is released as it is
// and its later findings at once, its own minor flags kept but the minor
// rule not applied to it as a whole, and the object's notes say so once.
// The next record is held and graded as before.
func TestCrowdRecord(t *testing.T) {
	t.Parallel()
	o := &objectScan{w: &worker{cfg: &Config{SpillAt: 1 << 20}}, res: &ObjectResult{Info: ObjectInfo{Key: "oss://b/k.json"}}}
	for i := range maxRecordFindings {
		o.hold(Finding{ByteOffset: int64(i), Sensitivity: "S2", Minor: i == 7})
	}
	assert.Len(t, o.pend, maxRecordFindings, "held up to the bound")
	assert.Empty(t, o.findings)
	o.hold(Finding{ByteOffset: int64(maxRecordFindings), Sensitivity: "S2"})
	assert.Empty(t, o.pend)
	assert.Len(t, o.findings, maxRecordFindings+1, "released")
	o.hold(Finding{ByteOffset: int64(maxRecordFindings + 1), Sensitivity: "S2"})
	assert.Empty(t, o.pend, "a later finding of the record is not held")
	o.closeRecord(true)
	require.Len(t, o.findings, maxRecordFindings+2)
	for i, f := range o.findings {
		assert.Equal(t, i == 7, f.Minor, i)
		assert.Equal(t, "S2", f.Sensitivity, i)
	}
	require.Len(t, o.warnings, 1)
	assert.Contains(t, o.warnings[0], "oss://b/k.json: a record with more than 4096 findings")

	// The next record is one person's again.
	o.findings = o.findings[:0]
	o.hold(Finding{Sensitivity: "S2"})
	o.hold(Finding{Sensitivity: "S3"})
	assert.Len(t, o.pend, 2)
	o.closeRecord(true)
	require.Len(t, o.findings, 2)
	for _, f := range o.findings {
		assert.True(t, f.Minor)
		assert.Equal(t, "S4", f.Sensitivity)
	}
}

// TestDataKey: member names that are data (the member * of their path)
// and names that are field names, digits and all.
func TestDataKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key  string
		data bool
	}{
		{"13812348000", true},
		{"+86 138-1234-8000", true},
		{"11010519491231002X", true},
		{"zhang.san@example.com", true},
		{"user_10001", true},
		{"7", true},
		{"2024-01-01", true},
		{"10.1.2.3", true},
		{"phone", false},
		{"id_1", false},
		{"v2", false},
		{"sha256", false},
		{"address_line2", false},
		{"revenue_2024", false},
		{"@timestamp", false},
		{"手机2", false},
		// Full-width digits are digits.
		{"１３８１２３４８０００", true},
		{"手机１３８１２３４８０００", true},
		{"１２", true},
		{"手机２", false},
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.data, dataKey([]byte(tt.key)), tt.key)
	}
}
