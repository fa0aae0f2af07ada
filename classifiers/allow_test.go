package classifiers

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/piiscan/piiscan/rules"
)

// TestAllowListCanonical: allow-list entries are written the way people
// write values; each is compared in the canonical form of the rule that
// matched, so case, spaces and country codes do not make it ineffective.
func TestAllowListCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, entry, text, dataType string
	}{
		{"resident id lower-case x", "11010519491231002x", "id no 11010519491231002X", "cn_resident_id"},
		{"resident id with spaces", "110105 19491231 002X", "id no 11010519491231002X", "cn_resident_id"},
		{"email mixed case", "Zhang.San@Example.com", "邮箱 zhang.san@example.com", "email"},
		{"mobile with spaces", "138 1234 8000", "手机：13812348000", "cn_mobile"},
		{"mobile with country code", "+86 138-1234-8000", "手机：13812348000", "cn_mobile"},
		{"card in groups", "4111-1111-1111-1111", "card: 4111111111111111", "bank_card"},
		{"iban grouped lower", "de89 3704 0044 0532 0130 00", "IBAN DE89370400440532013000", "iban"},
		{"hkid with parentheses", "A123456(3)", "HKID A1234563", "hk_id"},
		{"landline with area code apart", "010 6234 5678", "电话 010-62345678", "cn_landline"},
		{"international phone", "+44 (20) 7946-0958", "call +44 20 7946 0958", "phone_number"},
		{"ipv4 leading zeros", "192.168.010.024", "client 192.168.10.24 connected", "ipv4"},
		{"mac dashes upper", "00-1A-2B-3C-4D-5E", "mac 00:1a:2b:3c:4d:5e", "mac_address"},
		{"ipv6 expanded", "240e:03b0:85a3:0000:0000:8a2e:0370:7334", "client 240e:3b0:85a3::8a2e:370:7334", "ipv6"},
		{"gps short", "39.9042, 116.4074", "位置 39.904200,116.407400", "gps_coordinate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := builtinEngine(t)
			require.Contains(t, scanString(t, e, tt.text).types(), tt.dataType, "precondition: found without an allow list")

			packs := map[string]string{
				"pack list": "allow: [" + quote(tt.entry) + "]\nrules: []\n",
				"rule list": ruleAllowPack(t, tt.dataType, tt.entry),
			}
			for where, pack := range packs {
				p, err := rules.Load(strings.NewReader(pack), "allow.yaml")
				require.NoError(t, err)
				e := builtinEngine(t, p)
				assert.NotContains(t, scanString(t, e, tt.text).types(), tt.dataType, where)
			}
			// The restated rule without the entry still finds the value.
			p, err := rules.Load(strings.NewReader(ruleAllowPack(t, tt.dataType, "")), "allow.yaml")
			require.NoError(t, err)
			assert.Contains(t, scanString(t, builtinEngine(t, p), tt.text).types(), tt.dataType)
		})
	}
}

// TestCanonicalKeepsOtherShapes: an entry that cannot be in a rule's form
// is kept as written, so an order number never allows a phone number made
// of its digits.
func TestCanonicalKeepsOtherShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		kind canonKind
		in   string
		want string
	}{
		{"letters are not a mobile", canonMobile, "ORDER-13812348000", "ORDER-13812348000"},
		{"letters are not a card", canonDigits, "EMP-4111111111111111", "EMP-4111111111111111"},
		{"user pattern text", canonText, " EMP-000000 ", "EMP-000000"},
		{"not an address", canonIPv4, "10.1.2", "10.1.2"},
		{"not a mac", canonMAC, "00:1A:2B", "00:1a:2b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, canonical(tt.kind, tt.in))
		})
	}
}

func quote(s string) string { return `"` + s + `"` }

// ruleAllowPack restates a built-in rule, with one allow-list entry unless
// entry is empty.
func ruleAllowPack(t *testing.T, id, entry string) string {
	t.Helper()
	b, err := rules.Builtin()
	require.NoError(t, err)
	for _, r := range b.Rules {
		if r.ID == id {
			if entry != "" {
				r.Allow = []string{entry}
			}
			out, err := yaml.Marshal(rules.Pack{Rules: []rules.Rule{r}})
			require.NoError(t, err)
			return string(out)
		}
	}
	t.Fatalf("no built-in rule %s", id)
	return ""
}
