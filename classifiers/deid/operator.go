package deid

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Kind is the type of the slot a value sits in, so that an operator's
// result can be written back without breaking the file's format.
type Kind uint8

// The kinds of slot. The zero value is KindText.
const (
	// KindText is a value inside free text or a CSV/TSV cell: any bytes.
	KindText Kind = iota
	// KindJSONString is the content of a JSON string (without the quotes;
	// the writer escapes the result).
	KindJSONString
	// KindJSONNumber is a whole JSON number literal: the result must be a
	// JSON number or null.
	KindJSONNumber
	// KindJSONArray is a whole JSON array (a face embedding): only the
	// whole-value operators apply, and they write [].
	KindJSONArray
	// KindJSONObject is a whole JSON object: whole-value operators write {}.
	KindJSONObject
	// KindJSONBool is a JSON true/false: whole-value operators write null.
	KindJSONBool
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindText:
		return "text"
	case KindJSONString:
		return "json string"
	case KindJSONNumber:
		return "json number"
	case KindJSONArray:
		return "json array"
	case KindJSONObject:
		return "json object"
	case KindJSONBool:
		return "json bool"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// OpContext describes the value an operator is applied to.
type OpContext struct {
	// DataType is the catalogue id (cn_resident_id, cn_mobile, email, ...)
	// or a user rule id. It selects the structure format-preserving
	// operators keep, and it is part of the FF1 tweak and the substitute
	// derivation, so equal values of different types get different tokens.
	DataType string
	// Category is the PIPL category (identity, contact, biometric, ...).
	Category string
	// Kind is the type of the slot the value sits in.
	Kind Kind
}

// Operator de-identifies one value.
//
// Implementations are immutable after construction and safe for concurrent
// use. Apply does not keep value; the result is a new slice owned by the
// caller. Apply returns an error wrapping ErrUnsupported when it cannot
// handle the value (a type it has no structure for, a value too short for
// FF1, a result that would not fit the slot's JSON kind); the caller then
// applies the policy's fallback. No error text contains the value.
type Operator interface {
	// Name is the operator's kind as written in a policy (mask, hash,
	// encrypt, ff1, generalize, substitute, redact, tag), for the counters
	// of the redact summary.
	Name() string
	// Apply returns the de-identified form of value.
	Apply(ctx OpContext, value []byte) ([]byte, error)
}

// Reverser is implemented by the reversible operators (encrypt, ff1):
// Reverse turns a token back into the value for a key holder. ctx must
// be the one Apply was given: for ff1 the data type selects the structure
// and is part of the tweak. A token that is malformed or from another key
// gives an error wrapping ErrToken (ff1 cannot tell another key's token
// from its own: it returns some other value of the same shape).
type Reverser interface {
	Reverse(ctx OpContext, token []byte) ([]byte, error)
}

// ErrUnsupported is wrapped by errors of operators that cannot handle a
// value; the caller applies the fallback operator.
var ErrUnsupported = errors.New("operator does not apply")

// ErrToken is wrapped by errors of Reverse and Decrypt for a token that is
// malformed, or was made with another key.
var ErrToken = errors.New("invalid token")

// unsupported returns an error wrapping ErrUnsupported. Callers pass only
// operator names, data type ids and fixed text, never the value.
func unsupported(op, dataType, why string) error {
	return fmt.Errorf("%s %s: %w: %s", op, dataType, ErrUnsupported, why)
}

// fitKind checks that an operator's textual result fits the slot: any
// bytes fit text and strings, a number slot needs a JSON number, and the
// structured slots take only whole-value operators (see whole).
func fitKind(op string, ctx OpContext, out []byte) ([]byte, error) {
	switch ctx.Kind {
	case KindText, KindJSONString:
		return out, nil
	case KindJSONNumber:
		if isJSONNumber(out) {
			return out, nil
		}
		return nil, unsupported(op, ctx.DataType, "result is not a json number")
	}
	return nil, unsupported(op, ctx.DataType, "cannot rewrite a "+ctx.Kind.String()+" in place")
}

// isJSONNumber reports whether b is a JSON number literal (RFC 8259 6).
func isJSONNumber(b []byte) bool {
	if len(b) == 0 || b[0] == '+' || b[0] == '.' {
		return false
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return false
	}
	return string(n) == string(b)
}

// empty returns the whole-value replacement for the slot: nothing for text
// and strings, null for numbers and booleans, [] and {} for arrays and
// objects. It keeps JSON and Parquet values type-valid.
func empty(k Kind) []byte {
	switch k {
	case KindJSONNumber, KindJSONBool:
		return []byte("null")
	case KindJSONArray:
		return []byte("[]")
	case KindJSONObject:
		return []byte("{}")
	}
	return []byte{}
}

// Redact removes the value: the result is empty (see Kind for structured
// slots). It is the default for data that is sensitive as a whole: face
// and fingerprint features, religion and health fields.
type Redact struct{}

var _ Operator = Redact{}

// Name returns "redact".
func (Redact) Name() string { return "redact" }

// Apply returns the empty value of the slot.
func (Redact) Apply(ctx OpContext, _ []byte) ([]byte, error) { return empty(ctx.Kind), nil }

// Tag replaces the value with its type in angle brackets: <cn_mobile>.
// In number, array, object and bool slots a tag would change the JSON
// type, so there it writes the empty value like Redact.
type Tag struct {
	// Format is the replacement; "{type}" and "{category}" are replaced.
	// Empty means "<{type}>".
	Format string
}

var _ Operator = Tag{}

// Name returns "tag".
func (Tag) Name() string { return "tag" }

// Apply returns the tag.
func (t Tag) Apply(ctx OpContext, _ []byte) ([]byte, error) {
	if ctx.Kind != KindText && ctx.Kind != KindJSONString {
		return empty(ctx.Kind), nil
	}
	f := t.Format
	if f == "" {
		f = "<{type}>"
	}
	return []byte(expandTag(f, ctx)), nil
}

func expandTag(f string, ctx OpContext) string {
	out := make([]byte, 0, len(f)+len(ctx.DataType))
	for i := 0; i < len(f); i++ {
		switch {
		case hasAt(f, i, "{type}"):
			out = append(out, ctx.DataType...)
			i += len("{type}") - 1
		case hasAt(f, i, "{category}"):
			out = append(out, ctx.Category...)
			i += len("{category}") - 1
		default:
			out = append(out, f[i])
		}
	}
	return string(out)
}

func hasAt(s string, i int, sub string) bool {
	return len(s)-i >= len(sub) && s[i:i+len(sub)] == sub
}
