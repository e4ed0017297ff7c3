// SPDX-License-Identifier: MIT
#include "alif_errno.h"
#include "sfdp.h"

#define SFDP_OP_READ (0x5a)         // JESD216: 3-byte address, 8 dummy clocks in 1S-1S-1S
#define SFDP_SIGNATURE (0x50444653) // "SFDP", little-endian
#define SFDP_ID_BFPT (0xff00)
#define SFDP_ID_4BAIT (0xff84)
#define SFDP_MAX_HEADERS (8)
#define BFPT_DWORDS (18) // up to DWORD 18: the 8D-8D-8D fields (JESD216C)

static int sfdp_fetch(const flash_bus_t *bus, uint32_t addr, void *buf, size_t len) {
    flash_bus_op_t op = flash_op_1s(SFDP_OP_READ);
    flash_op_addr(&op, 3, addr);
    op.dummy.ncycles = 8;
    flash_op_data_in(&op, buf, len);
    return bus->exec(bus->ctx, &op);
}

static uint32_t le32(const uint8_t *b) {
    return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t bits(uint32_t v, unsigned lo, unsigned n) {
    return (v >> lo) & ((1u << n) - 1);
}

// BFPT DWORD 10's erase time: (count + 1) units of 1 ms, 16 ms, 128 ms or 1 s.
static uint32_t erase_time_us(uint32_t field) {
    static const uint32_t unit_us[4] = {1000, 16000, 128000, 1000000};
    return (bits(field, 0, 5) + 1) * unit_us[bits(field, 5, 2)];
}

// Reads one parameter table (at most `dwords`) found by its ID among the headers; 0 DWORDs when
// absent. The headers' own lengths bound what is read.
static int sfdp_table(const flash_bus_t *bus, const uint8_t *headers, unsigned count, uint16_t id,
                      uint32_t *dw, unsigned dwords) {
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *h = headers + 8 * i;
        if ((h[0] | h[7] << 8) == id) {
            unsigned n = h[3] < dwords ? h[3] : dwords;
            // Read into dw itself, then each DWORD turned from the table's little-endian order.
            int ret = sfdp_fetch(bus, le32(h + 4) & 0xffffff, dw, 4 * n);
            for (unsigned k = 0; k < dwords; k++) {
                dw[k] = k < n ? le32((const uint8_t *)&dw[k]) : 0;
            }
            return ret;
        }
    }
    return 0;
}

int sfdp_read(const flash_bus_t *bus, sfdp_params_t *p) {
    *p = (sfdp_params_t){0};
    uint8_t head[8 * (1 + SFDP_MAX_HEADERS)];
    int ret = sfdp_fetch(bus, 0, head, sizeof(head));
    if (ret != 0) {
        return ret;
    }
    if (le32(head) != SFDP_SIGNATURE) {
        return -ALIF_ENODEV;
    }
    unsigned count = head[6] + 1u;
    count = count < SFDP_MAX_HEADERS ? count : SFDP_MAX_HEADERS;
    uint32_t dw[BFPT_DWORDS], bait[2];
    ret = sfdp_table(bus, head + 8, count, SFDP_ID_BFPT, dw, BFPT_DWORDS);
    if (ret == 0) {
        ret = sfdp_table(bus, head + 8, count, SFDP_ID_4BAIT, bait, 2);
    }
    if (ret != 0) {
        return ret;
    }
    // DWORD 2: bit 31 clear: density in bits, less one (parts of 4 Gbit and more set it).
    p->size = bits(dw[1], 31, 1) ? 0 : (dw[1] >> 3) + 1;
    // DWORD 11: max = 2 * (multiplier + 1) * typical; page size 2^N; typical (count + 1) * 8 us
    // or 64 us.
    p->page_size = (uint16_t)(1u << bits(dw[10], 4, 4));
    p->page_program_typ_us = (bits(dw[10], 8, 5) + 1) * (bits(dw[10], 13, 1) ? 64 : 8);
    p->page_program_max_us = 2 * (bits(dw[10], 0, 4) + 1) * p->page_program_typ_us;
    // DWORD 18: command extension (00 the opcode, 01 its inverse) and 16-bit byte swap.
    p->cmd_ext_invert = bits(dw[17], 29, 2) == 1;
    p->swap16 = bits(dw[17], 31, 1);
    // DWORDs 8-9: each erase type's size exponent; DWORD 10 its time; 4BAIT DWORD 2 its
    // 4-byte opcode.
    for (unsigned i = 0; i < SFDP_ERASE_TYPES; i++) {
        uint32_t shift = bits(dw[7 + i / 2], 16 * (i % 2), 8);
        uint32_t typ = erase_time_us(bits(dw[9], 4 + 7 * i, 7));
        if (shift != 0 && bits(bait[0], 9 + i, 1)) {
            p->erase[i].size_shift = (uint8_t)shift;
            p->erase[i].opcode = (uint8_t)bits(bait[1], 8 * i, 8);
            p->erase[i].typ_us = typ;
            p->erase[i].max_us = 2 * (bits(dw[9], 0, 4) + 1) * typ;
        }
    }
    return p->size && p->page_size >= 2 ? 0 : -ALIF_ENODEV;
}
