// SPDX-License-Identifier: MIT
// The benchmark's references: the least device time any driver could take for a piece of work,
// computed from the part model's own facts (sim_nor_part_t: its erase table, page program and
// read dummy-cycle table) and the model's bus clock, never from what the driver parsed out of the
// part's SFDP. A driver that misreads a time then moves a figure instead of its own reference.
#ifndef ALIF_BENCH_FLOOR_H
#define ALIF_BENCH_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_nor.h"

// The page a program command fills on every part the model has: 256 bytes (IS25WX Table 8.10;
// MX25UM25645G SFDP BFPT DWORD 11; sim_nor.c PAGE_SIZE). MRAM takes any length (EMxxLX
// section 9), which the floor uses instead.
#define BENCH_PAGE_SIZE (256u)
#define BENCH_BLOCK_SIZE (4096u)

typedef struct {
    const sim_nor_part_t *part;
    const sim_nor_t *model; // its clock times the commands' bus phases
    sim_nor_timing_t timing;
    // The erase types the floor may use, by index into part->erase; all false: every type.
    bool only[SIM_NOR_ERASE_TYPES];
} bench_floor_t;

// What the floor spent, for the figures that divide by its parts.
typedef struct {
    uint64_t ns;
    uint64_t erases;
    uint64_t programs;
    uint64_t data_bytes; // bytes the program commands carry
} bench_floor_result_t;

// The least time to turn old into new over [addr, addr + len) (flash addresses; len a multiple of
// BENCH_BLOCK_SIZE) when the work arrives in calls of call_len bytes from addr, none of which may
// touch flash outside itself: per call, the cheapest set of whole, aligned erase units inside it
// that blanks every block whose bits must rise, plus a page program for every page that must then
// change, each at the chosen timing, plus the bus time of those commands alone. On MRAM no erase
// is needed and one write command per call carries every byte that changes.
bench_floor_result_t bench_floor_rewrite(const bench_floor_t *floor, uint32_t addr,
                                         const uint8_t *old, const uint8_t *new, size_t len,
                                         size_t call_len);

// The fewest 8D-8D-8D read dummy cycles the part's table allows at the model's clock.
uint8_t bench_floor_read_dummies(const bench_floor_t *floor);

// The bus time of reading len bytes in bursts of burst bytes, each an 8D-8D-8D read with a 4-byte
// address and the fewest dummy cycles the part allows: the floor of an XIP read.
uint64_t bench_floor_read_ns(const bench_floor_t *floor, size_t len, size_t burst);

#endif // ALIF_BENCH_FLOOR_H
