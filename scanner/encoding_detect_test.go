package scanner_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/piiscan/piiscan/scanner"
)

// TestDetectEncodingEnd: a GB18030 sample may be cut inside a character
// at its end, and that is tolerated; a Latin-1 byte before a newline at
// the end of a small file is not a cut character ("José\n" made a
// French CSV GB18030, and its header 'téléphone' read 't閘閜hone').
func TestDetectEncodingEnd(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		head, want string
	}{
		{"t\xe9l\xe9phone,nom\n13812348000,Jos\xe9\n", scanner.EncLatin1},
		{"\xca\xd6\xbb\xfa\xba\xc5,\xd0\xd5\xc3\xfb\n13812348000,\xd5\xc5", scanner.EncGB18030},     // 手机号,姓名 / 张 cut after its lead byte
		{"\xca\xd6\xbb\xfa\xba\xc5,\xd0\xd5\xc3\xfb\n13812348000,\xd5\xc5\xc8", scanner.EncGB18030}, // 张 then a cut character
		{"\xca\xd6\xbb\xfa\xba\xc5\n\x81\x30\x81", scanner.EncGB18030},                              // a four-byte sequence cut
	} {
		assert.Equal(t, c.want, scanner.DetectEncoding([]byte(c.head)), "%q", c.head)
	}
}
