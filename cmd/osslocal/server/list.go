package server

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Listing limits from the ListObjects/ListObjectsV2 reference: max-keys
// defaults to 100 and may not exceed 1000.
const (
	defaultMaxKeys = 100
	maxMaxKeys     = 1000
)

// owner is the fixed owner reported for every object; OSS reports the
// bucket owner's account id.
var owner = &ownerXML{ID: "1000000000000000", DisplayName: "1000000000000000"}

type ownerXML struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

// contentsXML is one <Contents> element, fields in OSS's order.
type contentsXML struct {
	Key          string    `xml:"Key"`
	LastModified string    `xml:"LastModified"`
	ETag         string    `xml:"ETag"`
	Type         string    `xml:"Type"`
	Size         int64     `xml:"Size"`
	StorageClass string    `xml:"StorageClass"`
	Owner        *ownerXML `xml:"Owner,omitempty"`
}

type commonPrefixXML struct {
	Prefix string `xml:"Prefix"`
}

// listV1XML is the ListObjects (GetBucket) response.
type listV1XML struct {
	XMLName        xml.Name          `xml:"ListBucketResult"`
	Name           string            `xml:"Name"`
	Prefix         string            `xml:"Prefix"`
	Marker         string            `xml:"Marker"`
	MaxKeys        int               `xml:"MaxKeys"`
	Delimiter      string            `xml:"Delimiter"`
	EncodingType   string            `xml:"EncodingType,omitempty"`
	IsTruncated    bool              `xml:"IsTruncated"`
	NextMarker     string            `xml:"NextMarker,omitempty"`
	Contents       []contentsXML     `xml:"Contents"`
	CommonPrefixes []commonPrefixXML `xml:"CommonPrefixes"`
}

// listV2XML is the ListObjectsV2 (GetBucketV2) response.
type listV2XML struct {
	XMLName               xml.Name          `xml:"ListBucketResult"`
	Name                  string            `xml:"Name"`
	Prefix                string            `xml:"Prefix"`
	StartAfter            string            `xml:"StartAfter,omitempty"`
	ContinuationToken     string            `xml:"ContinuationToken,omitempty"`
	MaxKeys               int               `xml:"MaxKeys"`
	Delimiter             string            `xml:"Delimiter"`
	EncodingType          string            `xml:"EncodingType,omitempty"`
	IsTruncated           bool              `xml:"IsTruncated"`
	NextContinuationToken string            `xml:"NextContinuationToken,omitempty"`
	Contents              []contentsXML     `xml:"Contents"`
	CommonPrefixes        []commonPrefixXML `xml:"CommonPrefixes"`
	KeyCount              int               `xml:"KeyCount"`
}

// listParams are the request parameters both listing versions share.
type listParams struct {
	prefix, delimiter string
	maxKeys           int
	encodeURL         bool
}

func parseListParams(q url.Values) (listParams, *ossError) {
	p := listParams{prefix: q.Get("prefix"), delimiter: q.Get("delimiter"), maxKeys: defaultMaxKeys}
	if v, ok := q["max-keys"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > maxMaxKeys {
			return p, errInvalidArgument("Argument max-keys must be an integer from 1 to 1000.", "max-keys", v[0])
		}
		p.maxKeys = n
	}
	if v, ok := q["encoding-type"]; ok {
		if v[0] != "url" {
			return p, errInvalidArgument("The Encoding-Type must be url.", "encoding-type", v[0])
		}
		p.encodeURL = true
	}
	if len(p.prefix) > 1023 {
		return p, errInvalidArgument("The prefix is too long.", "prefix", "")
	}
	return p, nil
}

// enc applies encoding-type=url: OSS then URL-encodes every key-like value
// (Key, Prefix, Marker, Delimiter, StartAfter, CommonPrefixes...) and the
// SDKs decode them with a query unescape.
func (p listParams) enc(s string) string {
	if !p.encodeURL {
		return s
	}
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func (p listParams) encodingType() string {
	if p.encodeURL {
		return "url"
	}
	return ""
}

// page runs the walk for one page: limit+1 entries tell whether it is truncated.
func (s *Server) page(r *http.Request, bucket string, p listParams, after string) ([]listEntry, bool, error) {
	entries, err := s.store.list(r.Context(), bucket, listQuery{
		prefix: p.prefix, delimiter: p.delimiter, after: after, limit: p.maxKeys + 1,
	})
	if err != nil {
		return nil, false, err
	}
	if len(entries) > p.maxKeys {
		return entries[:p.maxKeys], true, nil
	}
	return entries, false, nil
}

func (p listParams) fill(entries []listEntry, withOwner bool) ([]contentsXML, []commonPrefixXML) {
	var contents []contentsXML
	var prefixes []commonPrefixXML
	for _, e := range entries {
		if e.isPrefix {
			prefixes = append(prefixes, commonPrefixXML{Prefix: p.enc(e.key)})
			continue
		}
		c := contentsXML{
			Key: p.enc(e.key), LastModified: e.info.modTime.UTC().Format(isoTimeFormat),
			ETag: quoteETag(e.info.ETag), Type: e.info.ObjectType, Size: e.info.Size,
			StorageClass: e.info.StorageClass,
		}
		if withOwner {
			c.Owner = owner
		}
		contents = append(contents, c)
	}
	return contents, prefixes
}

// listObjectsV1 answers GET /bucket (ListObjects): marker-based paging, and
// NextMarker (the last key or common prefix returned) when IsTruncated.
func (s *Server) listObjectsV1(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	p, oe := parseListParams(rq.query)
	if oe != nil {
		return oe
	}
	marker := rq.query.Get("marker")
	entries, truncated, err := s.page(r, rq.bucket, p, marker)
	if err != nil {
		return s.internal(rq, "list objects", err)
	}
	out := listV1XML{
		Name: rq.bucket, Prefix: p.enc(p.prefix), Marker: p.enc(marker), MaxKeys: p.maxKeys,
		Delimiter: p.enc(p.delimiter), EncodingType: p.encodingType(), IsTruncated: truncated,
	}
	if truncated {
		out.NextMarker = p.enc(entries[len(entries)-1].key)
	}
	out.Contents, out.CommonPrefixes = p.fill(entries, true)
	writeXML(w, http.StatusOK, out)
	return nil
}

// listObjectsV2 answers GET /bucket?list-type=2 (ListObjectsV2): paging by an
// opaque continuation token, which takes precedence over start-after; Owner
// only with fetch-owner=true; KeyCount counts keys and common prefixes.
func (s *Server) listObjectsV2(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	p, oe := parseListParams(rq.query)
	if oe != nil {
		return oe
	}
	startAfter := rq.query.Get("start-after")
	after := startAfter
	token, hasToken := rq.query["continuation-token"]
	if hasToken {
		k, err := decodeToken(token[0])
		if err != nil {
			return errInvalidArgument("The continuation token provided is incorrect.", "continuation-token", token[0])
		}
		after = k
	}
	fetchOwner := rq.query.Get("fetch-owner") == "true"
	entries, truncated, err := s.page(r, rq.bucket, p, after)
	if err != nil {
		return s.internal(rq, "list objects", err)
	}
	out := listV2XML{
		Name: rq.bucket, Prefix: p.enc(p.prefix), StartAfter: p.enc(startAfter), MaxKeys: p.maxKeys,
		Delimiter: p.enc(p.delimiter), EncodingType: p.encodingType(), IsTruncated: truncated,
		KeyCount: len(entries),
	}
	if hasToken {
		out.ContinuationToken = token[0]
	}
	if truncated {
		out.NextContinuationToken = encodeToken(entries[len(entries)-1].key)
	}
	out.Contents, out.CommonPrefixes = p.fill(entries, fetchOwner)
	writeXML(w, http.StatusOK, out)
	return nil
}

// Continuation tokens are opaque to clients; here they carry the last key (or
// common prefix) returned, in URL-safe base64 so that they survive both
// signing versions and URL encoding unchanged.
func encodeToken(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

func decodeToken(t string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	return string(b), err
}
