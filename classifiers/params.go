package classifiers

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/piiscan/piiscan/rules"
)

// params are a rule's detector settings from `params:` in the YAML,
// compiled once.
type params struct {
	terms    []keyword       // dictionary values (lower-cased ASCII), longest first
	empty    map[string]bool // values that mean "none" (lower-cased)
	anyValue bool            // any value of a hinted field is a finding
	icd10    bool            // ICD-10 codes near the rule's keywords
	minDims  int             // biometric vectors: fewest numbers
	minBytes int             // biometric blobs: fewest decoded bytes
	weak     []fieldToken    // person names: fields that need a companion finding
	roles    []fieldToken    // person names: role labels (顾客) the last key must be whole, weak too
	parts    []fieldToken    // person names: fields holding one part (first_name)
	notName  []keyword       // person names: words of organisations and places (weak fields)
	generic  []fieldToken    // biometric vectors: field names that do not say whose (embedding)
	subject  []fieldToken    // biometric vectors: words that do (face, user, 人脸)
	// subjects: prose phrases of a person and a copula (他是, 本人系) right
	// before which a value ending in one of subjectEnds (族) counts without
	// a keyword (subject.go).
	subjects    [][]byte
	subjectEnds [][]byte
	// Person names in free text (prose_names.go): labels that come after
	// the name (（男), labels a name may follow without a colon or space
	// (收货人高婷), and words that read as names but are roles (申请人).
	afterLabels map[string]bool
	gluedLabels map[string]bool
	notNames    map[string]bool
	// leads: phrases of a person right before a value in free text (我是
	// 穆斯林, 我婆婆有哮喘): a dictionary term starting where one ends
	// counts without a keyword (prose.go).
	leads map[string]bool
}

var knownParams = map[string]bool{
	"values": true, "empty": true, "any_value": true, "icd10": true,
	"min_dims": true, "min_bytes": true, "weak_fields": true, "role_fields": true, "part_fields": true,
	"not_name_words": true, "generic_fields": true, "subject_words": true,
	"subject_phrases": true, "subject_value_ends": true,
	"after_labels": true, "glued_labels": true, "not_names": true, "lead_phrases": true,
}

// compileParams checks and compiles a rule's params.
func compileParams(r rules.Rule) (params, error) {
	var p params
	for k := range r.Params {
		if !knownParams[k] {
			return p, fmt.Errorf("unknown params key %q", k)
		}
	}
	for _, v := range r.Params["values"] {
		p.terms = append(p.terms, newKeyword(v))
	}
	// Longest first, so "藏传佛教" is reported rather than "佛教" inside it.
	for i := 1; i < len(p.terms); i++ {
		for j := i; j > 0 && len(p.terms[j].b) > len(p.terms[j-1].b); j-- {
			p.terms[j], p.terms[j-1] = p.terms[j-1], p.terms[j]
		}
	}
	p.empty = map[string]bool{"": true}
	for _, v := range r.Params["empty"] {
		p.empty[strings.ToLower(v)] = true
	}
	for _, v := range r.Params["any_value"] {
		p.anyValue = v == "true" || v == "field_only"
	}
	for _, v := range r.Params["icd10"] {
		p.icd10 = v == "true"
	}
	var err error
	intParam := func(name string, dst *int) {
		for _, v := range r.Params[name] {
			if *dst, err = strconv.Atoi(v); err != nil || *dst <= 0 {
				err = fmt.Errorf("params %s: %q is not a positive number", name, v)
			}
		}
	}
	intParam("min_dims", &p.minDims)
	intParam("min_bytes", &p.minBytes)
	if err != nil {
		return p, err
	}
	for _, v := range r.Params["weak_fields"] {
		p.weak = append(p.weak, newFieldToken(v))
	}
	for _, v := range r.Params["role_fields"] {
		p.roles = append(p.roles, newFieldToken(v))
	}
	for _, v := range r.Params["part_fields"] {
		p.parts = append(p.parts, newFieldToken(v))
	}
	for _, v := range r.Params["generic_fields"] {
		p.generic = append(p.generic, newFieldToken(v))
	}
	for _, v := range r.Params["subject_words"] {
		p.subject = append(p.subject, newFieldToken(v))
	}
	for _, v := range r.Params["subject_phrases"] {
		p.subjects = append(p.subjects, []byte(v))
	}
	for _, v := range r.Params["subject_value_ends"] {
		// The pass flags the character's last two bytes (pass.go).
		if utf8.RuneCountInString(v) != 1 || len(v) < 2 {
			return p, fmt.Errorf("params subject_value_ends: %q is not one non-ASCII character", v)
		}
		p.subjectEnds = append(p.subjectEnds, []byte(v))
	}
	if len(p.subjects) > 0 != (len(p.subjectEnds) > 0) {
		return p, errors.New("params subject_phrases and subject_value_ends go together")
	}
	set := func(key string) map[string]bool {
		var m map[string]bool
		for _, v := range r.Params[key] {
			if m == nil {
				m = map[string]bool{}
			}
			m[v] = true
		}
		return m
	}
	p.afterLabels, p.gluedLabels, p.notNames, p.leads = set("after_labels"), set("glued_labels"), set("not_names"), set("lead_phrases")
	if len(p.leads) > 0 && len(p.terms) == 0 {
		return p, errors.New("params lead_phrases need values")
	}
	for v := range p.gluedLabels {
		if !slices.Contains(r.Keywords, v) {
			return p, fmt.Errorf("params glued_labels: %q is not one of the rule's keywords", v)
		}
	}
	for _, v := range r.Params["not_name_words"] {
		p.notName = append(p.notName, newKeyword(v))
	}
	return p, nil
}
