//go:build !piiscan_crashpoints

package main

// crashpoint does nothing outside the tests' crash build
// (crashpoint_on.go).
func crashpoint(string, int) {}
