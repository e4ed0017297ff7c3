// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "floor.h"

// An 8D-8D-8D array command on every part the model has: the opcode and its extension byte (one
// clock), a 4-byte address (IS25WX Table 8.1, EMxxLX Table 21, the Macronix DOPI commands: the
// model's addr_bytes in sim_nor.c), then dummy cycles and data. The opcode does not change the
// time, so none is named here.
static uint64_t command_ns(const bench_floor_t *f, size_t data_bytes, uint8_t dummies, bool out) {
    flash_bus_op_t op = flash_op_8d(0, 0);
    flash_op_addr(&op, 4, 0);
    op.dummy.ncycles = dummies;
    if (out) {
        flash_op_data_out(&op, NULL, data_bytes);
    } else {
        flash_op_data_in(&op, NULL, data_bytes);
    }
    return sim_nor_op_bus_ns(f->model, &op);
}

static bool type_allowed(const bench_floor_t *f, unsigned t) {
    bool any = false;
    for (unsigned i = 0; i < SIM_NOR_ERASE_TYPES; i++) {
        any = any || f->only[i];
    }
    return f->part->erase[t].size != 0 && (!any || f->only[t]);
}

static bool needs_erase(const uint8_t *old, const uint8_t *new, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if ((old[i] & new[i]) != new[i]) {
            return true;
        }
    }
    return false;
}

static bool blank(const uint8_t *buf, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != 0xff) {
            return false;
        }
    }
    return true;
}

// One MRAM write command over the bytes that change in a call (the part stores what it is sent
// and needs no erase: EMxxLX section 9 and 11, the model's mram_write).
static void mram_call(const bench_floor_t *f, const uint8_t *old, const uint8_t *new, size_t len,
                      bench_floor_result_t *r) {
    size_t first = 0, last = len;
    while (first < len && old[first] == new[first]) {
        first++;
    }
    while (last > first && old[last - 1] == new[last - 1]) {
        last--;
    }
    if (first == last) {
        return;
    }
    // 8D moves two bytes a clock from an even address (EMxxLX section 4).
    size_t span = ((last + 1) & ~(size_t)1) - (first & ~(size_t)1);
    r->ns += sim_nor_time_ns(&f->part->page_program, f->timing) + command_ns(f, span, 0, true);
    r->programs++;
    r->data_bytes += span;
}

typedef struct {
    uint64_t ns, erases, programs;
} step_t;

// The cheapest cover of one call's blocks, by dynamic programming over its blocks: block i is
// either left unerased (only if none of its bits must rise) and its changed pages programmed, or
// starts an aligned erase unit that fits in the call, after which every page that is not to stay
// blank is programmed.
static void nor_call(const bench_floor_t *f, uint32_t addr, const uint8_t *old, const uint8_t *new,
                     size_t len, bench_floor_result_t *r) {
    size_t n = len / BENCH_BLOCK_SIZE, pages = BENCH_BLOCK_SIZE / BENCH_PAGE_SIZE;
    uint64_t page_ns = sim_nor_time_ns(&f->part->page_program, f->timing) +
                       command_ns(f, BENCH_PAGE_SIZE, 0, true);
    step_t *best = malloc((n + 1) * sizeof(*best));
    // Pages to program in block i without an erase (UINT32_MAX: the block needs one), and after.
    uint32_t *kept = malloc(n * sizeof(*kept)), *erased = malloc(n * sizeof(*erased));
    if (best == NULL || kept == NULL || erased == NULL) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        const uint8_t *o = old + i * BENCH_BLOCK_SIZE, *w = new + i *BENCH_BLOCK_SIZE;
        kept[i] = needs_erase(o, w, BENCH_BLOCK_SIZE) ? UINT32_MAX : 0;
        erased[i] = 0;
        for (size_t p = 0; p < pages; p++) {
            size_t at = p * BENCH_PAGE_SIZE;
            erased[i] += !blank(w + at, BENCH_PAGE_SIZE);
            if (kept[i] != UINT32_MAX) {
                kept[i] += memcmp(o + at, w + at, BENCH_PAGE_SIZE) != 0;
            }
        }
        best[i + 1].ns = UINT64_MAX;
    }
    best[0] = (step_t){0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (best[i].ns == UINT64_MAX) {
            continue;
        }
        if (kept[i] != UINT32_MAX) {
            step_t s = {best[i].ns + kept[i] * page_ns, best[i].erases, best[i].programs + kept[i]};
            best[i + 1] = s.ns < best[i + 1].ns ? s : best[i + 1];
        }
        uint32_t at = addr + (uint32_t)(i * BENCH_BLOCK_SIZE);
        for (unsigned t = 0; t < SIM_NOR_ERASE_TYPES; t++) {
            const sim_nor_erase_t *e = &f->part->erase[t];
            size_t units = e->size / BENCH_BLOCK_SIZE;
            if (!type_allowed(f, t) || at % e->size != 0 || i + units > n) {
                continue;
            }
            step_t s = {best[i].ns + sim_nor_time_ns(&e->time, f->timing) +
                            command_ns(f, 0, 0, true),
                        best[i].erases + 1, best[i].programs};
            for (size_t j = i; j < i + units; j++) {
                s.ns += erased[j] * page_ns;
                s.programs += erased[j];
            }
            best[i + units] = s.ns < best[i + units].ns ? s : best[i + units];
        }
    }
    if (best[n].ns == UINT64_MAX) {
        abort(); // no allowed unit covers the call: a caller's mistake, not a figure
    }
    r->ns += best[n].ns;
    r->erases += best[n].erases;
    r->programs += best[n].programs;
    r->data_bytes += best[n].programs * BENCH_PAGE_SIZE;
    free(best);
    free(kept);
    free(erased);
}

bench_floor_result_t bench_floor_rewrite(const bench_floor_t *f, uint32_t addr, const uint8_t *old,
                                         const uint8_t *new, size_t len, size_t call_len) {
    bench_floor_result_t r = {0};
    for (size_t at = 0; at < len; at += call_len) {
        size_t n = len - at < call_len ? len - at : call_len;
        if (f->part->mram) {
            mram_call(f, old + at, new + at, n, &r);
        } else {
            nor_call(f, addr + (uint32_t)at, old + at, new + at, n, &r);
        }
    }
    return r;
}

uint8_t bench_floor_read_dummies(const bench_floor_t *f) {
    uint32_t clock = sim_nor_clock_hz(f->model);
    for (unsigned d = 0; d < 32; d++) {
        if (sim_nor_read_max_hz(f->part, (uint8_t)d, false) >= clock) {
            return (uint8_t)d;
        }
    }
    abort(); // no row of the part's table reaches the clock: the board cannot read it at all
}

uint64_t bench_floor_read_ns(const bench_floor_t *f, size_t len, size_t burst) {
    uint8_t dummies = bench_floor_read_dummies(f);
    uint64_t ns = (uint64_t)(len / burst) * command_ns(f, burst, dummies, false);
    return len % burst ? ns + command_ns(f, len % burst, dummies, false) : ns;
}
