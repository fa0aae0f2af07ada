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
		{"json/users.json", buildUsersJSON},
		{"json/patient_record.json", buildPatientJSON},
		{"json/account_profile.json", buildAccountJSON},
		{"json/inventory.json", buildInventoryDecoyJSON},
		{"jsonl/events.jsonl", buildEventsJSONL},
		{"jsonl/kyc.jsonl", buildKYCJSONL},
		{"jsonl/metrics.jsonl", buildMetricsDecoyJSONL},
		{"logs/nginx_access.log", buildNginxLog},
		{"logs/app.log", buildAppLog},
		{"logs/build.log", buildBuildDecoyLog},
		{"gz/customers_zh.csv.gz", buildCustomersZH},
		{"gz/events.jsonl.gz", buildEventsJSONL},
		{"gz/nginx_access.log.gz", buildNginxLog},
		{"gz/orders.csv.gz", buildOrdersDecoy},
		{"text/intro_zh.txt", buildProseZH},
		{"text/notes_zh.md", buildNotesZHMarkdown},
		{"text/letter_en.txt", buildProseEN},
		{"text/report_en.md", buildReportENMarkdown},
		{"text/notes_gbk.txt", buildGBKText},
		{"text/decoys_zh.txt", buildDecoyProseZH},
		{"text/decoys_en.md", buildDecoyProseEN},
		{"columnar/patients.parquet", buildPatientsParquet},
		{"columnar/users.avro", buildUsersAvro},
		{"archives/exports.zip", buildArchive([]memberSpec{
			{"customers/客户.csv", buildCustomersZH}, {"logs/app.log", buildAppLog},
			{"events/events.jsonl.gz", buildEventsJSONL}, {"orders.csv", buildOrdersDecoy}})},
		{"archives/logs.tgz", buildArchive([]memberSpec{
			{"nginx/access.log", buildNginxLog}, {"kyc.jsonl", buildKYCJSONL}, {"build.log", buildBuildDecoyLog}})},
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
