package deid_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      deid.MaskConfig
		dataType string
		in, want string
	}{
		{"mobile keep 3/4", deid.MaskConfig{KeepFirst: 3, KeepLast: 4}, "cn_mobile", "13812345678", "138****5678"},
		{"mobile separators", deid.MaskConfig{KeepFirst: 3, KeepLast: 4}, "cn_mobile", "138 1234 5678", "138 **** 5678"},
		{"mobile +86 is not counted", deid.MaskConfig{KeepFirst: 3, KeepLast: 4}, "cn_mobile", "+86-138-1234-5678", "+86-138-****-5678"},
		{"mobile 0086 glued", deid.MaskConfig{KeepFirst: 3, KeepLast: 4}, "cn_mobile", "008613812345678", "0086138****5678"},
		{"resident id 3/4", deid.MaskConfig{KeepFirst: 3, KeepLast: 4}, "cn_resident_id", "11010519491231002X", "110***********002X"},
		{"hkid parentheses", deid.MaskConfig{KeepFirst: 1, KeepLast: 1}, "hk_id", "A123456(3)", "A******(3)"},
		{"email before @", deid.MaskConfig{Before: "@", KeepFirst: 1}, "email", "zhang.san@example.com", "z****.***@example.com"},
		{"email in a url, @ written %40", deid.MaskConfig{Before: "@", KeepFirst: 1}, "email", "zhang.san%40example.com", "z****.***%40example.com"},
		{"after a character", deid.MaskConfig{After: "@"}, "email", "zhang@example.com", "zhang@*******.***"},
		{"range", deid.MaskConfig{From: 6, To: 14}, "cn_resident_id", "440104195101058590", "440104********8590"},
		{"range past the end", deid.MaskConfig{From: 2, To: 99}, "x", "abcd", "ab**"},
		{"mask char", deid.MaskConfig{KeepFirst: 3, KeepLast: 4, Char: "#"}, "cn_mobile", "13812345678", "138####5678"},
		{"multi-byte mask char", deid.MaskConfig{KeepFirst: 1, Char: "＊"}, "person_name", "张三丰", "张＊＊"},
		{"chinese name", deid.MaskConfig{KeepFirst: 1}, "person_name", "王小明", "王**"},
		{"latin name keeps the space", deid.MaskConfig{KeepFirst: 1}, "person_name", "Li Wei", "L* ***"},
		{"everything", deid.MaskConfig{}, "x", "secret-42", "******-**"},
		{"short value never shown whole", deid.MaskConfig{KeepFirst: 3, KeepLast: 4}, "x", "abc", "a*c"},
		{"one character", deid.MaskConfig{KeepFirst: 1}, "x", "a", "*"},
		{"no content", deid.MaskConfig{KeepFirst: 1}, "x", "--", "--"},
		{"ipv4 keep 4", deid.MaskConfig{KeepFirst: 4}, "ipv4", "10.20.30.40", "10.20.**.**"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := deid.NewMask(tt.cfg)
			require.NoError(t, err)
			out, err := m.Apply(deid.OpContext{DataType: tt.dataType}, []byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(out))
			assert.Equal(t, "mask", m.Name())
		})
	}
}

func TestMaskSlotsAndConfig(t *testing.T) {
	t.Parallel()
	m, err := deid.NewMask(deid.MaskConfig{KeepFirst: 3, KeepLast: 4})
	require.NoError(t, err)
	out, err := m.Apply(deid.OpContext{DataType: "cn_mobile", Kind: deid.KindJSONString}, []byte("13812345678"))
	require.NoError(t, err)
	assert.Equal(t, "138****5678", string(out))
	for _, k := range []deid.Kind{deid.KindJSONNumber, deid.KindJSONArray, deid.KindJSONObject} {
		_, err = m.Apply(deid.OpContext{DataType: "cn_mobile", Kind: k}, []byte("13812345678"))
		assert.ErrorIs(t, err, deid.ErrUnsupported, k.String())
	}
	for _, bad := range []deid.MaskConfig{
		{KeepFirst: -1},
		{From: 5, To: 3},
		{Before: "@", After: "@"},
		{Before: "ab"},
		{Char: "**"},
		{Char: "0"}, // could rebuild a real number
		{Char: "x"},
	} {
		_, err := deid.NewMask(bad)
		assert.Error(t, err, "%+v", bad)
	}
}

func TestRedactAndTag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op         deid.Operator
		kind       deid.Kind
		want, name string
	}{
		{deid.Redact{}, deid.KindText, "", "redact"},
		{deid.Redact{}, deid.KindJSONString, "", "redact"},
		{deid.Redact{}, deid.KindJSONNumber, "null", "redact"},
		{deid.Redact{}, deid.KindJSONArray, "[]", "redact"},
		{deid.Redact{}, deid.KindJSONObject, "{}", "redact"},
		{deid.Redact{}, deid.KindJSONBool, "null", "redact"},
		{deid.Tag{}, deid.KindText, "<cn_mobile>", "tag"},
		{deid.Tag{}, deid.KindJSONString, "<cn_mobile>", "tag"},
		{deid.Tag{Format: "[{category}:{type}]"}, deid.KindText, "[contact:cn_mobile]", "tag"},
		{deid.Tag{}, deid.KindJSONNumber, "null", "tag"},
		{deid.Tag{}, deid.KindJSONArray, "[]", "tag"},
	}
	for _, tt := range tests {
		out, err := tt.op.Apply(deid.OpContext{DataType: "cn_mobile", Category: "contact", Kind: tt.kind}, []byte("13812345678"))
		require.NoError(t, err)
		assert.Equal(t, tt.want, string(out), "%s in a %s", tt.name, tt.kind)
		assert.Equal(t, tt.name, tt.op.Name())
	}
}
