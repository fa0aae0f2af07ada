package deid_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

// builtinValues are written forms of every built-in type, with the
// context (a keyword or column) under which the scanner reports them.
var builtinValues = []struct {
	dataType, category, field, prefix string
	values                            []string
	generate                          string // a seed for manyValid
}{
	{"cn_resident_id", "identity", "id_no", "身份证 ", []string{"440104195101058590", "11010519491231002X", "110105 19491231 002X", "110105201801010019"}, "11010519491231002X"},
	{"hk_id", "identity", "hkid", "HKID ", []string{"A123456(3)", "A1234563", "AB987654(3)"}, "A123456(3)"},
	{"tw_id", "identity", "", "身分證 ", []string{"A123456789"}, "A123456789"},
	{"cn_passport", "identity", "passport_no", "护照 ", []string{"E12345678", "G87654321"}, "E12345678"},
	{"cn_mobile", "contact", "mobile", "手机 ", []string{"13812345678", "138 1234 5678", "+86-138-1234-5678", "+8613812345678"}, "13812345678"},
	{"email", "contact", "email", "email ", []string{"zhang.san@example.com", "li@qq.com", "Wei_Wang+tag@163.com"}, "zhang.san@example.com"},
	{"ipv4", "network", "client_ip", "ip ", []string{"10.20.30.40", "202.96.134.133"}, "10.20.30.40"},
	{"bank_card", "financial_account", "card_no", "卡号 ", []string{"6222021234567890128", "4111 1111 1111 1111", "378282246310005"}, "6222021234567890128"},
	{"iban", "financial_account", "iban", "IBAN ", []string{"DE89370400440532013000", "GB82 WEST 1234 5698 7654 32"}, "DE89370400440532013000"},
	{"gps_coordinate", "whereabouts", "", "坐标 ", []string{"39.904200,116.407400", "31.230416, 121.473701"}, "39.904200,116.407400"},
	{"hk_macau_permit", "identity", "", "港澳通行证 ", []string{"C12345678"}, ""},
	{"tw_permit", "identity", "", "台胞证 ", []string{"T12345678"}, ""},
	{"imei", "network", "", "IMEI: ", []string{"490154203237518"}, ""},
	{"cn_address", "contact", "address", "家庭住址：", []string{"北京市朝阳区建国路88号", "广东省深圳市南山区科技南路18号2栋301室"}, ""},
	{"cn_license_plate", "identity", "", "车牌 ", []string{"京A12345"}, ""},
	{"cn_landline", "contact", "", "电话 ", []string{"010-62345678"}, ""},
	{"phone_number", "contact", "", "call ", []string{"+1 415-555-2671"}, ""},
	{"mac_address", "network", "", "mac ", []string{"00:1A:2B:3C:4D:5E"}, ""},
	{"ipv6", "network", "", "client ", []string{"240e:3b0:85a3::8a2e:370:7334"}, ""},
}

// TestDefaultPolicyRescan is the default policy's contract: for every
// built-in type the output differs from the input, contains no original
// value, is not valid for its own type, and a rescan finds nothing at S3
// or S4 where the original was found.
func TestDefaultPolicyRescan(t *testing.T) {
	t.Parallel()
	p, err := deid.DefaultPolicyEnv(env(map[string]string{deid.DefaultKeyEnv: "default-policy-test-key-0123456789"}))
	require.NoError(t, err)
	assert.Empty(t, p.RandomKeys())
	sc := newScanner(t)
	for _, tt := range builtinValues {
		t.Run(tt.dataType, func(t *testing.T) {
			values := tt.values
			if tt.generate != "" && !testing.Short() {
				values = append(values, manyValid(t, tt.dataType, tt.generate, 300)...)
			}
			for _, v := range values {
				before := sc.scan(t, tt.prefix+v, tt.field)
				require.Containsf(t, types(before), tt.dataType, "precondition: the scanner finds the original %q", v)
				ctx := deid.OpContext{DataType: tt.dataType, Category: tt.category}
				out, op, err := p.Apply(ctx, []byte(v))
				require.NoError(t, err)
				assert.NotEqual(t, v, string(out))
				canon := deid.Canonical(tt.dataType, []byte(v))
				if len(canon) > 0 {
					assert.Falsef(t, bytes.Contains(deid.Canonical(tt.dataType, out), canon), "%s keeps the value %q: %q", op, v, out)
				}
				for _, m := range sc.scan(t, tt.prefix+string(out), tt.field) {
					assert.NotEqualf(t, tt.dataType, m.DataType, "%s output %q of %q is still a %s", op, out, v, tt.dataType)
					assert.NotContainsf(t, []string{"S3", "S4"}, m.Level, "%s output %q of %q is found as %s %s", op, out, v, m.DataType, m.Level)
				}
			}
		})
	}
}

func types(fs []found) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.DataType
	}
	return out
}

// TestDefaultPolicyWholeValues checks that category-level types are
// removed whole and stay type-valid in JSON slots.
func TestDefaultPolicyWholeValues(t *testing.T) {
	t.Parallel()
	p, err := deid.DefaultPolicyEnv(env(nil))
	require.NoError(t, err)
	assert.Equal(t, []string{deid.DefaultKeyEnv}, p.RandomKeys(), "an unset key becomes a random per-run key")
	tests := []struct {
		dataType, category string
		kind               deid.Kind
		in, want           string
	}{
		{"face_feature", "biometric", deid.KindJSONArray, "[0.12,-0.5,0.33]", "[]"},
		{"face_feature", "biometric", deid.KindJSONString, "AAECAwQF", ""},
		{"fingerprint_template", "biometric", deid.KindText, "Rk1SACAyMAA=", ""},
		{"religious_belief", "religious_belief", deid.KindJSONString, "佛教", ""},
		{"medical_health", "medical_health", deid.KindJSONObject, `{"icd10":"E11"}`, "{}"},
		{"medical_health", "medical_health", deid.KindJSONNumber, "250", "null"},
		{"specific_identity", "specific_identity", deid.KindJSONBool, "true", "null"},
		{"employee_no", "identity", deid.KindText, "EMP-123456", "<employee_no>"},
		{"employee_no", "identity", deid.KindJSONNumber, "123456", "null"},
		{"location_trace", "whereabouts", deid.KindText, "whatever", ""},
	}
	for _, tt := range tests {
		out, _, err := p.Apply(deid.OpContext{DataType: tt.dataType, Category: tt.category, Kind: tt.kind}, []byte(tt.in))
		require.NoError(t, err)
		assert.Equal(t, tt.want, string(out), "%s in a %s", tt.dataType, tt.kind)
	}
	// A mobile stored as a JSON number cannot be masked: the fallback
	// removes it and the counters say so.
	out, op, err := p.Apply(deid.OpContext{DataType: "cn_mobile", Category: "contact", Kind: deid.KindJSONNumber}, []byte("13812345678"))
	require.NoError(t, err)
	assert.Equal(t, "null", string(out))
	assert.Equal(t, "redact", op)
	// A resident ID as a JSON number stays a number under FF1.
	out, op, err = p.Apply(deid.OpContext{DataType: "bank_card", Category: "financial_account", Kind: deid.KindJSONNumber}, []byte("6222021234567890128"))
	require.NoError(t, err)
	assert.Equal(t, "ff1", op)
	assert.Regexp(t, `^[1-9][0-9]{18}$`, string(out))
}
