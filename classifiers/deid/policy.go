package deid

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/piiscan/piiscan/rules"
)

// DefaultKeyEnv is the environment variable keyed operators read when an
// entry names none.
const DefaultKeyEnv = "PIISCAN_REDACT_KEY"

//go:embed default_policy.yaml
var defaultPolicyYAML []byte

// DefaultPolicyYAML returns the default policy's source, a starting point
// for a policy of one's own.
func DefaultPolicyYAML() []byte { return bytes.Clone(defaultPolicyYAML) }

// Env looks up an environment variable, as os.LookupEnv does.
type Env func(name string) (string, bool)

// Policy chooses an operator per data type, per category and by default.
// It is immutable after loading and safe for concurrent use.
type Policy struct {
	name       string
	types      map[string]Operator
	categories map[string]Operator
	def        Operator
	fallback   Operator
	encrypts   []*Encrypt
	randomKeys []string
}

// PolicyError is a policy that cannot be loaded: it names the file, the
// entry ("types.cn_mobile", "fallback") and, when known, the line.
type PolicyError struct {
	File  string
	Entry string
	Line  int
	Err   error
}

// Error returns "policy FILE: ENTRY (line N): cause".
func (e *PolicyError) Error() string {
	var b strings.Builder
	b.WriteString("policy ")
	b.WriteString(e.File)
	if e.Entry != "" {
		b.WriteString(": ")
		b.WriteString(e.Entry)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *PolicyError) Unwrap() error { return e.Err }

// yamlProblem rewrites a decoder's type error for the policy's author, as
// for a rule pack (rules.YAMLTypeProblems): a value of the wrong kind is
// described, not quoted (yaml.v3 quotes its first characters, which may be
// a real value's), and a misspelt key is named with the key it likely
// means. It returns the problem's line when there is one problem.
func yamlProblem(err error) (int, error) {
	lines, texts := rules.YAMLTypeProblems(err, func(typ string) (string, []string) {
		if typ == "policyFile" {
			return "the policy", rules.YAMLKeys(policyFile{})
		}
		return "an entry", nil
	})
	switch len(texts) {
	case 0:
		return 0, err
	case 1:
		return lines[0], errors.New(texts[0])
	}
	for i, t := range texts {
		if lines[i] > 0 {
			texts[i] = fmt.Sprintf("line %d: %s", lines[i], t)
		}
	}
	return 0, errors.New(strings.Join(texts, "; "))
}

// policyFile is the YAML schema. Entries are nodes: their keys depend on
// the operator and are checked one by one.
type policyFile struct {
	Version    int                  `yaml:"version"`
	Fallback   yaml.Node            `yaml:"fallback"`
	Default    yaml.Node            `yaml:"default"`
	Categories map[string]yaml.Node `yaml:"categories"`
	Types      map[string]yaml.Node `yaml:"types"`
}

// LoadPolicy reads a policy from r; name (the file) is used in errors.
// Keys are read from the environment variables the policy names; a
// variable that is unset or shorter than MinKeyBytes is an error.
func LoadPolicy(r io.Reader, name string) (*Policy, error) {
	return LoadPolicyEnv(r, name, os.LookupEnv)
}

// LoadPolicyEnv is LoadPolicy with another source of environment
// variables.
func LoadPolicyEnv(r io.Reader, name string, env Env) (*Policy, error) {
	return loadPolicy(r, name, &keyring{env: env, keys: map[string][]byte{}})
}

// DefaultPolicy returns the built-in policy (default_policy.yaml, see the
// package doc). Its keyed operators read PIISCAN_REDACT_KEY; when that is
// unset a random key is used for the run and RandomKeys says so: tokens
// then cannot be reversed or joined across runs.
func DefaultPolicy() (*Policy, error) { return DefaultPolicyEnv(os.LookupEnv) }

// DefaultPolicyEnv is DefaultPolicy with another source of environment
// variables.
func DefaultPolicyEnv(env Env) (*Policy, error) {
	return loadPolicy(bytes.NewReader(defaultPolicyYAML), "(default)",
		&keyring{env: env, keys: map[string][]byte{}, randomIfUnset: true})
}

func loadPolicy(r io.Reader, name string, kr *keyring) (*Policy, error) {
	perr := func(entry string, line int, err error) error {
		return &PolicyError{File: name, Entry: entry, Line: line, Err: err}
	}
	var f policyFile
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, perr("", 0, errors.New("empty policy"))
		}
		line, err := yamlProblem(err)
		return nil, perr("", line, err)
	}
	if f.Version != 1 {
		return nil, perr("version", 0, fmt.Errorf("version %d, want 1", f.Version))
	}
	p := &Policy{name: name, types: map[string]Operator{}, categories: map[string]Operator{}}
	build := func(entry string, n *yaml.Node) (Operator, error) {
		op, err := buildOperator(n, kr)
		if err != nil {
			return nil, perr(entry, n.Line, err)
		}
		if e, ok := op.(*Encrypt); ok {
			p.encrypts = append(p.encrypts, e)
		}
		return op, nil
	}
	var err error
	p.fallback, p.def = Redact{}, Tag{}
	if !f.Fallback.IsZero() {
		if p.fallback, err = build("fallback", &f.Fallback); err != nil {
			return nil, err
		}
		if n := p.fallback.Name(); n != "redact" && n != "tag" {
			return nil, perr("fallback", f.Fallback.Line, fmt.Errorf("operator %s can fail; the fallback must be redact or tag", n))
		}
	}
	if !f.Default.IsZero() {
		if p.def, err = build("default", &f.Default); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedKeys(f.Categories) {
		n := f.Categories[k]
		if p.categories[k], err = build("categories."+k, &n); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedKeys(f.Types) {
		n := f.Types[k]
		if p.types[k], err = build("types."+k, &n); err != nil {
			return nil, err
		}
	}
	p.randomKeys = kr.random
	return p, nil
}

func sortedKeys(m map[string]yaml.Node) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Name returns the file the policy was loaded from, or "(default)".
func (p *Policy) Name() string { return p.name }

// RandomKeys lists the key variables that were unset when the default
// policy was loaded and were replaced by random per-run keys.
func (p *Policy) RandomKeys() []string { return slices.Clone(p.randomKeys) }

// For returns the operator for a data type: the type's entry, else its
// category's, else the default.
func (p *Policy) For(dataType, category string) Operator {
	if op, ok := p.types[dataType]; ok {
		return op
	}
	if op, ok := p.categories[category]; ok {
		return op
	}
	return p.def
}

// Fallback returns the operator applied when the chosen one gives
// ErrUnsupported: redact or tag.
func (p *Policy) Fallback() Operator { return p.fallback }

// Apply de-identifies one value with the operator For chooses, falling
// back to Fallback on ErrUnsupported. It returns the name of the operator
// that produced the result, for the summary's counters.
func (p *Policy) Apply(ctx OpContext, value []byte) (out []byte, operator string, err error) {
	op := p.For(ctx.DataType, ctx.Category)
	out, err = op.Apply(ctx, value)
	if err == nil {
		return out, op.Name(), nil
	}
	if !errors.Is(err, ErrUnsupported) {
		return nil, op.Name(), err
	}
	out, err = p.fallback.Apply(ctx, value)
	return out, p.fallback.Name(), err
}

// Decrypt returns the value of an encrypt token, trying the policy's
// encrypt operators of the token's algorithm (authentication tells which
// key made it).
func (p *Policy) Decrypt(token []byte) ([]byte, error) {
	alg, _, err := ParseToken(token)
	if err != nil {
		return nil, err
	}
	err = fmt.Errorf("decrypt %s: %w: %w", alg, ErrToken, errNoKey)
	for _, e := range p.encrypts {
		if e.Algorithm() != alg {
			continue
		}
		v, derr := e.Decrypt(token)
		if derr == nil {
			return v, nil
		}
		err = derr
	}
	return nil, err
}
