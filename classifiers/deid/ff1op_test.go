package deid_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

var ff1Key = []byte("ff1-operator-test-key-0123456789")

func newFF1(t testing.TB, cfg deid.FF1Config, key []byte) *deid.FF1 {
	t.Helper()
	f, err := deid.NewFF1(cfg, key)
	require.NoError(t, err)
	return f
}

// shapeOf replaces letters and digits by #, leaving the frame.
func shapeOf(s string) string {
	return regexp.MustCompile(`[0-9A-Za-z]`).ReplaceAllString(s, "#")
}

// ff1Cases are values per type with the validator that accepts them and
// what the token must keep.
var ff1Cases = []struct {
	dataType, validator string
	values              []string
	keep                func(in, out string) bool
}{
	{"cn_resident_id", "gb11643", []string{"440104195101058590", "11010519491231002X", "110105 19491231 002X", "110105200002290013", "440104201212311235"},
		func(in, out string) bool {
			return in[:2] == out[:2] && strings.ReplaceAll(in, " ", "")[6:10] == strings.ReplaceAll(out, " ", "")[6:10]
		}},
	{"bank_card", "bank_card", []string{"6222021234567890128", "4111 1111 1111 1111", "378282246310005", "6228-4800-1234-5671"},
		func(in, out string) bool { return in[:6] == out[:6] }},
	{"iban", "iban_mod97", []string{"DE89370400440532013000", "GB82 WEST 1234 5698 7654 32", "NL91ABNA0417164300"},
		func(in, out string) bool {
			return in[:2] == out[:2] && strings.Contains(out, "WEST") == strings.Contains(in, "WEST")
		}},
	{"hk_id", "hkid", []string{"A123456(3)", "A1234563", "AB987654(3)"},
		func(in, out string) bool {
			return strings.TrimRight(in, "0123456789()A") == strings.TrimRight(out, "0123456789()A")
		}},
	{"tw_id", "tw_id", []string{"A123456789", "F131104093"},
		func(in, out string) bool { return in[:2] == out[:2] }},
}

func TestFF1CheckDigits(t *testing.T) {
	t.Parallel()
	plain := newFF1(t, deid.FF1Config{}, ff1Key)
	recomp := newFF1(t, deid.FF1Config{RecomputeCheck: true}, ff1Key)
	for _, tc := range ff1Cases {
		t.Run(tc.dataType, func(t *testing.T) {
			ctx := deid.OpContext{DataType: tc.dataType}
			values := append(append([]string{}, tc.values...), manyValid(t, tc.dataType, tc.values[0], 200)...)
			for _, v := range values {
				require.Truef(t, valid(t, tc.validator, v), "precondition: %s is valid", v)
				for _, op := range []*deid.FF1{plain, recomp} {
					out, err := op.Apply(ctx, []byte(v))
					require.NoError(t, err)
					assert.NotEqual(t, v, string(out))
					assert.Equal(t, shapeOf(v), shapeOf(string(out)), "separators and shape kept")
					assert.Truef(t, tc.keep(v, string(out)), "kept parts of %s in %s", v, out)
					back, err := op.Reverse(ctx, out)
					require.NoError(t, err)
					assert.Equal(t, v, string(back), "round trip")
				}
				bad, _ := plain.Apply(ctx, []byte(v))
				assert.Falsef(t, valid(t, tc.validator, string(bad)), "%s: token %s must fail %s", v, bad, tc.validator)
				good, _ := recomp.Apply(ctx, []byte(v))
				assert.Truef(t, valid(t, tc.validator, string(good)), "%s: recomputed token %s must pass %s", v, good, tc.validator)
			}
		})
	}
}

func TestFF1ResidentIDDate(t *testing.T) {
	t.Parallel()
	op := newFF1(t, deid.FF1Config{RecomputeCheck: true}, ff1Key)
	ctx := deid.OpContext{DataType: "cn_resident_id"}
	for _, v := range manyValid(t, "cn_resident_id", "11010519491231002X", 300) {
		out, err := op.Apply(ctx, []byte(v))
		require.NoError(t, err)
		born, err := time.Parse("20060102", string(out[6:14]))
		require.NoError(t, err, "the birth date stays a real date")
		assert.Equal(t, v[6:10], born.Format("2006"), "in the same year")
	}
}

func TestFF1Operator(t *testing.T) {
	t.Parallel()
	op := newFF1(t, deid.FF1Config{}, ff1Key)
	other := newFF1(t, deid.FF1Config{}, []byte("a-different-key-material"))
	tweaked := newFF1(t, deid.FF1Config{Tweak: "tenant-42"}, ff1Key)
	tests := []struct {
		dataType string
		kind     deid.Kind
		in       string
		want     string // regexp the token matches
	}{
		{"cn_mobile", deid.KindText, "13812345678", `^138\d{8}$`},
		{"cn_mobile", deid.KindText, "+86-138-1234-5678", `^\+86-138-\d{4}-\d{4}$`},
		{"cn_mobile", deid.KindText, "138 1234 5678", `^138 \d{4} \d{4}$`},
		{"cn_passport", deid.KindText, "E12345678", `^E\d{8}$`},
		{"email", deid.KindText, "zhang.san@example.com", `^[a-z0-9]{5}\.[a-z0-9]{3}@example\.com$`},
		{"ipv4", deid.KindText, "10.20.30.40", `^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`},
		{"employee_no", deid.KindText, "EMP-123456", `^EMP-\d{6}$`},
		{"order_id", deid.KindText, "Ab12Cd34Ef", `^[0-9A-Za-z]{10}$`},
		{"account_no", deid.KindJSONNumber, "1234567890", `^[1-9]\d{9}$`},
		{"amount", deid.KindJSONNumber, "-12345.678", `^-[1-9]\d{4}\.\d{3}$`},
		{"bank_card", deid.KindJSONNumber, "6222021234567890128", `^622202\d{13}$`},
		{"cn_resident_id", deid.KindJSONNumber, "440104195101058590", `^44\d{16}$`},
	}
	for _, tt := range tests {
		ctx := deid.OpContext{DataType: tt.dataType, Kind: tt.kind}
		out, err := op.Apply(ctx, []byte(tt.in))
		require.NoError(t, err, tt.in)
		assert.Regexp(t, tt.want, string(out), tt.in)
		assert.NotEqual(t, tt.in, string(out))
		again, _ := op.Apply(ctx, []byte(tt.in))
		assert.Equal(t, out, again, "deterministic")
		o, _ := other.Apply(ctx, []byte(tt.in))
		assert.NotEqual(t, out, o, "another key")
		tw, _ := tweaked.Apply(ctx, []byte(tt.in))
		assert.NotEqual(t, out, tw, "another tweak")
		back, err := op.Reverse(ctx, out)
		require.NoError(t, err)
		if tt.dataType == "email" {
			assert.Equal(t, strings.ToLower(tt.in), string(back))
		} else {
			assert.Equal(t, tt.in, string(back))
		}
	}
	// The same digits as two types give two tokens (the tweak holds the type).
	a, _ := op.Apply(deid.OpContext{DataType: "x"}, []byte("1234567890"))
	b, _ := op.Apply(deid.OpContext{DataType: "y"}, []byte("1234567890"))
	assert.NotEqual(t, a, b)
}

func TestFF1Unsupported(t *testing.T) {
	t.Parallel()
	op := newFF1(t, deid.FF1Config{}, ff1Key)
	for _, tt := range []struct{ dataType, in string }{
		{"gps_coordinate", "39.904200,116.407400"},
		{"email", "li@qq.com"},                   // 2 characters: below 10^6
		{"employee_no", "12345"},                 // 5 digits
		{"cn_resident_id", "440104195113058590"}, // month 13
		{"bank_card", "4111"},
		{"iban", "DE89"},
		{"hk_id", "A12(3)"},
		{"tw_id", "A12345"},
		{"ipv4", "300.1.2.3"},
	} {
		_, err := op.Apply(deid.OpContext{DataType: tt.dataType}, []byte(tt.in))
		assert.ErrorIs(t, err, deid.ErrUnsupported, tt.in)
		assert.NotContains(t, err.Error(), tt.in, "no value in error text")
	}
	_, err := op.Apply(deid.OpContext{DataType: "cn_mobile", Kind: deid.KindJSONArray}, []byte("13812345678"))
	assert.ErrorIs(t, err, deid.ErrUnsupported)
	_, err = deid.NewFF1(deid.FF1Config{Radix: 16}, ff1Key)
	assert.Error(t, err)
	_, err = deid.NewFF1(deid.FF1Config{}, []byte("short"))
	assert.Error(t, err)
}
