package rules

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed builtin.yaml
var builtinYAML []byte

//go:generate go test -run TestBuiltinGenerated -update .

// BuiltinName is the source name of the embedded pack in error messages.
const BuiltinName = "builtin.yaml"

// Pack is one rule file: the built-in pack or a user pack.
type Pack struct {
	// Version is a free-form pack version recorded in every finding.
	Version string `yaml:"version,omitempty"`
	Rules   []Rule `yaml:"rules"`
	// Allow lists values never reported, whatever the rule; each entry is
	// compared in the canonical form of the rule that matched.
	Allow []string `yaml:"allow,omitempty"`
	// AllowPatterns are regexp2 patterns matched against canonical values.
	AllowPatterns []string `yaml:"allow_patterns,omitempty"`
	// Disable turns off rules by id (built-in or from earlier packs).
	Disable []string `yaml:"disable,omitempty"`
	// Levels re-grades rules by id (built-in or from earlier packs) without
	// restating them: {cn_mobile: S3}.
	Levels map[string]string `yaml:"levels,omitempty"`
	// Fields names the column/key kinds record rules need, as field-name
	// tokens (see NormalizeFieldName): birth_date, latitude, longitude, subject.
	// Packs add to the built-in lists.
	Fields map[string][]string `yaml:"fields,omitempty"`
	// Source is the file the pack came from (not part of the YAML).
	Source string `yaml:"-"`
}

// Error is a problem in a rule pack. It names the file and, when it is about
// one rule, the rule id, so a user can find and fix it.
type Error struct {
	File string
	Rule string
	Err  error
}

func (e *Error) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("rule pack %s: rule %s: %v", e.File, e.Rule, e.Err)
	}
	return fmt.Sprintf("rule pack %s: %v", e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Builtin returns the embedded built-in pack, validated. It is built from
// builtin_gen.go, builtin.yaml as Load decodes it (TestBuiltinGenerated
// keeps the two equal): decoding 28 KB of YAML took 1.1-2.5 ms of every
// run's start, a tenth of a scan of a small folder.
func Builtin() (*Pack, error) {
	p := builtinPack()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for _, r := range p.Rules {
		if len(r.Examples.Match) == 0 || len(r.Examples.NoMatch) == 0 {
			return nil, &Error{File: BuiltinName, Rule: r.ID, Err: errors.New("built-in rules need match and no_match examples")}
		}
	}
	return p, nil
}

// BuiltinYAML returns the embedded pack's bytes (for `rules show` and docs).
func BuiltinYAML() []byte { return bytes.Clone(builtinYAML) }

// LoadFile reads and validates a user pack from a file.
func LoadFile(path string) (*Pack, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	defer f.Close()
	return Load(f, path)
}

// Load decodes a pack strictly (unknown keys are errors) and validates it.
// name is used in error messages. Bad input returns an *Error, never a panic.
func Load(r io.Reader, name string) (*Pack, error) {
	// A rule pack is a small file; refuse anything absurd rather than
	// letting a hostile file exhaust memory.
	data, err := io.ReadAll(io.LimitReader(r, 8<<20+1))
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("read: %w", err)}
	}
	if len(data) > 8<<20 {
		return nil, &Error{File: name, Err: errors.New("file larger than 8 MiB")}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Pack
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Err: errors.New("empty file: want a mapping with a rules list")}
		}
		return nil, &Error{File: name, Err: yamlError(data, err)}
	}
	p.Source = name
	for i := range p.Rules {
		p.Rules[i].Source = name
		// A level is matched in any case but written to findings as given:
		// store the catalogue's spelling, so "s2" and "S2" are one grade in
		// findings and summaries. A bad level is left for Validate to name.
		if lv, err := ParseLevel(p.Rules[i].Level); err == nil {
			p.Rules[i].Level = lv
		}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks every rule and the pack-level lists.
func (p *Pack) Validate() error {
	seen := map[string]bool{}
	for i, r := range p.Rules {
		id := r.ID
		if id == "" {
			id = fmt.Sprintf("#%d", i+1)
		}
		if seen[r.ID] {
			return &Error{File: p.Source, Rule: id, Err: errors.New("duplicate id")}
		}
		seen[r.ID] = true
		if err := r.Validate(); err != nil {
			return &Error{File: p.Source, Rule: id, Err: err}
		}
	}
	for k := range p.Fields {
		if !slices.Contains(FieldKinds, k) {
			return &Error{File: p.Source, Err: fmt.Errorf("fields: unknown kind %q, want one of %v", k, FieldKinds)}
		}
	}
	for _, pat := range p.AllowPatterns {
		if err := checkPattern(pat); err != nil {
			return &Error{File: p.Source, Err: fmt.Errorf("allow_patterns: %w", err)}
		}
	}
	return nil
}

// Ruleset is the merged, enabled set of rules a scan runs with.
type Ruleset struct {
	Rules         []Rule
	Allow         []string
	AllowPatterns []string
	Fields        map[string][]string
	// Version joins the packs' versions; Hash is a digest of the merged rules.
	Version string
	Hash    string
}

// ID is the value of the findings' ruleset column: version and short hash.
func (rs *Ruleset) ID() string { return rs.Version + "+" + rs.Hash[:12] }

// Merge combines packs in order: a later rule with the same id replaces the
// earlier one (so a user pack can re-grade a built-in type), Disable lists
// switch rules off, and allow lists are unioned.
func Merge(packs ...*Pack) (*Ruleset, error) {
	var order []string
	byID := map[string]Rule{}
	disabled := map[string]bool{}
	rs := &Ruleset{}
	var versions []string
	for _, p := range packs {
		if p == nil {
			continue
		}
		if p.Version != "" {
			versions = append(versions, p.Version)
		}
		for _, r := range p.Rules {
			if _, ok := byID[r.ID]; !ok {
				order = append(order, r.ID)
			}
			byID[r.ID] = r
			delete(disabled, r.ID)
		}
		for id, level := range p.Levels {
			r, ok := byID[id]
			if !ok {
				return nil, &Error{File: p.Source, Rule: id, Err: errors.New("levels: no such rule")}
			}
			lv, err := ParseLevel(level)
			if err != nil {
				return nil, &Error{File: p.Source, Rule: id, Err: fmt.Errorf("levels: %w", err)}
			}
			r.Level = lv
			byID[id] = r
		}
		for _, id := range p.Disable {
			if _, ok := byID[id]; !ok {
				return nil, &Error{File: p.Source, Rule: id, Err: errors.New("disable: no such rule")}
			}
			disabled[id] = true
		}
		for k, v := range p.Fields {
			if rs.Fields == nil {
				rs.Fields = map[string][]string{}
			}
			rs.Fields[k] = append(rs.Fields[k], v...)
		}
		rs.Allow = append(rs.Allow, p.Allow...)
		rs.AllowPatterns = append(rs.AllowPatterns, p.AllowPatterns...)
	}
	for _, id := range order {
		r := byID[id]
		if disabled[id] || r.Disabled {
			continue
		}
		rs.Rules = append(rs.Rules, r)
	}
	if len(versions) == 0 {
		versions = []string{"unversioned"}
	}
	rs.Version = strings.Join(versions, "+")
	rs.Hash = hashRuleset(rs)
	return rs, nil
}

// hashRuleset digests the merged rules in a stable form, so that a change of
// any rule, allow list or pack order changes the hash (and incremental scans
// rescan everything).
func hashRuleset(rs *Ruleset) string {
	rules := append([]Rule(nil), rs.Rules...)
	for i := range rules {
		rules[i].Source = ""
	}
	allow := append([]string(nil), rs.Allow...)
	sort.Strings(allow)
	v := struct {
		Rules         []Rule
		Allow         []string
		AllowPatterns []string
		Fields        map[string][]string
	}{rules, allow, rs.AllowPatterns, rs.Fields}
	// JSON, not YAML: the same canonical content (sorted map keys) in a
	// thirtieth of the time, which every run pays at start-up. The value is
	// strings, numbers, slices and string-keyed maps: it cannot fail.
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
