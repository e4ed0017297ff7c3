// SPDX-License-Identifier: MIT
#include <string.h>

#include "sim_sfdp.h"

// JESD216 layout: the header at 0, parameter headers from 8, the tables where they point.
#define BFPT_AT (0x30u)
#define BFPT_DWORDS (20u)
#define BAIT4_AT (BFPT_AT + 4 * BFPT_DWORDS)
#define BAIT4_DWORDS (2u)

static void put32(uint8_t *at, uint32_t v) {
    for (int i = 0; i < 4; i++) {
        at[i] = (uint8_t)(v >> (8 * i));
    }
}

static void param_header(uint8_t *at, uint16_t id, uint8_t dwords, uint32_t ptr) {
    // ID LSB, minor, major, length in DWORDs, 24-bit pointer, ID MSB.
    uint8_t h[8] = {(uint8_t)id,
                    0x00,
                    0x01,
                    dwords,
                    (uint8_t)ptr,
                    (uint8_t)(ptr >> 8),
                    (uint8_t)(ptr >> 16),
                    (uint8_t)(id >> 8)};
    memcpy(at, h, 8);
}

static unsigned log2u(uint32_t v) {
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        n++;
    }
    return n;
}

// BFPT DWORD 10's erase time field: a 5-bit count (time = (count + 1) * unit) and a 2-bit unit
// (1 ms, 16 ms, 128 ms, 1 s), rounded up.
static uint32_t erase_time_field(uint32_t typ_us) {
    static const uint32_t unit_us[4] = {1000, 16000, 128000, 1000000};
    unsigned u = 0;
    while (u < 3 && (typ_us + unit_us[u] - 1) / unit_us[u] > 32) {
        u++;
    }
    uint32_t count = (typ_us + unit_us[u] - 1) / unit_us[u];
    return (count ? count - 1 : 0) | u << 5;
}

// The shared max/typ multiplier fields: max = 2 * (m + 1) * typ, rounded up.
static uint32_t multiplier_field(uint32_t typ_us, uint32_t max_us) {
    uint32_t m = (max_us + 2 * typ_us - 1) / (2 * typ_us);
    return m ? (m > 16 ? 15 : m - 1) : 0;
}

void sim_sfdp_build(const sim_nor_part_t *p, uint8_t *out) {
    memset(out, 0xff, SIM_SFDP_SIZE);
    memcpy(out, "SFDP", 4);
    out[4] = 0x08; // JESD216C is revision 1.8
    out[5] = 0x01;
    out[6] = 1; // two parameter headers, less one
    param_header(out + 8, 0xff00, BFPT_DWORDS, BFPT_AT);
    param_header(out + 16, 0xff84, BAIT4_DWORDS, BAIT4_AT);

    uint32_t dw[BFPT_DWORDS];
    memset(dw, 0xff, sizeof(dw));
    // DWORD 1: 4 KiB erase supported (bits 1:0 = 01) with its 1S opcode in bits 15:8; 3- or
    // 4-byte addresses (bits 18:17 = 01).
    dw[0] = 0xfffb00e5 | (uint32_t)p->erase[0].opcode_1s << 8;
    // DWORD 2: density in bits, less one.
    dw[1] = p->size * 8 - 1;
    // DWORDs 8 and 9: erase types 1 to 4, each a size exponent and a 1S opcode.
    dw[7] = dw[8] = 0;
    for (int i = 0; i < 2 && p->erase[i].size; i++) {
        dw[7] |= (log2u(p->erase[i].size) | (uint32_t)p->erase[i].opcode_1s << 8) << (16 * i);
    }
    // DWORD 10: erase times, type 1 at bit 4, type 2 at bit 11; the multiplier in bits 3:0.
    dw[9] = multiplier_field(p->erase[0].typ_us, p->erase[0].max_us);
    for (int i = 0; i < 2 && p->erase[i].size; i++) {
        dw[9] |= erase_time_field(p->erase[i].typ_us) << (4 + 7 * i);
    }
    // DWORD 11: program multiplier (3:0), page size exponent (7:4), page program typical time
    // as a 5-bit count (12:8) of 8 us or 64 us (bit 13).
    uint32_t pp = p->page_program_typ_us, unit64 = (pp + 7) / 8 > 32;
    uint32_t pp_count = (pp + (unit64 ? 63 : 7)) / (unit64 ? 64 : 8);
    dw[10] = 0xffffc000 | multiplier_field(pp, p->page_program_max_us) | 8u << 4 |
             (pp_count - 1) << 8 | unit64 << 13;
    // DWORD 18: 8D-8D-8D command extension (bits 30:29: 00 same, 01 inverted) and byte order
    // (bit 31: 1 = each 16-bit word swapped against 1S order).
    bool invert = p->family == SIM_NOR_FAMILY_MACRONIX_MX25UM;
    dw[17] = 0x00000000 | (uint32_t)invert << 29 | (uint32_t)p->swap16 << 31;
    for (unsigned i = 0; i < BFPT_DWORDS; i++) {
        put32(out + BFPT_AT + 4 * i, dw[i]);
    }
    // 4BAIT DWORD 1: which 4-byte commands exist (bits 9..12: erase types 1..4); DWORD 2: the
    // 4-byte opcode of each erase type (0xff: none).
    uint32_t bait_support = 0, bait_ops = 0xffffffff;
    for (int i = 0; i < 2 && p->erase[i].size; i++) {
        bait_support |= 1u << (9 + i);
        bait_ops &= ~(0xffu << (8 * i));
        bait_ops |= (uint32_t)p->erase[i].opcode_4b << (8 * i);
    }
    put32(out + BAIT4_AT, bait_support);
    put32(out + BAIT4_AT + 4, bait_ops);
}
