# jobtally — the two commands a newcomer runs:
#   make demo   install what is missing, build, run the Heihe 2003 pipeline
#   make test   install what is missing, build (ASan+UBSan, -Werror), run every test
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

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
