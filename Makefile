# chokepoint — build, run, test.
#
#   make run        install missing Debian packages, build, run the main job
#   make test       install missing packages, build, run every test
#   make asan       the test suite under AddressSanitizer + UBSan
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (clang)
#   make bench      benchmarks in bench/ (ratios against a baseline)
#
# Sources are found by wildcard: a new .c file under src/<layer>/ joins the
# library, under cli/ the binary, tests/unit/test_*.c becomes a test program.
# BUILD selects the output directory, so several builds can coexist.

BUILD    ?= build
SHARED   ?= $(abspath ../shared)
CC       ?= cc
OPT      ?= -O2
SAN      ?=
PKGS     := openblas lapacke gsl libfyaml jansson sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(filter-out -lgslcblas,$(shell pkg-config --libs $(PKGS) 2>/dev/null))
CFLAGS   += -DCP_DATADIR='"$(abspath data)"' -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) -g $(SAN) \
            -Iinclude -Isrc $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -lpthread
LDFLAGS  += $(SAN)
# MPI=1: compile with OpenMPI's mpicc and enable cp_unc_run_mpi (src/results/unc_mpi.c).
ifeq ($(MPI),1)
CC       := mpicc
CFLAGS   += -DCP_HAVE_MPI
endif

LAYERS   := core economy controls models results outputs scenario
LIB_SRC  := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libchokepoint.a
BIN      := $(BUILD)/chokepoint

.PHONY: all deps deps-test run test check asan fuzz bench clean
.DEFAULT_GOAL := all

all: $(BIN)

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test

$(BUILD)/%.o: %.c include/chokepoint.h $(wildcard src/*/*.h) $(wildcard cli/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Itests/unit $< -o $@ $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

# The main job: the default case on the embedded data.
run: deps
	@$(MAKE) --no-print-directory all
	$(BIN) main

test: deps-test
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@CP_SHARED=$(SHARED) CP_BIN=$(abspath $(BIN)) CP_BUILD=$(abspath $(BUILD)) \
	  tests/run.sh $(TEST_BIN)

check: test

asan: deps-test
	@$(MAKE) --no-print-directory test BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

bench: deps
	@$(MAKE) --no-print-directory all
	bench/run.sh

clean:
	rm -rf build build-*
