# The two commands of the README, and the rest of the developer loop.
#   make run    install what is missing, build, create a demo database, serve on 127.0.0.1:8080
#   make test   install what is missing, build (release, and ASan+UBSan), run every test, then a short fuzz run
#   make bench  the benchmarks of docs/PERFORMANCE.md

JOBS      ?= $(shell nproc)
VAR       ?= var
DB        := $(VAR)/niemtin.db
LISTEN    ?= 127.0.0.1:8080
FUZZ_SECS ?= 20
FUZZ_RUNS ?= 10000000
VALGRIND_SUITES ?= $(patsubst tests/api/%.py,%,$(wildcard tests/api/test_*.py))

.PHONY: all deps build build-asan build-tsan build-fuzz build-valgrind run test race unit fuzz fuzz-long valgrind bench screenshots \
        format format-check clean

# The tests where threads race (the check index's readers and its writer, the store's group
# commit, the service runtime), under ThreadSanitizer.
RACE_TESTS := test_restrictions test_store_sqlite test_runtime

all: build

deps:
	@./scripts/install-deps

build: deps
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DNT_TESTS=OFF >/dev/null
	@cmake --build build/release -j $(JOBS) -- --no-print-directory

build-asan: deps
	@cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DNT_SANITIZE=ON >/dev/null
	@cmake --build build/asan -j $(JOBS) -- --no-print-directory

build-tsan: deps
	@cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DNT_TSAN=ON >/dev/null
	@cmake --build build/tsan -j $(JOBS) --target $(RACE_TESTS) -- --no-print-directory

build-fuzz: deps
	@CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DNT_FUZZ=ON >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target fuzz_body fuzz_query fuzz_text fuzz_scalars fuzz_note fuzz_tlog fuzz_proof fuzz_vc -- --no-print-directory

run: build
	@if [ ! -f $(DB) ]; then \
	    mkdir -p -m 700 $(VAR) && (umask 077 && build/release/niemtin init --db $(DB) > $(VAR)/init.txt) && \
	    NIEMTIN_PUBLIC_URL=http://$(LISTEN) build/release/niemtin demo --db $(DB) --keys-out $(VAR)/demo-keys.env >/dev/null; \
	fi
	@./scripts/run-banner $(VAR) $(LISTEN)
	@exec build/release/niemtin serve --db $(DB) --listen $(LISTEN) --public-url http://$(LISTEN)

test: build build-asan build-tsan build-fuzz format-check
	@cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory race
	@./tests/fuzz/run-all build/fuzz $(FUZZ_SECS)

race: build-tsan
	@for t in $(RACE_TESTS); do \
	    echo "race: $$t (ThreadSanitizer)"; \
	    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build/tsan/tests/$$t >build/tsan/$$t.log 2>&1 \
	        || { tail -n 60 build/tsan/$$t.log; exit 1; }; \
	    grep -E "PASSED|FAILED" build/tsan/$$t.log; \
	done

# Every fuzz target for FUZZ_RUNS executions (ten million; not in CI: some targets take half an hour).
fuzz-long: build-fuzz
	@./tests/fuzz/run-all build/fuzz 0 $(FUZZ_RUNS)

# The API suites (VALGRIND_SUITES, all by default) against servers and commands run under
# Valgrind's memcheck, built without sanitizers; clean when no process reported an error.
build-valgrind: deps
	@cmake -S . -B build/valgrind -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNT_TESTS=OFF >/dev/null
	@cmake --build build/valgrind -j $(JOBS) --target niemtin -- --no-print-directory

valgrind: build-valgrind
	@./tests/valgrind/run build/valgrind $(VALGRIND_SUITES)

unit: build-asan
	@cd build/asan && ctest --output-on-failure -L unit

# The README's screenshots, from the browser tests (phone and desktop widths).
screenshots: build-asan
	@cd build/asan && ctest -R "web\.(pages|accounts)" --output-on-failure >/dev/null
	@mkdir -p docs/screenshots && cp build/asan/screenshots/*.png docs/screenshots/

bench: build
	@./bench/run-all

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
