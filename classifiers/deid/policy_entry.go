package deid

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

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
		if err := n.Decode(cfg); err != nil {
			_, err = yamlProblem(err)
			return err
		}
		return nil
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
