package server

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUploadAndKeyLocksNest guards CompleteMultipartUpload, which holds an
// upload lock and then a key lock: with shared stripes a hash collision
// between the two names would deadlock (1 in 64 uploads).
func TestUploadAndKeyLocksNest(t *testing.T) {
	t.Parallel()
	st, err := newStore(t.TempDir())
	require.NoError(t, err)
	for i := range 500 {
		unlockUpload := st.lockUpload(strconv.Itoa(i))
		unlockKey := st.lock("bkt", strconv.Itoa(i))
		unlockKey()
		unlockUpload()
	}
}

func TestCheckKey(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"a", "a/b.txt", "dir/", "数据/文件.csv", "a b/+c"} {
		assert.Nil(t, checkKey(k), k)
	}
	for _, k := range []string{"", "/a", `\a`, "a//b", "a/./b", "../a", "a/..", "a\x00b", string([]byte{0xff})} {
		assert.NotNil(t, checkKey(k), k)
	}
}
