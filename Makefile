# The two commands a newcomer needs: `make demo` and `make test`.
# Everything else here is what they are made of.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
JOBS ?= $(shell nproc)
TIME ?= 30

RELEASE := build/release
ASAN := build/asan
FUZZ := build/fuzz

.PHONY: all deps build demo test unit-test asan-test soak fuzz fuzz-build bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE) -j $(JOBS)

demo: build
	@scripts/demo $(RELEASE)

# Unit tests (Release), the same tests under ASan+UBSan, then each fuzzer for $(TIME) s.
test: unit-test asan-test
	@$(MAKE) --no-print-directory fuzz TIME=$(TIME)
	@echo "make test: all passed"

unit-test: build
	@cd $(RELEASE) && ctest --output-on-failure -j $(JOBS)

asan-test: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DRUBATO_SANITIZE=ON -DRUBATO_BENCH=OFF >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# Long crash-safety run: kill -9 for ROUNDS rounds (random moments and every
# crash point), then the disk-full test. `make test` runs a 12-round version.
ROUNDS ?= 60
soak: build
	@tests/e2e/crash/kill9-test $(RELEASE)/rubato $(ROUNDS)
	@tests/e2e/crash/disk-full-test $(RELEASE)/rubato || [ $$? -eq 77 ]
	@echo "make soak: all passed"

fuzz-build: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRUBATO_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ) -j $(JOBS) --target fuzzers

# Runs every libFuzzer target for TIME seconds, each from its committed seed corpus.
fuzz: fuzz-build
	@scripts/run-fuzzers $(FUZZ) $(TIME)

bench: build
	@$(RELEASE)/bench/bench_otlp_decode --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

clean:
	rm -rf build
