package sinks

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTallyAdd sets every counter of a Tally (by reflection, so a new
// field of another kind fails here) and checks that Add sums them all.
func TestTallyAdd(t *testing.T) {
	one := NewTally()
	v := reflect.ValueOf(&one).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Int64:
			f.SetInt(int64(i + 1))
		case reflect.Map:
			if f.Type().Elem().Kind() == reflect.Map {
				inner := reflect.MakeMap(f.Type().Elem())
				inner.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf(int64(i+1)))
				f.SetMapIndex(reflect.ValueOf("x"), inner)
			} else {
				f.SetMapIndex(reflect.ValueOf("x"), reflect.ValueOf(int64(i+1)))
			}
		default:
			t.Fatalf("Tally.%s is a %s: teach Tally.Add to merge it", v.Type().Field(i).Name, f.Kind())
		}
	}
	objects := one.Objects
	sum := NewTally()
	sum.Add(one)
	sum.Add(one)
	sv := reflect.ValueOf(sum)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		want := int64(2 * (i + 1))
		switch f := sv.Field(i); f.Kind() {
		case reflect.Int64:
			assert.Equal(t, want, f.Int(), name)
		case reflect.Map:
			got := f.MapIndex(reflect.ValueOf("x"))
			if got.Kind() == reflect.Map {
				got = got.MapIndex(reflect.ValueOf("k"))
			}
			assert.Equal(t, want, got.Int(), name)
		}
	}
	assert.Equal(t, objects, one.Objects, "the source is not modified")
	assert.Equal(t, map[string]int64{"k": int64(v.FieldByName("ObjectReasons").MapIndex(reflect.ValueOf("x")).MapIndex(reflect.ValueOf("k")).Int())},
		one.ObjectReasons["x"], "nor its inner maps")
}
