package redact

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

// Synthetic values that pass their checks (rule examples).
const (
	rawID     = "440104195101058590"
	rawMobile = "13812348000"
	rawEmail  = "zhang.san@example.com"
	rawCard   = "6222021234567894"
	rawIP     = "58.22.113.7"
)

// opFiles holds the values in text, CSV and JSON Lines (string values).
func opFiles() map[string][]byte {
	return map[string][]byte{
		"a/notes.txt": []byte("客户身份证号：" + rawID + "，手机：" + rawMobile + "，邮箱 " + rawEmail + "。\n" +
			"card no " + rawCard + " from 登录IP:" + rawIP + "\n"),
		"b/customers.csv": []byte("name,id_no,mobile,email\n" + "张三," + rawID + "," + rawMobile + "," + rawEmail + "\n"),
		"c/events.jsonl":  []byte(`{"id_no":"` + rawID + `","mobile":"` + rawMobile + `","email":"` + rawEmail + `"}` + "\n"),
	}
}

// allText returns the outputs of opFiles joined.
func allText(t *testing.T, dst string) string {
	return string(readFile(t, dst, "a/notes.txt")) + string(readFile(t, dst, "b/customers.csv")) +
		string(readFile(t, dst, "c/events.jsonl"))
}

// TestRedactOperators exercises every operator through redact with a
// policy file: what the copy holds instead of each raw value.
func TestRedactOperators(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy string
		check  func(t *testing.T, out string, tally *Tally)
	}{
		{
			name: "mask",
			policy: `version: 1
types:
  cn_mobile: {operator: mask, keep_first: 3, keep_last: 4}
  email: {operator: mask, before: "@", keep_first: 1, char: "#"}
  cn_resident_id: {operator: mask, keep_first: 6, keep_last: 4, char: "#"}`,
			check: func(t *testing.T, out string, tally *Tally) {
				assert.Contains(t, out, "138****8000")
				assert.Contains(t, out, "z####.###@example.com")
				assert.Contains(t, out, "440104########8590")
				assert.Equal(t, int64(9), tally.ByDataTypeOperator["cn_mobile"]["mask"]+tally.ByDataTypeOperator["email"]["mask"]+tally.ByDataTypeOperator["cn_resident_id"]["mask"])
			},
		},
		{
			name: "hash hmac-sha256 equals the findings' fingerprint",
			policy: `version: 1
default: {operator: hash, key_env: TEST_HMAC}`,
			check: func(t *testing.T, out string, _ *Tally) {
				assert.Equal(t, 3, strings.Count(out, fingerprint(rawID)), "the same pseudonym in every file")
				assert.Equal(t, 3, strings.Count(out, fingerprint(rawMobile)))
			},
		},
		{
			name: "hash sm3 truncated",
			policy: `version: 1
default: {operator: hash, algorithm: sm3, key_env: TEST_SEED, length: 16}`,
			check: func(t *testing.T, out string, tally *Tally) {
				ids := regexp.MustCompile(`[0-9a-f]{16}`).FindAllString(out, -1)
				require.NotEmpty(t, ids)
				assert.NotContains(t, out, fingerprint(rawID)[:16])
				assert.Equal(t, tally.Values, tally.ByOperator["hash"])
			},
		},
		{
			name: "ff1 keeps the shape with a wrong check character",
			policy: `version: 1
types:
  cn_resident_id: {operator: ff1, key_env: TEST_SEED}
  bank_card: {operator: ff1, key_env: TEST_SEED}`,
			check: func(t *testing.T, out string, tally *Tally) {
				tok := regexp.MustCompile(`身份证号：(\d{17}[\dX])`).FindStringSubmatch(out)
				require.Len(t, tok, 2)
				assert.NotEqual(t, rawID, tok[1])
				assert.True(t, strings.HasPrefix(tok[1], "44") && tok[1][6:10] == "1951", "province and birth year kept: %s", tok[1])
				assert.Empty(t, tally.Redetectable, "not valid identifiers")
			},
		},
		{
			name: "ff1 with recompute_check makes valid identifiers that a rescan reports",
			policy: `version: 1
types:
  cn_resident_id: {operator: ff1, key_env: TEST_SEED, recompute_check: true}`,
			check: func(t *testing.T, _ string, tally *Tally) {
				assert.Equal(t, int64(3), tally.Redetectable["cn_resident_id"])
			},
		},
		{
			name: "generalize",
			policy: `version: 1
types:
  ipv4: {operator: generalize, prefix: 24, style: cidr}
  cn_mobile: {operator: generalize, as: age}`,
			check: func(t *testing.T, out string, tally *Tally) {
				assert.Contains(t, out, "58.22.113.0/24")
				assert.Equal(t, int64(1), tally.ByDataTypeOperator["ipv4"]["generalize"])
				// A mobile is no age: the fallback removes it.
				assert.Equal(t, int64(3), tally.ByDataTypeOperator["cn_mobile"]["redact"])
			},
		},
		{
			name: "substitute is consistent per value across files",
			policy: `version: 1
types:
  cn_mobile: {operator: substitute, key_env: TEST_SEED}`,
			check: func(t *testing.T, out string, tally *Tally) {
				fakes := regexp.MustCompile(`1[3-9]\d{9}`).FindAllString(out, -1)
				var mobiles []string
				for _, f := range fakes {
					if !strings.Contains(rawID+rawCard, f) {
						mobiles = append(mobiles, f)
					}
				}
				require.Len(t, mobiles, 3)
				assert.Equal(t, mobiles[0], mobiles[1])
				assert.Equal(t, mobiles[0], mobiles[2])
				assert.NotEqual(t, rawMobile, mobiles[0])
				assert.Equal(t, int64(3), tally.Redetectable["cn_mobile"], "fakes are valid numbers")
			},
		},
		{
			name: "redact",
			policy: `version: 1
default: redact`,
			check: func(t *testing.T, out string, _ *Tally) {
				assert.Contains(t, out, "\n,,,\n", "the name is a person_name too")
				assert.Contains(t, out, `{"id_no":"","mobile":"","email":""}`)
			},
		},
		{
			name: "tag",
			policy: `version: 1
default: tag
types:
  email: {operator: tag, format: "[{category}]"}`,
			check: func(t *testing.T, out string, _ *Tally) {
				assert.Contains(t, out, "<cn_resident_id>")
				assert.Contains(t, out, `"mobile":"<cn_mobile>"`)
				assert.Contains(t, out, "[contact]")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst, tally := redactFiles(t, Config{Policy: policy(t, tt.policy)}, opFiles())
			assert.Equal(t, int64(3), tally.ByStatus[string(StatusRewritten)])
			out := allText(t, dst)
			for _, raw := range []string{rawID, rawMobile, rawEmail} {
				assert.NotContains(t, out, raw)
			}
			tt.check(t, out, tally)
		})
	}
}

// TestRedactEncryptDecryptRoundTrip encrypts every value and decrypts the
// copy: the original files come back byte for byte.
func TestRedactEncryptDecryptRoundTrip(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{deid.AlgAESSIV, deid.AlgSM4GCMSIV, deid.AlgAESGCM, deid.AlgSM4GCM} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			p := policy(t, "version: 1\ndefault: {operator: encrypt, algorithm: "+alg+", key_env: TEST_ENC_KEY}\n")
			files := opFiles()
			files["d/doc.json"] = []byte("{\n  \"patients\": [\n    {\"id_no\": \"" + rawID + "\", \"email\": \"" + rawEmail + "\"}\n  ]\n}\n")
			dst, tally := redactFiles(t, Config{Policy: p}, files)
			out := allText(t, dst)
			assert.Contains(t, out, deid.TokenPrefix+alg+":")
			for _, raw := range []string{rawID, rawMobile, rawEmail} {
				assert.NotContains(t, out, raw)
			}
			assert.Equal(t, tally.Values, tally.ByOperator["encrypt"])

			src, err := newDirSource(dst)
			require.NoError(t, err)
			back, dtally := redactSource(t, Config{Policy: p, Decrypt: true}, src)
			assert.Equal(t, tally.Values, dtally.Values, "every token decrypted")
			assert.Zero(t, dtally.TokensFailed)
			for name, want := range files {
				assert.Equal(t, string(want), string(readFile(t, back, name)), name)
			}

			// Without the key nothing is decrypted and the tokens stay.
			other := policy(t, "version: 1\ndefault: {operator: encrypt, algorithm: "+alg+", key_env: TEST_HMAC}\n")
			src, err = newDirSource(dst)
			require.NoError(t, err)
			kept, ktally := redactSource(t, Config{Policy: other, Decrypt: true}, src)
			assert.Equal(t, tally.Values, ktally.TokensFailed)
			assert.Equal(t, out, allText(t, kept))
		})
	}
}

// TestRedactDefaultPolicyTypes checks the default policy on the values
// of opFiles: nothing the rescan reports at S3 or S4 remains.
func TestRedactDefaultPolicyTypes(t *testing.T) {
	t.Parallel()
	dst, tally := redactFiles(t, Config{}, opFiles())
	assert.Equal(t, map[string]int64{"ff1": 4, "mask": 7, "generalize": 1}, tally.ByOperator)
	for _, f := range rescan(t, dst) {
		assert.NotContains(t, []string{"S3", "S4"}, f.Sensitivity, f.DataType)
	}
}
