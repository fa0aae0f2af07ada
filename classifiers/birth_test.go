package classifiers

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBirthDateMinor checks the birth-date forms of a birth-date column
// that make a record's subject a minor (under 14 on testAsOf, 2026-11-23).
// A year and month alone make a minor only when every day of the month
// does; a day and month before the year only when both readings do.
func TestBirthDateMinor(t *testing.T) {
	e := builtinEngine(t)
	cases := []struct {
		column, value string
		minor         bool
	}{
		// year and month only
		{"出生年月", "2015-07", true},
		{"出生年月", "2015.07", true},
		{"出生年月", "2015/7", true},
		{"出生年月", "2015年7月", true},
		{"出生年月", "201507", true},
		{"birth_date", "2012-12", true},  // all of December 2012 turn 14 in December 2026
		{"birth_date", "2012-11", false}, // born 1 November 2012: 14 on 1 November 2026
		{"出生年月", "1990-05", false},
		{"出生年月", "1990年5月", false},
		{"出生年月", "199005", false},
		{"出生年月", "2015-13", false},
		{"出生年月", "2099-01", false}, // not born yet: not a birth date
		{"出生年月", "123456", false},
		// day and month before the year
		{"出生年月", "03/01/2015", true},
		{"dob", "25/12/2012", true},  // only 25 December 2012 is a date
		{"dob", "12/25/2012", true},  // only 25 December 2012 is a date
		{"dob", "12/11/2012", false}, // 12 November 2012 is 14 by now; 11 December is not
		{"dob", "11-12-2012", false},
		{"dob", "17/05/1990", false},
		{"dob", "31/02/2015", false},
		// full dates (kept)
		{"出生年月", "2015.03.01", true},
		{"birth_date", "2015-03-01", true},
		{"birth_date", "20150301", true},
		{"birth_date", "2015年3月1日", true},
		{"birth_date", "2015-03-01 08:30:00", true},
		{"birth_date", "2012-11-23", false}, // turns 14 on the day
		{"birth_date", "2012-11-24", true},
		{"birth_date", "1990/05/17", false},
		{"birth_date", "2099-01-01", false},
	}
	for _, tc := range cases {
		t.Run(tc.column+"="+tc.value, func(t *testing.T) {
			c := scanTable(t, e, []string{"姓名", tc.column, "手机"}, [][]string{{"王小明", tc.value, "13812348000"}})
			require.Len(t, c.mins, 1)
			assert.Equal(t, tc.minor, c.mins[0])
		})
	}
}

// TestOpenRecordEnds: a record left open by ScanRecords(more) ends with
// its record facts (here a birth date that makes its subject a minor) when
// the next call does not continue it, before that call's own records: the
// caller holds a record's findings until EndRecord, and a record never
// ended would leave them to the next record's minor rule.
func TestOpenRecordEnds(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		name    string
		next    []string // values of the second call's spans
		nextRec int64
		more    bool
		want    []string // matches (m<record>) and ends (end<record>/<minor>) in order
	}{
		{name: "another record", next: []string{"13912345678"}, nextRec: 1,
			want: []string{"m0", "end0/true", "m1", "end1/false"}},
		{name: "no spans", want: []string{"m0", "end0/true"}},
		{name: "no spans, more", more: true, want: []string{"m0"}},
		{name: "the same record", next: []string{"13912345678"}, nextRec: 0,
			want: []string{"m0", "m0", "end0/true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := e.NewScanner()
			ev := &eventLog{}
			ctx := context.Background()
			first := []byte("2015-03-01\n13812348000\n")
			spans := []Span{{Start: 0, End: 10, Field: e.Field("birth_date"), Record: 0}, {Start: 11, End: 22, Field: e.Field("手机"), Record: 0}}
			require.NoError(t, sc.ScanRecords(ctx, first, spans, true, ev))
			var buf []byte
			spans = spans[:0]
			for _, v := range tt.next {
				spans = append(spans, Span{Start: len(buf), End: len(buf) + len(v), Field: e.Field("手机"), Record: tt.nextRec})
				buf = append(append(buf, v...), '\n')
			}
			require.NoError(t, sc.ScanRecords(ctx, buf, spans, tt.more, ev))
			assert.Equal(t, tt.want, ev.events)
		})
	}
}

// eventLog is an Emitter that logs matches and record ends in order.
type eventLog struct{ events []string }

func (l *eventLog) Match(m *Match) error {
	l.events = append(l.events, fmt.Sprintf("m%d", m.Record))
	return nil
}

func (l *eventLog) EndRecord(r int64, minor bool) error {
	l.events = append(l.events, fmt.Sprintf("end%d/%t", r, minor))
	return nil
}

func (l *eventLog) Anchor(int) any { return nil }
