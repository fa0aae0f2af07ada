package redact

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRedactWarnings: the Warn line of an object says what happened to
// it; partial and copied objects were written, so they do not read as
// "not rewritten". No line holds a raw value.
func TestRedactWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, in  string
		copyUnsupported bool
		want            string // "" for no line
	}{
		{name: "rewritten", file: "a.txt", in: "手机 " + rawMobile + "\n"},
		{name: "partial", file: "m.json", in: `{"mobile": "` + rawMobile + `", "x": [1, 手机 ` + rawMobile,
			want: "object partly rewritten"},
		{name: "copied", file: "doc.pdf", in: "%PDF-1.4\n手机 " + rawMobile + "\n%%EOF\n", copyUnsupported: true,
			want: "object copied unchanged"},
		{name: "skipped", file: "doc.pdf", in: "%PDF-1.4\n手机 " + rawMobile + "\n%%EOF\n",
			want: "object not rewritten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			cfg := Config{CopyUnsupported: tt.copyUnsupported, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
			redactFiles(t, cfg, map[string][]byte{tt.file: []byte(tt.in)})
			var msgs []string
			for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				if l == "" {
					continue
				}
				var rec struct {
					Level, Msg string
				}
				require.NoError(t, json.Unmarshal([]byte(l), &rec))
				if rec.Level == slog.LevelWarn.String() {
					msgs = append(msgs, rec.Msg)
				}
			}
			if tt.want == "" {
				assert.Empty(t, msgs)
			} else {
				assert.Equal(t, []string{tt.want}, msgs)
			}
			assert.NotContains(t, logs.String(), rawMobile)
		})
	}
}
