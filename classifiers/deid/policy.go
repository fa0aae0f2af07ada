package deid

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
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
		return nil, perr("", 0, err)
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

// keyring resolves key_env names once per policy.
type keyring struct {
	env           Env
	keys          map[string][]byte
	randomIfUnset bool
	random        []string
}

// envName is a conventional environment variable name. Checking it keeps
// a key pasted into key_env by mistake out of error messages.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (kr *keyring) key(name string) ([]byte, error) {
	if name == "" {
		name = DefaultKeyEnv
	}
	if !envName.MatchString(name) {
		return nil, errors.New("key_env must name an environment variable (letters, digits, _), not hold a key")
	}
	if k, ok := kr.keys[name]; ok {
		return k, nil
	}
	v, ok := kr.env(name)
	switch {
	case !ok || v == "":
		if !kr.randomIfUnset {
			return nil, fmt.Errorf("environment variable %s (key_env) is not set", name)
		}
		k := make([]byte, 32)
		randRead(k)
		kr.keys[name] = k
		kr.random = append(kr.random, name)
		return k, nil
	case len(v) < MinKeyBytes:
		return nil, fmt.Errorf("environment variable %s (key_env) holds %d bytes, want at least %d", name, len(v), MinKeyBytes)
	}
	kr.keys[name] = []byte(v)
	return kr.keys[name], nil
}

// operatorOptions lists the keys each operator accepts besides
// "operator"; they are the yaml tags of its config struct.
var operatorOptions = map[string]any{
	"mask":       MaskConfig{},
	"hash":       HashConfig{},
	"encrypt":    EncryptConfig{},
	"ff1":        FF1Config{},
	"generalize": GeneralizeConfig{},
	"substitute": SubstituteConfig{},
	"redact":     struct{}{},
	"tag": struct {
		Format string `yaml:"format"`
	}{},
}

// OperatorNames lists the operators a policy may name, sorted.
func OperatorNames() []string {
	names := make([]string, 0, len(operatorOptions))
	for n := range operatorOptions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func optionNames(cfg any) []string {
	t := reflect.TypeOf(cfg)
	var out []string
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" {
			out = append(out, strings.Split(tag, ",")[0])
		}
	}
	return out
}

// buildOperator reads one entry: an operator name ("redact") or a mapping
// with an operator key and that operator's options.
func buildOperator(n *yaml.Node, kr *keyring) (Operator, error) {
	var opName string
	switch n.Kind {
	case yaml.ScalarNode:
		opName = n.Value
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "operator" {
				opName = n.Content[i+1].Value
			}
		}
		if opName == "" {
			return nil, errors.New("missing operator (one of " + strings.Join(OperatorNames(), ", ") + ")")
		}
	default:
		return nil, errors.New("want an operator name or a mapping with operator and its options")
	}
	proto, ok := operatorOptions[opName]
	if !ok {
		return nil, fmt.Errorf("unknown operator %q, want one of %s", opName, strings.Join(OperatorNames(), ", "))
	}
	known := optionNames(proto)
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			switch {
			case k == "operator":
			case k == "key" || k == "seed" || k == "secret":
				return nil, fmt.Errorf("inline %s is not allowed: put it in an environment variable and name that with key_env", k)
			case !slices.Contains(known, k):
				return nil, fmt.Errorf("unknown option %q for %s (known: %s)", k, opName, strings.Join(known, ", "))
			}
		}
	}
	decode := func(cfg any) error {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		return n.Decode(cfg)
	}
	switch opName {
	case "redact":
		return Redact{}, nil
	case "tag":
		var c struct {
			Format string `yaml:"format"`
		}
		if err := decode(&c); err != nil {
			return nil, err
		}
		return Tag{Format: c.Format}, nil
	case "mask":
		var c MaskConfig
		if err := decode(&c); err != nil {
			return nil, err
		}
		return NewMask(c)
	case "generalize":
		var c GeneralizeConfig
		if err := decode(&c); err != nil {
			return nil, err
		}
		return NewGeneralize(c)
	case "hash":
		var c HashConfig
		if err := decode(&c); err != nil {
			return nil, err
		}
		k, err := kr.key(c.KeyEnv)
		if err != nil {
			return nil, err
		}
		return NewHash(c, k)
	case "encrypt":
		var c EncryptConfig
		if err := decode(&c); err != nil {
			return nil, err
		}
		k, err := kr.key(c.KeyEnv)
		if err != nil {
			return nil, err
		}
		return NewEncrypt(c, k)
	case "ff1":
		var c FF1Config
		if err := decode(&c); err != nil {
			return nil, err
		}
		k, err := kr.key(c.KeyEnv)
		if err != nil {
			return nil, err
		}
		return NewFF1(c, k)
	default: // substitute
		var c SubstituteConfig
		if err := decode(&c); err != nil {
			return nil, err
		}
		k, err := kr.key(c.KeyEnv)
		if err != nil {
			return nil, err
		}
		return NewSubstitute(c, k)
	}
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
