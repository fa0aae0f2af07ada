package scanner_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// csvValues reads data with CSVReader, whole or one byte at a time, and
// returns the rows' values; it checks that Raw and End give back data.
func csvValues(t *testing.T, data string, delim byte, oneByte bool) [][]string {
	t.Helper()
	var r io.Reader = strings.NewReader(data)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	rd := scanner.NewCSVReader(r, delim)
	var rows [][]string
	var row []string
	var back bytes.Buffer
	for {
		f, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		require.Equal(t, int64(back.Len()), f.Off)
		back.Write(f.Raw)
		back.Write(f.End)
		row = append(row, string(f.Value))
		if f.EOL {
			rows, row = append(rows, row), nil
		}
	}
	require.Empty(t, row)
	require.Equal(t, data, back.String(), "Raw and End are the stream")
	return rows
}

func TestCSVReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		delim    byte
		want     [][]string
	}{
		{"plain lf", "a,b\n1,2\n", ',', [][]string{{"a", "b"}, {"1", "2"}}},
		{"crlf, no final break", "a,b\r\n1,2", ',', [][]string{{"a", "b"}, {"1", "2"}}},
		{"lone cr", "a\rb\r", ',', [][]string{{"a"}, {"b"}}},
		{"blank lines", "a\n\n\r\nb\n", ',', [][]string{{"a"}, {""}, {""}, {"b"}}},
		{"quote inside an unquoted field", "x \"y\" z,2\n", ',', [][]string{{`x "y" z`, "2"}}},
		{"text after a closing quote", "\"VIP\" customer\tE1\nr\tE2\n", '\t', [][]string{{"VIP customer", "E1"}, {"r", "E2"}}},
		{"quoted delimiter, line break, escaped quotes", "\"a,\r\nb \"\"c\"\"\",2\n", ',', [][]string{{"a,\r\nb \"c\"", "2"}}},
		{"empty quoted", "\"\",\"\"\"\"\n", ',', [][]string{{"", `"`}}},
		{"never closed", "a,\"b\nc,d", ',', [][]string{{"a", "b\nc,d"}}},
		{"quote right at the end", "a,\"", ',', [][]string{{"a", ""}}},
		{"trailing delimiter", "a,\n", ',', [][]string{{"a", ""}}},
		{"tsv keeps commas", "a,b\tc\n", '\t', [][]string{{"a,b", "c"}}},
		{"hive text has no quoting", "\"VIP\x01a\"\"b\x01\"\n\"x\x01y\n", '\x01', [][]string{{`"VIP`, `a""b`, `"`}, {`"x`, "y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, csvValues(t, tt.in, tt.delim, false))
			assert.Equal(t, tt.want, csvValues(t, tt.in, tt.delim, true), "one byte reads")
		})
	}
}

// TestCSVReaderMatchesDecoder: on generated CSV, TSV and Hive text full of quotes,
// delimiters and line breaks, a mobile number is found by the scan exactly
// where CSVReader puts a value holding it (stream offset, record, field).
func TestCSVReaderMatchesDecoder(t *testing.T) {
	t.Parallel()
	const mobile = "13812348000"
	pieces := []string{"a", "b c", `"`, `""`, ",", "\t", "\n", "\r\n", "\r", " ", " " + mobile + " "}
	rng := rand.New(rand.NewPCG(7, 11))
	files := map[string][]byte{}
	for i := range 300 {
		var b strings.Builder
		b.WriteString("note,mobile\tphone\n") // a header row, whatever follows
		for range 4 + rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		ext := ".csv"
		if i%3 == 0 {
			ext = ".tsv"
		}
		files[fmt.Sprintf("f%03d%s", i, ext)] = []byte(b.String())
	}
	// Hive text tables, whose quotes are plain bytes: rows of three
	// fields, so that the sniffer takes them for Hive.
	for i := range 100 {
		var b strings.Builder
		b.WriteString("note\x01mobile\x01phone\n")
		for range 3 + rng.IntN(6) {
			for f := range 3 {
				if f > 0 {
					b.WriteByte('\x01')
				}
				for range rng.IntN(4) {
					if p := pieces[rng.IntN(len(pieces))]; !strings.ContainsAny(p, "\r\n") {
						b.WriteString(p)
					}
				}
			}
			b.WriteByte('\n')
		}
		files[fmt.Sprintf("h%03d/000000_0", i)] = []byte(b.String())
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 4})
	for name, data := range files {
		delim := byte(',')
		switch {
		case strings.HasSuffix(name, ".tsv"):
			delim = '\t'
		case strings.HasSuffix(name, "000000_0"):
			delim = '\x01'
			require.Equal(t, scanner.FormatHive, sink.ByName(name).Format, name)
		}
		res := sink.ByName(name)
		require.NotNil(t, res, name)
		var got []string
		for _, l := range locs(res) {
			if l.Type == "cn_mobile" && l.Len == int32(len(mobile)) {
				got = append(got, fmt.Sprintf("off=%d rec=%d", l.Off, l.Record))
			}
		}
		assert.ElementsMatch(t, expectedMobiles(t, data, delim, mobile), got, "%s: %q", name, data)
	}
}

// expectedMobiles lists where the scan should report mobile: in each
// value holding it, at the offset in data of its index in the unescaped
// value, in the value's data record (the first row is the header).
func expectedMobiles(t *testing.T, data []byte, delim byte, mobile string) []string {
	t.Helper()
	rd := scanner.NewCSVReader(bytes.NewReader(data), delim)
	var out []string
	row := int64(-1)
	for {
		f, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		base := f.Off
		if f.Quoted {
			base++
		}
		for v, at := string(f.Value), 0; ; {
			i := strings.Index(v[at:], mobile)
			if i < 0 {
				break
			}
			off := base + int64(at+i)
			if f.Quoted {
				off = rawIndex(data, base, at+i)
			}
			out = append(out, "off="+strconv.FormatInt(off, 10)+" rec="+strconv.FormatInt(row, 10))
			at += i + len(mobile)
		}
		if f.EOL {
			row++
		}
	}
}

// rawIndex returns the offset in data of byte i of the unescaped value of
// a quoted field whose content starts at base: a doubled quote is one
// byte of the value, the closing quote none ("ab"cd is abcd).
func rawIndex(data []byte, base int64, i int) int64 {
	p, quoted := base, true
	for k := 0; ; k++ {
		if quoted && data[p] == '"' {
			if p+1 < int64(len(data)) && data[p+1] == '"' {
				p++ // the second quote of a pair is the value's byte
			} else {
				p, quoted = p+1, false // the closing quote
				k--
				continue
			}
		}
		if k == i {
			return p
		}
		p++
	}
}

// TestCSVHeaderOrData: a first row the engine reports nothing in is a
// header only when it does not read like a person's values; otherwise its
// cells would name the columns of every finding. Real headers, with a
// label the rules know or with label-like cells, still name the columns.
func TestCSVHeaderOrData(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		// data: a gender, an ethnic group, two names
		"gender.csv": []byte("张伟,男,北京市,\n李娜,女,上海市,13912345678\n"),
		"ethnic.csv": []byte("张伟,北京市,汉族\n李娜,上海市,回族,13912345678\n"),
		"names.csv":  []byte("张伟,李娜,北京市\n王芳,刘洋,13712345678\n"),
		"latin.csv":  []byte("Wei Zhang,male,Springfield,\nNa Li,female,Shelbyville,na.li@example.com\n"),
		// one name: the name under it in the second row makes it data
		"onename.csv": []byte("张伟,北京市,\r\n李娜,上海市,13912345678\r\n"),
		"onename.tsv": []byte("张伟\t北京市\t\n李娜\t上海市\t13912345678"),
		// headers: a known label beside value-like cells, label-like cells
		"known.csv":    []byte("姓名,性别,民族,手机\n张伟,男,汉族,13812345678\n"),
		"labels.csv":   []byte("金额,数量,备注\n12.5,3,call 13812345678\n"),
		"balance.csv":  []byte("余额,备注\n\"1,024.00\",张伟 13812345678\n"), // a quoted second row: a header
		"customer.csv": []byte("顾客,备注\n张伟,call 13812345678\n"),         // a role label the rules know over a name
		"title.csv":    []byte("Order Date,Ship City,Contact Phone\n2024-01-02,Springfield,13812345678\n"),
		// a workbook's first row is judged the same way
		"gender.xlsx": xlsxOf(t, "s", [][]string{{"张伟", "男", "北京市", ""}, {"李娜", "女", "上海市", "13912345678"}}),
		"known.xlsx":  xlsxOf(t, "s", [][]string{{"姓名", "性别", "手机"}, {"张伟", "男", "13812345678"}}),
		// one name: the second row tells, by the cell in the same column
		"onename.xlsx":  xlsxOf(t, "s", [][]string{{"张伟", "北京市", ""}, {"李娜", "上海市", "13912345678"}}),
		"labels.xlsx":   xlsxOf(t, "s", [][]string{{"金额", "备注"}, {"12.5", "call 13812345678"}}),
		"customer.xlsx": xlsxOf(t, "s", [][]string{{"顾客", "备注"}, {"张伟", "call 13812345678"}}),
		"aligned.xlsx":  xlsxOf(t, "s", [][]string{{"张伟", "北京市", ""}, {"", "李娜", "13912345678"}}), // no name under 张伟
		// a second row over PeekRowMax bytes is not looked at
		"cut.xlsx": xlsxOf(t, "s", [][]string{{"张伟", "备注"}, {"李娜", strings.Repeat("x ", 2100) + "13912345678"}}),
	}
	// A first row longer than the parser's first window: the second row
	// is read on for the decision.
	files["wide.csv"] = []byte("张伟," + strings.Repeat(strings.Repeat("x", 120)+",", 1099) + "x\n李娜," + strings.Repeat("y,", 1099) + "13912345678\n")
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	tests := []struct {
		file, typ, field string
		record           int64
	}{
		{"gender.csv", "cn_mobile", "column_4", 1},
		{"ethnic.csv", "cn_mobile", "column_4", 1},
		{"names.csv", "cn_mobile", "column_3", 1},
		{"latin.csv", "email", "column_4", 1},
		{"onename.csv", "cn_mobile", "column_3", 1},
		{"onename.tsv", "cn_mobile", "column_3", 1},
		{"wide.csv", "cn_mobile", "column_1101", 1},
		{"known.csv", "cn_mobile", "手机", 0},
		{"labels.csv", "cn_mobile", "备注", 0},
		{"balance.csv", "cn_mobile", "备注", 0},
		{"customer.csv", "cn_mobile", "备注", 0},
		{"customer.csv", "person_name", "顾客", 0},
		{"title.csv", "cn_mobile", "Contact Phone", 0},
		{"gender.xlsx", "cn_mobile", "column_4", 1},
		{"known.xlsx", "cn_mobile", "手机", 0},
		{"onename.xlsx", "cn_mobile", "column_3", 1},
		{"labels.xlsx", "cn_mobile", "备注", 0},
		{"customer.xlsx", "cn_mobile", "备注", 0},
		{"customer.xlsx", "person_name", "顾客", 0},
		{"aligned.xlsx", "cn_mobile", "column_3", 0},
		{"cut.xlsx", "cn_mobile", "备注", 0},
	}
	for _, tc := range tests {
		r := sink.ByName(tc.file)
		require.NotNil(t, r, tc.file)
		var got []string
		for _, f := range r.Findings {
			require.NotNil(t, f.Field, tc.file)
			got = append(got, *f.Field)
			if f.DataType == tc.typ {
				assert.Equal(t, tc.field, *f.Field, tc.file)
				require.NotNil(t, f.Record, tc.file)
				assert.Equal(t, tc.record, *f.Record, tc.file)
			}
		}
		n, _ := countType(r, tc.typ)
		assert.Equal(t, 1, n, "%s: %v", tc.file, got)
		for _, name := range got {
			for _, v := range []string{"张伟", "李娜", "北京市", "Wei Zhang", "Springfield"} {
				assert.NotContains(t, name, v, "%s: a value names a column", tc.file)
			}
		}
	}
}

// TestHeaderlessColumns: a table without a header (a database export)
// has positional columns, and one whose values read as Chinese names, or
// hold a dictionary rule's terms (ethnic groups), is a column of that kind:
// its values are findings in rows with other personal data, whatever the
// format (CSV, TSV, Hive text, a sheet, JSON arrays of arrays).
func TestHeaderlessColumns(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"10001", "张伟", "男", "13812348000", "汉族"},
		{"10002", "李娜", "女", "", "回族"},
		{"10003", "王芳", "女", "13712345670", "汉族"},
		{"10004", "刘洋", "男", "13612345671", "满族"},
	}
	var csv, tsv, hive, jsonl strings.Builder
	var jrows []string
	for _, r := range rows {
		csv.WriteString(strings.Join(r, ",") + "\n")
		tsv.WriteString(strings.Join(r, "\t") + "\n")
		hive.WriteString(strings.Join(r, "\x01") + "\n")
		row := r[0] + `,"` + strings.Join(r[1:], `","`) + `"` // the id a number
		jrows = append(jrows, "["+row+"]")
		jsonl.WriteString("[" + row + "]\n")
	}
	values := "[" + strings.Join(jrows, ",") + "]"
	files := map[string][]byte{
		"export.csv":  []byte(csv.String()),
		"export.tsv":  []byte(tsv.String()),
		"000000_0":    []byte(hive.String()), // a Hive text table: fields split by \x01
		"export.xlsx": xlsxOf(t, "s", rows),
		// pandas' to_json, orient "values" and "split"; JSON Lines of rows
		// (ClickHouse's JSONCompactEachRow)
		"values.json": []byte(values),
		"split.json":  []byte(`{"columns":["id","c1","c2","c3","c4"],"index":[0,1,2,3],"data":` + values + `}`),
		"rows.jsonl":  []byte(jsonl.String()),
		// A product column repeats its few values: no names.
		"orders.csv": []byte("王老吉,3.5,13812348000\n王老吉,3.5,13912345678\n王老吉,4.0,13712345670\n"),
	}
	want := func(names, terms string) []string {
		var w []string
		for _, rec := range []int{0, 2, 3} {
			w = append(w, fmt.Sprintf("%d person_name %s name_shape,companion,column:names", rec, names),
				fmt.Sprintf("%d specific_identity %s field,companion,column:terms", rec, terms))
		}
		sort.Strings(w)
		return w
	}
	table := want("column_2", "column_5")
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for file, want := range map[string][]string{
		"export.csv": table, "export.tsv": table, "000000_0": table, "export.xlsx": table,
		"values.json": want("$[*][1]", "$[*][4]"), "split.json": want("$.data[*][1]", "$.data[*][4]"),
		"rows.jsonl": want("$[1]", "$[4]"), "orders.csv": nil,
	} {
		r := sink.ByName(file)
		require.NotNil(t, r, file)
		if file == "000000_0" {
			assert.Equal(t, scanner.FormatHive, r.Format)
		}
		var got []string
		for _, f := range r.Findings {
			if f.DataType == "cn_mobile" {
				continue
			}
			require.NotNil(t, f.Field, file)
			got = append(got, fmt.Sprintf("%d %s %s %s", *f.Record, f.DataType, *f.Field, f.Evidence))
		}
		sort.Strings(got)
		assert.Equal(t, want, got, file)
	}
}

// TestCSVHeaderSecondRowPastWindow: a first row that ends just before the
// end of the parser's first window leaves the second row unread; the
// header decision reads on to see it.
func TestCSVHeaderSecondRowPastWindow(t *testing.T) {
	t.Parallel()
	row1 := "张伟,北京市"
	for n := scanner.WindowMin - 100; len(row1) < n; {
		row1 += "," + strings.Repeat("x", min(200, n-len(row1)-1))
	}
	row1 += "\n"
	row2 := "李娜,上海市," + strings.Repeat("y", 200) + ",13912345678\n"
	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"w.csv": []byte(row1 + row2)}}, scanner.Config{Workers: 1})
	r := sink.ByName("w.csv")
	require.NotNil(t, r)
	require.Len(t, r.Findings, 1)
	assert.Equal(t, "column_4", *r.Findings[0].Field)
	assert.Equal(t, int64(1), *r.Findings[0].Record)
}
