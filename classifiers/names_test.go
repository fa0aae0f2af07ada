package classifiers

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPersonNameDiacritics checks that Latin names with diacritics (letters
// of the Latin-1 Supplement and Latin Extended-A) are names.
func TestPersonNameDiacritics(t *testing.T) {
	testNameColumns(t, []nameCase{
		{[]string{"customer_name"}, []string{"José García"}, true},
		{[]string{"customer_name"}, []string{"François Müller"}, true},
		{[]string{"customer_name"}, []string{"Zoë Saldaña"}, true},
		{[]string{"customer_name"}, []string{"Łukasz Wałęsa"}, true},
		{[]string{"customer_name"}, []string{"Émile Zola"}, true},
		{[]string{"customer_name"}, []string{"JOSÉ GARCÍA"}, true},
		{[]string{"customer_name"}, []string{"Jose Garcia"}, true},
		{[]string{"full_name"}, []string{"Mary-Jane O'Brien"}, true},
		{[]string{"first_name"}, []string{"José"}, true},
		{[]string{"last_name"}, []string{"Müller"}, true},
		{[]string{"name", "email"}, []string{"Zoë Saldaña", "zoe@example.com"}, true},
		{[]string{"customer_name"}, []string{"josé garcía"}, false},
		{[]string{"customer_name"}, []string{"Price × Qty"}, false},
		{[]string{"customer_name"}, []string{"Ωmega Alpha"}, false},
		{[]string{"last_name"}, []string{"ü"}, false},
	})
}

type nameCase struct {
	header []string
	row    []string
	name   bool
}

func testNameColumns(t *testing.T, cases []nameCase) {
	e := builtinEngine(t)
	for _, tc := range cases {
		t.Run(tc.header[0]+"="+tc.row[0], func(t *testing.T) {
			c := scanTable(t, e, tc.header, [][]string{tc.row})
			assert.Equal(t, tc.name, slices.Contains(c.types(), "person_name"), "%v", c.types())
		})
	}
}

// TestBareNameNotOrganisation checks that a bare name column next to other
// personal data does not make a team, a company or a place a person.
func TestBareNameNotOrganisation(t *testing.T) {
	testNameColumns(t, []nameCase{
		{[]string{"name", "email"}, []string{"Support Team", "help@example.com"}, false},
		{[]string{"name", "email"}, []string{"Data Science", "ds@example.com"}, false},
		{[]string{"name", "email"}, []string{"Main Street", "post@example.com"}, false},
		{[]string{"name", "email"}, []string{"Acme Group Ltd.", "info@example.com"}, false},
		{[]string{"name", "phone"}, []string{"万达广场", "13812348000"}, false},
		{[]string{"name", "phone"}, []string{"王记饭店", "13812348000"}, false},
		{[]string{"name", "phone"}, []string{"华为公司", "13812348000"}, false},
		{[]string{"名称", "手机"}, []string{"万科中心", "13812348000"}, false},
		{[]string{"name", "phone"}, []string{"万达", "13812348000"}, true},
		{[]string{"name", "email"}, []string{"Mary Team", "mary@example.com"}, false},
		{[]string{"name", "email"}, []string{"Teamo Smith", "ts@example.com"}, true},
		{[]string{"name", "phone"}, []string{"王小明", "13812348000"}, true},
		{[]string{"name", "email"}, []string{"Li Wei", "li.wei@example.com"}, true},
		{[]string{"姓名"}, []string{"张三"}, true},
	})
}

// TestWeakChineseNameLabel checks that the Chinese weak label 名称 makes
// a bare name column whole or after a role (客户名称), not at the end of a
// thing's column name (产品名称), whose values may read as names.
func TestWeakChineseNameLabel(t *testing.T) {
	testNameColumns(t, []nameCase{
		{[]string{"名称", "手机"}, []string{"王小明", "13812348000"}, true},
		{[]string{"客户名称", "手机"}, []string{"王小明", "13812348000"}, true},
		{[]string{"用户名称", "email"}, []string{"李娜", "li.na@example.com"}, true},
		{[]string{"产品名称", "手机"}, []string{"王老吉", "13812348000"}, false},
		{[]string{"商品名称", "联系电话"}, []string{"李锦记", "13812348000"}, false},
		{[]string{"项目名称", "手机"}, []string{"张江高科", "13812348000"}, false},
	})
}
