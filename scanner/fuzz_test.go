package scanner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Fuzz targets of the text decoders, gzip, the chunker and the state file,
// beside those of the archive and columnar decoders in fixtures_test.go.
// Each decoder target checks fuzzScan's properties: no panic (a recovered
// panic is an internal_error row), no hang, bounded output. `make fuzz`
// runs each briefly.

// textSeeds are the heads of the invariance corpus and a few hostile
// shapes. Small seeds keep the inputs small, so each run is quick and the
// fuzzer's minimization of new inputs does not eat a short -fuzztime.
func textSeeds(f *testing.F) {
	for _, data := range invarianceCorpus() {
		f.Add(data[:min(len(data), 2048)])
	}
	for _, s := range []string{
		"", "\xef\xbb\xbfid,name\n1,张三\n", "\xff\xfeh\x00i\x00", "caf\xe9 440104195101058590",
		`{"a":[1,{"b":"13812348000"}]}`, "{\"a\":\n", `[[[[[[[[[["x"]]]]]]]]]]`, "a,\"b\nc", "\x00\x01\x02",
	} {
		f.Add([]byte(s))
	}
}

func FuzzText(f *testing.F) {
	textSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.txt", data) })
}

func FuzzCSV(f *testing.F) {
	textSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.csv", data) })
}

func FuzzTSV(f *testing.F) {
	textSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.tsv", data) })
}

func FuzzJSON(f *testing.F) {
	textSeeds(f)
	// JSON with comments and trailing commas (json_comment.go).
	for _, s := range []string{
		"// a\n{\"a\" /* b */ : [1, /* c */ 2,], // d\n}\n/* e */", "/* /* */ {\"a\":1,}", "{\"a\":1} /* 1381234",
		"[/**/]", "{\"a\":\"/* x */\"} //", "/", "{/", "[1/*\n*/,2]",
		"{\"columns\":[\"name\",\"passport\"],\"data\":[[\"Alice Walker\",\"E12345678\"]]}",
		"{\"meta\":[{\"name\":\"na\\u006de\"},{\"name\":\"c1\"}],\"data\":[[\"Bob Stone\",\"张伟\"]]}",
		"{\"values\":[[\"name\",\"phone\" /* c */],[\"Bob Stone\",\"13812348000\"]]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.json", data) })
}

func FuzzJSONL(f *testing.F) {
	textSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.jsonl", data) })
}

func FuzzGzip(f *testing.F) {
	for _, data := range invarianceCorpus() {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write(data[:min(len(data), 8192)])
		_ = w.Close()
		f.Add(b.Bytes())
		f.Add(b.Bytes()[:b.Len()/2])
	}
	f.Add([]byte("\x1f\x8b\x08\x00"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.gz", data) })
}

// FuzzChunker checks the chunk ownership rule on any input and window:
// the owned regions tile the stream and each chunk holds the stream's
// bytes (whatever the reads), and scanning with that window finds exactly
// what a scan with the default window finds (STYLE.md section 7, chunk
// invariance).
func FuzzChunker(f *testing.F) {
	for name, data := range invarianceCorpus() {
		f.Add(data[:min(len(data), 2048)], uint16(7), uint8(3), strings.Contains(name, ".csv"))
	}
	f.Add([]byte("中文 13812348000 中文"), uint16(1), uint8(1), false)
	f.Fuzz(func(t *testing.T, data []byte, owned uint16, read uint8, csv bool) {
		if len(data) > 1<<16 || owned == 0 {
			return
		}
		cfg := scanner.ChunkConfig{Owned: int(owned), Back: 16, Ahead: 64}
		ch := scanner.NewChunker(&stepReader{data: data, step: int(read)%17 + 1}, cfg)
		next := int64(0)
		for {
			c, err := ch.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Base+int64(c.OwnStart) != next || c.OwnEnd <= c.OwnStart || c.OwnStart < 0 || c.OwnEnd > len(c.Data) {
				t.Fatalf("chunk base %d own [%d,%d) of %d bytes does not continue at %d", c.Base, c.OwnStart, c.OwnEnd, len(c.Data), next)
			}
			if !bytes.Equal(data[c.Base:c.Base+int64(len(c.Data))], c.Data) {
				t.Fatalf("chunk at %d does not hold the stream's bytes", c.Base)
			}
			next = c.Base + int64(c.OwnEnd)
		}
		if next != int64(len(data)) {
			t.Fatalf("owned regions end at %d of %d", next, len(data))
		}

		name := "f.txt"
		if csv {
			name = "f.csv"
		}
		files := map[string][]byte{name: data}
		whole := findingsByObject(fuzzRun(t, files, scanner.ChunkConfig{}))
		small := findingsByObject(fuzzRun(t, files, scanner.ChunkConfig{Owned: int(owned)}))
		if !reflect.DeepEqual(whole, small) {
			t.Fatalf("owned=%d changes the findings:\nwhole %v\nsmall %v", owned, whole, small)
		}
	})
}

// stepReader returns at most step bytes per Read, like a slow network body.
type stepReader struct {
	data []byte
	step int
}

func (s *stepReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), s.step)], s.data)
	s.data = s.data[n:]
	return n, nil
}

func fuzzRun(t *testing.T, files map[string][]byte, chunk scanner.ChunkConfig) *scannertest.Sink {
	t.Helper()
	sink := &scannertest.Sink{}
	cfg := scanner.Config{ScanID: "fuzz", Workers: 1, Chunk: chunk, ObjectTimeout: 20 * time.Second}
	if _, err := scanner.Run(context.Background(), cfg, &scannertest.MemSource{Files: files}, fuzzEngine(), sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

// FuzzReadState: a state file from disk or OSS is untrusted input; reading
// it never panics, and what it accepts encodes and reads back the same.
func FuzzReadState(f *testing.F) {
	s := scanner.NewState(scanner.StateRun{ScanID: "a", StartedAt: t0, Ruleset: "r"})
	s.Record(scanner.ObjectInfo{Source: "oss", Key: "oss://b/k", Size: 1, ETag: "E"}, scanner.StatusComplete, "", t0, "")
	s.Record(scanner.ObjectInfo{Source: "oss", Key: "oss://b/l", Size: 1, ETag: "F"}, scanner.StatusFailed, scanner.ReasonReadError, t0, "")
	var b bytes.Buffer
	if err := s.Encode(&b, false, 1, t0); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"piiscan_state":1}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		run := scanner.StateRun{ScanID: "b", StartedAt: t0, Ruleset: "r"}
		st, err := scanner.ReadState(bytes.NewReader(data), run)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := st.Encode(&out, false, 0, t0); err != nil {
			t.Fatal(err)
		}
		back, err := scanner.ReadState(&out, run)
		if err != nil {
			t.Fatalf("an accepted state does not read back: %v", err)
		}
		if back.Len() != st.Len() {
			t.Fatalf("%d objects read back as %d", st.Len(), back.Len())
		}
	})
}
