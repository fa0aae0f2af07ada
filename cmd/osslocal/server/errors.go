package server

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
)

// ossError is an error answered to the client as OSS's XML error document
// ("Error responses" in the OSS API reference): an HTTP status, a Code that
// SDKs switch on, a human Message and optional context elements.
type ossError struct {
	status  int
	code    string
	message string

	// Optional context elements OSS adds for some codes.
	bucket        string // BucketName, for bucket errors
	key           string // Key, for NoSuchKey
	argName       string // ArgumentName, for InvalidArgument
	argValue      string // ArgumentValue, for InvalidArgument
	stringToSign  string // StringToSign, for SignatureDoesNotMatch (never the signature)
	canonicalReq  string // CanonicalRequest, for V4 SignatureDoesNotMatch
	accessKeyID   string // OSSAccessKeyId, for signature errors (the id is not a secret)
	uploadID      string // UploadId, for NoSuchUpload
	partNumber    int    // PartNumber, for InvalidPart
	faultInjected bool   // answered by fault injection, not by a real failure
}

func (e *ossError) Error() string {
	return fmt.Sprintf("oss %s (%d): %s", e.code, e.status, e.message)
}

// errorDoc is the XML body. Field order follows the OSS examples: Code,
// Message, RequestId, HostId, then the context elements.
type errorDoc struct {
	XMLName          xml.Name `xml:"Error"`
	Code             string   `xml:"Code"`
	Message          string   `xml:"Message"`
	RequestID        string   `xml:"RequestId"`
	HostID           string   `xml:"HostId"`
	BucketName       string   `xml:"BucketName,omitempty"`
	Key              string   `xml:"Key,omitempty"`
	ArgumentName     string   `xml:"ArgumentName,omitempty"`
	ArgumentValue    string   `xml:"ArgumentValue,omitempty"`
	UploadID         string   `xml:"UploadId,omitempty"`
	PartNumber       string   `xml:"PartNumber,omitempty"`
	OSSAccessKeyID   string   `xml:"OSSAccessKeyId,omitempty"`
	StringToSign     string   `xml:"StringToSign,omitempty"`
	CanonicalRequest string   `xml:"CanonicalRequest,omitempty"`
}

// body renders the XML error document for one request.
func (e *ossError) body(requestID, hostID string) []byte {
	doc := errorDoc{
		Code: e.code, Message: e.message, RequestID: requestID, HostID: hostID,
		BucketName: e.bucket, Key: e.key, ArgumentName: e.argName, ArgumentValue: e.argValue,
		UploadID: e.uploadID, OSSAccessKeyID: e.accessKeyID,
		StringToSign: e.stringToSign, CanonicalRequest: e.canonicalReq,
	}
	if e.partNumber > 0 {
		doc.PartNumber = strconv.Itoa(e.partNumber)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil { // cannot happen: the document holds strings only
		return []byte(xml.Header + "<Error><Code>InternalError</Code></Error>")
	}
	return append([]byte(xml.Header), out...)
}

// writeError answers e. A HEAD response has no body, so OSS sends the same
// document base64-encoded in the x-oss-err header; both official SDKs decode it.
func writeError(w http.ResponseWriter, r *http.Request, requestID string, e *ossError) {
	body := e.body(requestID, r.Host)
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	if r.Method == http.MethodHead {
		h.Set("x-oss-err", base64.StdEncoding.EncodeToString(body))
		h.Set("Content-Length", "0")
		w.WriteHeader(e.status)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

// The constructors below use the codes, statuses and messages listed in the
// OSS error-code reference ("HTTP status code 4xx/5xx" pages).

func errAccessDenied(msg string) *ossError {
	return &ossError{status: http.StatusForbidden, code: "AccessDenied", message: msg}
}

func errInvalidAccessKeyID(id string) *ossError {
	return &ossError{status: http.StatusForbidden, code: "InvalidAccessKeyId",
		message: "The OSS Access Key Id you provided does not exist in our records.", accessKeyID: id}
}

func errInvalidSecurityToken(id string) *ossError {
	return &ossError{status: http.StatusForbidden, code: "InvalidAccessKeyId",
		message: "The security token you provided is invalid.", accessKeyID: id}
}

func errSignatureDoesNotMatch(id, stringToSign, canonicalRequest string) *ossError {
	return &ossError{status: http.StatusForbidden, code: "SignatureDoesNotMatch",
		message:     "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
		accessKeyID: id, stringToSign: stringToSign, canonicalReq: canonicalRequest}
}

func errRequestTimeTooSkewed() *ossError {
	return &ossError{status: http.StatusForbidden, code: "RequestTimeTooSkewed",
		message: "The difference between the request time and the current time is too large."}
}

func errInvalidArgument(msg, name, value string) *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidArgument", message: msg, argName: name, argValue: value}
}

func errNoSuchBucket(bucket string) *ossError {
	return &ossError{status: http.StatusNotFound, code: "NoSuchBucket",
		message: "The specified bucket does not exist.", bucket: bucket}
}

func errNoSuchKey(key string) *ossError {
	return &ossError{status: http.StatusNotFound, code: "NoSuchKey", message: "The specified key does not exist.", key: key}
}

func errNoSuchUpload(uploadID string) *ossError {
	return &ossError{status: http.StatusNotFound, code: "NoSuchUpload",
		message:  "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
		uploadID: uploadID}
}

func errInvalidBucketName(bucket string) *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidBucketName",
		message: "The specified bucket is not valid.", bucket: bucket}
}

func errInvalidObjectName(msg string) *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidObjectName", message: msg}
}

func errInvalidRange() *ossError {
	return &ossError{status: http.StatusRequestedRangeNotSatisfiable, code: "InvalidRange",
		message: "The requested range cannot be satisfied"}
}

func errInvalidObjectState(key string) *ossError {
	return &ossError{status: http.StatusForbidden, code: "InvalidObjectState",
		message: "The operation is not valid for the object's state", key: key}
}

func errInvalidDigest() *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidDigest",
		message: "The Content-MD5 you specified was invalid."}
}

func errInvalidPart(n int) *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidPart",
		message:    "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
		partNumber: n}
}

func errInvalidPartOrder() *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidPartOrder",
		message: "The list of parts was not in ascending order. Parts list must specified in order by part number."}
}

func errEntityTooSmall() *ossError {
	return &ossError{status: http.StatusBadRequest, code: "EntityTooSmall",
		message: "Your proposed upload is smaller than the minimum allowed size."}
}

func errMalformedXML() *ossError {
	return &ossError{status: http.StatusBadRequest, code: "MalformedXML",
		message: "The XML you provided was not well-formed or did not validate against our published schema."}
}

func errPreconditionFailed() *ossError {
	return &ossError{status: http.StatusPreconditionFailed, code: "PreconditionFailed",
		message: "At least one of the pre-conditions you specified did not hold."}
}

func errFileAlreadyExists() *ossError {
	return &ossError{status: http.StatusConflict, code: "FileAlreadyExists",
		message: "The object you specified already exists and can not be overwritten."}
}

func errBucketNotEmpty(bucket string) *ossError {
	return &ossError{status: http.StatusConflict, code: "BucketNotEmpty",
		message: "The bucket you tried to delete is not empty.", bucket: bucket}
}

func errBucketAlreadyExists(bucket string) *ossError {
	return &ossError{status: http.StatusConflict, code: "BucketAlreadyExists",
		message: "The requested bucket name is not available.", bucket: bucket}
}

func errRestoreAlreadyInProgress() *ossError {
	return &ossError{status: http.StatusConflict, code: "RestoreAlreadyInProgress",
		message: "Object restore is already in progress."}
}

func errOperationNotSupported(msg string) *ossError {
	return &ossError{status: http.StatusBadRequest, code: "OperationNotSupported", message: msg}
}

func errMethodNotAllowed() *ossError {
	return &ossError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed",
		message: "The specified method is not allowed against this resource."}
}

func errNotImplemented() *ossError {
	return &ossError{status: http.StatusNotImplemented, code: "NotImplemented",
		message: "osslocal does not implement this operation."}
}

func errInternal() *ossError {
	return &ossError{status: http.StatusInternalServerError, code: "InternalError",
		message: "We encountered an internal error. Please try again."}
}

func errServiceUnavailable() *ossError {
	return &ossError{status: http.StatusServiceUnavailable, code: "ServiceUnavailable",
		message: "Thread pool is almost full, please retry later"}
}
