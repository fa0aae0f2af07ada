package classifiers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableSpans lays out rows (cells separated by ',') as a reader of a table
// without a header does: one record per row, each cell a span of field
// column_<n>, cells separated by '\n' in buf. Records are numbered from rec0.
func tableSpans(e *Engine, rows []string, rec0 int64) ([]byte, []Span) {
	var buf []byte
	var spans []Span
	for r, row := range rows {
		for c, cell := range strings.Split(row, ",") {
			if cell == "" {
				continue
			}
			start := len(buf)
			buf = append(buf, cell...)
			spans = append(spans, Span{Start: start, End: len(buf), Field: e.Field("column_" + strconv.Itoa(c+1)), Record: rec0 + int64(r)})
			buf = append(buf, '\n')
		}
	}
	return buf, spans
}

// scanPositional scans rows (tableSpans) in one call of a new scanner.
func scanPositional(t *testing.T, e *Engine, rows []string) *collector {
	t.Helper()
	buf, spans := tableSpans(e, rows, 0)
	c := &collector{}
	require.NoError(t, e.NewScanner().ScanRecords(context.Background(), buf, spans, false, c))
	return c
}

// names returns the masked person_name matches of c, by record.
func names(c *collector) map[int64]string {
	out := map[int64]string{}
	for _, m := range c.ms {
		if m.DataType == "person_name" {
			out[m.Record] = m.Masked + " " + m.Evidence
		}
	}
	return out
}

func TestPositionalNameColumns(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	people := []string{
		"张伟,男,13812348000,北京市",
		"李娜,女,,上海市",
		"王芳,女,13712345670,广州市",
		"刘洋,男,13612345671,深圳市",
	}
	tests := []struct {
		name string
		rows []string
		want map[int64]string
	}{
		{"names beside a mobile", people, map[int64]string{
			0: "张* name_shape,companion,column:names",
			2: "王* name_shape,companion,column:names",
			3: "刘* name_shape,companion,column:names",
		}},
		// The same product in every row: names are mostly different.
		{"repeated value", []string{"王老吉,3.5,13812348000", "王老吉,3.5,13912345678", "王老吉,4.0,13712345670"}, map[int64]string{}},
		// Two cities in five start with a surname: not a name column.
		{"cities", []string{"北京,13812348000", "南京,13912345678", "上海,13712345670", "武汉,13612345671", "深圳,13512345672"}, map[int64]string{}},
		// Too few values to tell.
		{"two rows", people[:2], map[int64]string{}},
		// A value that names a company in a names column is not a name.
		{"company", []string{"张伟,13812348000", "李娜,13912345678", "王芳,13712345670", "刘洋,13612345671", "华为公司,13512345672"}, map[int64]string{
			0: "张* name_shape,companion,column:names",
			1: "李* name_shape,companion,column:names",
			2: "王* name_shape,companion,column:names",
			3: "刘* name_shape,companion,column:names",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, names(scanPositional(t, e, tt.rows)))
		})
	}

	t.Run("named columns are not profiled", func(t *testing.T) {
		t.Parallel()
		buf, spans := tableSpans(e, people, 0)
		for i := range spans {
			spans[i].Field = e.Field("note_" + spans[i].Field.Name)
		}
		c := &collector{}
		require.NoError(t, e.NewScanner().ScanRecords(context.Background(), buf, spans, false, c))
		assert.Empty(t, names(c))
	})

	t.Run("decided once per object", func(t *testing.T) {
		t.Parallel()
		s := e.NewScanner()
		ctx := context.Background()
		// Two rows are too few: the column stays open, and the next call's
		// rows decide it.
		buf, spans := tableSpans(e, people[:2], 0)
		c := &collector{}
		require.NoError(t, s.ScanRecords(ctx, buf, spans, false, c))
		assert.Empty(t, names(c))
		buf, spans = tableSpans(e, people[2:], 2)
		require.NoError(t, s.ScanRecords(ctx, buf, spans, false, c))
		assert.Equal(t, map[int64]string{2: "王* name_shape,companion,column:names", 3: "刘* name_shape,companion,column:names"}, names(c))
		// Decided: later rows are names whatever they hold.
		buf, spans = tableSpans(e, []string{"赵敏,13512345672"}, 4)
		c = &collector{}
		require.NoError(t, s.ScanRecords(ctx, buf, spans, false, c))
		assert.Equal(t, map[int64]string{4: "赵* name_shape,companion,column:names"}, names(c))
		// Another object starts undecided.
		s.Reset()
		c = &collector{}
		require.NoError(t, s.ScanRecords(ctx, buf, spans, false, c))
		assert.Empty(t, names(c))
	})
}

// TestPositionalDictionaryColumns: a positional column whose values hold
// a rule's dictionary terms is that rule's column, in records with other
// personal data.
func TestPositionalDictionaryColumns(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	long := strings.Repeat("回访记录：", 10) + "糖尿病"
	tests := []struct {
		name string
		rows []string
		want []string // record:data_type:evidence of the column's findings
	}{
		{"ethnic groups", []string{"13812348000,汉族", "13912345678,回族", "13712345670,汉族", "x,藏族"},
			[]string{"0:specific_identity:field,companion,column:terms", "1:specific_identity:field,companion,column:terms", "2:specific_identity:field,companion,column:terms"}},
		// 无 is a none word: it neither counts nor is reported.
		{"religion", []string{"13812348000,无", "13912345678,无", "13712345670,佛教", "13612345671,无", "13512345672,基督教"},
			[]string{"2:religious_belief:field,dictionary,companion,column:terms", "4:religious_belief:field,dictionary,companion,column:terms"}},
		// Half the diagnoses are in the dictionary: the column is one of
		// diagnoses, and the others are reported too.
		{"diagnoses", []string{"13812348000,2型糖尿病", "13912345678,腰椎间盘突出", "13712345670,高血压3级", "13612345671,急性阑尾炎"},
			[]string{"0:medical_health:field,companion,column:terms", "1:medical_health:field,companion,column:terms", "2:medical_health:field,companion,column:terms", "3:medical_health:field,companion,column:terms"}},
		// A table of groups names no one.
		{"lookup table", []string{"01,汉族", "02,回族", "03,藏族", "04,满族"}, nil},
		// Too few terms.
		{"one term in four", []string{"13812348000,头晕", "13912345678,高血压", "13712345670,扭伤", "13612345671,感冒"}, nil},
		// Free text is not a dictionary column.
		{"long values", []string{"13812348000," + long, "13912345678," + long, "13712345670," + long}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range scanPositional(t, e, tt.rows).ms {
				if m.Category != "contact" {
					got = append(got, fmt.Sprintf("%d:%s:%s", m.Record, m.DataType, m.Evidence))
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPositionalColumn(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]int{
		"column_1": 1, "column_12": 12, "column_0": 0, "column_01": 0, "column_": 0,
		"column_x": 0, "column_1a": 0, "$.column_1": 0, "my_column_1": 0, "column_9999999": 0, "column_+1": 0,
		// cells of JSON rows, counted from 0
		"$[*][0]": 1, "$[*][12]": 13, "$.data[*][2]": 3, "$[0]": 1, "$[3]": 4,
		"$[*][*]": 0, "$[*]": 0, "$[*][01]": 0, "$.tags[0]": 0, "$[*][-1]": 0, "$[*][1]x": 0, "a[*][1]": 0,
	} {
		assert.Equal(t, want, positionalColumn(name), name)
	}
}
