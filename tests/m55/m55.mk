# SPDX-License-Identifier: MIT
# The C suites and the benchmark built for the Cortex-M55 (arm-none-eabi-gcc, newlib, -Os, hard
# float as the Alif port builds) and run on QEMU's mps3-an547 with semihosting for output and
# exit status. Sources come from the same globs as the host build, so new tests run here too.
# Included from the top Makefile: `make test-m55`.

M55 := build/m55
M55_CC := arm-none-eabi-gcc
M55_QEMU := qemu-system-arm -M mps3-an547 -display none -monitor none -serial null
M55_SEMIHOSTING := -semihosting-config enable=on,target=native
# Wall-clock limit for one program under QEMU; the slowest suite takes far less.
M55_TIMEOUT := 300
M55_CFLAGS := -std=c11 -mcpu=cortex-m55 -mthumb -mfloat-abi=hard -Os -g -Wall -Wextra -Werror \
	-ffunction-sections -fdata-sections -DALIF_REG_MODEL -D_POSIX_C_SOURCE=200809L \
	-Icore -Iensemble -Isim -Itests/c -Itests/m55 -include tests/m55/posix_clock.h
M55_LDFLAGS := -mcpu=cortex-m55 -mthumb -mfloat-abi=hard -nostartfiles --specs=rdimon.specs \
	-T tests/m55/an547.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments

# Host-only sources, each with its reason in the README: the image file is mmap (the RAM image
# in sim/ram/ stands in for it).
M55_HOST_ONLY := sim/sim_image.c
# C tests that cannot build or run here, each with its reason in the README (none today).
M55_HOST_ONLY_TESTS :=

M55_LIB_SOURCES := $(wildcard core/*.c ensemble/*.c) \
	$(filter-out $(M55_HOST_ONLY),$(wildcard sim/*.c)) $(wildcard sim/ram/*.c)
M55_BOARD_SOURCES := tests/m55/startup.c tests/m55/target_libc.c
M55_RUNNER_SOURCES := tests/m55/runner.c tests/c/support.c
M55_TESTS := $(notdir $(basename $(filter-out $(M55_HOST_ONLY_TESTS),$(wildcard tests/c/test_*.c))))

M55_LIB_OBJECTS := $(patsubst %.c,$(M55)/%.o,$(M55_LIB_SOURCES) $(M55_BOARD_SOURCES))
M55_RUNNER_OBJECTS := $(patsubst %.c,$(M55)/%.o,$(M55_RUNNER_SOURCES))
M55_HEADERS := $(wildcard core/*.h ensemble/*.h sim/*.h bench/*.h tests/c/*.h tests/m55/*.h)
# The benchmark's measurements, floors and stock read (bench/*.c but its main): the benchmark and
# the suites that use them link them.
M55_BENCH_OBJECTS := $(patsubst %.c,$(M55)/%.o,$(filter-out bench/bench.c,$(wildcard bench/*.c)))
M55_ELVES := $(patsubst %,$(M55)/%.elf,$(M55_TESTS) runner_check planted_fault bench)

# Kept between runs, so that a second make test-m55 rebuilds and reruns only what changed.
.SECONDARY: $(M55_ELVES) $(patsubst %,$(M55)/tests/c/%.o,$(M55_TESTS))

.PHONY: test-m55 m55-suites m55-must-fail m55-bench

# Each suite must exit 0 and end with "N passed, 0 failed"; the runner's check and the planted
# faults must fail (so a target-only bug does fail here); the benchmark's simulated figures must
# equal the host's.
test-m55: host
	@echo "== C suites on the emulated Cortex-M55"
	+@$(MAKE) -s --no-print-directory $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS)) m55-suites m55-must-fail m55-bench

m55-suites: $(patsubst %,$(M55)/%.log,$(M55_TESTS))

$(M55)/%.o: %.c $(M55_HEADERS)
	@mkdir -p $(dir $@)
	@$(M55_CC) $(M55_CFLAGS) -c $< -o $@

$(M55)/%.elf: $(M55)/tests/c/%.o $(M55_RUNNER_OBJECTS) $(M55_LIB_OBJECTS) tests/m55/an547.ld
	@$(M55_CC) $(M55_LDFLAGS) $(filter %.o,$^) -o $@

$(M55)/%.elf: $(M55)/tests/m55/%.o $(M55_RUNNER_OBJECTS) $(M55_LIB_OBJECTS) tests/m55/an547.ld
	@$(M55_CC) $(M55_LDFLAGS) $(filter %.o,$^) -o $@

$(M55)/bench.elf: $(M55)/bench/bench.o $(M55_BENCH_OBJECTS) $(M55_LIB_OBJECTS) tests/m55/an547.ld
	@$(M55_CC) $(M55_LDFLAGS) $(filter %.o,$^) -o $@

$(M55)/test_bench_floors.elf $(M55)/test_stock_port.elf: $(M55_BENCH_OBJECTS)

# The log is kept whether or not the run passes, and the rule fails with the output shown. The
# scratch directory is the one CTest names for the host's suites (no file is written there: the
# images are in RAM, the suites only clear a path before they use it).
$(M55)/%.log: $(M55)/%.elf
	@echo "m55: $*"
	@mkdir -p $(M55)/tmp
	@timeout $(M55_TIMEOUT) $(M55_QEMU) $(M55_SEMIHOSTING),arg=ALIF_TEST_TMPDIR=$(M55)/tmp,arg=$* \
		-kernel $< >$@.tmp 2>&1; status=$$?; \
	if [ $$status -ne 0 ] || ! tail -n 1 $@.tmp | grep -qE '^[1-9][0-9]* passed, 0 failed$$'; then \
		cat $@.tmp; echo "m55: $* failed (exit status $$status)"; exit 1; fi; \
	mv $@.tmp $@

# Programs that must fail: the runner's own check (no assertion can pass what cmocka fails) and
# the planted target-only faults, the misaligned read failing as the fault it is. Both also
# build on the host against Debian's cmocka, where the runner's check must fail every test too
# and the planted faults must pass: they are the target's alone.
m55-must-fail: $(M55)/runner_check.fails $(M55)/planted_fault.fails $(M55)/host/runner_check \
		$(M55)/host/planted_fault
	@grep -q ' UNALIGNED' $(M55)/planted_fault.fails || \
		{ cat $(M55)/planted_fault.fails; echo "m55: the misaligned read did not fault"; exit 1; }
	@! ./$(M55)/host/runner_check >$(M55)/host/runner_check.log 2>&1 && \
		grep -q 'PASSED  \] 0 test' $(M55)/host/runner_check.log || \
		{ cat $(M55)/host/runner_check.log; echo "m55: cmocka passes a test of runner_check"; exit 1; }
	@./$(M55)/host/planted_fault >$(M55)/host/planted_fault.log 2>&1 || \
		{ cat $(M55)/host/planted_fault.log; echo "m55: the planted faults fail on the host too"; exit 1; }
	@echo "m55: on the host with cmocka, runner_check fails every test and the planted faults pass"

$(M55)/host/%: tests/m55/%.c $(M55_HEADERS)
	@mkdir -p $(dir $@)
	@gcc -std=c11 -Wall -Wextra -Werror -O2 -Icore -Iensemble $< -lcmocka -o $@

$(M55)/%.fails: $(M55)/%.elf
	@timeout $(M55_TIMEOUT) $(M55_QEMU) $(M55_SEMIHOSTING),arg=$* -kernel $< >$@.tmp 2>&1; \
	status=$$?; \
	if [ $$status -eq 0 ] || ! tail -n 1 $@.tmp | grep -qE '^0 passed, [1-9][0-9]* failed$$'; then \
		cat $@.tmp; echo "m55: not every test of $* failed (exit status $$status)"; exit 1; fi; \
	mv $@.tmp $@
	@echo "m55: $* fails as it must: $$(tail -n 1 $@)"

# Everything but the JSON path. Both run the benchmark's --quick spans: the full ones take QEMU
# far longer than the time-out.
M55_BENCH_FIGURES := grep -v -e '^written to'

m55-bench: $(M55)/bench.elf
	@mkdir -p $(M55)
	@./$(HOST)/bench --quick $(M55)/bench-host.json >$(M55)/bench-host.txt
	@timeout $(M55_TIMEOUT) $(M55_QEMU) $(M55_SEMIHOSTING),arg=bench,arg=--quick,arg=$(M55)/bench-m55.json \
		-kernel $< >$(M55)/bench-m55.txt
	@$(M55_BENCH_FIGURES) $(M55)/bench-host.txt >$(M55)/bench-host.figures
	@$(M55_BENCH_FIGURES) $(M55)/bench-m55.txt >$(M55)/bench-m55.figures
	@diff -u $(M55)/bench-host.figures $(M55)/bench-m55.figures
	@echo "m55: the benchmark's simulated figures are the same on the M55 and the host"
