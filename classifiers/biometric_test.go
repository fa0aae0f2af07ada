package classifiers

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFaceFeatureFields checks which fields holding a 64-d vector are face
// features: a face field on its own; a bare embedding, vector or feature
// field only when its name, its path or another field of the record names
// a person; a qualified one (text_embedding) not.
func TestFaceFeatureFields(t *testing.T) {
	e := builtinEngine(t)
	vec := expandExample("{floats:64}")
	cases := []struct {
		header []string
		row    []string // "VEC" stands for the vector
		face   bool
	}{
		{[]string{"face_embedding"}, []string{"VEC"}, true},
		{[]string{"$.face_feature"}, []string{"VEC"}, true},
		{[]string{"face_vector"}, []string{"VEC"}, true},
		{[]string{"人脸特征"}, []string{"VEC"}, true},
		{[]string{"$.faces[*].embedding"}, []string{"VEC"}, true},
		{[]string{"user_embedding"}, []string{"VEC"}, true},
		{[]string{"$.user.embedding"}, []string{"VEC"}, true},
		{[]string{"$.person.vector"}, []string{"VEC"}, true},
		{[]string{"user_id", "embedding"}, []string{"u1", "VEC"}, true},
		{[]string{"$.embedding", "$.person_id"}, []string{"VEC", "p1"}, true},
		{[]string{"userId", "featureVector"}, []string{"u1", "VEC"}, true},
		{[]string{"face_image_url", "embedding"}, []string{"https://example.com/f.jpg", "VEC"}, true},
		{[]string{"用户ID", "特征向量"}, []string{"u1", "VEC"}, true},
		{[]string{"员工编号", "特征"}, []string{"E1", "VEC"}, true},
		{[]string{"embedding"}, []string{"VEC"}, false},
		{[]string{"$.doc_id", "$.text_embedding"}, []string{"d1", "VEC"}, false},
		{[]string{"$.product_id", "$.embedding"}, []string{"p1", "VEC"}, false},
		{[]string{"product_embedding"}, []string{"VEC"}, false},
		{[]string{"doc_embedding"}, []string{"VEC"}, false},
		{[]string{"image_embedding"}, []string{"VEC"}, false},
		{[]string{"user_id", "text_embedding"}, []string{"u1", "VEC"}, false},
		{[]string{"sku", "features"}, []string{"A1", "VEC"}, false},
		{[]string{"特征向量"}, []string{"VEC"}, false},
		{[]string{"用户ID", "商品特征向量"}, []string{"u1", "VEC"}, false},
		{[]string{"user_id", "speaker_embedding"}, []string{"u1", "VEC"}, false}, // a voiceprint
		{[]string{"$.speakers[*].speaker_id", "$.speakers[*].phone", "$.speakers[*].voiceprint.vector"}, []string{"spk_9d86a92471", "17821339548", "VEC"}, false},
		{[]string{"$.users[*].user_id", "$.users[*].iris.vector"}, []string{"u1", "VEC"}, false},
		{[]string{"user_id", "embedding"}, []string{"u1", "[0.1, 0.2, 0.3]"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.header[len(tc.header)-1]+"/"+tc.header[0], func(t *testing.T) {
			row := slices.Clone(tc.row)
			for i := range row {
				if row[i] == "VEC" {
					row[i] = vec
				}
			}
			c := scanTable(t, e, tc.header, [][]string{row})
			assert.Equal(t, tc.face, slices.Contains(c.types(), "face_feature"), "%v", c.types())
		})
	}
}

// TestBiometricIsANameCompanion: a bare "name" field is a person's name
// next to the record's face vector, as next to an identity number: a face
// enrolment record holds an id, a name and the face, and nothing else
// personal. Without the vector (or with a product's) the name is not one.
func TestBiometricIsANameCompanion(t *testing.T) {
	e := builtinEngine(t)
	vec := expandExample("{floats:64}")
	header := []string{"$.person_id", "$.name", "$.dept", "$.face_feature"}
	c := scanTable(t, e, header, [][]string{{"P184778", "陆洋", "数据平台部", vec}})
	assert.Equal(t, []string{"person_name", "face_feature"}, c.types())
	c = scanTable(t, e, header[:3], [][]string{{"P184778", "陆洋", "数据平台部"}})
	assert.Empty(t, c.types())
	c = scanTable(t, e, []string{"$.sku", "$.name", "$.product_embedding"}, [][]string{{"A1", "王老吉", vec}})
	assert.Empty(t, c.types())
}
