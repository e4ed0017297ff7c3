# SPDX-License-Identifier: MIT
# `make fuzz`: the libFuzzer target over SFDP and bring-up (tests/fuzz/fuzz_bring_up.c), with
# ASan and UBSan, for a bounded number of inputs from the real dumps as seeds, so that it is a
# test that ends. FUZZ_RUNS more for a longer search.
FUZZ := build/fuzz
FUZZ_RUNS := 200000
FUZZ_SOURCES := tests/fuzz/fuzz_bring_up.c core/sfdp.c core/nor_flash.c core/nor_parts.c

.PHONY: fuzz

$(FUZZ)/fuzz_bring_up: $(FUZZ_SOURCES) $(wildcard core/*.h) | packages
	@mkdir -p $(dir $@)
	@clang -std=c11 -g -O1 -Wall -Wextra -Werror -Icore -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(FUZZ_SOURCES) -o $@

# Seeds: each real SFDP dump, behind each ID byte.
$(FUZZ)/seeds: $(wildcard tests/fixtures/sfdp/*.sfdp.txt)
	@rm -rf $@ && mkdir -p $@
	@for f in $^; do for id in 0 1 2 3; do \
		python3 -c 'import sys; hex = "".join(l.strip() for l in open(sys.argv[1]) \
			if not l.startswith("#")); sys.stdout.buffer.write(bytes([int(sys.argv[2])]) + \
			bytes.fromhex(hex))' $$f $$id > $@/$$id-$$(basename $$f .sfdp.txt); \
	done; done

fuzz: $(FUZZ)/fuzz_bring_up $(FUZZ)/seeds
	@echo "== fuzz: SFDP and bring-up, $(FUZZ_RUNS) inputs"
	@mkdir -p $(FUZZ)/corpus
	@$(FUZZ)/fuzz_bring_up -runs=$(FUZZ_RUNS) -seed=1 -artifact_prefix=$(FUZZ)/ -max_len=1024 -print_final_stats=0 \
		$(FUZZ)/corpus $(FUZZ)/seeds >$(FUZZ)/log 2>&1 || { tail -n 40 $(FUZZ)/log; exit 1; }
