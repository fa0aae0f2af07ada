package scanner

// SheetHead holds the first rows of a worksheet while its first row may
// be a header, for the scanner's sheet reader and the de-identified copy
// writer's alike, so that both take the same rows for headers.
//
// The first row is held until it ends. It can be a header only when every
// cell is text of at most MaxHeaderCell bytes and none is a number or a
// date; then the second row is held too (at most MaxHeaderCells cells and
// PeekRowMax bytes), because one Chinese name in the first row is a header
// or data depending on the cell under it (classifiers'
// Scanner.LooksLikeHeader): "张伟, 北京市" over "李娜, 上海市" is data.
// A first row that cannot be a header is settled at its end, so a sheet
// of numbers holds one row. Not safe for concurrent use.
type SheetHead struct {
	first, second   []HeadCell
	firstR, secondR int64
	secondN         int  // bytes held of the second row
	waiting         bool // the first row ended and may be a header
	cut             bool // the second row outgrew the bounds: not looked at
	decided         bool
}

// HeadCell is a held cell: its 0-based column, its text (a copy), whether
// it is a text cell, and a value the caller keeps with it.
type HeadCell struct {
	Col  int
	Text []byte
	Str  bool
	Slot int
}

// HeldRow is a held row to be read as data once the question is settled.
type HeldRow struct {
	Row   int64
	Cells []HeadCell
}

// Decided reports the question settled: cells are no longer held.
func (h *SheetHead) Decided() bool { return h.decided }

// Cell offers a cell with a value, in row. It reports whether the cell is
// held (its text copied); when it is not, the question must be settled
// (Settle) before the cell is read.
func (h *SheetHead) Cell(row int64, c HeadCell) bool {
	if h.first == nil {
		h.firstR = row
	}
	if row == h.firstR && !h.waiting {
		if len(h.first) >= maxHeaderCells {
			return false
		}
		c.Text = append([]byte(nil), c.Text...)
		h.first = append(h.first, c)
		return true
	}
	if !h.waiting && !h.firstEnded() {
		return false
	}
	if h.second == nil {
		h.secondR = row
	}
	if row != h.secondR {
		return false
	}
	if len(h.second) >= maxHeaderCells || h.secondN+len(c.Text) > PeekRowMax {
		h.cut = true
		return false
	}
	h.secondN += len(c.Text)
	c.Text = append([]byte(nil), c.Text...)
	h.second = append(h.second, c)
	return true
}

// RowEnd reports, at the end of row, whether the question must be
// settled now: the first row cannot be a header, or the second ended.
func (h *SheetHead) RowEnd(row int64) bool {
	switch {
	case h.first == nil:
		return false
	case !h.waiting && row == h.firstR:
		return !h.firstEnded()
	case h.waiting && h.second != nil && row == h.secondR:
		return true
	}
	return false
}

// firstEnded marks the first row ended and reports whether it may be a
// header (the second row is then awaited).
func (h *SheetHead) firstEnded() bool {
	for _, c := range h.first {
		if !c.Str || !LabelCell(c.Text) {
			return false
		}
	}
	h.waiting = true
	return true
}

// Holding reports held cells: the output around them must wait.
func (h *SheetHead) Holding() bool { return h.first != nil || h.second != nil }

// Settle decides the question with looks (classifiers'
// Scanner.LooksLikeHeader without its context) when the first row may be
// a header. It returns the first row when it is the header (no cells
// when there is none), and the held rows to read as data, in order.
func (h *SheetHead) Settle(looks func(cells [][]byte, next func() [][]byte) bool) (header HeldRow, data []HeldRow) {
	h.decided = true
	first, second := h.first, h.second
	h.first, h.second = nil, nil
	if len(first) == 0 {
		return HeldRow{}, nil
	}
	if h.waiting || h.firstEnded() {
		texts := make([][]byte, len(first))
		for i, c := range first {
			texts[i] = c.Text
		}
		next := func() [][]byte {
			if h.cut || second == nil {
				return nil // not looked at, or no second row
			}
			byCol := make(map[int][]byte, len(second))
			for _, d := range second {
				byCol[d.Col] = d.Text
			}
			under := make([][]byte, len(first)) // the cell under each of the first row's
			for i, c := range first {
				under[i] = byCol[c.Col]
			}
			return under
		}
		if looks(texts, next) {
			header = HeldRow{Row: h.firstR, Cells: first}
		}
	}
	if header.Cells == nil {
		data = append(data, HeldRow{Row: h.firstR, Cells: first})
	}
	if second != nil {
		data = append(data, HeldRow{Row: h.secondR, Cells: second})
	}
	return header, data
}
