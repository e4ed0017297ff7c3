# SPDX-License-Identifier: MIT
# The two commands the README promises: `make run` (the main job on the simulated board) and
# `make test` (every test). CMake builds out of tree under build/.

PYTHON := /usr/bin/python3
JOBS := 2
HOST := build/host
ASAN := build/asan
CROSS := build/cross
SCRATCH := build/tmp

CROSS_CC := arm-none-eabi-gcc
CROSS_CFLAGS := -std=c11 -mcpu=cortex-m55 -mthumb -Os -Wall -Wextra -Werror -ffunction-sections -fdata-sections
CROSS_SOURCES := $(wildcard core/*.c ensemble/*.c)
CROSS_OBJECTS := $(patsubst %.c,$(CROSS)/%.o,$(CROSS_SOURCES))

.PHONY: all host asan run test test-c test-python test-asan bench cross format format-check clean

all: host

host:
	cmake -S . -B $(HOST) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(HOST) -j$(JOBS)

asan:
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DALIF_SANITIZE=ON >/dev/null
	cmake --build $(ASAN) -j$(JOBS)

run: host
	PYTHONPATH=$(HOST)/cpython $(PYTHON) demo/main.py

test: format-check test-c test-python test-asan cross

test-c: host
	ctest --test-dir $(HOST) --output-on-failure -j$(JOBS)

test-python: host
	mkdir -p $(SCRATCH)
	ALIF_FLASH_IMAGE=$(abspath $(SCRATCH))/pytest.img PYTHONPATH=$(HOST)/cpython \
		$(PYTHON) -m pytest -q tests/python

# CPython itself is not built with the sanitizers, so their runtimes are preloaded; it keeps
# memory to the end by design, hence no leak check there.
test-asan: asan
	ctest --test-dir $(ASAN) --output-on-failure -j$(JOBS)
	mkdir -p $(SCRATCH)
	LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
		ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1 \
		ALIF_FLASH_IMAGE=$(abspath $(SCRATCH))/pytest-asan.img PYTHONPATH=$(ASAN)/cpython \
		$(PYTHON) -m pytest -q tests/python

bench: host
	./$(HOST)/bench build/bench.json

# Builds the portable layers and the Ensemble drivers for the target, then measures what the
# firmware's flash and info() paths link (tests/cross/code_size.py) into build/bench.json.
cross: $(CROSS_OBJECTS)
	$(PYTHON) tests/cross/code_size.py arm-none-eabi-ld $(CROSS)/size build/bench.json $(CROSS_OBJECTS)

$(CROSS)/%.o: %.c $(wildcard core/*.h ensemble/*.h) tests/cross/errno_guard.h
	@mkdir -p $(dir $@)
	$(CROSS_CC) $(CROSS_CFLAGS) -Icore -Iensemble -include tests/cross/errno_guard.h -c $< -o $@

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find . -path ./build -prune -o -name '*.[ch]' -print)

format:
	clang-format -i $(C_FILES)

# Fails, naming the file and line, where clang-format would change anything.
format-check:
	clang-format --dry-run --Werror $(C_FILES)

clean:
	rm -rf build
