# fuzz.mk — libFuzzer targets for every parser chokepoint has.
#
#   make fuzz FUZZ_SECONDS=600          (installs clang, then runs this file)
#   make -f fuzz/fuzz.mk build          build the targets only
#   make -f fuzz/fuzz.mk run-csv        one target
#   make -j2 -f fuzz/fuzz.mk            targets in parallel (one core each)
#
# Each fuzz/fuzz_<name>.c is one target.  The library is compiled with
# clang and -fsanitize=fuzzer-no-link,address,undefined into build-fuzz/;
# each target is linked with -fsanitize=fuzzer,address,undefined.  A run
# starts from a copy of the committed seeds (fuzz/corpus/<name>/ -> build-
# fuzz/corpus/<name>/; the committed corpus is never written) and stops
# after FUZZ_SECONDS.  A crash, a sanitizer report, a leak, a timeout or
# an out-of-memory makes the run (and so `make fuzz`) fail and prints the
# path of the reproducer under build-fuzz/crashes/<name>/.  See
# docs/fuzzing.md.

SHELL        := /bin/bash
FUZZ_SECONDS ?= 60
FUZZ_RSS_MB  ?= 2048
FUZZ_TIMEOUT ?= 10
FUZZ_FLAGS   ?=
FB           := build-fuzz
FCC          := clang
PKGS         := openblas lapacke gsl libfyaml jansson sqlite3
PKG_CFLAGS   := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS     := $(filter-out -lgslcblas,$(shell pkg-config --libs $(PKGS) 2>/dev/null))
SAN_LIB      := -fsanitize=fuzzer-no-link,address,undefined
SAN_BIN      := -fsanitize=fuzzer,address,undefined
FCFLAGS      := -DCP_DATADIR='"$(abspath data)"' -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror \
                -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all \
                -Iinclude -Isrc $(PKG_CFLAGS)
FLDLIBS      := $(PKG_LIBS) -lm -lpthread

LAYERS       := core economy controls models results outputs scenario
LIB_SRC      := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJ      := $(LIB_SRC:%.c=$(FB)/%.o)
LIB          := $(FB)/libchokepoint-fuzz.a
TARGETS      := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
BINS         := $(TARGETS:%=$(FB)/fuzz_%)

.PHONY: all build list FORCE
FORCE:
.DEFAULT_GOAL := all

all: $(TARGETS:%=run-%)

build: $(BINS)

list:
	@echo $(TARGETS)

$(FB)/%.o: %.c include/chokepoint.h $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FCC) $(FCFLAGS) $(SAN_LIB) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(FB)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_util.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@"
	@$(FCC) $(FCFLAGS) $(SAN_BIN) -Ifuzz $< -o $@ $(LIB) $(FLDLIBS)

# One run: fresh working corpus seeded from the committed one (seeds are
# copied, never written back), a private TMPDIR for targets that need
# files, the log kept in $(FB)/logs/<name>.log.
run-%: $(FB)/fuzz_% FORCE
	@mkdir -p $(FB)/corpus/$* $(FB)/crashes/$* $(FB)/logs $(FB)/tmp/$*
	@if [ -d fuzz/corpus/$* ]; then cp -n fuzz/corpus/$*/* $(FB)/corpus/$*/ 2>/dev/null || true; fi
	@echo "  FUZZ    $* for $(FUZZ_SECONDS) s (log: $(FB)/logs/$*.log)"
	@TMPDIR=$(abspath $(FB)/tmp/$*) ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 LSAN_OPTIONS=suppressions=$(abspath fuzz/lsan.supp) \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(FB)/fuzz_$* $(FB)/corpus/$* -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=$(FUZZ_RSS_MB) \
	  -timeout=$(FUZZ_TIMEOUT) -print_final_stats=1 -artifact_prefix=$(FB)/crashes/$*/ \
	  $$([ -f fuzz/$*.dict ] && echo -dict=fuzz/$*.dict) $(FUZZ_FLAGS) >$(FB)/logs/$*.log 2>&1; rc=$$?; \
	 if [ $$rc -ne 0 ]; then \
	   echo "FUZZ FAILED: $* (exit $$rc); last lines of $(FB)/logs/$*.log:"; \
	   tail -n 60 $(FB)/logs/$*.log; \
	   echo "reproducer:"; grep -h 'Test unit written to' $(FB)/logs/$*.log | sed 's/.*written to /  /'; \
	   echo "replay with: $(FB)/fuzz_$* <reproducer>"; \
	   exit 1; \
	 fi; \
	 stats=$$(grep -h -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' $(FB)/logs/$*.log | tr '\n' ' '); \
	 echo "  DONE    $*: $$stats"
