package sinks

import (
	"maps"

	"github.com/piiscan/piiscan/scanner"
)

// Tally holds the run's counters, filled by the sink as it writes rows.
// It holds no values, only counts keyed by catalogue ids, statuses and
// reason codes, so it is safe to log and to write to the run summary.
// Maps are never nil, so the JSON form always has every key.
type Tally struct {
	// Findings is the number of findings rows written.
	Findings int64 `json:"findings"`
	// FindingsByCategory counts findings by category, then sensitivity
	// (S1..S4): {"contact": {"S2": 3}}.
	FindingsByCategory map[string]map[string]int64 `json:"findings_by_category"`
	// FindingsBySensitivity counts findings by sensitivity.
	FindingsBySensitivity map[string]int64 `json:"findings_by_sensitivity"`
	// FindingsByDataType counts findings by data_type.
	FindingsByDataType map[string]int64 `json:"findings_by_data_type"`
	// Minors counts findings whose data subject is a minor.
	Minors int64 `json:"minors"`
	// Objects is the number of objects rows written.
	Objects int64 `json:"objects"`
	// ObjectsWithFindings counts objects with at least one finding.
	ObjectsWithFindings int64 `json:"objects_with_findings"`
	// ObjectsByStatus counts objects by status (complete, partial,
	// skipped, failed).
	ObjectsByStatus map[string]int64 `json:"objects_by_status"`
	// ObjectReasons counts objects by status, then reason code; objects
	// without a reason are not counted here.
	ObjectReasons map[string]map[string]int64 `json:"object_reasons"`
	// BytesScanned sums the decoded bytes classified.
	BytesScanned int64 `json:"bytes_scanned"`
	// ObjectBytes sums the listed sizes of objects of known size.
	ObjectBytes int64 `json:"object_bytes"`
	// NotesDropped and VerdictsDropped count summary entries left out
	// because of the caps that keep the summary small (see maxNotes,
	// maxVerdicts).
	NotesDropped    int64 `json:"notes_dropped"`
	VerdictsDropped int64 `json:"column_verdicts_dropped"`
}

// NewTally returns an empty Tally with its maps allocated.
func NewTally() Tally {
	return Tally{
		FindingsByCategory:    map[string]map[string]int64{},
		FindingsBySensitivity: map[string]int64{},
		FindingsByDataType:    map[string]int64{},
		ObjectsByStatus:       map[string]int64{},
		ObjectReasons:         map[string]map[string]int64{},
	}
}

// Add adds the counters of o to t (the parts of one run, written by
// checkpoints, are summarised as one).
func (t *Tally) Add(o Tally) {
	t.Findings += o.Findings
	t.Minors += o.Minors
	t.Objects += o.Objects
	t.ObjectsWithFindings += o.ObjectsWithFindings
	t.BytesScanned += o.BytesScanned
	t.ObjectBytes += o.ObjectBytes
	t.NotesDropped += o.NotesDropped
	t.VerdictsDropped += o.VerdictsDropped
	t.FindingsBySensitivity = addCounts(t.FindingsBySensitivity, o.FindingsBySensitivity)
	t.FindingsByDataType = addCounts(t.FindingsByDataType, o.FindingsByDataType)
	t.ObjectsByStatus = addCounts(t.ObjectsByStatus, o.ObjectsByStatus)
	t.FindingsByCategory = addNested(t.FindingsByCategory, o.FindingsByCategory)
	t.ObjectReasons = addNested(t.ObjectReasons, o.ObjectReasons)
}

func addCounts(dst, src map[string]int64) map[string]int64 {
	if dst == nil && len(src) > 0 {
		dst = map[string]int64{}
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

func addNested(dst, src map[string]map[string]int64) map[string]map[string]int64 {
	if dst == nil && len(src) > 0 {
		dst = map[string]map[string]int64{}
	}
	for k, m := range src {
		dst[k] = addCounts(dst[k], m)
	}
	return dst
}

// AtOrAbove returns the number of findings whose sensitivity is level or
// higher, for --fail-on. Levels compare as S1 < S2 < S3 < S4.
func (t Tally) AtOrAbove(level string) int64 {
	var n int64
	for s, c := range t.FindingsBySensitivity {
		if s >= level {
			n += c
		}
	}
	return n
}

// MaxSensitivity returns the highest sensitivity with a finding, or "".
func (t Tally) MaxSensitivity() string {
	top := ""
	for s, c := range t.FindingsBySensitivity {
		if c > 0 && s > top {
			top = s
		}
	}
	return top
}

// addFinding counts one findings row.
func (t *Tally) addFinding(f *scanner.Finding) {
	t.Findings++
	bump2(t.FindingsByCategory, f.Category, f.Sensitivity)
	t.FindingsBySensitivity[f.Sensitivity]++
	t.FindingsByDataType[f.DataType]++
	if f.Minor {
		t.Minors++
	}
}

// addObject counts one objects row.
func (t *Tally) addObject(row *scanner.ObjectRow) {
	t.Objects++
	if row.Findings > 0 {
		t.ObjectsWithFindings++
	}
	t.ObjectsByStatus[row.Status]++
	if row.Reason != "" {
		bump2(t.ObjectReasons, row.Status, row.Reason)
	}
	t.BytesScanned += row.BytesScanned
	if row.Size > 0 {
		t.ObjectBytes += row.Size
	}
}

// bump2 increments m[a][b], allocating the inner map on first use.
func bump2(m map[string]map[string]int64, a, b string) {
	inner := m[a]
	if inner == nil {
		inner = map[string]int64{}
		m[a] = inner
	}
	inner[b]++
}

// clone returns a deep copy, so callers can keep a Tally while the sink
// goes on counting.
func (t Tally) clone() Tally {
	c := t
	c.FindingsByCategory = clone2(t.FindingsByCategory)
	c.FindingsBySensitivity = cloneOrEmpty(t.FindingsBySensitivity)
	c.FindingsByDataType = cloneOrEmpty(t.FindingsByDataType)
	c.ObjectsByStatus = cloneOrEmpty(t.ObjectsByStatus)
	c.ObjectReasons = clone2(t.ObjectReasons)
	return c
}

func cloneOrEmpty(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return maps.Clone(m)
}

func clone2(m map[string]map[string]int64) map[string]map[string]int64 {
	c := make(map[string]map[string]int64, len(m))
	for k, v := range m {
		c[k] = maps.Clone(v)
	}
	return c
}
