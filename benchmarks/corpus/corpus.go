package corpus

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Catalogue data type ids (docs/DESIGN.md section 4, docs/catalogue.md)
// that the corpus labels: every built-in data type.
const (
	TypeResidentID    = "cn_resident_id"
	TypeHKID          = "hk_id"
	TypeTWID          = "tw_id"
	TypePassport      = "cn_passport"
	TypeMobile        = "cn_mobile"
	TypeEmail         = "email"
	TypeIPv4          = "ipv4"
	TypeBankCard      = "bank_card"
	TypeIBAN          = "iban"
	TypeGPS           = "gps_coordinate"
	TypeUSCC          = "cn_uscc"
	TypePlate         = "cn_license_plate"
	TypeLandline      = "cn_landline"
	TypePhone         = "phone_number"
	TypeIPv6          = "ipv6"
	TypeMAC           = "mac_address"
	TypeIMEI          = "imei"
	TypeHKMacauPermit = "hk_macau_permit"
	TypeTWPermit      = "tw_permit"
	TypeAddress       = "cn_address"
	TypeName          = "person_name"
	TypeFace          = "face_feature"
	TypeIris          = "iris_feature"
	TypeVoice         = "voiceprint"
	TypeFingerprint   = "fingerprint_template"
	TypeReligion      = "religious_belief"
	TypeMedical       = "medical_health"
	TypeIdentity      = "specific_identity"
	TypeTrace         = "location_trace"
)

// DataTypes lists the labelled catalogue ids in a stable order (the order
// of rules/builtin.yaml).
var DataTypes = []string{TypeResidentID, TypeHKID, TypeTWID, TypePassport, TypeMobile,
	TypeEmail, TypeIPv4, TypeBankCard, TypeIBAN, TypeGPS, TypeUSCC, TypePlate, TypeLandline,
	TypePhone, TypeIPv6, TypeMAC, TypeIMEI, TypeHKMacauPermit, TypeTWPermit, TypeAddress,
	TypeName, TypeFace, TypeIris, TypeVoice, TypeFingerprint, TypeReligion, TypeMedical,
	TypeIdentity, TypeTrace}

// BinaryTypes are the data types whose canonical value is bytes (a vector's
// little-endian float32s, a decoded blob or template): their labels hold it
// hex-encoded in Canonical, and Label.CanonicalBytes returns the bytes.
var BinaryTypes = []string{TypeFace, TypeIris, TypeVoice, TypeFingerprint}

// Categories maps the data types of the PIPL Art. 28 sensitive categories
// to their catalogue category.
var Categories = map[string]string{
	TypeFace: "biometric", TypeIris: "biometric", TypeVoice: "biometric", TypeFingerprint: "biometric",
	TypeReligion: "religious_belief", TypeMedical: "medical_health", TypeIdentity: "specific_identity",
	TypeTrace: "whereabouts",
}

// DefaultAsOf is the reference day for minors when Options.AsOf is zero.
var DefaultAsOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Formats a file can belong to, by its outer extension: "gz" covers every
// gzip file whatever is inside. Options.Formats selects among them.
var Formats = []string{"csv", "tsv", "json", "jsonl", "log", "txt", "md", "gz",
	"parquet", "avro", "zip", "tgz", "xlsx", "docx", "pptx"}

// Options configure Generate. The zero value gives the small test corpus.
type Options struct {
	// Seed makes the output reproducible: the same Options give
	// byte-identical files and labels.
	Seed int64
	// AsOf is the reference day for minors; zero means DefaultAsOf.
	AsOf time.Time
	// Scale is the number of records per tabular file (and scales the prose
	// and logs); 0 means a small default (the whole corpus is under 5 MB).
	Scale int
	// TargetBytes, when > 0, adds mixed files under bulk/ (csv, jsonl, log,
	// prose; sparse PII, many decoys) until the corpus is about this size.
	TargetBytes int64
	// Formats restricts the output to these formats (see Formats); empty
	// means all.
	Formats []string
}

// Label is one labelled occurrence of a value in the corpus.
type Label struct {
	// Path is the file, relative to the corpus root, slash-separated.
	Path string `json:"path"`
	// DataType is the catalogue id.
	DataType string `json:"data_type"`
	// Canonical is the canonical value of DESIGN.md section 4, the input of
	// the findings' fingerprint (see CanonicalBytes). For the BinaryTypes it
	// is the canonical bytes, hex-encoded.
	Canonical string `json:"canonical"`
	// Written is the value exactly as written in the (decoded) file. For a
	// coordinate written as text it runs from the latitude's first character
	// to the longitude's last; for a coordinate held in two fields of one
	// record it is the latitude field's text. For a location trace it is
	// the subject's value in the first record of the trace.
	Written string `json:"written"`
	// Minor is true when the data subject is under 14 on AsOf: the value is
	// a minor's resident ID, or it belongs to a record (CSV row, JSON array
	// element, JSONL line) whose subject is a minor.
	Minor bool `json:"minor"`
}

// CanonicalBytes returns the bytes whose HMAC is the findings' fingerprint:
// Canonical, hex-decoded for the BinaryTypes.
func (l Label) CanonicalBytes() []byte {
	if slices.Contains(BinaryTypes, l.DataType) {
		if b, err := hex.DecodeString(l.Canonical); err == nil {
			return b
		}
	}
	return []byte(l.Canonical)
}

// Manifest describes a generated corpus.
type Manifest struct {
	// Root is the corpus directory.
	Root string
	// Files lists every file, relative and slash-separated, sorted,
	// including files without personal data.
	Files []string
	// Labels lists every labelled occurrence, in file order and then in
	// order of appearance.
	Labels []Label
	// PIIFree lists the files that hold no labelled value (decoy and edge
	// files), sorted.
	PIIFree []string
}

// Generate writes the corpus into dir (created if needed) and returns its
// manifest. Existing files with the same names are overwritten; other files
// in dir are left alone and are not part of the manifest.
func Generate(dir string, opts Options) (*Manifest, error) {
	if opts.AsOf.IsZero() {
		opts.AsOf = DefaultAsOf
	}
	opts.AsOf = time.Date(opts.AsOf.Year(), opts.AsOf.Month(), opts.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	if opts.Scale < 0 || opts.TargetBytes < 0 {
		return nil, errors.New("generate corpus: negative scale or target size")
	}
	if opts.AsOf.Year() < 1990 {
		return nil, errors.New("generate corpus: as-of date before 1990")
	}
	want := map[string]bool{}
	for _, f := range opts.Formats {
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("generate corpus: unknown format %q", f)
		}
		want[f] = true
	}
	keep := func(format string) bool { return len(want) == 0 || want[format] }

	c := &config{seed: opts.Seed, asOf: opts.AsOf, rows: opts.Scale}
	if c.rows == 0 {
		c.rows = defaultRows
	}
	var docs []*doc
	for _, s := range fileSpecs() {
		if !keep(formatOf(s.path)) {
			continue
		}
		d, err := s.build(c, s.path)
		if err != nil {
			return nil, fmt.Errorf("generate corpus file %s: %w", s.path, err)
		}
		docs = append(docs, d)
	}
	m := &Manifest{Root: dir}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("generate corpus: %w", err)
	}
	var total int64
	for _, d := range docs {
		n, err := d.write(dir)
		if err != nil {
			return nil, err
		}
		total += n
		m.add(d)
	}
	if opts.TargetBytes > total {
		if err := generateBulk(c, dir, opts.TargetBytes-total, keep, m); err != nil {
			return nil, err
		}
	}
	m.sort()
	return m, nil
}

// add records a written file in the manifest.
func (m *Manifest) add(d *doc) {
	m.Files = append(m.Files, d.path)
	m.Labels = append(m.Labels, d.labels...)
	if len(d.labels) == 0 {
		m.PIIFree = append(m.PIIFree, d.path)
	}
}

// sort orders files and labels by path; labels keep their order within a
// file (stable).
func (m *Manifest) sort() {
	slices.Sort(m.Files)
	slices.Sort(m.PIIFree)
	slices.SortStableFunc(m.Labels, func(a, b Label) int {
		switch {
		case a.Path < b.Path:
			return -1
		case a.Path > b.Path:
			return 1
		}
		return 0
	})
}

// config is the generation state shared (read-only) by the file builders.
type config struct {
	seed int64
	asOf time.Time
	rows int
}

// defaultRows is the number of records per tabular file at Scale 0.
const defaultRows = 100

// formatOf returns the format of a corpus path (its outer extension).
func formatOf(path string) string {
	ext := filepath.Ext(path)
	if ext == "" {
		return "txt"
	}
	return ext[1:]
}
