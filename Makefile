# piiscan — build, demo, tests, benchmarks and lint.
GO        ?= go
BIN       := bin
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
DEMO_OUT  ?= piiscan-out
# Fixed demo key so demo fingerprints are stable; set your own in production.
DEMO_KEY  ?= piiscan-demo-key
BENCH_OUT ?= benchmarks/results/bench-$(shell date -u +%Y%m%dT%H%M%SZ).txt
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build demo demo-oss test test-short bench bench-compare lint fuzz clean

all: build

## build: build bin/piiscan and bin/osslocal
build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/piiscan ./cmd/piiscan
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/osslocal ./cmd/osslocal

## demo: build, then scan the demo data shipped in testdata/demo
demo: build
	rm -rf $(DEMO_OUT)
	PIISCAN_HMAC_KEY=$(DEMO_KEY) $(BIN)/piiscan scan testdata/demo --out $(DEMO_OUT) --as-of 2026-11-23 --log-level warn; \
	  code=$$?; echo; echo "Parquet dataset in $(DEMO_OUT)/ (findings/, objects/, scans/); exit code $$code"; \
	  find $(DEMO_OUT) -type f | sort; [ $$code -le 1 ]

## demo-oss: serve the demo data from osslocal, scan oss://demo/, upload the results to oss://results/piiscan
DEMO_OSS_ROOT ?= piiscan-demo-oss
demo-oss: build
	BIN=$(BIN) ROOT=$(DEMO_OSS_ROOT) HMAC=$(DEMO_KEY) deploy/demo-oss.sh

## test: the full test suite (race detector on)
test:
	$(GO) test -race -timeout 15m ./...

## test-short: skip the slow tests
test-short:
	$(GO) test -short ./...

## bench: benchmarks, 10 runs each, saved for benchstat
bench:
	mkdir -p benchmarks/results
	$(GO) test -run '^$$' -bench . -benchmem -count 10 -timeout 60m ./... | tee $(BENCH_OUT)
	@echo "results in $(BENCH_OUT) (compare with: benchstat old.txt $(BENCH_OUT))"

## bench-compare: piiscan vs ripgrep on the same generated corpus (not run by CI)
bench-compare: build
	benchmarks/compare.sh

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## fuzz: run every fuzz target briefly (FUZZTIME=10s by default)
FUZZTIME ?= 10s
# Go minimizes every input that finds new coverage, for up to 60s each by
# default: longer than a short run, which then barely fuzzes the slower
# targets. 10 runs per input keeps the time for fuzzing (a crasher is
# minimized as briefly; shrink it afterwards with -fuzzminimizetime 60s).
FUZZMINIMIZE ?= 10x
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) FUZZMINIMIZE=$(FUZZMINIMIZE) .ci/fuzz.sh

clean:
	rm -rf $(BIN) $(DEMO_OUT) $(DEMO_OSS_ROOT)
