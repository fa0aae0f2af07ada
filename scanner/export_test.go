package scanner

// WindowMin is the size of a CSV or JSON parser's first window, for tests
// that put tokens across its end.
const WindowMin = windowMin
