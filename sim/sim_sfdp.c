// SPDX-License-Identifier: MIT
#include <string.h>

#include "sim_sfdp.h"

// JESD216 layout of the built table: the SFDP header at 0, three parameter headers from 8, then
// the tables where they point.
#define HEADERS (3u)
#define BFPT_AT (0x30u)
#define BFPT_DWORDS (20u)
#define BAIT4_AT (BFPT_AT + 4 * BFPT_DWORDS)
#define BAIT4_DWORDS (2u)
#define PROFILE1_AT (BAIT4_AT + 4 * BAIT4_DWORDS)
#define PROFILE1_DWORDS (5u)
#define BUILT_LEN (PROFILE1_AT + 4 * PROFILE1_DWORDS)

static void put32(uint8_t *at, uint32_t v) {
    for (int i = 0; i < 4; i++) {
        at[i] = (uint8_t)(v >> (8 * i));
    }
}

static void put_dwords(uint8_t *at, const uint32_t *dw, size_t count) {
    for (size_t i = 0; i < count; i++) {
        put32(at + 4 * i, dw[i]);
    }
}

static void param_header(uint8_t *at, uint16_t id, uint8_t minor, uint8_t dwords, uint32_t ptr) {
    // ID LSB, minor, major, length in DWORDs, 24-bit pointer, ID MSB.
    uint8_t h[8] = {(uint8_t)id,
                    minor,
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
// (1 ms, 16 ms, 128 ms, 1 s), the finest unit that holds it, rounded up.
static uint32_t erase_time_field(uint64_t typ_ns) {
    static const uint64_t unit_ns[4] = {1000000, 16000000, 128000000, 1000000000};
    unsigned u = 0;
    while (u < 3 && (typ_ns + unit_ns[u] - 1) / unit_ns[u] > 32) {
        u++;
    }
    uint64_t count = (typ_ns + unit_ns[u] - 1) / unit_ns[u];
    return (uint32_t)(count ? count - 1 : 0) | u << 5;
}

// The typical time an erase time field stands for, so that the shared multiplier is taken
// against what the table says rather than the datasheet figure it rounds up.
static uint64_t erase_time_encoded_ns(uint32_t field) {
    static const uint64_t unit_ns[4] = {1000000, 16000000, 128000000, 1000000000};
    return ((field & 0x1f) + 1) * unit_ns[field >> 5];
}

// The multiplier fields: max = 2 * (m + 1) * typ; the least m that reaches the maximum.
static uint32_t multiplier_for(uint64_t typ_ns, uint64_t max_ns) {
    uint64_t m = (max_ns + 2 * typ_ns - 1) / (2 * typ_ns);
    return m ? (uint32_t)(m > 16 ? 15 : m - 1) : 0;
}

// The fewest dummy cycles the part's table allows at this clock (0: none does).
static uint8_t dummies_for(const sim_nor_part_t *p, uint32_t hz) {
    for (size_t i = 0; i < p->read_dummies_count; i++) {
        if (p->read_dummies[i].max_hz >= hz) {
            return p->read_dummies[i].dummies;
        }
    }
    return 0;
}

// The IS25WX's table, from its datasheet (IS25LX/WX256 Rev. A14) and the fragments reported from
// silicon (shared/reference/sfdp/IS25WX256.fragments.txt): SFDP revision 1.9 and the BFPT,
// 4BAIT and xSPI Profile 1.0 tables. The fourth header the fragments name (0xFF0A, an octal
// command-sequence table) is left out: its contents were not found, and a sibling fragment
// counts three headers.
static size_t build_xccela(const sim_nor_part_t *p, uint8_t *out) {
    memcpy(out, "SFDP", 4);
    out[4] = 0x09; // revision 1.9, as the fragments report
    out[5] = 0x01;
    out[6] = HEADERS - 1;
    out[7] = 0xff; // access protocol: legacy 1S (JESD216)
    param_header(out + 8, 0xff00, 0x09, BFPT_DWORDS, BFPT_AT);
    param_header(out + 16, 0xff84, 0x00, BAIT4_DWORDS, BAIT4_AT);
    param_header(out + 24, 0xff05, 0x00, PROFILE1_DWORDS, PROFILE1_AT);

    uint32_t dw[BFPT_DWORDS];
    memset(dw, 0xff, sizeof(dw));
    // DWORD 1: 4 KiB erase supported (bits 1:0 = 01) with its 1S opcode in bits 15:8; 3- or
    // 4-byte addresses (bits 18:17 = 01).
    dw[0] = 0xfffb00e5 | (uint32_t)p->erase[0].opcode_1s << 8;
    // DWORD 2: density in bits, less one.
    dw[1] = p->size * 8 - 1;
    // DWORDs 8 and 9: erase types 1 to 4, each a size exponent and a 1S opcode (IS25WX Table
    // 8.1: 20h 4 KiB, 52h 32 KiB, D8h 128 KiB).
    dw[7] = dw[8] = 0;
    // DWORD 10: each type's typical time (type n at bit 4 + 7 (n - 1)) and one multiplier for all
    // (bits 3:0), the least that reaches every type's maximum (Table 9.3).
    uint32_t multiplier = 0;
    dw[9] = 0;
    for (int i = 0; i < SIM_NOR_ERASE_TYPES && p->erase[i].size; i++) {
        uint32_t type = log2u(p->erase[i].size) | (uint32_t)p->erase[i].opcode_1s << 8;
        dw[7 + i / 2] |= type << (16 * (i % 2));
        uint32_t field = erase_time_field(p->erase[i].time.typ_ns);
        uint32_t m = multiplier_for(erase_time_encoded_ns(field), p->erase[i].time.max_ns);
        multiplier = m > multiplier ? m : multiplier;
        dw[9] |= field << (4 + 7 * i);
    }
    dw[9] |= multiplier;
    // DWORD 11: program multiplier (3:0), page size exponent (7:4), page program typical time
    // as a 5-bit count (12:8) of 8 us or 64 us (bit 13); Table 9.3 tPP 0.15 ms / 1.8 ms.
    uint64_t pp = p->page_program.typ_ns;
    uint32_t unit64 = (pp + 7999) / 8000 > 32;
    uint64_t unit_ns = unit64 ? 64000 : 8000;
    uint32_t pp_count = (uint32_t)((pp + unit_ns - 1) / unit_ns);
    dw[10] = 0xffffc000 | multiplier_for(pp_count * unit_ns, p->page_program.max_ns) | 8u << 4 |
             (pp_count - 1) << 8 | unit64 << 13;
    // DWORD 18: 8D-8D-8D command extension the same as the opcode (bits 30:29 = 00; Table 8.1's
    // commands are sent as the opcode repeated) and no byte swap (bit 31 = 0).
    dw[17] = 0x00000000;
    put_dwords(out + BFPT_AT, dw, BFPT_DWORDS);

    // 4BAIT DWORD 1 as read from silicon (fragments: 43 0e ff ff: 13h, 0Ch, 12h and erase types
    // 1 to 3 by 4-byte opcode); DWORD 2: the 4-byte erase opcodes 21h, 5Ch, DCh (Table 8.1).
    uint32_t bait[BAIT4_DWORDS] = {0xffff0e43, 0xffffffff};
    for (int i = 0; i < SIM_NOR_ERASE_TYPES && p->erase[i].size; i++) {
        bait[1] &= ~(0xffu << (8 * i));
        bait[1] |= (uint32_t)p->erase[i].opcode_4b << (8 * i);
    }
    put_dwords(out + BAIT4_AT, bait, BAIT4_DWORDS);

    // xSPI Profile 1.0, laid out as Linux drivers/mtd/spi-nor/sfdp.c reads it (DWORD 1: the
    // 8D-8D-8D fast read opcode in 15:8, Read Status with 8 dummy cycles = bit 28, with an
    // address = bit 29; DWORD 4 bits 11:7 and DWORD 5 bits 31:27, 21:17 and 11:7: the dummy
    // cycles for 200, 166, 133 and 100 MHz) and as the MX25UM25645G dump fills it (below each
    // count the dummy-register code that sets it: DWORD 4 bits 6:2, DWORD 5 bits 26:22, 16:12,
    // 6:2). IS25WX: read FDh; Read Status without an address, 8 dummies (Table 8.1); counts from
    // Table 6.7 (ECC off), codes = counts (Tables 6.5/6.6: 03h..1Dh = 3..29 cycles). DWORDs 2 and
    // 3 hold fields whose IS25WX values no source gives: left 0.
    static const uint32_t mhz[4] = {200, 166, 133, 100};
    uint32_t d[4];
    for (int i = 0; i < 4; i++) {
        d[i] = dummies_for(p, mhz[i] * 1000000u);
    }
    uint32_t profile[PROFILE1_DWORDS] = {
        1u << 28 | 0xfdu << 8,
        0,
        0,
        d[0] << 7 | d[0] << 2,
        d[1] << 27 | d[1] << 22 | d[2] << 17 | d[2] << 12 | d[3] << 7 | d[3] << 2,
    };
    put_dwords(out + PROFILE1_AT, profile, PROFILE1_DWORDS);
    return BUILT_LEN;
}

size_t sim_sfdp_build(const sim_nor_part_t *p, uint8_t *out) {
    memset(out, 0xff, SIM_SFDP_MAX);
    if (p->sfdp_dump != NULL) {
        memcpy(out, p->sfdp_dump, p->sfdp_dump_len);
        return p->sfdp_dump_len;
    }
    if (p->family == SIM_NOR_FAMILY_ISSI_IS25WX) {
        return build_xccela(p, out);
    }
    return 0;
}
