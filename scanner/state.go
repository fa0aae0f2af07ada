package scanner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/piiscan/piiscan/rules"
)

// StateFormat is the version of the incremental state format, the value of
// the header's "piiscan_state" key.
const StateFormat = 1

// maxStateLine bounds one line of a state file (keys are at most a few KiB).
const maxStateLine = 1 << 20

// StateRun describes the run that uses a State.
type StateRun struct {
	ScanID    string
	Shard     string // "-shard-1-of-3" or ""
	StartedAt time.Time
	// Ruleset is the ruleset hash (rules.Ruleset.Hash); entries of another
	// ruleset are rescanned.
	Ruleset string
}

// StateHeader is the first line of a state file. Entries refer to its
// Rulesets and Runs by index, so that the 64-character ruleset hash and
// the scan ids are not repeated on every line.
type StateHeader struct {
	Format    int       `json:"piiscan_state"`
	ScanID    string    `json:"scan_id"` // the run that wrote the file
	Shard     string    `json:"shard"`
	StartedAt time.Time `json:"started_at"`
	WrittenAt time.Time `json:"written_at"`
	// Complete is false while the writer runs (checkpoints) and when it
	// was interrupted; only a complete run's state drops the objects it
	// did not list.
	Complete bool  `json:"complete"`
	Objects  int64 `json:"objects"`
	// Parts is the number of output parts the writer had published when
	// it wrote the state; a run that resumes under the same scan id
	// numbers its parts after them.
	Parts int `json:"parts"`
	// Rulesets and Runs are the ruleset hashes and scan ids the entries
	// refer to.
	Rulesets []string `json:"rulesets"`
	Runs     []string `json:"runs"`
	// Pending lists the runs since the last complete one: the interrupted
	// or crashed run and the resumes that followed (and a run whose last
	// part was recovered from its intent record, StateIntent). An object they
	// recorded has a row in their outputs, so it is skipped whatever its
	// outcome as long as its version and ruleset are unchanged.
	Pending []string `json:"pending"`
}

// stateLine is one object of a state file (JSON Lines, sorted by key):
//
//	{"k":"oss://b/a.csv","v":"5B3C…","t":1763856000000,"s":"complete","r":0,"n":0}
type stateLine struct {
	Key     string `json:"k"`           // the object column
	Version string `json:"v"`           // object_version: ETag, or size-mtime for files
	At      int64  `json:"t"`           // scanned_at, Unix milliseconds
	Outcome string `json:"s"`           // status, or status/reason
	Ruleset int    `json:"r"`           // index into StateHeader.Rulesets
	Run     int    `json:"n"`           // index into StateHeader.Runs
	Level   string `json:"l,omitempty"` // the highest sensitivity of its findings
}

// stateEntry is a stateLine in memory: 32 bytes plus the key and version
// strings and the map's own overhead (see State).
type stateEntry struct {
	version string
	at      int64
	ruleset uint16
	outcome uint16
	run     uint16
	level   uint8 // highest sensitivity of its findings, 1..4 (S1..S4); 0 none
	seen    bool  // listed by this run
}

// State is the incremental state: per object key, the version, ruleset
// and time of its last scan and its outcome. Run asks it about each
// listed object (Skip, as Config.Skip) and cmd records the objects whose
// rows are safely written (Record), then saves it (Encode). It is safe for
// concurrent use.
//
// Memory: the key and version strings plus about 80 bytes (a 32-byte
// entry, the key's string header, the map slot and its growth slack):
// TestStateMemory measures ~170 bytes per object for 58-byte OSS keys and
// 32-character ETags, so ~170 MB for a million objects; Encode adds 16
// bytes per object while it sorts. Shards divide it, since each shard
// keeps the state of its own objects only.
type State struct {
	mu       sync.Mutex
	run      StateRun
	prev     StateHeader
	entries  map[string]stateEntry
	rulesets strTable
	runs     strTable
	outcomes strTable
	final    []bool          // by outcome index: unchanged objects are skipped
	pending  map[uint16]bool // run indexes of the unfinished sequence
	rs, self uint16          // this run's ruleset and run index
	stats    StateStats
}

// StateStats counts what a State saw.
type StateStats struct {
	// Loaded is the number of entries read; OtherRuleset how many of them
	// were made with another ruleset (and are rescanned).
	Loaded, OtherRuleset int64
	// Unchanged counts objects skipped as unchanged.
	Unchanged int64
	// Resumed is true when the state was written by an interrupted or
	// crashed run, whose objects are not scanned again.
	Resumed bool
}

// NewState returns an empty state for run.
func NewState(run StateRun) *State {
	s := &State{run: run, entries: map[string]stateEntry{}, pending: map[uint16]bool{}}
	s.rs = s.rulesets.id(run.Ruleset)
	s.self = s.runs.id(run.ScanID)
	return s
}

// ReadState reads a state file written by Encode. A file of another
// format version, a malformed line or indexes out of range are errors:
// a state that cannot be trusted must not make a scan skip objects.
func ReadState(r io.Reader, run StateRun) (*State, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := readStateLine(br)
	if err != nil {
		return nil, fmt.Errorf("read state header: %w", err)
	}
	var h StateHeader
	if err := json.Unmarshal(head, &h); err != nil {
		return nil, fmt.Errorf("read state header: %w", err)
	}
	if h.Format != StateFormat {
		return nil, fmt.Errorf("read state: format %d, this piiscan reads format %d", h.Format, StateFormat)
	}
	if !h.Complete && h.ScanID == run.ScanID && !h.StartedAt.IsZero() {
		// A retry of an unfinished run continues it: the run started when
		// its first attempt did (its dt= partition), and a further retry
		// must read that start again.
		run.StartedAt = h.StartedAt
	}
	s := NewState(run)
	s.prev = h
	rsIdx := make([]uint16, len(h.Rulesets))
	for i, v := range h.Rulesets {
		rsIdx[i] = s.rulesets.id(v)
	}
	runIdx := make([]uint16, len(h.Runs))
	for i, v := range h.Runs {
		runIdx[i] = s.runs.id(v)
	}
	if !h.Complete {
		// Resume: the unfinished runs so far, and the writer itself.
		s.stats.Resumed = true
		for _, id := range append(slices.Clone(h.Pending), h.ScanID) {
			s.pending[s.runs.id(id)] = true
		}
	}
	for n := 2; ; n++ {
		line, err := readStateLine(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read state line %d: %w", n, err)
		}
		var l stateLine
		if err := json.Unmarshal(line, &l); err != nil {
			return nil, fmt.Errorf("read state line %d: %w", n, err)
		}
		if l.Key == "" || l.Ruleset < 0 || l.Ruleset >= len(rsIdx) || l.Run < 0 || l.Run >= len(runIdx) || l.Outcome == "" {
			return nil, fmt.Errorf("read state line %d: missing key or outcome, or an index out of range", n)
		}
		e := stateEntry{version: l.Version, at: l.At, ruleset: rsIdx[l.Ruleset], run: runIdx[l.Run], outcome: s.outcome(l.Outcome), level: uint8(rules.LevelRank(l.Level))}
		if e.ruleset != s.rs {
			s.stats.OtherRuleset++
		}
		s.entries[l.Key] = e
		s.stats.Loaded++
	}
	if s.rulesets.full() || s.runs.full() || s.outcomes.full() {
		return nil, errors.New("read state: more than 65535 rulesets, runs or outcomes")
	}
	return s, nil
}

// readStateLine returns the next non-empty line without its newline.
func readStateLine(br *bufio.Reader) ([]byte, error) {
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A long key: collect the line, within maxStateLine.
			long := slices.Clone(line)
			for errors.Is(err, bufio.ErrBufferFull) && len(long) <= maxStateLine {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			if len(long) > maxStateLine {
				return nil, fmt.Errorf("line longer than %d bytes", maxStateLine)
			}
			line = long
		}
		if err != nil && !(err == io.EOF && len(line) > 0) {
			return nil, err
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			return line, nil
		}
	}
}

// Header returns the header of the state that was read (zero for a new
// state).
func (s *State) Header() StateHeader { return s.prev }

// Len returns the number of objects in the state.
func (s *State) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// Stats returns the counters so far.
func (s *State) Stats() StateStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Skip implements Config.Skip: an object whose version and ruleset are
// those of its last scan is skipped as unchanged when that scan was
// final (complete; partial because malformed or over an archive limit;
// skipped as empty or unsupported), or when it was made by an unfinished
// run that this one resumes. Other outcomes (failed, timeout, too_large,
// sampled_out, ...) are tried again. Objects without a version (stdin)
// are always scanned.
func (s *State) Skip(o ObjectInfo) (Reason, string) { return s.skip(o, true) }

// WouldSkip implements Config.WouldSkip: whether Skip would skip o,
// without marking the object seen or counting it.
func (s *State) WouldSkip(o ObjectInfo) bool {
	r, _ := s.skip(o, false)
	return r != ReasonNone
}

func (s *State) skip(o ObjectInfo, mark bool) (Reason, string) {
	v := o.Version()
	if v == "" {
		return ReasonNone, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[o.Key]
	if !ok {
		return ReasonNone, ""
	}
	if !e.seen && mark {
		e.seen = true
		s.entries[o.Key] = e
	}
	resumed := s.pending[e.run]
	if e.version != v || e.ruleset != s.rs || !(resumed || s.final[e.outcome]) {
		return ReasonNone, ""
	}
	if !mark {
		return ReasonUnchanged, ""
	}
	s.stats.Unchanged++
	at := time.UnixMilli(e.at).UTC().Format(time.RFC3339)
	if resumed {
		return ReasonUnchanged, fmt.Sprintf("unchanged: scanned at %s by run %s, which this run resumes (same object_version and ruleset)", at, s.runs.name(e.run))
	}
	return ReasonUnchanged, fmt.Sprintf("unchanged since its scan at %s (same object_version and ruleset)", at)
}

// EarlierAttempt reports whether key's entry was written by an earlier
// attempt of this very scan id (an interrupted run resumed under the same
// --scan-id): its rows are already in a part of this scan, so a second row
// would count it twice. It returns the highest sensitivity of the
// object's findings ("" when none).
func (s *State) EarlierAttempt(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok || s.run.ScanID == "" || s.runs.name(e.run) != s.run.ScanID {
		return "", false
	}
	return rules.LevelName(int(e.level)), true
}

// Level returns the highest sensitivity of the findings of key's last
// scan ("" when it had none, or key has no entry). An object skipped as
// unchanged still holds them, so --fail-on counts them.
func (s *State) Level(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok {
		return ""
	}
	return rules.LevelName(int(e.level))
}

// Record notes the outcome of a scanned object and the highest
// sensitivity of its findings. Call it only once the object's rows are in
// a published file: an object in the state is not scanned again by a
// resumed run. Unchanged rows and objects without a version are not
// recorded (the former keep their entry).
func (s *State) Record(o ObjectInfo, status Status, reason Reason, at time.Time, level string) {
	v := o.Version()
	if reason == ReasonUnchanged || v == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[o.Key] = stateEntry{version: v, at: at.UnixMilli(), ruleset: s.rs, outcome: s.outcome(outcomeName(status, reason)), run: s.self, level: uint8(rules.LevelRank(level)), seen: true}
}

// outcome interns an outcome and notes whether it is final. Callers hold
// mu (or own s exclusively).
func (s *State) outcome(o string) uint16 {
	id := s.outcomes.id(o)
	for len(s.final) <= int(id) {
		s.final = append(s.final, finalOutcome(s.outcomes.name(uint16(len(s.final)))))
	}
	return id
}

// finalOutcome reports outcomes that a rescan of the same bytes under the
// same rules would repeat.
func finalOutcome(o string) bool {
	switch o {
	case "complete", "partial/malformed", "partial/archive_limit", "skipped/empty", "skipped/unsupported_format":
		return true
	}
	return false
}

// Encode writes the state as JSON Lines: the header, then one line per
// object sorted by key. complete says the run listed everything (it was
// not interrupted): objects it did not list are dropped, since they were
// deleted, excluded or moved to another shard. An unfinished run keeps
// every entry, so a resumed run still knows the objects it has not listed
// yet, and marks itself pending.
func (s *State) Encode(w io.Writer, complete bool, parts int, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if complete {
		for k, e := range s.entries {
			if !e.seen {
				delete(s.entries, k)
			}
		}
	}
	keys := make([]string, 0, len(s.entries))
	for k := range s.entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// Renumber the rulesets and runs the entries use.
	rsMap, runMap := map[uint16]int{}, map[uint16]int{}
	h := StateHeader{Format: StateFormat, ScanID: s.run.ScanID, Shard: s.run.Shard, StartedAt: s.run.StartedAt.UTC(),
		WrittenAt: now.UTC(), Complete: complete, Objects: int64(len(keys)), Parts: parts, Rulesets: []string{}, Runs: []string{}, Pending: []string{}}
	use := func(m map[uint16]int, list *[]string, t *strTable, id uint16) int {
		if i, ok := m[id]; ok {
			return i
		}
		m[id] = len(*list)
		*list = append(*list, t.name(id))
		return m[id]
	}
	for _, k := range keys { // the header comes first: a pass for its tables
		e := s.entries[k]
		use(rsMap, &h.Rulesets, &s.rulesets, e.ruleset)
		use(runMap, &h.Runs, &s.runs, e.run)
	}
	if !complete {
		for id := range s.pending {
			if id != s.self {
				h.Pending = append(h.Pending, s.runs.name(id))
			}
		}
		slices.Sort(h.Pending)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	var l stateLine
	for _, k := range keys {
		e := s.entries[k]
		l = stateLine{Key: k, Version: e.version, At: e.at, Outcome: s.outcomes.name(e.outcome),
			Ruleset: rsMap[e.ruleset], Run: runMap[e.run], Level: rules.LevelName(int(e.level))}
		if err := enc.Encode(&l); err != nil {
			return fmt.Errorf("write state: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

// strTable interns the few distinct strings of a state (rulesets, runs,
// outcomes) as small integers.
type strTable struct {
	ids   map[string]uint16
	names []string
}

func (t *strTable) id(s string) uint16 {
	if i, ok := t.ids[s]; ok {
		return i
	}
	if t.ids == nil {
		t.ids = map[string]uint16{}
	}
	if len(t.names) > 0xFFFF {
		return 0xFFFF // full(): reported by ReadState
	}
	i := uint16(len(t.names))
	t.ids[s] = i
	t.names = append(t.names, s)
	return i
}

func (t *strTable) name(i uint16) string {
	if int(i) < len(t.names) {
		return t.names[i]
	}
	return ""
}

func (t *strTable) full() bool { return len(t.names) > 0xFFFF }
