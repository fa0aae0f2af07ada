// Package corpus generates a seeded, deterministic, labelled corpus of
// synthetic personal data for end-to-end tests, benchmarks and demos.
//
// Every value is synthetic but valid: resident IDs carry real GB 11643 check
// characters and birth dates, cards pass Luhn inside real IIN ranges, IBANs
// pass mod 97, and so on. The check-digit code is the package's own and does
// not import package classifiers, so one shared bug cannot make both sides
// agree on wrong data.
//
// Every labelled value is written so that the catalogue (docs/DESIGN.md,
// section 4) says it must be reported: it sits between ordinary delimiters,
// passports have a passport keyword or column, and no negative keyword (order
// or waybill labels) stands near a phone or card. Look-alikes that must not
// be reported (decoys) are plain text and never labelled.
//
// Besides text, CSV, JSON and gzip, the corpus holds the formats data
// engineers store: a Parquet table (nested, repeated and typed columns, a
// DATE birth date, a lat/lng pair), an Avro object container file (unions,
// a nested record, an array and a map), a zip and a tar.gz of text files
// (labels carry the archive's path: findings name the archive as their
// object), an xlsx workbook (shared and inline strings, date cells) and a
// docx and a pptx of prose. They are written by hand (see Zip, TarGz, XLSX,
// DOCX, PPTX, Avro) so the bytes depend on the seed only.
package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Catalogue data type ids (docs/DESIGN.md, section 4) that the corpus labels.
const (
	TypeResidentID = "cn_resident_id"
	TypeHKID       = "hk_id"
	TypeTWID       = "tw_id"
	TypePassport   = "cn_passport"
	TypeMobile     = "cn_mobile"
	TypeEmail      = "email"
	TypeIPv4       = "ipv4"
	TypeBankCard   = "bank_card"
	TypeIBAN       = "iban"
	TypeGPS        = "gps_coordinate"
)

// DataTypes lists the labelled catalogue ids in a stable order.
var DataTypes = []string{TypeResidentID, TypeHKID, TypeTWID, TypePassport, TypeMobile,
	TypeEmail, TypeIPv4, TypeBankCard, TypeIBAN, TypeGPS}

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
	// and logs); 0 means a small default (the whole corpus is well under 5 MB).
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
	// the findings' fingerprint.
	Canonical string `json:"canonical"`
	// Written is the value exactly as written in the (decoded) file. For a
	// coordinate written as text it runs from the latitude's first character
	// to the longitude's last; for a coordinate held in two fields of one
	// record it is the latitude field's text.
	Written string `json:"written"`
	// Minor is true when the data subject is under 14 on AsOf: the value is
	// a minor's resident ID, or it belongs to a record (CSV row, JSON array
	// element, JSONL line) whose subject is a minor.
	Minor bool `json:"minor"`
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
