// Package corpus generates a seeded, deterministic, labelled corpus of
// synthetic personal data for end-to-end tests, benchmarks and demos.
//
// The default corpus (Options zero value: Scale 0, no bulk files) is small
// (about 1.4 MB, generated in well under a second) and labels every
// built-in data type of the catalogue (docs/catalogue.md, DataTypes), in
// Chinese and English data, next to decoys of each that a correct scanner
// must not report.
//
// Every value is synthetic but valid: resident IDs carry real GB 11643 check
// characters and birth dates, cards pass Luhn inside real IIN ranges, IBANs
// pass mod 97, credit codes carry both the GB 11714 organization-code check
// and the GB 32100 check character, IMEIs pass Luhn, foreign phone numbers
// are valid in libphonenumber's metadata (checked in the tests), fingerprint
// templates are well-formed ISO/IEC 19794-2 records, and so on. The
// check-digit code is the package's own and does not import package
// classifiers, so one shared bug cannot make both sides agree on wrong data.
//
// Every labelled value is written so that the catalogue says it must be
// reported: it sits between ordinary delimiters; values that need context
// have it (passports, permits, IMEIs and solid landlines a keyword or
// column; category terms in prose a keyword of their rule within 64 bytes);
// and no negative keyword (order or waybill labels) stands near a phone or
// card. Look-alikes that must not be reported (decoys, DecoyKinds) are
// plain text and never labelled. Canonical values follow DESIGN.md section
// 4 and the detectors' documented forms: a credit code's 18 characters, a
// plate without separator, a landline's digits with the trunk 0 (+86 21 ...
// becomes 021...), a foreign phone in E.164, an IPv6 address in RFC 5952
// form, a MAC in lower case with colons, a category field's trimmed value
// or, in prose, the dictionary term as written (the longest one: 乙型肝炎,
// not the 肝炎 inside it). Biometric values are bytes (a vector's
// little-endian float32s, a decoded blob, a template's first 2048 bytes):
// their labels hold them hex-encoded (Label.CanonicalBytes).
//
// Names are labelled in name columns only (姓名, full_name, customer_name,
// a bare "name" column when its record holds other personal data), never in
// prose; product names in name columns are decoys. A location trace is one
// label per subject with three or more distinct points in one file (a
// device_id or imei field, or the record's first personal identifier),
// whose canonical value is the subject's; every point is also a
// gps_coordinate label. Subjects with one or two points are no trace. A
// record whose birth date makes its subject a minor marks all its labels
// Minor; the 14th birthday is exact (someone who turns 14 on AsOf is not a
// minor).
//
// Besides text, CSV, JSON and gzip, the corpus holds the formats data
// engineers store: a Parquet table (nested, repeated and typed columns, a
// DATE birth date, a lat/lng pair), an Avro object container file (unions,
// a nested record, an array and a map), a zip and a tar.gz of text files
// (labels carry the archive's path: findings name the archive as their
// object), an xlsx workbook (shared and inline strings, date cells) and a
// docx and a pptx of prose. They are written by hand (see Zip, TarGz, XLSX,
// DOCX, PPTX, Avro) so the bytes depend on the seed only. Binary files
// (raw fingerprint templates) are left out: the scanner skips them.
//
// The files of the sensitive categories (PIPL Art. 28): medical records
// (csv/outpatient_zh.csv, jsonl/ehr_en.jsonl, text/medical_notes_zh.txt,
// text/case_notes_en.md), religion and specific-identity fields
// (csv/hr_profiles_zh.csv, csv/members_intl.csv, text/profiles_zh.txt),
// biometric data (csv/biometric_enrolment.csv, jsonl/face_enrollment.jsonl,
// jsonl/speaker_id.jsonl, logs/access_control.log) and device traces
// (csv/device_locations.csv, jsonl/app_pings.jsonl and its gzip copy,
// jsonl/courier_tracks.jsonl). The PII-free files (Manifest.PIIFree) hold
// decoys only.
package corpus

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// val is one value to write: a labelled value when typ is set, plain text
// otherwise.
type val struct {
	typ     string
	canon   string
	written string
	minor   bool
}

// txt wraps plain text as an unlabelled val.
func txt(s string) val { return val{written: s} }

// doc is one corpus file under construction. Content is built in memory
// (files are small, bulk files a few MB) and written once.
type doc struct {
	path   string
	b      []byte
	labels []Label
	gzip   bool   // write gzip-compressed
	gbk    bool   // encode the UTF-8 text as GBK before writing
	raw    []byte // when set, the file's bytes (Parquet, Avro, archives, Office)
}

// newDoc starts a file. Its name decides the encoding: ".gz" means gzip.
func newDoc(path string) *doc {
	return &doc{path: path, gzip: strings.HasSuffix(path, ".gz")}
}

// s appends plain text.
func (d *doc) s(text string) *doc {
	d.b = append(d.b, text...)
	return d
}

// v appends a value, labelling it when it has a type.
func (d *doc) v(x val) *doc {
	d.b = append(d.b, x.written...)
	if x.typ != "" {
		d.labels = append(d.labels, Label{Path: d.path, DataType: x.typ, Canonical: x.canon, Written: x.written, Minor: x.minor})
	}
	return d
}

// f appends a template in which each "{}" is replaced by the next value.
func (d *doc) f(tmpl string, xs ...val) *doc {
	for _, x := range xs {
		i := strings.Index(tmpl, "{}")
		if i < 0 {
			break
		}
		d.s(tmpl[:i]).v(x)
		tmpl = tmpl[i+2:]
	}
	return d.s(tmpl)
}

// encode returns the file's bytes. The labels were recorded against the
// UTF-8 text; a GBK or gzip file holds them after decoding, a raw file
// (Parquet, Avro, archive, Office document) in its values or members.
func (d *doc) encode() ([]byte, error) {
	if d.raw != nil {
		return d.raw, nil
	}
	data := d.b
	if d.gbk {
		enc, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("encode %s as gbk: %w", d.path, err)
		}
		data = enc
	}
	if d.gzip {
		// No name and no modification time in the header: the bytes depend
		// only on the content, which keeps the corpus reproducible.
		z, err := Gzip(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.path, err)
		}
		data = z
	}
	return data, nil
}

// write stores the file under dir and returns the number of bytes written.
func (d *doc) write(dir string) (int64, error) {
	data, err := d.encode()
	if err != nil {
		return 0, err
	}
	name := filepath.Join(dir, filepath.FromSlash(d.path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return 0, fmt.Errorf("write corpus file %s: %w", d.path, err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return 0, fmt.Errorf("write corpus file %s: %w", d.path, err)
	}
	return int64(len(data)), nil
}

// rngFor returns the random source of one file. It depends on the seed and
// the file's path only, so selecting formats does not change other files.
func rngFor(seed int64, path string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(path))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// spec is one file of the fixed part of the corpus.
type spec struct {
	path  string
	build func(c *config, path string) (*doc, error)
}

// fileSpecs lists the fixed files in a stable order.
func fileSpecs() []spec {
	return []spec{
		{"csv/customers_zh.csv", buildCustomersZH},
		{"csv/customers_en.csv", buildCustomersEN},
		{"csv/students_zh.csv", buildStudentsZH},
		{"csv/members_hk_tw.csv", buildMembersHKTW},
		{"csv/payments.csv", buildPayments},
		{"csv/store_visits.csv", buildStoreVisits},
		{"csv/employees.tsv", buildEmployeesTSV},
		{"csv/orders.csv", buildOrdersDecoy},
		{"csv/companies_zh.csv", buildCompaniesZH},
		{"csv/vehicles_zh.csv", buildVehiclesZH},
		{"csv/travellers_zh.csv", buildTravellersZH},
		{"csv/members_intl.csv", buildMembersIntl},
		{"csv/hr_profiles_zh.csv", buildHRProfilesZH},
		{"csv/export_noheader.csv", buildExportNoHeader},
		{"csv/outpatient_zh.csv", buildOutpatientZH},
		{"csv/biometric_enrolment.csv", buildBiometricCSV},
		{"csv/device_locations.csv", buildDeviceLocations},
		{"csv/fleet_checkins.csv", buildFleetCheckins},
		{"csv/products.csv", buildProductsDecoy},
		{"json/users.json", buildUsersJSON},
		{"json/patient_record.json", buildPatientJSON},
		{"json/account_profile.json", buildAccountJSON},
		{"json/inventory.json", buildInventoryDecoyJSON},
		{"json/export_rows.json", buildExportRowsJSON},
		{"jsonl/events.jsonl", buildEventsJSONL},
		{"jsonl/kyc.jsonl", buildKYCJSONL},
		{"jsonl/metrics.jsonl", buildMetricsDecoyJSONL},
		{"jsonl/ehr_en.jsonl", buildEHRJSONL},
		{"jsonl/face_enrollment.jsonl", buildFaceEnrollmentJSONL},
		{"jsonl/speaker_id.jsonl", buildSpeakerJSONL},
		{"jsonl/app_pings.jsonl", buildAppPingsJSONL},
		{"jsonl/courier_tracks.jsonl", buildCourierTracksJSONL},
		{"logs/nginx_access.log", buildNginxLog},
		{"logs/app.log", buildAppLog},
		{"logs/build.log", buildBuildDecoyLog},
		{"logs/network.log", buildNetworkLog},
		{"logs/access_control.log", buildAccessLog},
		{"logs/ops.log", buildOpsDecoyLog},
		{"gz/customers_zh.csv.gz", buildCustomersZH},
		{"gz/events.jsonl.gz", buildEventsJSONL},
		{"gz/nginx_access.log.gz", buildNginxLog},
		{"gz/orders.csv.gz", buildOrdersDecoy},
		{"gz/app_pings.jsonl.gz", buildAppPingsJSONL},
		{"text/intro_zh.txt", buildProseZH},
		{"text/notes_zh.md", buildNotesZHMarkdown},
		{"text/letter_en.txt", buildProseEN},
		{"text/report_en.md", buildReportENMarkdown},
		{"text/notes_gbk.txt", buildGBKText},
		{"text/decoys_zh.txt", buildDecoyProseZH},
		{"text/decoys_en.md", buildDecoyProseEN},
		{"text/medical_notes_zh.txt", buildMedicalNotesZH},
		{"text/profiles_zh.txt", buildProfilesZH},
		{"text/case_notes_en.md", buildCaseNotesEN},
		{"text/decoys_pipl_zh.txt", buildDecoysPIPLZH},
		{"text/decoys_pipl_en.md", buildDecoysPIPLEN},
		{"columnar/patients.parquet", buildPatientsParquet},
		{"columnar/users.avro", buildUsersAvro},
		{"archives/exports.zip", buildArchive([]memberSpec{
			{"customers/客户.csv", buildCustomersZH}, {"logs/app.log", buildAppLog},
			{"events/events.jsonl.gz", buildEventsJSONL}, {"orders.csv", buildOrdersDecoy},
			{"hr/员工档案.csv", buildHRProfilesZH}})},
		{"archives/logs.tgz", buildArchive([]memberSpec{
			{"nginx/access.log", buildNginxLog}, {"kyc.jsonl", buildKYCJSONL}, {"build.log", buildBuildDecoyLog},
			{"network.log", buildNetworkLog}})},
		{"office/customers.xlsx", buildCustomersXLSX},
		{"office/letter.docx", buildLetterDOCX},
		{"office/deck.pptx", buildDeckPPTX},
		{"edge/empty.txt", buildEmpty},
		{"edge/whitespace.txt", buildWhitespace},
	}
}

// buildEmpty makes a zero-byte file.
func buildEmpty(_ *config, path string) (*doc, error) { return newDoc(path), nil }

// buildWhitespace makes a file holding only spaces, tabs and line breaks.
func buildWhitespace(_ *config, path string) (*doc, error) {
	return newDoc(path).s("   \n\t\n  \r\n\n    \t  \n"), nil
}
