package corpus

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// The labels file is JSON Lines. Each line has a "kind":
//
//	{"kind":"root","path":"/abs/corpus"}
//	{"kind":"file","path":"csv/orders.csv","pii_free":true}
//	{"kind":"label","path":"csv/customers_zh.csv","data_type":"cn_mobile","canonical":"13812345678","written":"138-1234-5678","minor":false}
//
// so that `jq 'select(.kind=="label")'` gives the labels. It holds raw
// synthetic values and must be stored outside the corpus directory, or a
// scan of the corpus would find them again.

// labelLine is one line of the labels file.
type labelLine struct {
	Kind    string `json:"kind"`
	PIIFree bool   `json:"pii_free,omitempty"`
	Label
}

// WriteLabels writes the manifest as JSON Lines to path. The file must lie
// outside the corpus directory.
func (m *Manifest) WriteLabels(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	free := make(map[string]bool, len(m.PIIFree))
	for _, p := range m.PIIFree {
		free[p] = true
	}
	type fileLine struct {
		Kind    string `json:"kind"`
		Path    string `json:"path"`
		PIIFree bool   `json:"pii_free,omitempty"`
	}
	type labelOut struct {
		Kind string `json:"kind"`
		Label
	}
	err = enc.Encode(fileLine{Kind: "root", Path: m.Root})
	for _, p := range m.Files {
		if err == nil {
			err = enc.Encode(fileLine{Kind: "file", Path: p, PIIFree: free[p]})
		}
	}
	for _, l := range m.Labels {
		if err == nil {
			err = enc.Encode(labelOut{Kind: "label", Label: l})
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write labels %s: %w", path, err)
	}
	return nil
}

// ReadLabels reads a manifest written by WriteLabels.
func ReadLabels(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	defer f.Close()
	m := &Manifest{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		var l labelLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("read labels %s line %d: %w", path, n, err)
		}
		switch l.Kind {
		case "root":
			m.Root = l.Path
		case "file":
			m.Files = append(m.Files, l.Path)
			if l.PIIFree {
				m.PIIFree = append(m.PIIFree, l.Path)
			}
		case "label":
			m.Labels = append(m.Labels, l.Label)
		default:
			return nil, fmt.Errorf("read labels %s line %d: unknown kind %q", path, n, l.Kind)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read labels %s: %w", path, err)
	}
	if n == 0 {
		return nil, errors.New("read labels: empty file")
	}
	return m, nil
}
