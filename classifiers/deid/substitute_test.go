package deid_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

func TestSubstitute(t *testing.T) {
	t.Parallel()
	s, err := deid.NewSubstitute(deid.SubstituteConfig{}, []byte("substitute-seed-0123456789"))
	require.NoError(t, err)
	other, err := deid.NewSubstitute(deid.SubstituteConfig{}, []byte("another-seed-9876543210"))
	require.NoError(t, err)
	tests := []struct {
		dataType, in string
		validator    string // a classifiers validator the fake passes
		shape        string // a regexp of the fake
	}{
		{"cn_resident_id", "440104195101058590", "gb11643", `^\d{17}[\dX]$`},
		{"cn_resident_id", "110105 19491231 002X", "gb11643", `^\d{6} \d{8} \d{3}[\dX]$`},
		{"cn_mobile", "13812345678", "cn_mobile", `^1\d{10}$`},
		{"cn_mobile", "+86-138-1234-5678", "", `^\+86-1\d{2}-\d{4}-\d{4}$`},
		{"bank_card", "6222021234567890128", "bank_card", `^622202\d{13}$`},
		{"bank_card", "4111 1111 1111 1111", "bank_card", `^4111 11\d{2} \d{4} \d{4}$`},
		{"iban", "DE89370400440532013000", "iban_mod97", `^DE\d{20}$`},
		{"iban", "GB82 WEST 1234 5698 7654 32", "iban_mod97", `^GB\d{2} WEST \d{4} \d{4} \d{4} \d{2}$`},
		{"hk_id", "A123456(3)", "hkid", `^[A-Z]\d{6}\([\dA]\)$`},
		{"hk_id", "AB987654(3)", "hkid", `^[A-Z]{2}\d{6}\([\dA]\)$`},
		{"tw_id", "A123456789", "tw_id", `^[A-Z]1\d{8}$`},
		{"tw_id", "B287654321", "tw_id", `^[A-Z]2\d{8}$`},
		{"cn_passport", "E12345678", "", `^E[1-9]\d{7}$`},
		{"email", "zhang.san@qq.com", "", `^[a-z._]+\d{0,4}@example\.(com|net|org)$`},
		{"ipv4", "10.20.30.40", "", `^10\.\d+\.\d+\.\d+$`},
		{"ipv4", "192.168.1.20", "", `^192\.168\.\d+\.\d+$`},
		{"ipv4", "202.96.134.133", "", `^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+$`},
		{"gps_coordinate", "39.904200,116.407400", "", `^\d{2}\.\d{6},\d{2,3}\.\d{6}$`},
		{"gps_coordinate", "(40.7128, -74.0060)", "", `^\(-?\d{1,2}\.\d{4}, -?\d{1,3}\.\d{4}\)$`},
	}
	for _, tt := range tests {
		t.Run(tt.dataType+"/"+tt.in, func(t *testing.T) {
			ctx := deid.OpContext{DataType: tt.dataType}
			out, err := s.Apply(ctx, []byte(tt.in))
			require.NoError(t, err)
			assert.NotEqual(t, tt.in, string(out))
			assert.Regexp(t, regexp.MustCompile(tt.shape), string(out))
			if tt.validator != "" {
				assert.Truef(t, valid(t, tt.validator, string(out)), "fake %s passes %s", out, tt.validator)
			}
			again, err := s.Apply(ctx, []byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, out, again, "consistent per value")
			o, err := other.Apply(ctx, []byte(tt.in))
			require.NoError(t, err)
			assert.NotEqual(t, out, o, "another seed, another fake")
		})
	}
}

func TestSubstituteProperties(t *testing.T) {
	t.Parallel()
	s, err := deid.NewSubstitute(deid.SubstituteConfig{KeepDomain: true}, []byte("substitute-seed-0123456789"))
	require.NoError(t, err)
	// Written forms of one value get one fake (the seed is the canonical value).
	ctx := deid.OpContext{DataType: "cn_mobile"}
	a, _ := s.Apply(ctx, []byte("13812345678"))
	b, _ := s.Apply(ctx, []byte("138 1234 5678"))
	assert.Equal(t, string(a), regexp.MustCompile(` `).ReplaceAllString(string(b), ""))
	// Resident IDs keep the gender parity, are adults, and pass the check.
	for _, v := range manyValid(t, "cn_resident_id", "11010519491231002X", 200) {
		out, err := s.Apply(deid.OpContext{DataType: "cn_resident_id"}, []byte(v))
		require.NoError(t, err)
		assert.Equal(t, (v[16]-'0')%2, (out[16]-'0')%2, "gender digit parity")
		assert.True(t, valid(t, "gb11643", string(out)))
		assert.LessOrEqual(t, string(out[6:14]), "20051231", "no minors")
	}
	out, err := s.Apply(deid.OpContext{DataType: "email"}, []byte("Zhang.San@Corp.CN"))
	require.NoError(t, err)
	assert.Regexp(t, `@corp\.cn$`, string(out), "keep_domain")
	out, err = s.Apply(deid.OpContext{DataType: "bank_card", Kind: deid.KindJSONNumber}, []byte("6222021234567890128"))
	require.NoError(t, err)
	assert.Regexp(t, `^622202\d{13}$`, string(out))
	for _, tt := range []struct{ dataType, in string }{
		{"person_name", "张三"},
		{"cn_resident_id", "12345"},
		{"ipv4", "1.2.3"},
		{"gps_coordinate", "north"},
		{"hk_id", "A12"},
	} {
		_, err := s.Apply(deid.OpContext{DataType: tt.dataType}, []byte(tt.in))
		assert.ErrorIs(t, err, deid.ErrUnsupported, tt.in)
	}
	_, err = deid.NewSubstitute(deid.SubstituteConfig{}, []byte("short"))
	assert.Error(t, err)
}
