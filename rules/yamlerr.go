package rules

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LineError is a YAML problem in a pack, at a line when the decoder knows
// it: "line 4: did not find expected '-' indicator".
type LineError struct {
	// Line is 1-based; 0 means the decoder did not say.
	Line int
	Msg  string
	// Err is the decoder's error.
	Err error
}

func (e *LineError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func (e *LineError) Unwrap() error { return e.Err }

// yamlLine splits a yaml.v3 message into its line and problem.
var yamlLine = regexp.MustCompile(`(?s)^line (\d+): (.*)$`)

// maxRefineLines bounds the search for a syntax error's line, which
// decodes about log2(lines) prefixes of the file.
const maxRefineLines = 100_000

// yamlError turns a decoder error into a *LineError. The decoder's text
// starts with "yaml: ", which the pack error would only repeat. For a
// syntax error yaml.v3 reports the line where the enclosing block started
// (it prefers libyaml's context mark, 0-based, to the problem mark), so an
// indentation slip on line 4 of a rule reads "line 1". The problem's line is
// found instead as the first prefix of the file that fails with the same
// problem; type errors (unknown fields) carry right lines already.
func yamlError(data []byte, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		le := &LineError{Msg: strings.Join(te.Errors, "; "), Err: err}
		if len(te.Errors) == 1 {
			if m := yamlLine.FindStringSubmatch(te.Errors[0]); m != nil {
				le.Line, _ = strconv.Atoi(m[1])
				le.Msg = m[2]
			}
		}
		return le
	}
	le := &LineError{Msg: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	if m := yamlLine.FindStringSubmatch(le.Msg); m != nil {
		le.Line, _ = strconv.Atoi(m[1])
		le.Msg = m[2]
	}
	if n := problemLine(data, le.Msg); n > 0 {
		le.Line = n
	}
	return le
}

// problemLine returns the first line n such that the file's first n lines
// fail to decode with msg, or 0. Prefixes that end before the problem
// decode (or fail otherwise, cut inside a quoted or flow value) and those
// that reach it fail with msg, so a binary search finds n; the answer is
// checked, since a file can break that order.
func problemLine(data []byte, msg string) int {
	var ends []int // ends[i] is the end of line i+1
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
			if len(ends) > maxRefineLines {
				return 0
			}
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	fails := func(i int) bool {
		var node yaml.Node
		err := yaml.NewDecoder(bytes.NewReader(data[:ends[i]])).Decode(&node)
		if err == nil {
			return false
		}
		got := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(got); m != nil {
			got = m[2]
		}
		return got == msg
	}
	i := sort.Search(len(ends), fails)
	if i == len(ends) || !fails(i) {
		return 0
	}
	return i + 1
}
