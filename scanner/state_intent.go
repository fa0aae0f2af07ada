package scanner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/piiscan/piiscan/rules"
)

// IntentFormat is the version of the intent record format, the value of
// its "piiscan_intent" key.
const IntentFormat = 1

// StateIntent is the write-ahead record of one checkpoint of an
// incremental run. The run writes it beside the state before it publishes
// a part of its outputs, and removes it once the state that records the
// part's objects is saved. A record found when a run starts therefore
// means that the run before it died in between (a SIGKILL, an OOM kill, a
// lost node), and says what to do:
//
//   - the part's last file (Files) was published: the part is in the
//     dataset, and its objects go into the state (State.Adopt), or they
//     would be scanned, and written, a second time;
//   - it was not: the part is not in the dataset, its other files are
//     removed and its objects are scanned again;
//   - the state was saved after the record was written (WrittenAt differs
//     from StateWrittenAt): the record is stale, the state already says
//     what the part holds.
//
// It is small: one line of the state per object of the part.
type StateIntent struct {
	Format  int    `json:"piiscan_intent"`
	ScanID  string `json:"scan_id"`
	Shard   string `json:"shard"`
	Part    int    `json:"part"`
	Ruleset string `json:"ruleset"` // the run's ruleset hash
	// StateWrittenAt is the WrittenAt of the last state saved before the
	// record (zero when there was none).
	StateWrittenAt time.Time `json:"state_written_at"`
	// Files are the part's files where they are published (a local path
	// or oss://bucket/key), in the order they are published: the part is
	// in the dataset exactly when the last one exists.
	Files   []string      `json:"files"`
	Objects []IntentEntry `json:"objects"`
}

// IntentEntry is one object of a StateIntent: what State.Record notes.
type IntentEntry struct {
	Key     string `json:"k"`
	Version string `json:"v"`
	At      int64  `json:"t"` // scanned_at, Unix milliseconds
	Outcome string `json:"s"` // status, or status/reason
	Level   string `json:"l,omitempty"`
}

// NewIntentEntry returns what Record(o, status, reason, at, level) would
// note, and false when Record would note nothing (unchanged rows and
// objects without a version).
func NewIntentEntry(o ObjectInfo, status Status, reason Reason, at time.Time, level string) (IntentEntry, bool) {
	v := o.Version()
	if reason == ReasonUnchanged || v == "" {
		return IntentEntry{}, false
	}
	return IntentEntry{Key: o.Key, Version: v, At: at.UnixMilli(), Outcome: outcomeName(status, reason), Level: level}, true
}

// outcomeName is the state's name of an outcome: the status, and the
// reason after a slash when there is one.
func outcomeName(status Status, reason Reason) string {
	if reason == ReasonNone {
		return string(status)
	}
	return string(status) + "/" + string(reason)
}

// Encode writes the record as one JSON document.
func (in *StateIntent) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		return fmt.Errorf("write intent record: %w", err)
	}
	return nil
}

// ReadIntent reads a record written by Encode. Another format version, a
// record without files or an object without key, version or outcome is
// an error: a record that cannot be trusted must not make a scan skip
// objects.
func ReadIntent(r io.Reader) (*StateIntent, error) {
	var in StateIntent
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return nil, fmt.Errorf("read intent record: %w", err)
	}
	switch {
	case in.Format != IntentFormat:
		return nil, fmt.Errorf("read intent record: format %d, this piiscan reads format %d", in.Format, IntentFormat)
	case in.ScanID == "" || in.Part < 1 || len(in.Files) == 0:
		return nil, errors.New("read intent record: no scan id, part or files")
	}
	for i, e := range in.Objects {
		if e.Key == "" || e.Version == "" || e.Outcome == "" {
			return nil, fmt.Errorf("read intent record: object %d: missing key, version or outcome", i)
		}
	}
	return &in, nil
}

// Adopt records the objects of a part that a killed run published but
// did not get to record, as that run's Record would have: under its scan
// id and ruleset. The run becomes one that this run resumes, like the
// writer of an unfinished state, so that its objects are skipped whatever
// their outcome (an object it found too large has its row in the part
// too). It returns the number of objects recorded.
func (s *State) Adopt(in *StateIntent) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	run, rs := s.runs.id(in.ScanID), s.rulesets.id(in.Ruleset)
	s.pending[run] = true
	for _, e := range in.Objects {
		// Not seen: this run has not listed the object yet.
		s.entries[e.Key] = stateEntry{version: e.Version, at: e.At, ruleset: rs, outcome: s.outcome(e.Outcome), run: run, level: uint8(rules.LevelRank(e.Level))}
	}
	return len(in.Objects)
}
