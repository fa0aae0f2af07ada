package main

// envCrashpoint names the point where a binary built with the
// piiscan_crashpoints tag kills itself, as "<point>:<part>" (for example
// "objects:2"), or stops itself there with "stop:<point>:<part>". Only
// the tests build that binary (crashpoint_on.go): in a release build the
// variable means nothing and crashpoint compiles to nothing
// (crashpoint_off.go).
//
// The points are where a checkpoint's writes may be cut (checkpoint.go):
//
//	intent    the intent record is saved, nothing of the part published
//	findings  the part's findings file is published, its objects file not
//	objects   both files are published, the state not yet saved
//	state     the state is saved, the intent record not yet removed
const envCrashpoint = "PIISCAN_CRASHPOINT"
