// SPDX-License-Identifier: MIT
// The seam between the NOR flash layer and whatever moves bits to the part: the Ensemble OSPI
// controller on the target, the flash-chip model on the host.
//
// One transaction has up to four phases (command, address, dummy, data), each with its own bus
// width and single or double transfer rate, the shape of Linux's struct spi_mem_op. A phase with
// buswidth 0 is absent.
#ifndef ALIF_FLASH_BUS_H
#define ALIF_FLASH_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    struct {
        uint8_t nbytes; // 1 in 1S mode; 2 in 8D mode (opcode, then its extension byte)
        uint8_t buswidth;
        bool dtr;
        uint16_t opcode; // first byte sent in the high 8 bits when nbytes is 2
    } cmd;
    struct {
        uint8_t nbytes; // 0, 3 or 4
        uint8_t buswidth;
        bool dtr;
        uint32_t val;
    } addr;
    struct {
        uint8_t ncycles; // clock cycles, not bytes: the unit datasheets give
        uint8_t buswidth;
        bool dtr;
    } dummy;
    struct {
        uint8_t buswidth;
        bool dtr;
        bool to_flash; // true: buf.out is sent; false: buf.in is filled
        bool dqs;      // a read sampled on the part's data strobe rather than on the clock
        size_t nbytes;
        union {
            uint8_t *in;
            const uint8_t *out;
        } buf;
    } data;
} flash_bus_op_t;

typedef struct {
    // Runs one transaction; returns 0, or a negative errno when the controller failed. A flash
    // part that ignores a command is not a failure here: the bus cannot tell.
    int (*exec)(void *ctx, const flash_bus_op_t *op);
    // A monotonic clock, so that time-outs are times and not loop counts.
    uint64_t (*now_ns)(void *ctx);
    // Waits without putting anything on the bus, so that polling does not hog it.
    void (*delay_ns)(void *ctx, uint64_t ns);
    // Called after every program and erase with the flash address range it changed, so that
    // the target can drop stale lines of the XIP window from its data cache. May be NULL.
    void (*invalidate_xip)(void *ctx, uint32_t addr, uint32_t len);
    void *ctx;
} flash_bus_t;

#endif // ALIF_FLASH_BUS_H
