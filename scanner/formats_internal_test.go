package scanner

import (
	"bytes"
	"io"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExcelDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		date1904 bool
		want     string
	}{
		{"1", false, "1900-01-01"},
		{"59", false, "1900-02-28"},
		{"61", false, "1900-03-01"}, // 60 is the 1900-02-29 that never was
		{"43831", false, "2020-01-01"},
		{"43831.5", false, "2020-01-01 12:00:00"},
		{"0", true, "0"},
		{"1", true, "1904-01-02"},
		{"x", false, "x"},
		{"99999999", false, "99999999"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, string(excelDate([]byte(tt.in), tt.date1904)))
		})
	}
}

func TestIsDateFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want bool
	}{
		{`yyyy\-mm\-dd`, true},
		{`[$-804]yyyy"年"m"月"d"日"`, true},
		{`0.00`, false},
		{`"day"0`, false},
		{`[Red]0.00`, false},
		{`h:mm:ss`, false},
		{`\d0`, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, isDateFormat(tt.code), tt.code)
	}
	assert.True(t, builtinDate(14))
	assert.False(t, builtinDate(2))
}

func TestColumnPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		segs []string
		reps []bool
		want string
	}{
		{[]string{"id_no"}, []bool{false}, "id_no"},
		{[]string{"patient", "id_no"}, []bool{false, false}, "patient.id_no"},
		{[]string{"tags", "list", "element"}, []bool{false, true, false}, "tags[*]"},
		{[]string{"attrs", "key_value", "value"}, []bool{false, true, false}, "attrs[*].value"},
		{[]string{"phones"}, []bool{true}, "phones[*]"},
		{[]string{"visits", "list", "element", "site"}, []bool{false, true, false, false}, "visits[*].element.site"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, columnPath(tt.segs, tt.reps))
	}
}

// TestSpool: what is read back at any offset is what was written, and the
// bytes on disk are not.
func TestSpool(t *testing.T) {
	t.Parallel()
	sp, err := newSpool(t.TempDir())
	require.NoError(t, err)
	defer sp.close()
	data := make([]byte, 200_000)
	_, _ = rand.NewChaCha8([32]byte{7}).Read(data[:100_000])
	copy(data[100_000:], bytes.Repeat([]byte("440104195101058590 "), 5000))
	for p := data; len(p) > 0; {
		n := min(len(p), 7777)
		_, err := sp.Write(p[:n])
		require.NoError(t, err)
		p = p[n:]
	}
	require.NoError(t, sp.flush())
	raw := make([]byte, len(data))
	_, err = sp.f.ReadAt(raw, 0)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "440104195101058590", "the spool is encrypted")
	for _, off := range []int64{0, 1, 15, 16, 17, 100_003, 199_990} {
		got := make([]byte, 100)
		n, err := sp.ReadAt(got, off)
		if err != nil {
			require.ErrorIs(t, err, io.EOF)
		}
		assert.Equal(t, data[off:off+int64(n)], got[:n], "offset %d", off)
	}
}

// TestStringTable: a table past its memory budget moves to a spool and
// still returns every string.
func TestStringTable(t *testing.T) {
	t.Parallel()
	st := newStringTable(t.TempDir())
	defer st.Close()
	s := bytes.Repeat([]byte("x"), 1<<20)
	for i := range 20 {
		s[0] = byte('a' + i)
		require.NoError(t, st.add(s))
	}
	require.NoError(t, st.done())
	require.NotNil(t, st.sp, "spilled past 16 MiB")
	for i := range 20 {
		got, ok := st.Get(int64(i))
		require.True(t, ok)
		assert.Equal(t, byte('a'+i), got[0])
		assert.Len(t, got, 1<<20)
	}
	_, ok := st.Get(20)
	assert.False(t, ok)
	_, ok = st.Get(-1)
	assert.False(t, ok)
}

func TestCellColumn(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 0, cellColumn("A1", 9))
	assert.Equal(t, 27, cellColumn("AB12", 9))
	assert.Equal(t, 9, cellColumn("", 9))
	assert.Equal(t, 3, cellColumn("12", 3))
}

func TestIsTarHeader(t *testing.T) {
	t.Parallel()
	h := make([]byte, 512)
	copy(h, "a.txt")
	copy(h[100:], "0000644")
	copy(h[124:], "00000000012")
	var sum int
	for i, c := range h {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int(c)
	}
	copy(h[148:], []byte(big.NewInt(int64(sum)).Text(8)+"\x00"))
	assert.True(t, isTarHeader(h))
	h[0] = 'b'
	assert.False(t, isTarHeader(h))
	assert.False(t, isTarHeader([]byte("short")))
}

// looksBinaryRef is looksBinary as it was, byte by byte: the oracle for
// the version that skips words without a control byte. A Hive text table
// is text either way.
func looksBinaryRef(head []byte) bool {
	if hiveText(head) && !bytes.Contains(head, []byte{0}) {
		return false
	}
	if _, ok := utf16Order(head); ok {
		return false
	}
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1b {
			ctl++
		}
	}
	return ctl*10 > len(head)
}

func TestLooksBinaryHive(t *testing.T) {
	t.Parallel()
	// Short fields: one \x01 in every four bytes.
	table := []byte(strings.Repeat("1\x01ab\x01男\x01x\x02y\n", 20))
	assert.False(t, looksBinary(table))
	assert.Equal(t, FormatHive, sniffText("000000_0", table))
	// Another control byte, a NUL or lines of unequal counts: binary.
	for _, b := range [][]byte{
		append([]byte("\x05"), table...),
		append(table[:len(table):len(table)], 0),
		[]byte(strings.Repeat("1\x01ab\x01\n2\x01\n", 20)),
	} {
		assert.True(t, looksBinary(b), "%q", b[:12])
	}
}

func TestLooksBinaryAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 8))
	alphabet := []byte("abc 123\n\r\t\x00\x01\x02\x1b\x1f\x7f\x80\xe4\xb8\xad\xff\x20\x21")
	binary := 0
	for range 100_000 {
		b := make([]byte, rng.IntN(200))
		dense := rng.IntN(4) == 0
		for i := range b {
			if dense || rng.IntN(20) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = byte('a' + rng.IntN(26))
			}
		}
		want := looksBinaryRef(b)
		require.Equal(t, want, looksBinary(b), "%q", b)
		if want {
			binary++
		}
	}
	require.Greater(t, binary, 5_000, "the cases exercise binary answers, not only text")
}

// utf16OrderRef is utf16Order without its early exit for heads with no
// NUL: the oracle that the exit changes no answer.
func utf16OrderRef(head []byte) (string, bool) {
	n := min(len(head), 512) &^ 1
	if n < 8 {
		return "", false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*10 >= half*7 && even*10 < half:
		return EncUTF16LE, true
	case even*10 >= half*7 && odd*10 < half:
		return EncUTF16BE, true
	}
	return "", false
}

func TestUTF16OrderAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 1))
	found := 0
	for range 50_000 {
		b := make([]byte, rng.IntN(600))
		zeros := rng.IntN(3) // none, some, most at one parity
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
			switch {
			case zeros == 1 && rng.IntN(10) == 0:
				b[i] = 0
			case zeros == 2 && i%2 == 1 && rng.IntN(10) < 9:
				b[i] = 0
			}
		}
		wo, wok := utf16OrderRef(b)
		o, ok := utf16Order(b)
		require.Equal(t, wok, ok, "%q", b)
		require.Equal(t, wo, o)
		if ok {
			found++
		}
	}
	require.Greater(t, found, 1_000, "the cases exercise UTF-16 answers")
}
