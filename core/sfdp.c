// SPDX-License-Identifier: MIT
#include "alif_errno.h"
#include "sfdp.h"

#define SFDP_OP_READ (0x5a)         // JESD216: 3-byte address, 8 dummy clocks in 1S-1S-1S
#define SFDP_SIGNATURE (0x50444653) // "SFDP", little-endian
#define SFDP_MAX_HEADERS (8)
#define SFDP_SPACE (1u << 24) // the 24-bit address of Read SFDP
#define BFPT_DWORDS (18)      // up to DWORD 18: the 8D-8D-8D fields (JESD216C)
#define BFPT_MIN_DWORDS (9)   // JESD216's first BFPT: through DWORD 9, the erase types
#define BAIT_DWORDS (2)
#define PROFILE1_DWORDS (5)

const uint8_t sfdp_profile_mhz[SFDP_PROFILE_CLOCKS] = {100, 133, 166, 200};

// The parameter tables read, each into its place in one array of DWORDs.
enum { AT_BFPT = 0, AT_BAIT = BFPT_DWORDS, AT_PROFILE1 = AT_BAIT + BAIT_DWORDS };
static const struct {
    uint16_t id;
    uint8_t at, dwords;
} wanted[] = {
    {0xff00, AT_BFPT, BFPT_DWORDS},
    {0xff84, AT_BAIT, BAIT_DWORDS},         // 4-byte Address Instruction Table
    {0xff05, AT_PROFILE1, PROFILE1_DWORDS}, // xSPI Profile 1.0 (Linux sfdp.c SFDP_PROFILE1_ID)
};
#define TABLES (sizeof(wanted) / sizeof(wanted[0]))

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

static int unusable_because(const char **unusable, const char *why) {
    *unusable = why;
    return -ALIF_EIO;
}

int sfdp_read(const flash_bus_t *bus, sfdp_params_t *p, const char **unusable) {
    *p = (sfdp_params_t){0};
    uint8_t head[8 * (1 + SFDP_MAX_HEADERS)];
    int ret = sfdp_fetch(bus, 0, head, sizeof(head));
    if (ret != 0) {
        return ret;
    }
    if (le32(head) != SFDP_SIGNATURE) {
        return unusable_because(unusable, "no signature");
    }
    // Each wanted table from the first header with its ID; what a table lacks, or a table
    // that is absent, reads as 0 (len: its DWORDs, 0 when absent).
    uint32_t dw[AT_PROFILE1 + PROFILE1_DWORDS] = {0};
    uint8_t len[TABLES] = {0};
    unsigned count = head[6] + 1u;
    for (unsigned i = 0; i < count && i < SFDP_MAX_HEADERS; i++) {
        // Parameter header: ID LSB, minor, major, length in DWORDs, 24-bit pointer, ID MSB.
        const uint8_t *h = head + 8 + 8 * i;
        for (unsigned t = 0; t < TABLES; t++) {
            if ((h[0] | h[7] << 8) != wanted[t].id || len[t] != 0) {
                continue;
            }
            uint32_t at = le32(h + 4) & 0xffffff;
            if (at + 4u * h[3] > SFDP_SPACE) {
                return unusable_because(unusable, "a table past its space");
            }
            len[t] = h[3];
            unsigned n = h[3] < wanted[t].dwords ? h[3] : wanted[t].dwords;
            ret = sfdp_fetch(bus, at, dw + wanted[t].at, 4 * n);
            if (ret != 0) {
                return ret;
            }
        }
    }
    for (unsigned k = 0; k < sizeof(dw) / sizeof(dw[0]); k++) {
        dw[k] = le32((const uint8_t *)&dw[k]); // the tables' little-endian order, on any CPU
    }
    if (len[0] < BFPT_MIN_DWORDS) {
        return unusable_because(unusable, "no BFPT");
    }
    // BFPT DWORD 2: bit 31 clear, the density in bits less one; set, 2^N bits.
    uint32_t n = bits(dw[1], 0, 31);
    p->size = !bits(dw[1], 31, 1) ? (dw[1] >> 3) + 1 : n >= 3 && n <= 34 ? 1u << (n - 3) : 0;
    // DWORD 18: command extension (00 the opcode, 01 its inverse) and 16-bit byte swap.
    p->octal_dtr_said = len[0] >= BFPT_DWORDS;
    p->cmd_ext_invert = bits(dw[17], 29, 2) == 1;
    p->swap16 = bits(dw[17], 31, 1);
    // DWORDs 8-9: each erase type's size exponent; 4BAIT DWORD 1 whether it has a 4-byte
    // opcode, DWORD 2 which.
    for (unsigned i = 0; i < SFDP_ERASE_TYPES; i++) {
        uint32_t shift = bits(dw[7 + i / 2], 16 * (i % 2), 8);
        if (shift >= 32) {
            return unusable_because(unusable, "an erase type of 4 GiB or more");
        }
        p->erase[i].size_shift = (uint8_t)shift;
        if (shift != 0 && len[1] >= BAIT_DWORDS && bits(dw[AT_BAIT], 9 + i, 1)) {
            p->erase[i].opcode = (uint8_t)bits(dw[AT_BAIT + 1], 8 * i, 8);
        }
    }
    // xSPI profile 1.0 DWORD 4 bits 11:7 the 200 MHz count, DWORD 5 bits 31:27, 21:17 and 11:7
    // those at 166, 133 and 100 MHz (Linux drivers/mtd/spi-nor/sfdp.c, PROFILE1_DWORD4/5_DUMMY_*;
    // the MX25UM25645G's dump reads 20, 16, 14, 10 there).
    static const uint8_t field_at[SFDP_PROFILE_CLOCKS] = {4 * 32 + 7, 4 * 32 + 17, 4 * 32 + 27,
                                                          3 * 32 + 7};
    for (unsigned i = 0; len[2] >= PROFILE1_DWORDS && i < SFDP_PROFILE_CLOCKS; i++) {
        p->read_dummy_cycles[i] =
            (uint8_t)bits(dw[AT_PROFILE1 + field_at[i] / 32], field_at[i] % 32, 5);
    }
    return p->size != 0 ? 0 : unusable_because(unusable, "a size of 4 GiB or more");
}
