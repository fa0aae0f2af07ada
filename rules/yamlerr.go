package rules

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
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
		msgs := make([]string, len(te.Errors))
		for i, m := range te.Errors {
			msgs[i] = typeErrorText(m, packPart)
		}
		le := &LineError{Msg: strings.Join(msgs, "; "), Err: err}
		if len(te.Errors) == 1 {
			if m := yamlLine.FindStringSubmatch(msgs[0]); m != nil {
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

var (
	unknownField = regexp.MustCompile(`field (\S+) not found in type (?:\S+\.)?(\w+)`)
	wrongKind    = regexp.MustCompile("cannot unmarshal !!(\\w+)(?: `[^`]*`)? into (\\S+)")
)

// typeErrorText rewrites one of yaml.v3's type errors for the author of a
// pack or a policy: an unknown key is named with the part of the file it
// is in and the key it likely misspells (part names them for the Go type
// yaml.v3 names), instead of a Go type ("field levle not found in type
// rules.Rule"); a value of the wrong kind is described, not quoted
// ("cannot unmarshal !!int `1381234...` into []string" showed the start of
// an allow-list entry or an example, which may be a real value).
func typeErrorText(msg string, part func(typ string) (string, []string)) string {
	if m := unknownField.FindStringSubmatchIndex(msg); m != nil {
		key, typ := msg[m[2]:m[3]], msg[m[4]:m[5]]
		where, keys := part(typ)
		text := fmt.Sprintf("unknown key %q in %s", key, where)
		if near := nearestKey(key, keys); near != "" {
			text += fmt.Sprintf(" (did you mean %q?)", near)
		} else if len(keys) > 0 {
			text += " (known: " + strings.Join(keys, ", ") + ")"
		}
		return msg[:m[0]] + text + msg[m[1]:]
	}
	if m := wrongKind.FindStringSubmatchIndex(msg); m != nil {
		found, want := msg[m[2]:m[3]], msg[m[4]:m[5]]
		return msg[:m[0]] + fmt.Sprintf("found %s where %s is wanted", yamlKind(found), goKind(want)) + msg[m[1]:]
	}
	return msg
}

// YAMLTypeProblems returns the problems of a yaml.v3 type error for the
// author of another YAML file (a de-identification policy), written as
// for a pack (typeErrorText; part names the file's parts and their keys
// by the Go type yaml.v3 names). It returns the problems' lines (0 when
// not said) and texts, or nil when err is not a type error.
func YAMLTypeProblems(err error, part func(typ string) (where string, keys []string)) (lines []int, texts []string) {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return nil, nil
	}
	for _, m := range te.Errors {
		line := 0
		if g := yamlLine.FindStringSubmatch(m); g != nil {
			line, _ = strconv.Atoi(g[1])
			m = g[2]
		}
		lines, texts = append(lines, line), append(texts, typeErrorText(m, part))
	}
	return lines, texts
}

// YAMLKeys returns the yaml keys of struct value v's fields.
func YAMLKeys(v any) []string {
	var keys []string
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}

// packPart names the part of a pack a decoded type is, with its keys.
func packPart(typ string) (string, []string) {
	var v any
	where := "the pack"
	switch typ {
	case "Pack":
		v = Pack{}
	case "Rule":
		v, where = Rule{}, "a rule"
	case "Mask":
		v, where = Mask{}, "a rule's mask"
	case "Examples":
		v, where = Examples{}, "a rule's examples"
	default:
		return "the pack", nil
	}
	return where, YAMLKeys(v)
}

// nearestKey returns the key within two edits of key (the nearest, the
// first of a tie), or "".
func nearestKey(key string, keys []string) string {
	best, bestD := "", 3
	for _, k := range keys {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance with a transposition counted as
// one edit (optimal string alignment): "levle" is one edit from "level".
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// yamlKind describes a YAML tag: "int" is a number.
func yamlKind(tag string) string {
	switch tag {
	case "str":
		return "a string"
	case "int", "float":
		return "a number"
	case "bool":
		return "true or false"
	case "map":
		return "a mapping"
	case "seq":
		return "a list"
	case "null":
		return "nothing"
	}
	return "a " + tag
}

// goKind describes the Go type a value was decoded into.
func goKind(typ string) string {
	switch {
	case typ == "string":
		return "a string"
	case typ == "[]string":
		return "a list of strings"
	case typ == "bool":
		return "true or false"
	case strings.HasPrefix(typ, "int"), strings.HasPrefix(typ, "uint"):
		return "a whole number"
	case strings.HasPrefix(typ, "float"):
		return "a number"
	case strings.HasPrefix(typ, "[]"):
		return "a list"
	case strings.HasPrefix(typ, "map["), strings.HasPrefix(typ, "rules."):
		return "a mapping"
	}
	return "another kind of value"
}
