// SPDX-License-Identifier: MIT
// The seam between the NOR flash layer and whatever moves bits to the part: the Ensemble OSPI
// controller on the target, the flash-chip model on the host.
//
// One transaction has up to four phases (command, address, dummy, data), the shape of Linux's
// struct spi_mem_op, all in one of the two modes the supported parts use: 1S-1S-1S (every phase
// on one line at single rate, a one-byte command) or 8D-8D-8D (every phase on eight lines at
// double rate, the command two bytes: the opcode, then its extension byte). Mixed modes such as
// 1S-8D-8D cannot be written down, so no layer has to refuse them.
#ifndef ALIF_FLASH_BUS_H
#define ALIF_FLASH_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    bool octal_ddr; // 8D-8D-8D; else 1S-1S-1S
    struct {
        uint16_t opcode; // in 8D the opcode in the high 8 bits, sent first, its extension low
    } cmd;
    struct {
        uint8_t nbytes; // 0, 3 or 4
        uint32_t val;
    } addr;
    struct {
        uint8_t ncycles; // clock cycles, not bytes: the unit datasheets give
    } dummy;
    struct {
        bool to_flash; // true: buf.out is sent; false: buf.in is filled
        bool dqs;      // a read sampled on the part's data strobe rather than on the clock
        // The part carries each 16-bit word with its two bytes swapped against the array (and
        // 1S) order (JESD216 BFPT DWORD 18 bit 31; Linux spi-mem's data.swap16). buf stays in
        // array order: the bus swaps on the wire, or refuses the op with -ALIF_EINVAL.
        bool swap16;
        size_t nbytes;
        union {
            uint8_t *in;
            const uint8_t *out;
        } buf;
    } data;
} flash_bus_op_t;

// Constructors for the common shapes, Linux spi-mem's SPI_MEM_OP_* in function form.
static inline flash_bus_op_t flash_op_mode(uint16_t opcode, bool octal_ddr) {
    return (flash_bus_op_t){.octal_ddr = octal_ddr, .cmd = {opcode}};
}

static inline flash_bus_op_t flash_op_1s(uint8_t opcode) {
    return flash_op_mode(opcode, false);
}

// ext is the part's own: the opcode again, or its inverse.
static inline flash_bus_op_t flash_op_8d(uint8_t opcode, uint8_t ext) {
    return flash_op_mode((uint16_t)(opcode << 8 | ext), true);
}

static inline void flash_op_addr(flash_bus_op_t *op, uint8_t nbytes, uint32_t addr) {
    op->addr.nbytes = nbytes;
    op->addr.val = addr;
}

static inline void flash_op_data_in(flash_bus_op_t *op, uint8_t *buf, size_t len) {
    op->data.to_flash = false;
    op->data.nbytes = len;
    op->data.buf.in = buf;
}

static inline void flash_op_data_out(flash_bus_op_t *op, const uint8_t *buf, size_t len) {
    op->data.to_flash = true;
    op->data.nbytes = len;
    op->data.buf.out = buf;
}

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
