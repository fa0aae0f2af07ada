package classifiers

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScanName: ScanName reads a name's segment from own0 on, the
// folders before it its context. Solid HKIDs (camera picture names) and
// card numbers of one group of digits (numeric ids) need a keyword there;
// the same text read by ScanText reports them without one.
func TestScanName(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	name := func(text string, own0 int) []string {
		c := &collector{}
		require.NoError(t, e.NewScanner().ScanName(context.Background(), []byte(text), own0, c))
		return c.types()
	}
	for _, tc := range []struct {
		text string
		own0 int
		want []string
	}{
		{"DCIM/100_PANA/P1010038", 14, nil},
		{"hkid/P1010038", 5, []string{"hk_id"}},
		{"HKID A123456(3)", 0, []string{"hk_id"}},
		{"items/6222021234567894", 6, nil},
		{"cards/6222021234567894", 6, []string{"bank_card"}},
		{"6222 0212 3456 7894", 0, []string{"bank_card"}},
		{"orders/6222 0212 3456 7894", 7, nil},
		{"hosts/192.168.10.24", 6, []string{"ipv4"}},
		{"avatars/13812348000", 8, []string{"cn_mobile"}},
		{"13812348000/avatar", 12, nil}, // the folder's value is not this segment's
	} {
		assert.Equal(t, tc.want, name(tc.text, tc.own0), tc.text)
	}
	for _, text := range []string{"P1010038", "6222021234567894"} {
		assert.NotEmpty(t, scanString(t, e, text).types(), "a text reports %s", text)
	}
}
