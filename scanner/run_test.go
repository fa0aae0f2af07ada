package scanner_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

var asOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func engine(t testing.TB) *classifiers.Engine {
	t.Helper()
	b, err := rules.Builtin()
	require.NoError(t, err)
	rs, err := rules.Merge(b)
	require.NoError(t, err)
	e, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("k"), AsOf: asOf})
	require.NoError(t, err)
	return e
}

func run(t testing.TB, src scanner.Source, cfg scanner.Config) *scannertest.Sink {
	t.Helper()
	if cfg.ScanID == "" {
		cfg.ScanID = "test"
	}
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), cfg, src, engine(t), sink)
	require.NoError(t, err)
	return sink
}

type loc struct {
	Type   string
	Line   int64
	Col    int64
	Record int64
	Field  string
	Off    int64
	Len    int32
	Minor  bool
}

func locs(r *scanner.ObjectResult) []loc {
	var out []loc
	for _, f := range r.Findings {
		l := loc{Type: f.DataType, Off: f.ByteOffset, Len: f.Length, Minor: f.Minor, Record: -1}
		if f.Line != nil {
			l.Line, l.Col = *f.Line, *f.Column
		}
		if f.Record != nil {
			l.Record = *f.Record
		}
		if f.Field != nil {
			l.Field = *f.Field
		}
		out = append(out, l)
	}
	return out
}

func TestRunFormats(t *testing.T) {
	t.Parallel()
	src := &scannertest.MemSource{Files: map[string][]byte{
		"a.txt":   []byte("hello\n身份证 440104195101058590 and 13812348000\n"),
		"b.csv":   []byte("\ufeffname,手机号,birth_date\r\n张三,13812348000,2015-03-01\r\n李四,\"139 0000 1234\",1990-01-01\r\n"),
		"c.json":  []byte(`{"patients":[{"id_no":"440104195101058590","loc":{"lat":39.9042,"lng":116.4074}},{"email":"a.b@example.com"}]}`),
		"d.jsonl": []byte("{\"phone\":\"13812348000\"}\n{\"bad\": \n{\"ip\":\"58.22.113.7\"}\n"),
		"e.txt":   {},
	}}
	sink := run(t, src, scanner.Config{Workers: 2})
	require.Len(t, sink.Results, 5)

	a := sink.ByName("a.txt")
	assert.Equal(t, scanner.StatusComplete, a.Status)
	assert.Equal(t, []loc{
		{Type: "cn_resident_id", Line: 2, Col: 5, Record: -1, Off: 16, Len: 18},
		{Type: "cn_mobile", Line: 2, Col: 28, Record: -1, Off: 39, Len: 11},
	}, locs(a))

	b := sink.ByName("b.csv")
	assert.Equal(t, "csv", b.Format)
	assert.Equal(t, "utf-8-bom", b.Encoding)
	assert.Equal(t, []loc{
		{Type: "person_name", Line: 2, Col: 1, Record: 0, Field: "name", Off: 27, Len: 6, Minor: true},
		{Type: "cn_mobile", Line: 2, Col: 4, Record: 0, Field: "手机号", Off: 34, Len: 11, Minor: true},
		{Type: "person_name", Line: 3, Col: 1, Record: 1, Field: "name", Off: 58, Len: 6},
		{Type: "cn_mobile", Line: 3, Col: 5, Record: 1, Field: "手机号", Off: 66, Len: 13},
	}, locs(b))

	c := sink.ByName("c.json")
	got := locs(c)
	require.Len(t, got, 3)
	assert.Equal(t, "$.patients[*].id_no", got[0].Field)
	assert.Equal(t, int64(0), got[0].Record)
	assert.Equal(t, "gps_coordinate", got[1].Type)
	assert.Equal(t, "$.patients[*].loc.lat", got[1].Field)
	assert.Equal(t, "email", got[2].Type)
	assert.Equal(t, int64(1), got[2].Record)

	d := sink.ByName("d.jsonl")
	assert.Equal(t, scanner.StatusPartial, d.Status)
	assert.Equal(t, scanner.ReasonMalformed, d.Reason)
	got = locs(d)
	require.Len(t, got, 2)
	assert.Equal(t, int64(0), got[0].Record)
	assert.Equal(t, "ipv4", got[1].Type)

	e := sink.ByName("e.txt")
	assert.Equal(t, scanner.StatusSkipped, e.Status)
	assert.Equal(t, scanner.ReasonEmpty, e.Reason)
}
