package server

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Multipart limits from the OSS reference: part numbers 1..10000, and every
// part but the last at least 100 KB when the upload is completed.
const (
	maxPartNumber = 10000
	minPartSize   = 100 << 10
)

// uploadState is an initiated multipart upload, staged in
// Root/.osslocal/uploads/<UploadId>/ with one <n>.part file (and <n>.json)
// per uploaded part. Listings never look there.
type uploadState struct {
	Bucket    string     `json:"bucket"`
	Key       string     `json:"key"`
	Initiated int64      `json:"initiated_ns"`
	Meta      objectMeta `json:"meta"`
}

type partState struct {
	Number   int    `json:"number"`
	ETag     string `json:"etag"`
	Size     int64  `json:"size"`
	CRC64    string `json:"crc64"`
	Modified int64  `json:"modified_ns"`
}

type initiateXML struct {
	XMLName      xml.Name `xml:"InitiateMultipartUploadResult"`
	Bucket       string   `xml:"Bucket"`
	Key          string   `xml:"Key"`
	UploadID     string   `xml:"UploadId"`
	EncodingType string   `xml:"EncodingType,omitempty"`
}

type completeRequestXML struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber int    `xml:"PartNumber"`
		ETag       string `xml:"ETag"`
	} `xml:"Part"`
}

type completeXML struct {
	XMLName      xml.Name `xml:"CompleteMultipartUploadResult"`
	EncodingType string   `xml:"EncodingType,omitempty"`
	Location     string   `xml:"Location"`
	Bucket       string   `xml:"Bucket"`
	Key          string   `xml:"Key"`
	ETag         string   `xml:"ETag"`
}

type partXML struct {
	PartNumber    int    `xml:"PartNumber"`
	LastModified  string `xml:"LastModified"`
	ETag          string `xml:"ETag"`
	HashCrc64ecma string `xml:"HashCrc64ecma"`
	Size          int64  `xml:"Size"`
}

type listPartsXML struct {
	XMLName              xml.Name  `xml:"ListPartsResult"`
	Bucket               string    `xml:"Bucket"`
	Key                  string    `xml:"Key"`
	UploadID             string    `xml:"UploadId"`
	PartNumberMarker     int       `xml:"PartNumberMarker"`
	NextPartNumberMarker int       `xml:"NextPartNumberMarker"`
	MaxParts             int       `xml:"MaxParts"`
	IsTruncated          bool      `xml:"IsTruncated"`
	Parts                []partXML `xml:"Part"`
}

func (s *Server) uploadDir(id string) string { return filepath.Join(s.store.uploadsDir(), id) }

// validUploadID accepts only ids this server makes (32 upper-case hex
// digits), which also keeps them from naming paths outside the staging folder.
func validUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToUpper(id) == id
}

func newUploadID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
	return strings.ToUpper(hex.EncodeToString(b))
}

// loadUpload returns the upload named by the uploadId parameter, which must
// belong to the request's bucket and key (else 404 NoSuchUpload).
func (s *Server) loadUpload(rq *request) (string, uploadState, *ossError) {
	id := rq.query.Get("uploadId")
	if !validUploadID(id) {
		return id, uploadState{}, errNoSuchUpload(id)
	}
	b, err := os.ReadFile(filepath.Join(s.uploadDir(id), "upload.json"))
	var u uploadState
	if err != nil || json.Unmarshal(b, &u) != nil || u.Bucket != rq.bucket || u.Key != rq.key {
		return id, uploadState{}, errNoSuchUpload(id)
	}
	return id, u, nil
}

// uploadsOf lists the ids of unfinished uploads into bucket.
func (s *Server) uploadsOf(bucket string) []string {
	ents, _ := os.ReadDir(s.store.uploadsDir())
	var ids []string
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(s.uploadDir(e.Name()), "upload.json"))
		var u uploadState
		if err == nil && json.Unmarshal(b, &u) == nil && u.Bucket == bucket {
			ids = append(ids, e.Name())
		}
	}
	return ids
}

// initiateMultipart answers InitiateMultipartUpload (POST /key?uploads).
func (s *Server) initiateMultipart(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	if strings.HasSuffix(rq.key, "/") {
		return errInvalidArgument("osslocal cannot upload content to a key ending in '/'.", "key", rq.key)
	}
	meta, oe := uploadMeta(r, rq.key)
	if oe != nil {
		return oe
	}
	meta.ObjectType = typeMultipart
	p, oe := parseListParams(rq.query) // only for encoding-type
	if oe != nil {
		return oe
	}
	id := newUploadID()
	b, err := json.Marshal(uploadState{Bucket: rq.bucket, Key: rq.key, Initiated: time.Now().UnixNano(), Meta: meta})
	if err == nil {
		err = os.Mkdir(s.uploadDir(id), 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(s.uploadDir(id), "upload.json"), b, 0o644)
	}
	if err != nil {
		return s.internal(rq, "initiate multipart upload", err)
	}
	writeXML(w, http.StatusOK, initiateXML{Bucket: rq.bucket, Key: p.enc(rq.key), UploadID: id, EncodingType: p.encodingType()})
	return nil
}

func partFiles(dir string, n int) (data, meta string) {
	base := filepath.Join(dir, fmt.Sprintf("%05d", n))
	return base + ".part", base + ".json"
}

// uploadPart answers UploadPart (PUT /key?partNumber=N&uploadId=ID). A part
// uploaded again with the same number replaces the earlier one.
func (s *Server) uploadPart(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	n, err := strconv.Atoi(rq.query.Get("partNumber"))
	if err != nil || n < 1 || n > maxPartNumber {
		return errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive.", "partNumber", rq.query.Get("partNumber"))
	}
	id, _, oe := s.loadUpload(rq)
	if oe != nil {
		return oe
	}
	rc, oe := s.receive(rq, r.Body, r.Header.Get("Content-MD5"))
	if oe != nil {
		return oe
	}
	defer os.Remove(rc.tmp)
	ps := partState{Number: n, ETag: rc.etag(), Size: rc.size, CRC64: rc.crcString(), Modified: time.Now().UnixNano()}
	b, _ := json.Marshal(ps)
	dataPath, metaPath := partFiles(s.uploadDir(id), n)
	unlock := s.store.lockUpload(id + "/" + strconv.Itoa(n))
	defer unlock()
	if err := os.Rename(rc.tmp, dataPath); err != nil {
		return errNoSuchUpload(id) // aborted or completed meanwhile
	}
	if err := os.WriteFile(metaPath, b, 0o644); err != nil {
		return s.internal(rq, "record part", err)
	}
	h := w.Header()
	h.Set("ETag", quoteETag(ps.ETag))
	h.Set("Content-MD5", rc.md5B64())
	h.Set("x-oss-hash-crc64ecma", ps.CRC64)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// parts returns the recorded parts of an upload, by part number.
func (s *Server) parts(id string) []partState {
	matches, _ := filepath.Glob(filepath.Join(s.uploadDir(id), "*.json"))
	var out []partState
	for _, m := range matches {
		b, err := os.ReadFile(m)
		var p partState
		if err == nil && json.Unmarshal(b, &p) == nil && p.Number > 0 {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b partState) int { return a.Number - b.Number })
	return out
}

// completeMultipart answers CompleteMultipartUpload (POST /key?uploadId=ID):
// the listed parts must exist with matching ETags, in ascending order, and
// all but the last must be at least 100 KB. The object's ETag is OSS's
// multipart ETag: upper-case hex MD5 of the concatenated binary part MD5s,
// then "-" and the part count. "x-oss-complete-all: yes" completes with
// every uploaded part and no body.
func (s *Server) completeMultipart(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	// Hold the upload for the whole call: a second Complete (or an Abort)
	// racing this one then finds no upload, as on OSS.
	unlockUpload := s.store.lockUpload(rq.query.Get("uploadId"))
	defer unlockUpload()
	id, u, oe := s.loadUpload(rq)
	if oe != nil {
		return oe
	}
	chosen, oe := chosenParts(r, s.parts(id))
	if oe != nil {
		return oe
	}
	dir := s.uploadDir(id)
	tmp, err := os.CreateTemp(s.store.tmpDir(), "complete-*")
	if err != nil {
		return s.internal(rq, "complete multipart upload", err)
	}
	defer os.Remove(tmp.Name())
	crc, sums := crc64.New(crcTable), md5.New()
	for _, p := range chosen {
		raw, _ := hex.DecodeString(p.ETag)
		sums.Write(raw)
		data, _ := partFiles(dir, p.Number)
		if err := appendFile(io.MultiWriter(tmp, crc), data); err != nil {
			_ = tmp.Close()
			return errInvalidPart(p.Number)
		}
	}
	if err := tmp.Close(); err != nil {
		return s.internal(rq, "complete multipart upload", err)
	}
	meta := u.Meta
	meta.ETag = fmt.Sprintf("%s-%d", strings.ToUpper(hex.EncodeToString(sums.Sum(nil))), len(chosen))
	meta.CRC64, meta.MD5 = strconv.FormatUint(crc.Sum64(), 10), ""

	unlock := s.store.lock(rq.bucket, rq.key)
	defer unlock()
	if oe := s.checkOverwrite(r, rq); oe != nil {
		return oe
	}
	if err := s.store.commit(rq.bucket, rq.key, tmp.Name(), &meta); err != nil {
		return s.commitError(rq, err)
	}
	_ = os.RemoveAll(dir)
	p, _ := parseListParams(rq.query)
	loc := "http://" + r.Host + "/" + rq.bucket + "/" + rq.key
	if rq.virtualHost {
		loc = "http://" + r.Host + "/" + rq.key
	}
	w.Header().Set("ETag", quoteETag(meta.ETag))
	w.Header().Set("x-oss-hash-crc64ecma", meta.CRC64)
	writeXML(w, http.StatusOK, completeXML{EncodingType: p.encodingType(), Location: loc,
		Bucket: rq.bucket, Key: p.enc(rq.key), ETag: quoteETag(meta.ETag)})
	return nil
}

// chosenParts validates the CompleteMultipartUpload part list.
func chosenParts(r *http.Request, uploaded []partState) ([]partState, *ossError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return nil, errIncompleteBody()
	}
	if strings.EqualFold(r.Header.Get("x-oss-complete-all"), "yes") {
		if len(body) > 0 {
			return nil, errInvalidArgument("x-oss-complete-all cannot be used with a part list.", "x-oss-complete-all", "yes")
		}
		if len(uploaded) == 0 {
			return nil, errMalformedXML()
		}
		return uploaded, checkPartSizes(uploaded)
	}
	var req completeRequestXML
	if xml.Unmarshal(body, &req) != nil || len(req.Parts) == 0 {
		return nil, errMalformedXML()
	}
	byNumber := map[int]partState{}
	for _, p := range uploaded {
		byNumber[p.Number] = p
	}
	chosen := make([]partState, 0, len(req.Parts))
	for i, rp := range req.Parts {
		if i > 0 && rp.PartNumber <= req.Parts[i-1].PartNumber {
			return nil, errInvalidPartOrder()
		}
		p, ok := byNumber[rp.PartNumber]
		if !ok || !strings.EqualFold(strings.Trim(strings.TrimSpace(rp.ETag), `"`), p.ETag) {
			return nil, errInvalidPart(rp.PartNumber)
		}
		chosen = append(chosen, p)
	}
	return chosen, checkPartSizes(chosen)
}

func checkPartSizes(parts []partState) *ossError {
	for _, p := range parts[:len(parts)-1] {
		if p.Size < minPartSize {
			return errEntityTooSmall()
		}
	}
	return nil
}

func appendFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// abortMultipart answers AbortMultipartUpload: the staged parts are removed.
func (s *Server) abortMultipart(w http.ResponseWriter, _ *http.Request, rq *request) *ossError {
	unlock := s.store.lockUpload(rq.query.Get("uploadId"))
	defer unlock()
	id, _, oe := s.loadUpload(rq)
	if oe != nil {
		return oe
	}
	if err := os.RemoveAll(s.uploadDir(id)); err != nil {
		return s.internal(rq, "abort multipart upload", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listParts answers ListParts (GET /key?uploadId=ID), paged by
// part-number-marker and max-parts (default and maximum 1000).
func (s *Server) listParts(w http.ResponseWriter, _ *http.Request, rq *request) *ossError {
	id, _, oe := s.loadUpload(rq)
	if oe != nil {
		return oe
	}
	maxParts, marker := 1000, 0
	if v, ok := rq.query["max-parts"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > 1000 {
			return errInvalidArgument("Argument max-parts must be an integer from 1 to 1000.", "max-parts", v[0])
		}
		maxParts = n
	}
	if v, ok := rq.query["part-number-marker"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 0 {
			return errInvalidArgument("Argument part-number-marker is invalid.", "part-number-marker", v[0])
		}
		marker = n
	}
	out := listPartsXML{Bucket: rq.bucket, Key: rq.key, UploadID: id, PartNumberMarker: marker, MaxParts: maxParts}
	for _, p := range s.parts(id) {
		if p.Number <= marker {
			continue
		}
		if len(out.Parts) == maxParts {
			out.IsTruncated = true
			break
		}
		out.Parts = append(out.Parts, partXML{PartNumber: p.Number, ETag: quoteETag(p.ETag), Size: p.Size,
			HashCrc64ecma: p.CRC64, LastModified: time.Unix(0, p.Modified).UTC().Format(isoTimeFormat)})
		out.NextPartNumberMarker = p.Number
	}
	writeXML(w, http.StatusOK, out)
	return nil
}
