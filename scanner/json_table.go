package scanner

import (
	"bytes"
	"strings"
)

// Column lists. A table written as JSON rows may list its column names
// apart from them, before the rows, in a member of the document's object:
// pandas' to_json(orient="split") writes {"columns": ["name", "phone"],
// "index": [...], "data": [[...], ...]}; ClickHouse's JSONCompact, Trino's
// and Elasticsearch's SQL APIs write {"meta" (or "columns"): [{"name":
// "name", "type": ...}, ...], "data" (or "rows"): [[...], ...]}. The
// label at position i of such a list (a string element, or the "name"
// member of an object element) describes the cells [i] of the rows that
// follow in the same document: they keep their paths ($.data[*][1]) and
// get the label's context (classifiers' LabelledField), as a CSV column
// gets its header's. Only a list read before the rows counts; the cells
// of a path keep the labels they got first.
//
// Header rows. A table written as JSON rows may instead start with a row
// of its column names, as a spreadsheet API's "values" or ClickHouse's
// JSONCompactEachRowWithNames do. The first row of a document (in JSON
// Lines, of the file), when no column list came before it, is read as a
// header when headRow.labels says so; its cells are still values at their
// paths, and the rows after it are labelled as a column list labels them.

// JSONTable follows, for a JSON parser, what names the cells of a
// document's rows: a column list, or a header row. The scanner and the
// de-identified copy writer both drive one, with the stack indexes of
// their own parsers, so that a cell has the same label in both.
type JSONTable struct {
	listAt   int  // stack index of the open column list, -1 for none
	headAt   int  // stack index of the first row while it is read, -1 else
	headSeen bool // a first row was met (in the document; in JSON Lines the file)
	labels   []string
	head     headRow
}

// NewJSONTable returns a table with nothing open.
func NewJSONTable() JSONTable { return JSONTable{listAt: -1, headAt: -1} }

// Document starts a document: one of a JSON file forgets the labels of
// the one before, a line of JSON Lines keeps the file's.
func (t *JSONTable) Document(lines bool) {
	t.listAt, t.headAt = -1, -1
	if !lines {
		t.labels, t.headSeen = t.labels[:0], false
	}
}

// Active reports that a string value may be a label now (String).
func (t *JSONTable) Active() bool { return t.listAt >= 0 || t.headAt >= 0 }

// ListAt is the stack index of the open column list, -1 for none.
func (t *JSONTable) ListAt() int { return t.listAt }

// OpenArray notes an array opened at stack index at: a column list when it
// is the value of member key of a JSON document's top-level object
// (topMember), the first row when row and none came before.
func (t *JSONTable) OpenArray(at int, key string, topMember, row bool) {
	if topMember && jsonColumnList(key) {
		t.listAt, t.labels = at, t.labels[:0]
	}
	if row && !t.headSeen {
		t.headSeen = true
		if len(t.labels) == 0 {
			t.headAt = at
			t.head.begin()
		}
	}
}

// Other notes an element of the container at stack index at that is not a
// string (a number, a container, a literal), or a comment in it.
func (t *JSONTable) Other(at int) {
	if at == t.headAt {
		t.head.other()
	}
}

// String notes a string value v read in the container at stack index top
// (an array when inArray), as member key of an object: an element of the
// column list (list is its index there), or the name member of an object
// element; a cell of the first row. ok is false when the parser could not
// keep v (too long to be a label).
func (t *JSONTable) String(top int, inArray bool, key string, list int64, v []byte, ok bool) {
	if t.listAt >= 0 && ok && (top == t.listAt || top-1 == t.listAt && !inArray && key == "name") && list < MaxJSONRowColumns {
		for int64(len(t.labels)) <= list {
			t.labels = append(t.labels, "")
		}
		if t.labels[list] == "" {
			t.labels[list] = jsonColumnLabel(v)
		}
	}
	if top == t.headAt {
		if ok {
			t.head.cell(v)
		} else {
			t.head.other()
		}
	}
}

// Close notes the end of the array at stack index at. At the end of the
// first row it decides whether the row was a header (known tells the
// labels the rules know) and reports true when it was: the caller makes
// the cells of the rows to come anew, to be labelled.
func (t *JSONTable) Close(at int, known func(label string) bool) bool {
	if at == t.listAt {
		t.listAt = -1
	}
	if at != t.headAt {
		return false
	}
	t.headAt = -1
	l := t.head.labels(known)
	if l == nil {
		return false
	}
	t.labels = append(t.labels[:0], l...)
	return true
}

// Label returns the label of the cells [i] of the rows, "" for none.
func (t *JSONTable) Label(i int64) string {
	if i < int64(len(t.labels)) {
		return t.labels[i]
	}
	return ""
}

// jsonColumnList reports the name of a member of a document's top-level
// object whose array lists the columns of the rows that follow.
func jsonColumnList(key string) bool {
	switch strings.ToLower(key) {
	case "columns", "meta", "fields", "header", "headers":
		return true
	}
	return false
}

// jsonColumnLabel returns the label a string of a column list gives its
// column: the string without surrounding spaces when it may be a label
// (LabelCell), "" else.
func jsonColumnLabel(v []byte) string {
	if !LabelCell(v) {
		return ""
	}
	return string(bytes.TrimSpace(v))
}

// headRow reads the first row of a JSON table: begin at its start, cell
// for each string element, other for any other element and for a comment
// in it, then labels at its end.
type headRow struct {
	cells []string // the labels of the first MaxJSONRowColumns cells
	ok    bool     // every element so far is a string that may be a label
}

func (h *headRow) begin() { h.cells, h.ok = h.cells[:0], true }

func (h *headRow) cell(v []byte) {
	if !h.ok || !LabelCell(v) {
		h.ok = false
		return
	}
	if len(h.cells) < MaxJSONRowColumns {
		h.cells = append(h.cells, jsonColumnLabel(v))
	}
}

func (h *headRow) other() { h.ok = false }

// labels returns the labels of the row's columns when it is a header, nil
// else. It is one when its elements are all strings that may be labels
// (LabelCell) and one at least of its first MaxJSONRowColumns is a label
// the rules know (known: 姓名, phone, diagnosis), which no row of values
// holds: a row of values that are all strings (张伟, 北京市) has no such
// label and stays data.
func (h *headRow) labels(known func(label string) bool) []string {
	if !h.ok {
		return nil
	}
	for _, l := range h.cells {
		if l != "" && known(l) {
			return h.cells
		}
	}
	return nil
}
