//go:build !linux

package main

// hugeHeap marks the heap for transparent huge pages on Linux
// (hugeheap_linux.go); other systems have no such mode.
func hugeHeap(int) {}
