package server

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
)

// maxDeleteKeys is the DeleteMultipleObjects limit per request.
const maxDeleteKeys = 1000

type deleteRequestXML struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key string `xml:"Key"`
	} `xml:"Object"`
}

type deleteResultXML struct {
	XMLName      xml.Name `xml:"DeleteResult"`
	EncodingType string   `xml:"EncodingType,omitempty"`
	Deleted      []struct {
		Key string `xml:"Key"`
	} `xml:"Deleted"`
}

func errMissingContentMD5() *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidDigest",
		message: "Content-MD5 is required for DeleteMultipleObjects."}
}

// deleteMultiple answers DeleteMultipleObjects (POST /bucket?delete): up to
// 1000 keys in a <Delete> document whose Content-MD5 is required. Keys that
// do not exist count as deleted, as in OSS; keys under Config.DenyPrefixes
// or with invalid names are left alone and not reported. Quiet mode returns
// an empty result.
func (s *Server) deleteMultiple(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	body, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
	if err != nil {
		return errIncompleteBody()
	}
	md5Header := r.Header.Get("Content-MD5")
	if md5Header == "" {
		return errMissingContentMD5()
	}
	sum := md5.Sum(body)
	if md5Header != base64.StdEncoding.EncodeToString(sum[:]) {
		return errInvalidDigest()
	}
	var req deleteRequestXML
	if xml.Unmarshal(body, &req) != nil || len(req.Objects) == 0 || len(req.Objects) > maxDeleteKeys {
		return errMalformedXML()
	}
	p, oe := parseListParams(rq.query) // only for encoding-type
	if oe != nil {
		return oe
	}
	out := deleteResultXML{EncodingType: p.encodingType()}
	for _, o := range req.Objects {
		if checkKey(o.Key) != nil || s.denied(rq.bucket, o.Key) {
			continue
		}
		unlock := s.store.lock(rq.bucket, o.Key)
		err := s.store.remove(rq.bucket, o.Key)
		unlock()
		if err != nil {
			continue
		}
		if !req.Quiet {
			out.Deleted = append(out.Deleted, struct {
				Key string `xml:"Key"`
			}{Key: p.enc(o.Key)})
		}
	}
	writeXML(w, http.StatusOK, out)
	return nil
}
