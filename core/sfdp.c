// SPDX-License-Identifier: MIT
#include "alif_errno.h"
#include "sfdp.h"

#define SFDP_OP_READ (0x5a)         // JESD216: 3-byte address, 8 dummy clocks in 1S-1S-1S
#define SFDP_SIGNATURE (0x50444653) // "SFDP", little-endian
#define SFDP_ID_BFPT (0xff00)
#define SFDP_ID_4BAIT (0xff84)
#define SFDP_ID_PROFILE1 (0xff05) // JESD251 xSPI Profile 1.0 (Linux sfdp.c SFDP_PROFILE1_ID)
#define SFDP_MAX_HEADERS (8)
#define SFDP_SPACE (1u << 24) // the 24-bit address of Read SFDP
#define BFPT_DWORDS (18)      // up to DWORD 18: the 8D-8D-8D fields (JESD216C)
#define BFPT_MIN_DWORDS (11)  // through DWORD 11: erase times, page size (JESD216A)
#define PROFILE1_DWORDS (5)

const uint8_t sfdp_profile_mhz[SFDP_PROFILE_CLOCKS] = {100, 133, 166, 200};

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

// Reads the parameter table with this ID into dw[0..dwords), DWORDs it does not have as 0, and
// sets *len to how many it has (0: absent). A table that would run past the SFDP space is unusable.
static int unusable_because(const char **unusable, const char *why) {
    *unusable = why;
    return -ALIF_EIO;
}

static int sfdp_table(const flash_bus_t *bus, const uint8_t *headers, unsigned count, uint16_t id,
                      uint32_t *dw, unsigned dwords, unsigned *len, const char **unusable) {
    *len = 0;
    for (unsigned k = 0; k < dwords; k++) {
        dw[k] = 0;
    }
    for (unsigned i = 0; i < count; i++) {
        // Parameter header: ID LSB, minor, major, length in DWORDs, 24-bit pointer, ID MSB.
        const uint8_t *h = headers + 8 * i;
        if ((h[0] | h[7] << 8) != id) {
            continue;
        }
        uint32_t at = le32(h + 4) & 0xffffff;
        if (at + 4u * h[3] > SFDP_SPACE) {
            return unusable_because(unusable, "unusable SFDP: a table runs past the SFDP space");
        }
        unsigned n = h[3] < dwords ? h[3] : dwords;
        // Read into dw itself, then each DWORD turned from the table's little-endian order.
        int ret = sfdp_fetch(bus, at, dw, 4 * n);
        for (unsigned k = 0; k < n; k++) {
            dw[k] = le32((const uint8_t *)&dw[k]);
        }
        *len = h[3];
        return ret;
    }
    return 0;
}

// BFPT DWORD 2: bit 31 clear, the density in bits less one; set, 2^N bits. 0 when the part is
// larger than a 32-bit address reaches.
static uint32_t density_bytes(uint32_t dw2) {
    uint32_t n = bits(dw2, 0, 31);
    if (!bits(dw2, 31, 1)) {
        return (dw2 >> 3) + 1;
    }
    return n >= 3 && n <= 34 ? 1u << (n - 3) : 0;
}

int sfdp_read(const flash_bus_t *bus, sfdp_params_t *p, const char **unusable) {
    *p = (sfdp_params_t){0};
    uint8_t head[8 * (1 + SFDP_MAX_HEADERS)];
    int ret = sfdp_fetch(bus, 0, head, sizeof(head));
    if (ret != 0) {
        return ret;
    }
    if (le32(head) != SFDP_SIGNATURE) {
        return unusable_because(unusable, "unusable SFDP: no SFDP signature");
    }
    unsigned count = head[6] + 1u;
    count = count < SFDP_MAX_HEADERS ? count : SFDP_MAX_HEADERS;
    uint32_t dw[BFPT_DWORDS], bait[2], profile[PROFILE1_DWORDS];
    unsigned dw_len, bait_len, profile_len;
    ret = sfdp_table(bus, head + 8, count, SFDP_ID_BFPT, dw, BFPT_DWORDS, &dw_len, unusable);
    if (ret == 0) {
        ret = sfdp_table(bus, head + 8, count, SFDP_ID_4BAIT, bait, 2, &bait_len, unusable);
    }
    if (ret == 0) {
        ret = sfdp_table(bus, head + 8, count, SFDP_ID_PROFILE1, profile, PROFILE1_DWORDS,
                         &profile_len, unusable);
    }
    if (ret != 0) {
        return ret;
    }
    if (dw_len < BFPT_MIN_DWORDS) {
        return unusable_because(
            unusable, "unusable SFDP: no basic flash parameter table of 11 DWORDs or more");
    }
    p->size = density_bytes(dw[1]);
    // DWORD 11: max = 2 * (multiplier + 1) * typical; page size 2^N; typical (count + 1) * 8 us
    // or 64 us.
    p->page_size = (uint16_t)(1u << bits(dw[10], 4, 4));
    p->page_program_typ_us = (bits(dw[10], 8, 5) + 1) * (bits(dw[10], 13, 1) ? 64 : 8);
    p->page_program_max_us = 2 * (bits(dw[10], 0, 4) + 1) * p->page_program_typ_us;
    // DWORD 18: command extension (00 the opcode, 01 its inverse) and 16-bit byte swap.
    p->octal_dtr_said = dw_len >= 18;
    p->cmd_ext_invert = bits(dw[17], 29, 2) == 1;
    p->swap16 = bits(dw[17], 31, 1);
    // DWORDs 8-9: each erase type's size exponent; DWORD 10 its time; 4BAIT DWORD 1 whether it
    // has a 4-byte opcode, DWORD 2 which.
    for (unsigned i = 0; i < SFDP_ERASE_TYPES; i++) {
        uint32_t shift = bits(dw[7 + i / 2], 16 * (i % 2), 8);
        if (shift >= 32) {
            return unusable_because(unusable, "unusable SFDP: an erase type larger than 4 GiB");
        }
        if (shift != 0) {
            uint32_t typ = erase_time_us(bits(dw[9], 4 + 7 * i, 7));
            p->erase[i].size_shift = (uint8_t)shift;
            bool has_4b = bait_len >= 2 && bits(bait[0], 9 + i, 1);
            p->erase[i].opcode = has_4b ? (uint8_t)bits(bait[1], 8 * i, 8) : 0;
            p->erase[i].typ_us = typ;
            p->erase[i].max_us = 2 * (bits(dw[9], 0, 4) + 1) * typ;
        }
    }
    // xSPI profile 1.0 DWORD 4 bits 11:7 the 200 MHz count, DWORD 5 bits 31:27, 21:17 and 11:7
    // those at 166, 133 and 100 MHz (Linux drivers/mtd/spi-nor/sfdp.c, PROFILE1_DWORD4/5_DUMMY_*;
    // the MX25UM25645G's dump reads 20, 16, 14, 10 there).
    static const uint8_t field_at[SFDP_PROFILE_CLOCKS][2] = {{4, 7}, {4, 17}, {4, 27}, {3, 7}};
    for (unsigned i = 0; profile_len >= PROFILE1_DWORDS && i < SFDP_PROFILE_CLOCKS; i++) {
        p->read_dummy_cycles[i] = (uint8_t)bits(profile[field_at[i][0]], field_at[i][1], 5);
    }
    if (p->size == 0) {
        return unusable_because(unusable, "unusable SFDP: a density beyond a 32-bit address");
    }
    return p->page_size >= 16
               ? 0
               : unusable_because(unusable, "unusable SFDP: a page smaller than 16 bytes");
}
