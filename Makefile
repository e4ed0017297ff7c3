# SPDX-License-Identifier: MIT
# The two commands the README promises: `make run` (the main job on the simulated board) and
# `make test` (every test). Each goal first installs the Debian packages it lacks; CMake builds out
# of tree under build/. Builds print nothing unless they fail.

PYTHON := /usr/bin/python3
JOBS := 2
HOST := build/host
ASAN := build/asan
CROSS := build/cross
SCRATCH := build/tmp

# The Debian packages each goal needs (make aside), so that a goal asks only for what it uses;
# tools/ensure-packages installs those this machine lacks, for every goal named at once. A goal
# not listed needs none of its own.
PKGS_binding := cmake gcc python3-dev
PKGS_all := $(PKGS_binding)
PKGS_run := $(PKGS_binding)
PKGS_bench := $(PKGS_binding)
PKGS_host := $(PKGS_binding) libcmocka-dev
PKGS_asan := $(PKGS_host)
FAT_TOOLS := dosfstools mtools
PKGS_test-c := $(PKGS_host) $(FAT_TOOLS)
PKGS_test-python := $(PKGS_binding) python3-pytest $(FAT_TOOLS)
PKGS_test-asan := $(PKGS_test-c) $(PKGS_test-python)
PKGS_test-user := $(PKGS_test-asan)
PKGS_test-pip := gcc python3-dev python3-venv python3-wheel
PKGS_cross := gcc-arm-none-eabi libnewlib-arm-none-eabi python3
PKGS_test-m55 := $(PKGS_host) $(PKGS_cross) qemu-system-arm
PKGS_format := clang-format
PKGS_format-check := clang-format
PKGS_mp-test := gcc make python3
PKGS_fuzz := clang libclang-rt-14-dev python3
PKGS_test := $(sort $(foreach g,test-c test-python test-asan test-user test-pip cross test-m55 \
	fuzz format-check,$(PKGS_$(g))))
PKGS_packages := $(PKGS_test)

PACKAGES := $(sort $(foreach g,$(or $(MAKECMDGOALS),all),$(PKGS_$(g))))
# The C suites need cmocka: the goals that do not run them build without them.
ALIF_TESTS := $(if $(filter libcmocka-dev,$(PACKAGES)),ON,OFF)
# The suites fail, not skip, where a host program they run is missing: these goals install them.
export ALIF_TEST_REQUIRE_TOOLS := 1

# CMake's makefiles, quiet: no directory or progress lines, no command echo. Under `make -jN` they
# share this make's job slots (their recipes start with +) instead of taking $(JOBS) more.
CMAKE_CONFIGURE = cmake -S . -B $(1) -DCMAKE_RULE_MESSAGES=OFF -DCMAKE_TARGET_MESSAGES=OFF \
	-DALIF_TESTS=$(ALIF_TESTS) $(2) >/dev/null
CMAKE_BUILD = cmake --build $(1) $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS)) $(2) \
	-- -s --no-print-directory

CROSS_CC := arm-none-eabi-gcc
CROSS_CFLAGS := -std=c11 -mcpu=cortex-m55 -mthumb -Os -Wall -Wextra -Werror -ffunction-sections -fdata-sections
CROSS_SOURCES := $(wildcard core/*.c ensemble/*.c)
CROSS_OBJECTS := $(patsubst %.c,$(CROSS)/%.o,$(CROSS_SOURCES))

.PHONY: all packages binding host asan run test test-c test-python test-asan test-user test-pip \
	bench cross format format-check mp-test clean

all: host

packages:
	@tools/ensure-packages $(PACKAGES)

# What `make run` needs: the CPython binding over the simulator.
binding: packages
	@$(call CMAKE_CONFIGURE,$(HOST),-DCMAKE_BUILD_TYPE=RelWithDebInfo)
	+@$(call CMAKE_BUILD,$(HOST),--target alif_cpython)

host: binding
	+@$(call CMAKE_BUILD,$(HOST))

asan: packages
	@$(call CMAKE_CONFIGURE,$(ASAN),-DCMAKE_BUILD_TYPE=Debug -DALIF_SANITIZE=ON)
	+@$(call CMAKE_BUILD,$(ASAN))

run: binding
	@PYTHONPATH=$(HOST)/cpython $(PYTHON) demo/main.py

test: format-check test-c test-python test-asan test-user test-pip cross test-m55 fuzz

test-c: host
	@echo '== C suites'
	@ctest --test-dir $(HOST) --output-on-failure --no-tests=error -j$(JOBS)

# -rs: every skipped test is listed with its reason.
test-python: binding
	@echo '== Python suite'
	@mkdir -p $(SCRATCH)
	@ALIF_FLASH_IMAGE=$(abspath $(SCRATCH))/pytest.img PYTHONPATH=$(HOST)/cpython \
		$(PYTHON) -m pytest -q -rs tests/python

# CPython itself is not built with the sanitizers, so their runtimes are preloaded; it keeps
# memory to the end by design, hence no leak check there.
test-asan: asan
	@echo '== C suites under ASan+UBSan'
	@ctest --test-dir $(ASAN) --output-on-failure --no-tests=error -j$(JOBS)
	@echo '== Python suite under ASan+UBSan'
	@mkdir -p $(SCRATCH)
	@LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
		ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1 \
		ALIF_FLASH_IMAGE=$(abspath $(SCRATCH))/pytest-asan.img PYTHONPATH=$(ASAN)/cpython \
		$(PYTHON) -m pytest -q -rs tests/python

# Root's PATH has /usr/sbin, where Debian puts mkfs.fat, and root may write where a user may not:
# run as root (as CI is), make test also runs the C and Python suites as an unprivileged user,
# with a Debian user's PATH and HOME, in a copy of the tree that user owns (tools/as-user).
test-user: packages
	@tools/as-user test-c test-python

# The README's `pip install .`, as a PC user runs it: into a fresh venv, offline, then imported
# from outside the source tree. From clean, since setuptools keeps what it built in build/pip
# (setup.py) when no source is newer, even with a source list that has since changed.
VENV := $(SCRATCH)/venv
test-pip: packages
	@echo '== pip install . into a venv'
	@rm -rf $(VENV) build/pip && mkdir -p $(SCRATCH)
	@$(PYTHON) -m venv --system-site-packages $(VENV)
	@$(VENV)/bin/pip install -q --no-index --no-build-isolation .
	@cd $(VENV) && ALIF_FLASH_IMAGE=$(abspath $(SCRATCH))/pip.img bin/python -c \
		'import alif, os; assert alif.__file__.startswith(os.getcwd()), alif.__file__; alif.Flash()'

# Both report into build/bench.json, each keeping what the other wrote there (tools/merge-json);
# the benchmark's own last line names its scratch file, so it is replaced by the one it goes to.
# The code size figures need the cross compiler, which only the test packages bring: printed
# where it is installed, without asking for the others.
bench: host
	@mkdir -p $(SCRATCH)
	@./$(HOST)/bench $(SCRATCH)/bench.json >$(SCRATCH)/bench.txt
	@tools/merge-json build/bench.json $(SCRATCH)/bench.json
	@sed 's|^written to .*|written to build/bench.json|' $(SCRATCH)/bench.txt
	@if command -v $(CROSS_CC) >/dev/null; then $(MAKE) -s --no-print-directory cross TESTING=; \
	else echo "code size: make cross, which needs $(CROSS_CC) (gcc-arm-none-eabi)"; fi

# Builds the portable layers and the Ensemble drivers for the target, then measures what the
# firmware's flash and info() paths link (tests/cross/code_size.py) into build/bench.json.
cross: $(CROSS_OBJECTS)
	@echo '== cross build for Cortex-M55: code size after --gc-sections'
	@$(PYTHON) tests/cross/code_size.py arm-none-eabi-ld $(CROSS)/size $(CROSS)/size.json \
		$(CROSS_OBJECTS)
	@tools/merge-json build/bench.json $(CROSS)/size.json

$(CROSS)/%.o: %.c $(wildcard core/*.h ensemble/*.h) tests/cross/errno_guard.h | packages
	@mkdir -p $(dir $@)
	@$(CROSS_CC) $(CROSS_CFLAGS) -Icore -Iensemble -include tests/cross/errno_guard.h -c $< -o $@

include tests/m55/m55.mk
include tests/fuzz/fuzz.mk

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find . -path ./build -prune -o -name '*.[ch]' -print)

format: packages
	clang-format -i $(C_FILES)

# Fails, naming the file and line, where clang-format would change anything.
format-check: packages
	@echo '== clang-format check'
	@clang-format --dry-run --Werror $(C_FILES)

# The project's Python tests and the littlefs power-cut harness under MicroPython's unix port,
# built with this module from the MicroPython tree named, on every board and part
# (tools/mp-test). By hand: CI has no MicroPython.
mp-test: packages
	@tools/mp-test "$(MICROPYTHON)"

clean:
	rm -rf build
