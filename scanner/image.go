package scanner

import (
	"bytes"
	"image"
	_ "image/gif" // DecodeConfig of the formats sniff detects
	_ "image/jpeg"
	_ "image/png"
	"path"
	"strings"
)

// idCardWords are file-name parts that suggest a scan of an identity
// document (lower case; Chinese and pinyin abbreviations included).
var idCardWords = []string{"身份证", "身份證", "护照", "護照", "idcard", "id_card", "id-card", "id card",
	"sfz", "passport", "identity", "证件"}

// ID-1 cards (ISO/IEC 7810: resident ID cards, bank cards) are 85.60 mm by
// 53.98 mm, an aspect ratio of 1.586; a scan or photo cropped to the card
// keeps it within a few percent.
const (
	idCardAspect  = 1.586
	idCardTol     = 0.05
	idCardMinSide = 200 // pixels: smaller images are icons, not scans
)

// imageNote adds a note for an image that is named or shaped like an
// ID-card scan. Images are not scanned (no OCR); the note makes sure such
// a file is not silently ignored. The note names the object, never content.
func (o *objectScan) imageNote(name string, head []byte) {
	low := strings.ToLower(path.Base(name))
	for _, w := range idCardWords {
		if strings.Contains(low, w) {
			o.note(o.where() + ": image named like an identity-document scan; not scanned (no OCR)")
			return
		}
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(head))
	if err != nil || min(cfg.Width, cfg.Height) < idCardMinSide {
		return
	}
	r := float64(max(cfg.Width, cfg.Height)) / float64(min(cfg.Width, cfg.Height))
	if r > idCardAspect*(1-idCardTol) && r < idCardAspect*(1+idCardTol) {
		o.note(o.where() + ": image shaped like an ID card (aspect 1.59); not scanned (no OCR)")
	}
}
