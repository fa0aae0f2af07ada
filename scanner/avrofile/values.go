package avrofile

import (
	"math/big"

	"github.com/hamba/avro/v2"

	"github.com/piiscan/piiscan/classifiers"
)

// The values of a datum are walked along the schema. Each value's field is
// its dotted path: patient.id_no, tags[*] for the items of an array,
// attributes.<key> for the values of a map while its keys stay few and
// short and are no data (Tree.DataKey), attributes[*] otherwise.

// Bounds of the schema tree: its nodes, and the length of a map key that
// may be part of a path.
const (
	maxNodes = 20000
	maxKey   = 64
)

// Node is a schema position with its field path, built on first use.
type Node struct {
	Schema avro.Schema
	Path   string
	// Field is the engine's field of Path, for the walker to set on first
	// use.
	Field *classifiers.Field
	// KeyField is the engine's field of the keys of a map at Path, read
	// as values when they may be personal values (an e-mail or phone
	// number keying the map), for the walker to set on first use.
	KeyField *classifiers.Field
	kids     []*Node
	keys     map[string]*Node
}

// Tree is the schema tree of a file. Recursive schemas make it unbounded,
// so it grows only as values need it, up to maxNodes.
type Tree struct {
	Root *Node
	// DataKey reports whether a map key is data rather than a field name
	// (a phone number or an e-mail keying the map: the JSON rule, set by
	// the scanner and the redact writer alike): the values under such keys
	// share the map's [*], so that a path never spells a key and the tree
	// does not grow with them.
	DataKey func(key []byte) bool
	nodes   int
}

// NewTree returns the tree of schema s, with only its root.
func NewTree(s avro.Schema) *Tree { return &Tree{Root: &Node{Schema: s}} }

// Kid returns child i (record field, union branch, array items or map
// values) of n, with schema s and path.
func (t *Tree) Kid(n *Node, i int, s avro.Schema, path string) *Node {
	for len(n.kids) <= i {
		n.kids = append(n.kids, nil)
	}
	if n.kids[i] == nil {
		t.nodes++
		n.kids[i] = &Node{Schema: s, Path: path}
	}
	return n.kids[i]
}

// KeyKid returns the node of a value under key of map n, whose values have
// schema vs: the key is part of the path (attributes.phone) while keys stay
// few and short, and then the values share n.Path+"[*]", as do the values
// under a key that is data (DataKey).
func (t *Tree) KeyKid(n *Node, vs avro.Schema, key []byte) *Node {
	if k, ok := n.keys[string(key)]; ok {
		return k
	}
	if len(key) > maxKey || t.nodes >= maxNodes || (t.DataKey != nil && t.DataKey(key)) {
		return t.Kid(n, 0, vs, n.Path+"[*]")
	}
	if n.keys == nil {
		n.keys = map[string]*Node{}
	}
	t.nodes++
	k := &Node{Schema: vs, Path: Join(n.Path, string(key))}
	n.keys[string(key)] = k
	return k
}

// Join returns the path of field name under path.
func Join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// NumericItems returns the items' schema of an array of plain numbers (int,
// long, float or double without a logical type), whose values are joined
// into one comma-separated value: an embedding vector, a coordinate pair.
func NumericItems(s *avro.ArraySchema) (*avro.PrimitiveSchema, bool) {
	ps, ok := s.Items().(*avro.PrimitiveSchema)
	return ps, ok && ps.Logical() == nil && (ps.Type() == avro.Int || ps.Type() == avro.Long ||
		ps.Type() == avro.Float || ps.Type() == avro.Double)
}

// TwosComplement reads a big-endian two's-complement integer: the unscaled
// value of an Avro decimal (and of a Parquet one).
func TwosComplement(b []byte) *big.Int {
	x := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return x
}

// AppendDecimal appends x·10^-scale as text: -12.345. A scale out of 1 to
// 64 writes x as it is.
func AppendDecimal(dst []byte, x *big.Int, scale int32) []byte {
	if scale <= 0 || scale > 64 {
		return x.Append(dst, 10)
	}
	neg := x.Sign() < 0
	s := new(big.Int).Abs(x).String()
	for len(s) <= int(scale) {
		s = "0" + s
	}
	if neg {
		dst = append(dst, '-')
	}
	dst = append(dst, s[:len(s)-int(scale)]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-int(scale):]...)
}
