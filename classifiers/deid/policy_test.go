package deid_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

var policyEnv = env(map[string]string{
	"PIISCAN_FF1_KEY":    "ff1-key-material-0123456789",
	"PIISCAN_ENC_KEY":    "enc-key-material-0123456789",
	"PIISCAN_HASH_KEY":   "hash-key-material-0123456789",
	"PIISCAN_SEED":       "seed-material-0123456789",
	"PIISCAN_REDACT_KEY": "redact-key-material-0123456789",
	"SHORT":              "too-short",
})

func loadExample(t testing.TB) *deid.Policy {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deid", "policy_example.yaml"))
	require.NoError(t, err)
	p, err := deid.LoadPolicyEnv(bytes.NewReader(b), "policy_example.yaml", policyEnv)
	require.NoError(t, err)
	return p
}

func TestPolicyFor(t *testing.T) {
	t.Parallel()
	p := loadExample(t)
	assert.Equal(t, "policy_example.yaml", p.Name())
	tests := []struct{ dataType, category, want string }{
		{"cn_resident_id", "identity", "ff1"},
		{"bank_card", "financial_account", "encrypt"},
		{"cn_mobile", "contact", "hash"},
		{"email", "contact", "mask"},
		{"hk_id", "identity", "substitute"},
		{"gps_coordinate", "whereabouts", "generalize"},
		{"tw_id", "identity", "redact"},
		{"face_feature", "biometric", "redact"},     // by category
		{"medical_health", "medical_health", "tag"}, // by category
		{"cn_passport", "identity", "mask"},         // the default
		{"employee_no", "identity", "mask"},         // a user rule: the default
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, p.For(tt.dataType, tt.category).Name(), tt.dataType)
	}
	assert.Equal(t, "tag", p.Fallback().Name())
	assert.Empty(t, p.RandomKeys())
}

func TestPolicyApply(t *testing.T) {
	t.Parallel()
	p := loadExample(t)
	apply := func(dataType, category string, kind deid.Kind, v string) (string, string) {
		out, op, err := p.Apply(deid.OpContext{DataType: dataType, Category: category, Kind: kind}, []byte(v))
		require.NoError(t, err)
		return string(out), op
	}
	out, op := apply("cn_resident_id", "identity", deid.KindText, "440104195101058590")
	assert.Equal(t, "ff1", op)
	assert.True(t, valid(t, "gb11643", out), "recompute_check: true")
	out, _ = apply("cn_mobile", "contact", deid.KindText, "138 1234 5678")
	assert.Regexp(t, `^[0-9a-f]{32}$`, out)
	out, _ = apply("email", "contact", deid.KindText, "li.si@example.com")
	assert.Equal(t, "l#.##@example.com", out)
	out, _ = apply("gps_coordinate", "whereabouts", deid.KindText, "39.904200,116.407400")
	assert.Equal(t, "wx4g0b", out)
	out, _ = apply("birth_date", "identity", deid.KindText, "1990-05-17")
	assert.Equal(t, "1990-05", out)
	out, _ = apply("ipv4", "network", deid.KindText, "10.20.30.40")
	assert.Equal(t, "10.20.30.0/24", out)
	// Unsupported → fallback, and the counters name the fallback.
	out, op = apply("cn_mobile", "contact", deid.KindJSONNumber, "13812345678")
	assert.Equal(t, "tag", op)
	assert.Equal(t, "null", out)
	out, op = apply("gps_coordinate", "whereabouts", deid.KindText, "not a place")
	assert.Equal(t, "tag", op)
	assert.Equal(t, "<redacted:gps_coordinate>", out)

	// Decrypt through the policy, for both encrypt entries.
	for _, tc := range []struct{ dataType, v string }{{"bank_card", "6222021234567890128"}, {"iban", "DE89370400440532013000"}} {
		tok, op := apply(tc.dataType, "financial_account", deid.KindText, tc.v)
		assert.Equal(t, "encrypt", op)
		back, err := p.Decrypt([]byte(tok))
		require.NoError(t, err)
		assert.Equal(t, tc.v, string(back))
	}
	_, err := p.Decrypt([]byte("enc:v1:aes-gcm:AAAA"))
	assert.ErrorIs(t, err, deid.ErrToken, "no operator for this algorithm")
	_, err = p.Decrypt([]byte("plain"))
	assert.ErrorIs(t, err, deid.ErrToken)
}

func TestLoadPolicyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"empty", ``, []string{"p.yaml", "empty policy"}},
		{"no version", "types: {}", []string{"version 0, want 1"}},
		{"unknown top-level key", "version: 1\nrules: {}", []string{"p.yaml", "rules"}},
		{"unknown operator", "version: 1\ntypes:\n  cn_mobile: {operator: scramble}", []string{"types.cn_mobile", "line 3", `unknown operator "scramble"`, "mask"}},
		{"missing operator", "version: 1\ntypes:\n  cn_mobile: {keep_first: 3}", []string{"types.cn_mobile", "missing operator"}},
		{"unknown option", "version: 1\ntypes:\n  cn_mobile: {operator: mask, keep_frist: 3}", []string{"types.cn_mobile", `unknown option "keep_frist" for mask`, "keep_first"}},
		{"option of another operator", "version: 1\ncategories:\n  contact: {operator: hash, keep_first: 3}", []string{"categories.contact", `unknown option "keep_first" for hash`}},
		{"inline key", "version: 1\ntypes:\n  iban: {operator: encrypt, key: s3cr3t-value}", []string{"types.iban", "inline key is not allowed", "key_env"}},
		{"unset key variable", "version: 1\ntypes:\n  iban: {operator: ff1, key_env: NOT_SET_ANYWHERE}", []string{"types.iban", "NOT_SET_ANYWHERE", "not set"}},
		{"default key variable unset", "version: 1\ndefault: hash", []string{"default", "PIISCAN_HASH_DEFAULT_UNSET"}},
		{"short key", "version: 1\ntypes:\n  iban: {operator: ff1, key_env: SHORT}", []string{"SHORT", "holds 9 bytes, want at least 16"}},
		{"key in key_env", "version: 1\ntypes:\n  iban: {operator: ff1, key_env: 'k3y/with+chars'}", []string{"must name an environment variable"}},
		{"bad option value", "version: 1\ntypes:\n  ipv4: {operator: generalize, prefix: 12}", []string{"types.ipv4", "prefix 12"}},
		{"bad yaml type", "version: 1\ntypes:\n  x: {operator: mask, keep_first: many}", []string{"types.x", "line 3"}},
		{"fallback that can fail", "version: 1\nfallback: {operator: mask}", []string{"fallback", "must be redact or tag"}},
		{"entry not a mapping", "version: 1\ntypes:\n  x: [mask]", []string{"types.x", "operator name or a mapping"}},
		{"bad algorithm", "version: 1\ntypes:\n  x: {operator: encrypt, algorithm: rot13, key_env: PIISCAN_ENC_KEY}", []string{"types.x", `unknown algorithm "rot13"`}},
		{"syntax", "version: 1\ntypes: {", []string{"p.yaml"}},
		// yaml.v3 quotes the start of a value of the wrong kind, which may
		// be a real one: described instead, with the key a typo means.
		{"value of the wrong kind", "version: 1\ntypes:\n  x: {operator: mask, keep_first: 13812348000x}", []string{"types.x", "line 3", "found a string where a whole number is wanted"}},
		{"version of the wrong kind", "version: 13812348000x", []string{"line 1", "found a string where a whole number is wanted"}},
		{"misspelt top-level key", "version: 1\ntypos:\n  x: mask", []string{"line 2", `unknown key "typos" in the policy (did you mean "types"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := policyEnv
			if tt.name == "default key variable unset" {
				tt.want[1] = deid.DefaultKeyEnv
				e = env(nil)
			}
			_, err := deid.LoadPolicyEnv(strings.NewReader(tt.yaml), "p.yaml", e)
			require.Error(t, err)
			var pe *deid.PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "p.yaml", pe.File)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "s3cr3t-value", "never echo a key")
			assert.NotContains(t, err.Error(), "ff1-key-material", "never echo a key")
			assert.NotContains(t, err.Error(), "1381234", "never quote a value")
			assert.NotContains(t, err.Error(), "deid.", "no Go type names")
		})
	}
}

func TestDefaultPolicyYAMLLoads(t *testing.T) {
	t.Parallel()
	// The shipped default is also a valid user policy (with its key set).
	p, err := deid.LoadPolicyEnv(bytes.NewReader(deid.DefaultPolicyYAML()), "default_policy.yaml", policyEnv)
	require.NoError(t, err)
	assert.Equal(t, "ff1", p.For("cn_resident_id", "identity").Name())
	assert.Equal(t, "redact", p.For("face_feature", "biometric").Name())
	assert.Equal(t, "tag", p.For("employee_no", "identity").Name())
	// Keys name no variable that holds a real secret in tests.
	_, err = deid.LoadPolicyEnv(bytes.NewReader(deid.DefaultPolicyYAML()), "default_policy.yaml", env(nil))
	assert.Error(t, err, "a user policy needs its key")
	assert.ElementsMatch(t, []string{"encrypt", "ff1", "generalize", "hash", "mask", "redact", "substitute", "tag"}, deid.OperatorNames())
}

// FuzzPolicyLoad checks that any input gives a policy or an error, never a
// panic, and that a loaded policy answers For and Apply.
func FuzzPolicyLoad(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deid", "policy_example.yaml")); err == nil {
		f.Add(b)
	}
	f.Add(deid.DefaultPolicyYAML())
	f.Add([]byte("version: 1\ntypes:\n  x: {operator: mask, keep_first: 3}"))
	f.Add([]byte("version: 1\ndefault: {operator: ff1, radix: 36}"))
	f.Add([]byte("version: 1\ncategories: {a: redact, b: tag}\nfallback: tag"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := deid.LoadPolicyEnv(bytes.NewReader(b), "fuzz.yaml", policyEnv)
		if err != nil {
			return
		}
		for _, dt := range []string{"cn_mobile", "x", "face_feature"} {
			op := p.For(dt, "contact")
			if op == nil {
				t.Fatal("For returned nil")
			}
			if _, _, err := p.Apply(deid.OpContext{DataType: dt, Category: "contact"}, []byte("13812345678")); err != nil {
				t.Fatalf("apply: %v", err)
			}
		}
	})
}

// TestPolicyConcurrent applies one policy from several goroutines (run
// with -race).
func TestPolicyConcurrent(t *testing.T) {
	t.Parallel()
	p := loadExample(t)
	d, err := deid.DefaultPolicyEnv(policyEnv)
	require.NoError(t, err)
	values := map[string]string{"cn_resident_id": "440104195101058590", "bank_card": "6222021234567890128",
		"cn_mobile": "13812345678", "hk_id": "A123456(3)", "email": "zhang.san@example.com"}
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 50 {
				for dt, v := range values {
					for _, pol := range []*deid.Policy{p, d} {
						if _, _, err := pol.Apply(deid.OpContext{DataType: dt}, []byte(v)); err != nil {
							t.Error(err)
							return
						}
					}
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
}

func BenchmarkDefaultPolicy(b *testing.B) {
	p, err := deid.DefaultPolicyEnv(policyEnv)
	require.NoError(b, err)
	for _, tc := range []struct{ dataType, v string }{
		{"cn_resident_id", "440104195101058590"},
		{"bank_card", "6222021234567890128"},
		{"cn_mobile", "138 1234 5678"},
		{"email", "zhang.san@example.com"},
	} {
		b.Run("type="+tc.dataType, func(b *testing.B) {
			ctx := deid.OpContext{DataType: tc.dataType}
			b.SetBytes(int64(len(tc.v)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := p.Apply(ctx, []byte(tc.v)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
