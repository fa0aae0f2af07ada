package classifiers

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFieldWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want []string
	}{
		{"patientIdNo", []string{"patient", "id", "no"}},
		{"ID_No", []string{"id", "no"}},
		{"IDNo", []string{"id", "no"}},
		{"$.user[3].手机号", []string{"user", "3", "手机号"}},
		{"gps-lat", []string{"gps", "lat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, fieldWords(tt.name))
		})
	}
}

// TestFieldHints: column names hint types by whole words, so "zip" is not
// "ip" and "product_name" is not a person's name.
func TestFieldHints(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	hinted := func(field, rule string) bool {
		f := e.Field(field)
		for _, ri := range e.rules {
			if ri.rule.ID == rule {
				return f.hints.has(ri.idx)
			}
		}
		t.Fatalf("no rule %s", rule)
		return false
	}
	tests := []struct {
		field, rule string
		want        bool
	}{
		{"client_ip", "ipv4", true},
		{"zip", "ipv4", false},
		{"身份证号码", "cn_resident_id", true},
		{"patient_id_no", "cn_resident_id", true},
		{"idcardno", "cn_resident_id", true},
		{"order_id", "cn_resident_id", false},
		{"mobilePhone", "cn_mobile", true},
		{"automobile", "cn_mobile", false},
	}
	for _, tt := range tests {
		t.Run(tt.field+"/"+tt.rule, func(t *testing.T) {
			assert.Equal(t, tt.want, hinted(tt.field, tt.rule))
		})
	}
	names := map[string]bool{"customer_name": true, "姓名": true, "product_name": false, "file_name": false,
		// Nested columns of Parquet and Avro, and JSON paths: the last key.
		"emergency_contact.name": false, "emergency_contact.contact_name": true, "$.guardian.full_name": true,
		"contact.product_name": false}
	for field, want := range names {
		f := e.Field(field)
		got := false
		for _, ri := range f.valueRules {
			if ri.detector == "person_name" && !f.weakName {
				got = true
			}
		}
		assert.Equal(t, want, got, field)
	}
}

// TestFieldKinds: the last key of a nested path decides a record kind.
func TestFieldKinds(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	for name, want := range map[string]fieldKind{
		"birth_date": kindBirthDate, "patient.birth_date": kindBirthDate, "$.patient.dob": kindBirthDate,
		"visits[*].lat": kindLatitude, "trail.lng": kindLongitude, "$.birth.place": kindNone,
		"device.device_id": kindSubject,
	} {
		assert.Equal(t, want, e.Field(name).kind, name)
	}
}

// TestFieldKeys: the field of an object's keys keeps the path's name and
// hints but judges nothing by the name alone.
func TestFieldKeys(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	for _, name := range []string{"$.diagnosis", "$.patient.birth_date", "$.face_embedding", "$.customer_name", "$.phone_index"} {
		f := e.Field(name)
		k := f.Keys()
		assert.Equal(t, f.Name, k.Name, name)
		assert.Equal(t, f.hints, k.hints, name)
		assert.Empty(t, k.valueRules, name)
		assert.False(t, k.weakName || k.namePart, name)
		assert.Equal(t, kindNone, k.kind, name)
	}
	assert.NotEmpty(t, e.Field("$.diagnosis").valueRules, "the path itself keeps its rules")
	assert.Nil(t, (*Field)(nil).Keys())
}

// TestKeywordContext: keywords and negative labels in text and records.
func TestKeywordContext(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		name string
		scan func() *collector
		want []string
	}{
		{"negative label before", func() *collector { return scanString(t, e, "订单号 13812348000") }, nil},
		{"negative label after does not count", func() *collector { return scanString(t, e, "13812348000 订单已发货") }, []string{"cn_mobile"}},
		{"negative in another column does not count", func() *collector {
			return scanTable(t, e, []string{"sku", "phone"}, [][]string{{"SKU-000050", "13900000050"}})
		}, []string{"cn_mobile"}},
		{"negative in the same value counts", func() *collector {
			return scanTable(t, e, []string{"note"}, [][]string{{"SKU 13900000050"}})
		}, nil},
		{"ascii keyword needs a word start", func() *collector { return scanString(t, e, "nopassport E12345678") }, nil},
		{"passport keyword", func() *collector { return scanString(t, e, "passport: E12345678") }, []string{"cn_passport"}},
		{"passport column", func() *collector {
			return scanTable(t, e, []string{"护照号"}, [][]string{{"E12345678"}})
		}, []string{"cn_passport"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.scan().types())
		})
	}
}

func TestSafeName(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "手机号", SafeName("手机号"))
	assert.Equal(t, "$.users.<redacted>.name", SafeName("$.users.13812348000.name"))
	assert.Equal(t, "<redacted>", SafeName("zhang@example.com"))
	assert.Equal(t, "col_2024", SafeName("col_2024"))
	// Numbers written in groups, as people write phone and ID numbers.
	for name, want := range map[string]string{
		"$.users.138 1234 8000.phone":  "$.users.<redacted>.phone",
		"$.u.138-1234-8000.n":          "$.u.<redacted>.n",
		"$.1101 0519 4912 3100 2X":     "$.<redacted>",
		"1101-0519-4912-3100-2x.note":  "<redacted>.note",
		"tel 138 1234 8000 (home)":     "tel <redacted> (home)",
		"+86 138 1234 8000":            "+<redacted>",
		"sales 2026-11-24":             "sales 2026-11-24",
		"24-11-2026 total":             "24-11-2026 total",
		"q1 2025 2026":                 "q1 2025 2026",
		"tel 555-1234":                 "tel <redacted>",
		"v1.2.3-4":                     "v1.2.3-4",
		"room 12-34":                   "room 12-34",
		"6222 0202 0011 2233 445 card": "<redacted> card",
		// Full-width digits, as an IME's full-width mode types them.
		"$.users.１３８１２３４８０００.name": "$.users.<redacted>.name",
		"电话 １３８ １２３４ ８０００":         "电话 <redacted>",
		"第２季度": "第2季度",
	} {
		assert.Equal(t, want, SafeName(name), name)
	}
	assert.LessOrEqual(t, len(SafeName(strings.Repeat("名", 200))), 256)
}

func TestValueScoreAndKnownLabels(t *testing.T) {
	t.Parallel()
	for cell, want := range map[string]int{
		"男": 2, " Female ": 2, "汉族": 2, "维吾尔族": 2, // values no header holds
		"张伟": 1, "欧阳娜娜": 1, "金额": 1, // names, and a label that reads like one
		"民族": 0, "种族": 0, "姓名": 0, "Order Date": 0, "Wei Zhang": 0, "北京市": 0, "": 0,
	} {
		assert.Equal(t, want, ValueScore([]byte(cell)), cell)
	}
	e := builtinEngine(t)
	for name, want := range map[string]bool{
		"姓名": true, "phone": true, "birth_date": true, "face_embedding": true, "ID_No": true,
		"备注": false, "北京市": false, "张伟": false, "Springfield": false,
	} {
		assert.Equal(t, want, e.Field(name).Known(), name)
	}
}

// TestAncestorHints: a field name of an any-value rule (medical_health,
// specific_identity) on the value's own key, or on the object whose
// generic "text" or "display" holds the value, makes any value a finding;
// on a key further up it names a subtree that may hold anything (AWS's
// endpoint rules keep function names under "conditions", API models list
// enum values under "ThirdPartyFirewall..."), so the value needs a term of
// the rule's dictionary.
func TestAncestorHints(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		field, value, want string
	}{
		{"diagnosis", "sprained ankle", "medical_health"},
		{"$.patient.diagnosis", "sprained ankle", "medical_health"},
		{"$.patient.allergies[*]", "penicillin", "medical_health"},
		{"$.conditions[*].display", "Sprained ankle", "medical_health"},
		{"$.diagnoses[0].text", "Sprained ankle", "medical_health"},
		{"$.person.party", "Green", "specific_identity"},
		{"visit.diagnosis", "sprained ankle", "medical_health"},
		{"$.rules[*].conditions[*].fn", "booleanEquals", ""},
		{"$.rules[*].conditions[*].argv[*].ref", "UseFIPS", ""},
		{"$[*].condition.typeReachable", "java.lang.Object", ""},
		{"$.shapes.ThirdPartyFirewallAssociationStatus.enum[*]", "ACTIVE", ""},
		{"$.shapes.Condition.type", "structure", ""},
		{"$.PrimaryDiagnosis.code", "S93.4", "medical_health"},
		{"$.初步诊断.内容", "踝关节扭伤", "medical_health"},
		{"$.operations.CreateConditionalForwarder.name", "CreateConditionalForwarder", ""},
		{"$.operations.InferICD10CM.name", "InferICD10CM", ""},
		{"$.operations.PollForThirdPartyJobs.name", "PollForThirdPartyJobs", ""},
		{"$.conditions[*].onset", "2019", ""},
		// A dictionary term is a finding on any key.
		{"$.rules[*].conditions[*].fn", "diabetes", "medical_health"},
		{"$.political.party.history[*]", "中共党员", "specific_identity"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			t.Parallel()
			c := &collector{}
			buf := []byte(tt.value + "\n")
			spans := []Span{{Start: 0, End: len(tt.value), Field: e.Field(tt.field)}}
			assert.NoError(t, e.NewScanner().ScanRecords(context.Background(), buf, spans, false, c))
			assert.Equal(t, tt.want, strings.Join(c.types(), ","))
		})
	}
}

func TestParentSegment(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"$.a.b[2].c":             "b",
		"$.a.b":                  "a",
		"$.b":                    "",
		"diagnosis":              "",
		"visit.diagnosis":        "visit",
		"$['x']['y']":            "x",
		"$.rules[*].conds[*].fn": "conds",
	} {
		assert.Equal(t, want, parentSegment(name), name)
	}
}
