# jobtally — the two commands a newcomer runs:
#   make demo   install what is missing, build, run the Heihe 2003 pipeline
#   make test   install what is missing, build with ASan+UBSan and -Werror and
#               run every test; then build plainly and run them again, the
#               end-to-end ones with every program under valgrind
MAKEFLAGS  += --no-print-directory
BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= 2

.PHONY: all deps build demo test clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)

test: deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DJT_SANITIZE=ON -DJT_WERROR=ON >/dev/null
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJT_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure

clean:
	rm -rf $(BUILD) $(TEST_BUILD)

# make bench   build (RelWithDebInfo, no sanitizers) and run the benchmarks;
#              they print figures and never pass or fail (bench/README.md)
BENCHES = bench_rollup bench_codec bench_ingest bench_recovery bench_outbox bench_pipeline

.PHONY: bench
bench: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJT_SANITIZE=OFF >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target $(BENCHES)
	@for b in $(BENCHES); do echo "== $$b"; $(BUILD)/bench/$$b || exit 1; echo; done

# make fuzz    install clang if missing, build the libFuzzer targets (ASan +
#              UBSan) in build-fuzz and run each for FUZZ_RUNS runs or
#              FUZZ_TIME seconds, whichever ends first; fails on a crash
#              (fuzz/README.md). FUZZ_RUNS=-1 FUZZ_TIME=300: five minutes each
FUZZ_BUILD   ?= build-fuzz
FUZZ_RUNS    ?= 200000
FUZZ_TIME    ?= 60
FUZZ_TARGETS ?= codec csvread catalogue

.PHONY: fuzz
fuzz: deps
	@sh fuzz/deps.sh
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJT_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target make_seeds $(addprefix fuzz_,$(FUZZ_TARGETS))
	@sh fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_RUNS) $(FUZZ_TIME) $(FUZZ_TARGETS)
