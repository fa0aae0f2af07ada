package server

import (
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// bucketXML is a bucket as ListBuckets and GetBucketInfo describe it.
type bucketXML struct {
	Name             string    `xml:"Name"`
	CreationDate     string    `xml:"CreationDate"`
	Location         string    `xml:"Location"`
	ExtranetEndpoint string    `xml:"ExtranetEndpoint"`
	IntranetEndpoint string    `xml:"IntranetEndpoint"`
	Region           string    `xml:"Region"`
	StorageClass     string    `xml:"StorageClass"`
	Owner            *ownerXML `xml:"Owner,omitempty"`
	ACL              string    `xml:"AccessControlList>Grant,omitempty"`
	Redundancy       string    `xml:"DataRedundancyType,omitempty"`
}

type listBucketsXML struct {
	XMLName     xml.Name    `xml:"ListAllMyBucketsResult"`
	Prefix      string      `xml:"Prefix"`
	Marker      string      `xml:"Marker"`
	MaxKeys     int         `xml:"MaxKeys"`
	IsTruncated bool        `xml:"IsTruncated"`
	NextMarker  string      `xml:"NextMarker,omitempty"`
	Owner       *ownerXML   `xml:"Owner"`
	Buckets     []bucketXML `xml:"Buckets>Bucket"`
}

type bucketInfoXML struct {
	XMLName xml.Name  `xml:"BucketInfo"`
	Bucket  bucketXML `xml:"Bucket"`
}

type locationXML struct {
	XMLName  xml.Name `xml:"LocationConstraint"`
	Location string   `xml:",chardata"`
}

// describeBucket fills the fixed properties of a bucket. Endpoints are the
// public OSS names of the configured region, as real buckets report them.
func (s *Server) describeBucket(name string, created time.Time) bucketXML {
	loc := "oss-" + s.cfg.Region
	return bucketXML{
		Name: name, CreationDate: created.UTC().Format(isoTimeFormat), Location: loc,
		ExtranetEndpoint: loc + ".aliyuncs.com", IntranetEndpoint: loc + "-internal.aliyuncs.com",
		Region: s.cfg.Region, StorageClass: classStandard,
	}
}

// listBuckets answers ListBuckets (GetService): the sub-folders of Root
// with valid bucket names, filtered by prefix and paged by marker/max-keys.
func (s *Server) listBuckets(w http.ResponseWriter, _ *http.Request, rq *request) *ossError {
	prefix, marker := rq.query.Get("prefix"), rq.query.Get("marker")
	maxKeys := defaultMaxKeys
	if v, ok := rq.query["max-keys"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > maxMaxKeys {
			return errInvalidArgument("Argument max-keys must be an integer from 1 to 1000.", "max-keys", v[0])
		}
		maxKeys = n
	}
	ents, err := os.ReadDir(s.store.root)
	if err != nil {
		return s.internal(rq, "list buckets", err)
	}
	out := listBucketsXML{Prefix: prefix, Marker: marker, MaxKeys: maxKeys, Owner: owner}
	for _, e := range ents { // ReadDir sorts by name, which is bucket order
		name := e.Name()
		if !e.IsDir() || !validBucketName(name) || !strings.HasPrefix(name, prefix) || name <= marker {
			continue
		}
		if len(out.Buckets) == maxKeys {
			out.IsTruncated, out.NextMarker = true, out.Buckets[len(out.Buckets)-1].Name
			break
		}
		var created time.Time
		if fi, err := e.Info(); err == nil {
			created = fi.ModTime()
		}
		out.Buckets = append(out.Buckets, s.describeBucket(name, created))
	}
	writeXML(w, http.StatusOK, out)
	return nil
}

func (s *Server) bucketCreated(bucket string) time.Time {
	if fi, err := os.Stat(s.store.bucketDir(bucket)); err == nil {
		return fi.ModTime()
	}
	return time.Time{}
}

// getBucketInfo answers GetBucketInfo (GET /bucket?bucketInfo).
func (s *Server) getBucketInfo(w http.ResponseWriter, _ *http.Request, rq *request) *ossError {
	b := s.describeBucket(rq.bucket, s.bucketCreated(rq.bucket))
	b.Owner, b.ACL, b.Redundancy = owner, "private", "LRS"
	writeXML(w, http.StatusOK, bucketInfoXML{Bucket: b})
	return nil
}

// getBucketLocation answers GetBucketLocation (GET /bucket?location).
func (s *Server) getBucketLocation(w http.ResponseWriter, _ *http.Request, _ *request) *ossError {
	writeXML(w, http.StatusOK, locationXML{Location: "oss-" + s.cfg.Region})
	return nil
}

// headBucket answers HEAD /bucket: 200 when the bucket exists (checked
// before authentication, like every bucket request).
func (s *Server) headBucket(w http.ResponseWriter, _ *http.Request, _ *request) *ossError {
	w.Header().Set("x-oss-bucket-region", s.cfg.Region)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// putBucket answers PutBucket by creating the bucket folder; the optional
// CreateBucketConfiguration body is accepted and ignored. An existing
// bucket is 409 BucketAlreadyExists.
func (s *Server) putBucket(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
	if s.store.bucketExists(rq.bucket) {
		return errBucketAlreadyExists(rq.bucket)
	}
	if err := os.Mkdir(s.store.bucketDir(rq.bucket), 0o755); err != nil {
		if os.IsExist(err) {
			return errBucketAlreadyExists(rq.bucket)
		}
		return s.internal(rq, "create bucket", err)
	}
	w.Header().Set("Location", "/"+rq.bucket)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteBucket answers DeleteBucket: 409 BucketNotEmpty while the bucket
// holds any object or unfinished multipart upload, else 204.
func (s *Server) deleteBucket(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	entries, err := s.store.list(r.Context(), rq.bucket, listQuery{limit: 1})
	if err != nil {
		return s.internal(rq, "delete bucket", err)
	}
	if len(entries) > 0 || len(s.uploadsOf(rq.bucket)) > 0 {
		return errBucketNotEmpty(rq.bucket)
	}
	if err := os.RemoveAll(s.store.bucketDir(rq.bucket)); err != nil {
		return s.internal(rq, "delete bucket", err)
	}
	_ = os.RemoveAll(filepath.Join(s.store.sys, "meta", rq.bucket))
	w.WriteHeader(http.StatusNoContent)
	return nil
}
