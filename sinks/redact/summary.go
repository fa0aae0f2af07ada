package redact

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/piiscan/piiscan/sinks/termtable"
)

// maxIssues bounds the issues kept in a summary; the counters have all.
const maxIssues = 10_000

// Tally counts a run's results. It is filled by Run's one collector
// goroutine. It holds counts, object URIs, formats and reason codes only,
// never a value.
type Tally struct {
	// Listed counts the objects the source listed; Objects the results.
	Listed  int64 `json:"objects_listed"`
	Objects int64 `json:"objects"`
	// Written counts objects written to the destination (rewritten,
	// partial and copied); NotWritten the others (skipped and failed).
	Written    int64            `json:"objects_written"`
	NotWritten int64            `json:"objects_not_written"`
	ByStatus   map[string]int64 `json:"objects_by_status"`
	ByReason   map[string]int64 `json:"objects_by_reason"`
	ByFormat   map[string]int64 `json:"objects_by_format"`
	// BytesRead and BytesWritten count the objects' bytes as stored.
	BytesRead    int64 `json:"bytes_read"`
	BytesWritten int64 `json:"bytes_written"`
	// Values counts replaced values; per data type, per operator and per
	// both (data type -> operator -> count).
	Values             int64                       `json:"values_replaced"`
	ByDataType         map[string]int64            `json:"values_by_data_type"`
	ByOperator         map[string]int64            `json:"values_by_operator"`
	ByDataTypeOperator map[string]map[string]int64 `json:"values_by_data_type_operator"`
	// TokensFailed counts encrypt tokens a decrypt run could not open.
	TokensFailed int64 `json:"tokens_not_decrypted"`
	// Guarded counts values whose replacement read as another
	// identifier, replaced by the policy's fallback instead.
	Guarded int64 `json:"values_guarded"`
	// Redetectable counts, per data type, replacements that are valid
	// identifiers (substitute, ff1 with recompute_check): a rescan of the
	// copy reports them as it would the originals.
	Redetectable map[string]int64 `json:"values_redetectable"`
	// MembersNotRewritten counts archive members not rewritten.
	MembersNotRewritten int64 `json:"members_not_rewritten"`
	// PartsEmptied counts parts of Office packages written empty because
	// their bytes cannot be read (OLE objects, macros, ActiveX data,
	// metafile pictures that do not parse);
	// ImagesStripped pictures of Office packages written without their
	// metadata (Exif GPS position, XMP). Both count written objects only.
	PartsEmptied   int64 `json:"office_parts_emptied"`
	ImagesStripped int64 `json:"image_metadata_removed"`
	// ThumbnailsBlanked counts the thumbnails of Office packages (a
	// rendering of the first page) replaced by a blank picture.
	ThumbnailsBlanked int64 `json:"thumbnails_blanked"`
	// NamesRewritten counts the objects, archive members and gzip file
	// names written under a name whose values were replaced
	// (Config.KeepNames).
	NamesRewritten int64 `json:"names_rewritten"`
	// NotRewritten lists the objects (and archive members) not rewritten
	// or only partly, with their reasons: the first maxIssues of them,
	// IssuesDropped counts the rest.
	NotRewritten  []Issue `json:"not_rewritten"`
	IssuesDropped int64   `json:"not_rewritten_dropped"`
}

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{ByStatus: map[string]int64{}, ByReason: map[string]int64{}, ByFormat: map[string]int64{},
		ByDataType: map[string]int64{}, ByOperator: map[string]int64{}, ByDataTypeOperator: map[string]map[string]int64{},
		Redetectable: map[string]int64{}, NotRewritten: []Issue{}}
}

// Add counts one result.
func (t *Tally) Add(r *Result) {
	t.Objects++
	t.ByStatus[string(r.Status)]++
	if r.Reason != "" {
		t.ByReason[string(r.Reason)]++
	}
	if r.Format != "" {
		t.ByFormat[r.Format]++
	}
	if r.Status.Written() {
		t.Written++
	} else {
		t.NotWritten++
	}
	t.BytesRead += r.BytesRead
	t.BytesWritten += r.BytesWritten
	for k, n := range r.Values {
		t.Values += n
		t.ByDataType[k.DataType] += n
		t.ByOperator[k.Operator] += n
		m := t.ByDataTypeOperator[k.DataType]
		if m == nil {
			m = map[string]int64{}
			t.ByDataTypeOperator[k.DataType] = m
		}
		m[k.Operator] += n
	}
	t.TokensFailed += r.TokensFailed
	t.Guarded += r.Guarded
	for k, n := range r.Redetectable {
		t.Redetectable[k] += n
	}
	t.MembersNotRewritten += int64(len(r.Members))
	if r.Status.Written() {
		t.PartsEmptied += r.PartsEmptied
		t.ImagesStripped += r.ImagesStripped
		t.ThumbnailsBlanked += r.ThumbnailsBlanked
		if r.Renamed {
			t.NamesRewritten++
		}
		t.NamesRewritten += r.MemberNames
	}
	if r.Status != StatusRewritten {
		t.issue(r.issue())
	}
	for _, m := range r.Members {
		t.issue(m)
	}
}

func (t *Tally) issue(i Issue) {
	if len(t.NotRewritten) >= maxIssues {
		t.IssuesDropped++
		return
	}
	t.NotRewritten = append(t.NotRewritten, i)
}

// Summary is the run summary of `piiscan redact`, written as JSON next to
// the destination and rendered as text on stderr. It holds counts, paths,
// formats and reason codes, never a value found in the data.
type Summary struct {
	Version    string    `json:"version"`
	RunID      string    `json:"run_id"`
	Mode       string    `json:"mode"` // redact or decrypt
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	DurationMS int64     `json:"duration_ms"`
	Source     []string  `json:"source"`
	Dest       string    `json:"destination"`
	// Policy is the policy file, or "(default)".
	Policy string `json:"policy"`
	// RandomKeys lists key variables that were unset, so keyed operators
	// used random per-run keys: their tokens neither reverse nor join.
	RandomKeys      []string          `json:"random_keys"`
	Ruleset         string            `json:"ruleset"`
	CopyUnsupported bool              `json:"copy_unsupported"`
	Flags           map[string]string `json:"flags"`
	Interrupted     bool              `json:"interrupted"`
	Counters        *Tally            `json:"counters"`
	Notes           []string          `json:"notes"`
}

// normalized returns s with nil maps and slices made empty, so the JSON
// has {} and [] rather than null, and times in UTC.
func (s Summary) normalized() Summary {
	if s.Source == nil {
		s.Source = []string{}
	}
	if s.RandomKeys == nil {
		s.RandomKeys = []string{}
	}
	if s.Flags == nil {
		s.Flags = map[string]string{}
	}
	if s.Notes == nil {
		s.Notes = []string{}
	}
	if s.Counters == nil {
		s.Counters = NewTally()
	}
	s.StartedAt, s.FinishedAt = s.StartedAt.UTC(), s.FinishedAt.UTC()
	return s
}

// MarshalSummary returns the summary's JSON (indented, final newline).
func MarshalSummary(s Summary) ([]byte, error) {
	b, err := json.MarshalIndent(s.normalized(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode summary: %w", err)
	}
	return append(b, '\n'), nil
}

// renderIssues bounds the issues of the text summary.
const renderIssues = 20

// RenderText writes the summary for people (stderr): objects by status
// and reason, values replaced by type and operator, what was not
// rewritten and why, notes. Write errors are ignored.
func RenderText(w io.Writer, s Summary) {
	s = s.normalized()
	c := s.Counters
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("piiscan %s: %s %s finished in %s\n", cmp.Or(s.Version, "dev"), cmp.Or(s.Mode, "redact"), s.RunID,
		time.Duration(s.DurationMS)*time.Millisecond)
	if s.Interrupted {
		p("INTERRUPTED: the objects written are complete; the others were not written\n")
	}
	p("policy %s -> %s\n", cmp.Or(s.Policy, "(default)"), s.Dest)
	p("\nObjects: %d listed, %d written, %d not written\n", c.Listed, c.Written, c.NotWritten)
	tw := termtable.NewWriter(w)
	for _, st := range []Status{StatusRewritten, StatusPartial, StatusCopied, StatusSkipped, StatusFailed} {
		if n := c.ByStatus[string(st)]; n > 0 {
			fmt.Fprintf(tw, "  %s\t%d\n", st, n)
		}
	}
	_ = tw.Flush()
	if len(c.ByReason) > 0 {
		p("Reasons:")
		for _, k := range slices.Sorted(maps.Keys(c.ByReason)) {
			p(" %s=%d", k, c.ByReason[k])
		}
		p("\n")
	}
	p("\nValues replaced: %d\n", c.Values)
	if c.Values > 0 {
		tw = termtable.NewWriter(w)
		fmt.Fprintln(tw, "  DATA TYPE\tOPERATOR\tVALUES")
		for _, dt := range slices.Sorted(maps.Keys(c.ByDataTypeOperator)) {
			ops := c.ByDataTypeOperator[dt]
			for _, op := range slices.Sorted(maps.Keys(ops)) {
				fmt.Fprintf(tw, "  %s\t%s\t%d\n", dt, op, ops[op])
			}
		}
		_ = tw.Flush()
	}
	if len(c.Redetectable) > 0 {
		p("Replacements that are valid identifiers again (a rescan reports them):")
		for _, k := range slices.Sorted(maps.Keys(c.Redetectable)) {
			p(" %s=%d", k, c.Redetectable[k])
		}
		p("\n")
	}
	if c.Guarded > 0 {
		p("Replacements that read as another identifier, replaced by the fallback instead: %d\n", c.Guarded)
	}
	if c.PartsEmptied > 0 {
		p("Office parts emptied (OLE objects, macros, ActiveX data, metafile pictures that do not parse: not readable, so none of their bytes were kept): %d\n", c.PartsEmptied)
	}
	if c.ImagesStripped > 0 {
		p("Pictures in Office documents written without their metadata (Exif GPS position, XMP): %d\n", c.ImagesStripped)
	}
	if c.ThumbnailsBlanked > 0 {
		p("Thumbnails of Office documents (the first page as a picture) replaced by a blank one: %d\n", c.ThumbnailsBlanked)
	}
	if c.NamesRewritten > 0 {
		p("Objects and archive members written under a name whose values were replaced: %d\n", c.NamesRewritten)
	}
	if c.TokensFailed > 0 {
		p("Tokens not decrypted (no key of the policy opens them): %d\n", c.TokensFailed)
	}
	if len(c.NotRewritten) > 0 {
		p("\nNot rewritten (or partly):\n")
		tw = termtable.NewWriter(w)
		for _, i := range c.NotRewritten[:min(len(c.NotRewritten), renderIssues)] {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", i.Status, cmp.Or(i.Reason, "-"), cmp.Or(i.Format, "-"), i.Object)
		}
		_ = tw.Flush()
		if more := int64(len(c.NotRewritten)-renderIssues) + c.IssuesDropped; more > 0 {
			p("  ... and %d more (see the JSON summary)\n", more)
		}
	}
	p("\nBytes: %d read, %d written\n", c.BytesRead, c.BytesWritten)
	if len(s.Notes) > 0 {
		p("\nNotes:\n")
		for _, n := range s.Notes {
			p("  - %s\n", n)
		}
	}
}
