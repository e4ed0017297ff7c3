// SPDX-License-Identifier: MIT
// The benchmark's measurements on a simulated board: what the driver did to the part for a piece
// of work, in the model's virtual time and by the commands the bus carried, beside the floor the
// part model allows for the same work (floor.h).
#ifndef ALIF_BENCH_MEASURE_H
#define ALIF_BENCH_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "floor.h"
#include "sim_board.h"

typedef struct {
    uint64_t device_ns;           // virtual time from start to end
    uint64_t busy_ns, busy_ops;   // the durations the part drew for its programs and erases
    uint64_t erases, programs;    // as the part counted them
    uint64_t status_reads;        // Read Status Register: the polls and the write-enable checks
    uint64_t status_ns;           // their bus time
    uint64_t register_read_bytes; // bytes on the bus (all phases) of status and flag reads
    uint64_t other_ns;            // bus time of every other command (flag reads included)
    uint64_t end_read_ns;         // for each operation shorter than a status read, the difference
    uint64_t array_bytes;         // data-phase bytes of every command but the register reads
    bench_floor_result_t floor;   // the same work at the model's floor, where one was computed
} bench_work_t;

// From now on every command the driver sends through sb->bus is counted into *w, and the part's
// counters restart; bench_work_end stops counting and fills in the device time and the part's
// counters. One piece of work at a time.
void bench_work_begin(sim_board_t *sb, bench_work_t *w);
void bench_work_end(sim_board_t *sb, bench_work_t *w);

// The floor as the bench uses it for this board: its part model, at typical times.
bench_floor_t bench_floor_for(const sim_board_t *sb);

// Simple-form writeblocks of data over the whole region, call_len bytes a call, as littlefs or a
// user's script would: the device time, what the bus carried, and the model's floor for the same
// calls from what the region held before (w->floor). Exits on an error or wrong data read back.
void bench_fill(sim_board_t *sb, const flash_region_t *region, const uint8_t *data, size_t call_len,
                bench_work_t *w);

// The reference polling is measured against, the least any driver could take for the same
// operations: the durations the part drew, the bus time of every command but the status reads,
// one status read for each program or erase (the check that write-enable latched, which stock
// MicroPython makes too, before the operation starts), and the read that sees the operation end
// where it cannot overlap it: that read answers as it ends, so it costs nothing past an operation
// longer than itself, and the difference past a shorter one (end_read_ns).
uint64_t bench_poll_reference_ns(const bench_work_t *w);

// A ROMFS image of len bytes deployed onto segment exactly as mpremote deploys one
// (MicroPython 1c3c2011, tools/mpremote/mpremote/commands.py, _do_romfs_deploy, for a segment
// that is a memoryview, as the Alif port's are): GET_MIN_PREPARE taken as the block size,
// WRITE_PREPARE in steps of min(32 KiB, what is left) rounded up to it, then WRITE in chunks of
// max(4096, the minimum write the last prepare returned), the last padded with zeros.
// min_prepare is what GET_MIN_PREPARE answers. Exits on an error or wrong data read back.
void bench_romfs_deploy(sim_board_t *sb, const flash_region_t *segment, const uint8_t *image,
                        size_t len, uint32_t min_prepare, bench_work_t *w);

// Makes [addr, addr + len) of written flash hold data: erased with nor_flash_erase's units (big)
// or 4 KiB at a time (the stock port's way), then programmed. The device time.
uint64_t bench_rewrite_ns(sim_board_t *sb, uint32_t addr, uint32_t len, const uint8_t *data,
                          bool big);

// Device time to read len bytes at flash address addr through the controller's XIP engine, in
// bursts of burst bytes (each one XIP transfer, charged its command, address, dummy cycles and
// data by the part model). Fills buf; -ALIF_EIO when the engine cannot run.
int bench_xip_read(sim_ospi_t *controller, sim_nor_t *model, uint32_t addr, uint8_t *buf,
                   size_t len, size_t burst, uint64_t *ns);

#endif // ALIF_BENCH_MEASURE_H
