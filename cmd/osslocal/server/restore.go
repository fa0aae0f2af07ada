package server

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"time"
)

// restoreRequest is the optional RestoreObject body.
type restoreRequest struct {
	XMLName xml.Name `xml:"RestoreRequest"`
	Days    int      `xml:"Days"`
}

// restoreWindow returns when a requested restore becomes readable and when
// the restored copy expires.
func (s *Server) restoreWindow(info objectInfo) (ready, expiry time.Time) {
	ready = time.Unix(0, info.RestoreAt).Add(s.cfg.RestoreDelay)
	return ready, ready.Add(time.Duration(max(info.RestoreDays, 1)) * 24 * time.Hour)
}

// restored reports whether an Archive-class object can be read now.
func (s *Server) restored(info objectInfo) bool {
	if info.RestoreAt == 0 {
		return false
	}
	ready, expiry := s.restoreWindow(info)
	now := s.cfg.Now()
	return !now.Before(ready) && now.Before(expiry)
}

// restoreHeader is the x-oss-restore value of HeadObject/GetObject:
// ongoing-request="true" while restoring, then ongoing-request="false" with
// the expiry date of the restored copy.
func (s *Server) restoreHeader(info objectInfo) string {
	if !isFrozen(info.StorageClass) || info.RestoreAt == 0 {
		return ""
	}
	ready, expiry := s.restoreWindow(info)
	now := s.cfg.Now()
	switch {
	case now.Before(ready):
		return `ongoing-request="true"`
	case now.Before(expiry):
		return fmt.Sprintf(`ongoing-request="false", expiry-date="%s"`, expiry.UTC().Format(http.TimeFormat))
	}
	return ""
}

// restoreObject answers RestoreObject for Archive, ColdArchive and
// DeepColdArchive objects: 202 when a restore starts, 409
// RestoreAlreadyInProgress while one runs, 200 (and a longer expiry) when
// the object is already restored. The restore completes after
// Config.RestoreDelay.
func (s *Server) restoreObject(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	req := restoreRequest{Days: 1}
	if body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10)); err == nil && len(body) > 0 {
		if xml.Unmarshal(body, &req) != nil || req.Days < 0 {
			return errMalformedXML()
		}
	}
	unlock := s.store.lock(rq.bucket, rq.key)
	defer unlock()
	info, err := s.store.stat(rq.bucket, rq.key)
	if err != nil {
		return s.statError(rq, err)
	}
	if !isFrozen(info.StorageClass) {
		return errOperationNotSupported("The operation is not supported for this resource")
	}
	status := http.StatusAccepted
	if info.RestoreAt != 0 {
		ready, expiry := s.restoreWindow(info)
		now := s.cfg.Now()
		switch {
		case now.Before(ready):
			return errRestoreAlreadyInProgress()
		case now.Before(expiry):
			// Already restored: extend the restored copy's lifetime.
			info.RestoreDays += max(req.Days, 1)
			status = http.StatusOK
		}
	}
	if status == http.StatusAccepted {
		info.RestoreAt, info.RestoreDays = s.cfg.Now().UnixNano(), max(req.Days, 1)
	}
	if err := s.store.writeMeta(rq.bucket, info.objectMeta); err != nil {
		return s.internal(rq, "record restore", err)
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(status)
	return nil
}
