package deid_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

func intp(i int) *int { return &i }

func TestGeneralize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      deid.GeneralizeConfig
		dataType string
		kind     deid.Kind
		in, want string
	}{
		// Dates, the type inferred from the id.
		{"date to year", deid.GeneralizeConfig{}, "birth_date", deid.KindText, "1990-05-17", "1990"},
		{"date to month", deid.GeneralizeConfig{Level: "month"}, "birth_date", deid.KindText, "1990-05-17", "1990-05"},
		{"slashes", deid.GeneralizeConfig{Level: "month"}, "birth_date", deid.KindText, "1990/5/17", "1990/5"},
		{"chinese date to month", deid.GeneralizeConfig{Level: "month"}, "birth_date", deid.KindText, "1990年5月17日", "1990年5月"},
		{"chinese date to year", deid.GeneralizeConfig{}, "birth_date", deid.KindText, "1990年5月17日", "1990年"},
		{"compact", deid.GeneralizeConfig{Level: "month"}, "dob", deid.KindText, "19900517", "199005"},
		{"compact as number", deid.GeneralizeConfig{As: "date"}, "dob", deid.KindJSONNumber, "19900517", "1990"},
		{"with a time", deid.GeneralizeConfig{As: "date"}, "created", deid.KindText, "2024-02-29T10:00:00Z", "2024"},
		// Ages.
		{"age band", deid.GeneralizeConfig{}, "age", deid.KindText, "37", "35-39"},
		{"age band 10", deid.GeneralizeConfig{Band: 10}, "age", deid.KindText, "37", "30-39"},
		{"age with 岁", deid.GeneralizeConfig{As: "age"}, "nianling", deid.KindText, "37岁", "35-39岁"},
		{"age as number", deid.GeneralizeConfig{}, "age", deid.KindJSONNumber, "37", "35"},
		{"age band edge", deid.GeneralizeConfig{}, "age", deid.KindText, "40", "40-44"},
		// Coordinates.
		{"gps 2 decimals", deid.GeneralizeConfig{}, "gps_coordinate", deid.KindText, "39.904200,116.407400", "39.90,116.41"},
		{"gps 1 decimal keeps the separator", deid.GeneralizeConfig{Decimals: intp(1)}, "gps_coordinate", deid.KindText, "(31.230416, 121.473701)", "(31.2, 121.5)"},
		{"gps 0 decimals", deid.GeneralizeConfig{Decimals: intp(0)}, "gps_coordinate", deid.KindText, "-33.8688,151.2093", "-34,151"},
		{"one coordinate as number", deid.GeneralizeConfig{As: "gps"}, "latitude", deid.KindJSONNumber, "39.904200", "39.90"},
		{"geohash", deid.GeneralizeConfig{As: "geohash"}, "gps_coordinate", deid.KindText, "39.904200,116.407400", "wx4g0"},
		{"geohash 7", deid.GeneralizeConfig{As: "geohash", Precision: 7}, "gps_coordinate", deid.KindText, "57.64911,10.40744", "u4pruyd"},
		// Addresses.
		{"address to city", deid.GeneralizeConfig{}, "cn_address", deid.KindText, "广东省广州市越秀区中山五路1号", "广东省广州市"},
		{"address to district", deid.GeneralizeConfig{Level: "district"}, "cn_address", deid.KindText, "广东省广州市越秀区中山五路1号", "广东省广州市越秀区"},
		{"municipality", deid.GeneralizeConfig{}, "cn_address", deid.KindText, "北京市朝阳区建国路88号", "北京市"},
		{"autonomous region", deid.GeneralizeConfig{}, "cn_address", deid.KindText, "新疆维吾尔自治区乌鲁木齐市天山区解放北路1号", "新疆维吾尔自治区乌鲁木齐市"},
		{"county", deid.GeneralizeConfig{Level: "district"}, "cn_address", deid.KindText, "浙江省杭州市淳安县千岛湖镇", "浙江省杭州市淳安县"},
		// IPv4.
		{"ipv4 /16", deid.GeneralizeConfig{}, "ipv4", deid.KindText, "10.20.30.40", "10.20.*.*"},
		{"ipv4 /24", deid.GeneralizeConfig{Prefix: 24}, "ipv4", deid.KindText, "10.20.30.40", "10.20.30.*"},
		{"ipv4 cidr", deid.GeneralizeConfig{Prefix: 8, Style: "cidr"}, "ipv4", deid.KindText, "10.20.30.40", "10.0.0.0/8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := deid.NewGeneralize(tt.cfg)
			require.NoError(t, err)
			out, err := g.Apply(deid.OpContext{DataType: tt.dataType, Kind: tt.kind}, []byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(out))
		})
	}
}

func TestGeneralizeUnsupported(t *testing.T) {
	t.Parallel()
	g, err := deid.NewGeneralize(deid.GeneralizeConfig{})
	require.NoError(t, err)
	for _, tt := range []struct {
		dataType string
		kind     deid.Kind
		in       string
	}{
		{"cn_mobile", deid.KindText, "13812345678"}, // nothing to generalize to
		{"birth_date", deid.KindText, "1990-13-01"},
		{"birth_date", deid.KindText, "yesterday"},
		{"age", deid.KindText, "old"},
		{"gps_coordinate", deid.KindText, "99.1,200.2"},
		{"ipv4", deid.KindText, "10.20.30"},
		{"cn_address", deid.KindText, "中山五路1号"},
		{"ipv4", deid.KindJSONNumber, "10.20.30.40"},
	} {
		_, err := g.Apply(deid.OpContext{DataType: tt.dataType, Kind: tt.kind}, []byte(tt.in))
		assert.ErrorIs(t, err, deid.ErrUnsupported, tt.in)
	}
	for _, bad := range []deid.GeneralizeConfig{
		{As: "zip"}, {Level: "week"}, {Band: -1}, {Decimals: intp(9)}, {Prefix: 12}, {Style: "mask"}, {Precision: 20},
	} {
		_, err := deid.NewGeneralize(bad)
		assert.Error(t, err, "%+v", bad)
	}
}
