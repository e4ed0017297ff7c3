// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "sim_nor.h"
#include "sim_random.h"
#include "sim_sfdp.h"

#define KIB (1024u)
#define MIB (1024u * 1024u)
#define US (1000ull)
#define MS (1000000ull)
#define SEC (1000000000ull)
#define PAGE_SIZE (256u)
#define SECTOR_SIZE (4096u)
#define ECC_CHUNK (16u)

// Status register, every part: WIP bit 0, WEL bit 1 (IS25WX Table 6.1, EMxxLX Table 6, Macronix
// ST BSP mx25uw25645g.h SR_WIP/SR_WEL); bits 7:2 are the non-volatile protection bits.
#define SR_WIP (0x01)
#define SR_WEL (0x02)
#define SR_NV_BITS (0xfc)

// ISSI and Everspin flag status register (IS25WX Table 6.4, EMxxLX Table 9): bit 7 ready (the
// inverse of WIP), bit 5 erase error, bit 4 program error, bit 1 protection error; Everspin
// also bit 3 CRC error. Clear Flag Status (50h) clears the error bits (IS25WX 8.10: erase,
// program, protection; EMxxLX Table 19: bits 5, 4, 3, 1).
#define FSR_READY (0x80)
#define FSR_ERASE (0x20)
#define FSR_PROGRAM (0x10)
#define FSR_PROTECTION (0x02)
#define FSR_ERRORS_ISSI (0x32)
#define FSR_ERRORS_EVERSPIN (0x3a)

// Macronix security register (RDSCUR 2Bh): P_FAIL bit 5, E_FAIL bit 6 (ST BSP mx25uw25645g.h and
// mx25lm51245g.h SECR_P_FAIL 0x20 / SECR_E_FAIL 0x40; mbed-os's Macronix drivers name RDSCUR).
#define SCUR_P_FAIL (0x20)
#define SCUR_E_FAIL (0x40)

// Macronix configuration register 1, bit 3: top/bottom for the block protection (ST BSP
// mx25uw25645g.h CR1_TB 0x08).
#define MX_CR1_TB (0x08)

// IS25WX volatile register 0Ch bit 7: IPA_ECCB, a second program of an ECC chunk was refused
// (Table 6.6; section 8.21's text says "bit 7 of address 0Bh", where Table 6.6 has a reserved
// bit, so the table is taken). Register 0Bh bit 0: ECCENB, 1 = ECC off (Tables 6.5, 6.6).
#define ECC_IPA (0x80)
#define ECCENB (0x01)

// Reset values of the read dummy-cycle settings: IS25WX register 01h 1Fh = the default (Table
// 6.5), EMxxLX register 1 erased FFh = 16 (Table 10), Macronix CR2 300h code 0 = 20 cycles (ST
// BSP mx25uw25645g.h CR2_DC_20_CYCLES 0x00).
#define ISSI_DUMMY_RESET (0x1f)
#define EVERSPIN_DUMMY_RESET (0xff)
#define MX_DUMMY_RESET (0x00)

// A timed operation's lower bound. No source gives a minimum. The typical is for a 50% pattern
// at 25 degrees (IS25WX Table 9.3 note 7); a page that clears fewer bits finishes sooner, and the
// same table's accelerated program (VPPH) is typically 0.08 ms against 0.15 ms. So half the
// typical is taken as the least a duration may be; where the source gives only a maximum
// (EMxxLX Table 35, the Macronix register write), nothing stops it finishing at once: 0. With
// only a maximum, "typical" is the middle of that range.
static uint64_t lower_ns(const sim_nor_time_t *t) {
    return t->typ_ns / 2;
}

uint64_t sim_nor_time_ns(const sim_nor_time_t *t, sim_nor_timing_t timing) {
    switch (timing) {
        case SIM_NOR_TIMING_FAST:
            return lower_ns(t);
        case SIM_NOR_TIMING_SLOW:
            return t->max_ns;
        default:
            return t->typ_ns ? t->typ_ns : t->max_ns / 2;
    }
}

// IS25WX Table 6.7, the 8D-8D-8D column: dummy cycles against the highest clock, with the ECC off
// and (second table) on, where 166 MHz is the ceiling from 17 cycles up.
static const sim_nor_dummy_t is25wx_dummies[] = {
    {3, 16000000},   {4, 33000000},   {5, 50000000},   {6, 66000000},   {7, 76000000},
    {8, 86000000},   {9, 95000000},   {10, 105000000}, {11, 114000000}, {12, 124000000},
    {13, 133000000}, {14, 143000000}, {15, 152000000}, {16, 162000000}, {17, 171000000},
    {18, 181000000}, {19, 191000000}, {20, 200000000},
};
static const sim_nor_dummy_t is25wx_dummies_ecc[] = {
    {3, 16000000},   {4, 33000000},   {5, 40000000},   {6, 50000000},   {7, 66000000},
    {8, 83000000},   {9, 95000000},   {10, 105000000}, {11, 114000000}, {12, 124000000},
    {13, 133000000}, {14, 143000000}, {15, 152000000}, {16, 162000000}, {17, 166000000},
    {18, 166000000}, {19, 166000000}, {20, 166000000},
};

// MX25UM25645G: its SFDP xSPI Profile 1.0 table (the dump's DWORDs 4 and 5: 200 MHz 20 cycles,
// 166 MHz 16, 133 MHz 14, 100 MHz 10).
static const sim_nor_dummy_t mx25um_dummies[] = {
    {10, 100000000},
    {14, 133000000},
    {16, 166000000},
    {20, 200000000},
};

// EMxxLX Table 17, the 8d-8d-8d column.
static const sim_nor_dummy_t emxxlx_dummies[] = {
    {3, 33000000},   {4, 50000000},   {5, 66000000},   {6, 83000000},
    {7, 100000000},  {8, 116000000},  {9, 133000000},  {10, 150000000},
    {11, 166000000}, {12, 183000000}, {13, 200000000},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

// ISSI IS25LX/WX256/128 datasheet Rev. A14 (IS25WX512: no datasheet found; the family's figures
// are taken): Table 9.3 page program 0.15 ms typical / 1.8 ms max; subsector erase 4 KiB 80 ms /
// 400 ms, 32 KiB 0.13 s / 1 s, sector 128 KiB 0.28 s / 1 s; opcodes 21h/20h, 5Ch/52h, DCh/D8h
// (Table 8.1); Write Status Register tW 1.3 ms / 15 ms; the timed configuration write is Write
// Nonvolatile Configuration Register, tWNVCR 0.2 s / 1 s (volatile writes take effect at once:
// Table 8.8).
#define IS25WX_FACTS                                                                               \
    .family = SIM_NOR_FAMILY_ISSI_IS25WX, .page_program = {150 * US, 1800 * US},                   \
    .erase = {{4 * KIB, 0x21, 0x20, {80 * MS, 400 * MS}},                                          \
              {32 * KIB, 0x5c, 0x52, {130 * MS, 1000 * MS}},                                       \
              {128 * KIB, 0xdc, 0xd8, {280 * MS, 1000 * MS}}},                                     \
    .write_status = {1300 * US, 15 * MS}, .write_config = {200 * MS, 1 * SEC},                     \
    .read_dummies = is25wx_dummies, .read_dummies_ecc = is25wx_dummies_ecc,                        \
    .read_dummies_count = COUNT(is25wx_dummies)

static const sim_nor_part_t parts[] = {
    {.name = "IS25WX512", .jedec_id = 0x9d5b1a, .size = 64 * MIB, IS25WX_FACTS},
    // Chip erase, Table 9.3: 256 Mb 70 s / 180 s, 128 Mb 30 s / 90 s.
    {.name = "IS25WX256",
     .jedec_id = 0x9d5b19,
     .size = 32 * MIB,
     .chip_erase = {70 * SEC, 180 * SEC},
     IS25WX_FACTS},
    // A real part of the family that no Ensemble board carries, so the driver does not know it.
    {.name = "IS25WX128",
     .jedec_id = 0x9d5b18,
     .size = 16 * MIB,
     .chip_erase = {30 * SEC, 90 * SEC},
     IS25WX_FACTS},
    // Macronix MX25UM25645G, all from its SFDP dump (Linux patch v8 8/9, sim_sfdp_mx25um25645g.c):
    // BFPT DWORD 11 page program 152 us typical, max x10; DWORD 10 erase types 4 KiB (20h, 4-byte
    // 21h in the 4BAIT) 25 ms / 400 ms and 64 KiB (D8h / DCh) 256 ms / 4096 ms; chip erase 76 s /
    // 760 s; DWORD 18 bit 31: each 16-bit word swapped in 8D-8D-8D (Linux core.c "Byte order of
    // 16-bit words is swapped when read in 8D-8D-8D mode compared to 1-1-1"; stock MicroPython
    // .bswap16). READ ID in 8D-8D-8D sends each byte twice (Linux macronix.c). Write Status
    // Register (status and configuration register, non-volatile) and Write CR2 to its
    // non-volatile half: 40 ms max, no typical (ST BSP mx25uw25645g.h and mx25l3233f.h
    // WRITE_REG_MAX_TIME 40 "Write Status Register Cycle Time"; the MX25UM's own figure was not
    // found); stock MicroPython waits for WIP after a configuration register write
    // (ospi_flash_mx_write_cr_helper).
    {
        .name = "MX25UM25645G",
        .jedec_id = 0xc28039,
        .size = 32 * MIB,
        .family = SIM_NOR_FAMILY_MACRONIX_MX25UM,
        .swap16 = true,
        .id_doubled = true,
        .page_program = {152 * US, 1520 * US},
        .erase = {{4 * KIB, 0x21, 0x20, {25 * MS, 400 * MS}},
                  {64 * KIB, 0xdc, 0xd8, {256 * MS, 4096 * MS}}},
        .chip_erase = {76 * SEC, 760 * SEC},
        .write_status = {0, 40 * MS},
        .write_config = {0, 40 * MS},
        .read_dummies = mx25um_dummies,
        .read_dummies_count = COUNT(mx25um_dummies),
        .sfdp_dump = sim_sfdp_mx25um25645g,
        .sfdp_dump_len = SIM_SFDP_MX25UM25645G_LEN,
    },
    // Everspin EM064LX, 64 Mbit xSPI MRAM, JEDEC 6b bb 17 (EMxxLX datasheet v3.2 Table 22), no
    // SFDP (Table 21 has no 5Ah; Linux everspin.c SPI_NOR_SKIP_SFDP). Writes overwrite and need
    // no erase (section 11); erase types 20h/21h 4 KiB 60 us max, 52h/5Ch 32 KiB 500 us, D8h/DCh
    // 64 KiB 960 us, chip 125 ms (section 13, Table 35: maxima only). WIP after a write: "for a
    // very short period" (section 9), no figure; the figure Table 35 gives for every other
    // self-timed MRAM write (Write Status Register tW, tWNVCR per address, PROGRAM OTP, up to 256
    // bytes) is 1.5 us, taken here as the maximum; the timed configuration write is tWNVCR.
    {
        .name = "EM064LX",
        .jedec_id = 0x6bbb17,
        .size = 8 * MIB,
        .family = SIM_NOR_FAMILY_EVERSPIN_EMXXLX,
        .mram = true,
        .page_program = {0, 1500},
        .erase = {{4 * KIB, 0x21, 0x20, {0, 60 * US}},
                  {32 * KIB, 0x5c, 0x52, {0, 500 * US}},
                  {64 * KIB, 0xdc, 0xd8, {0, 960 * US}}},
        .chip_erase = {0, 125 * MS},
        .write_status = {0, 1500},
        .write_config = {0, 1500},
        .read_dummies = emxxlx_dummies,
        .read_dummies_count = COUNT(emxxlx_dummies),
    },
    // A quad-SPI part soldered by mistake: answers its ID and nothing octal.
    {
        .name = "W25Q128",
        .jedec_id = 0xef4018,
        .size = 16 * MIB,
        .family = SIM_NOR_FAMILY_UNKNOWN,
    },
};

const sim_nor_part_t *sim_nor_part_by_name(const char *name) {
    for (size_t i = 0; i < COUNT(parts); i++) {
        if (strcmp(parts[i].name, name) == 0) {
            return &parts[i];
        }
    }
    return NULL;
}

const sim_nor_part_t *sim_nor_part_by_jedec(uint32_t jedec_id) {
    for (size_t i = 0; i < COUNT(parts); i++) {
        if (parts[i].jedec_id == jedec_id) {
            return &parts[i];
        }
    }
    return NULL;
}

uint32_t sim_nor_read_max_hz(const sim_nor_part_t *part, uint8_t dummies, bool ecc) {
    const sim_nor_dummy_t *table =
        ecc && part->read_dummies_ecc ? part->read_dummies_ecc : part->read_dummies;
    uint32_t hz = 0;
    for (size_t i = 0; i < part->read_dummies_count && table[i].dummies <= dummies; i++) {
        hz = table[i].max_hz;
    }
    return hz;
}

struct sim_nor {
    const sim_nor_part_t *part;
    uint8_t *mem;
    uint32_t clock_hz;
    uint64_t now_ns;
    uint64_t busy_until_ns;
    uint64_t op_time_override_ns;
    sim_nor_timing_t timing;
    uint32_t timing_rng;
    bool powered;
    bool deep_power_down;
    uint64_t release_at_ns; // deep power-down ends here once released (0: not released)
    bool octal_ddr;
    bool wel;
    uint8_t dummy_code; // the part's read dummy-cycle register as written
    uint8_t status_nv;  // status register bits 7:2, non-volatile
    uint8_t mx_cr1;
    uint8_t flags;           // flag status error bits, or the Macronix security register
    uint8_t ecc_nv;          // IS25WX register 0Bh, non-volatile
    uint8_t ecc_v;           // and volatile
    uint8_t ecc_stat;        // IS25WX register 0Ch
    uint8_t *ecc_programmed; // one bit a 16-byte chunk while the ECC is on, else NULL
    unsigned fail_countdown; // 0: none armed
    uint32_t fail_addr, fail_len;
    unsigned cut_countdown; // 0: no cut armed
    uint32_t cut_rng;
    uint32_t fault_above_hz;
    void (*on_readable)(void *ctx, bool readable);
    void *readable_ctx;
    bool readable;
    uint8_t sfdp[SIM_SFDP_MAX];
    size_t sfdp_len;
    sim_nor_stats_t stats;
};

static bool xccela(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX ||
           nor->part->family == SIM_NOR_FAMILY_EVERSPIN_EMXXLX;
}

static bool issi(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX;
}

static bool everspin(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_EVERSPIN_EMXXLX;
}

static bool macronix(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_MACRONIX_MX25UM;
}

static bool ecc_on(const sim_nor_t *nor) {
    return issi(nor) && !(nor->ecc_v & ECCENB);
}

static bool busy(const sim_nor_t *nor) {
    return nor->now_ns < nor->busy_until_ns;
}

// Deep power-down lasts until its release has had its time (tRDP) to take effect.
static bool asleep(const sim_nor_t *nor) {
    return nor->deep_power_down && (nor->release_at_ns == 0 || nor->now_ns < nor->release_at_ns);
}

// What the XIP window can show: nothing while the part is busy (it answers only status reads),
// asleep or without power.
static void update_readable(sim_nor_t *nor) {
    if (nor->deep_power_down && !asleep(nor)) {
        nor->deep_power_down = false;
    }
    bool readable = nor->powered && !asleep(nor) && !busy(nor);
    if (readable != nor->readable) {
        nor->readable = readable;
        if (nor->on_readable != NULL) {
            nor->on_readable(nor->readable_ctx, readable);
        }
    }
}

void sim_nor_on_readable(sim_nor_t *nor, void (*cb)(void *ctx, bool readable), void *ctx) {
    nor->on_readable = cb;
    nor->readable_ctx = ctx;
    if (cb != NULL) {
        cb(ctx, nor->readable);
    }
}

// With the ECC on, which 16-byte chunks were programmed since their erase. Rebuilt from the
// array when the ECC comes on: a chunk that holds anything but FFh has been programmed (one
// programmed to all FFh is missed, which only makes the model kinder there).
static void ecc_track(sim_nor_t *nor) {
    if (!ecc_on(nor)) {
        free(nor->ecc_programmed);
        nor->ecc_programmed = NULL;
        return;
    }
    if (nor->ecc_programmed != NULL) {
        return;
    }
    size_t chunks = nor->part->size / ECC_CHUNK;
    nor->ecc_programmed = calloc(chunks / 8, 1);
    if (nor->ecc_programmed == NULL) {
        abort(); // a model that silently stopped checking would pass what the part refuses
    }
    for (size_t c = 0; c < chunks; c++) {
        const uint8_t *at = nor->mem + c * ECC_CHUNK;
        for (unsigned i = 0; i < ECC_CHUNK; i++) {
            if (at[i] != 0xff) {
                nor->ecc_programmed[c / 8] |= (uint8_t)(1u << (c % 8));
                break;
            }
        }
    }
}

static bool chunk_programmed(const sim_nor_t *nor, uint32_t chunk) {
    return nor->ecc_programmed[chunk / 8] & (1u << (chunk % 8));
}

static void mark_chunk(sim_nor_t *nor, uint32_t chunk, bool programmed) {
    uint8_t bit = (uint8_t)(1u << (chunk % 8));
    nor->ecc_programmed[chunk / 8] = programmed ? nor->ecc_programmed[chunk / 8] | bit
                                                : nor->ecc_programmed[chunk / 8] & (uint8_t)~bit;
}

sim_nor_t *sim_nor_new(const sim_nor_part_t *part, uint8_t *storage, uint32_t clock_hz) {
    sim_nor_t *nor = calloc(1, sizeof(*nor));
    uint32_t *erases = calloc(part->size / SECTOR_SIZE, sizeof(uint32_t));
    if (nor == NULL || erases == NULL) {
        free(nor);
        free(erases);
        return NULL;
    }
    nor->part = part;
    nor->mem = storage;
    nor->clock_hz = clock_hz;
    nor->stats.erases_per_sector = erases;
    nor->sfdp_len = sim_sfdp_build(part, nor->sfdp);
    nor->ecc_nv = 0xff; // erased, ECC off (IS25WX Table 6.5)
    nor->readable = true;
    sim_nor_set_timing(nor, SIM_NOR_TIMING_DRAWN, 0);
    sim_nor_power_on(nor);
    return nor;
}

void sim_nor_free(sim_nor_t *nor) {
    free(nor->ecc_programmed);
    free(nor->stats.erases_per_sector);
    free(nor);
}

void sim_nor_set_clock_hz(sim_nor_t *nor, uint32_t hz) {
    nor->clock_hz = hz;
}

uint32_t sim_nor_clock_hz(const sim_nor_t *nor) {
    return nor->clock_hz;
}

const sim_nor_stats_t *sim_nor_stats(const sim_nor_t *nor) {
    return &nor->stats;
}

void sim_nor_reset_stats(sim_nor_t *nor) {
    uint32_t *erases = nor->stats.erases_per_sector;
    memset(erases, 0, nor->part->size / SECTOR_SIZE * sizeof(uint32_t));
    nor->stats = (sim_nor_stats_t){.erases_per_sector = erases};
}

uint64_t sim_nor_now_ns(const sim_nor_t *nor) {
    return nor->now_ns;
}

// The clock cycles a phase of nbytes takes: eight bits a cycle on one line in 1S-1S-1S, sixteen
// on eight lines at double rate in 8D-8D-8D.
static uint64_t phase_cycles(size_t nbytes, bool octal_ddr) {
    return octal_ddr ? (nbytes + 1) / 2 : (uint64_t)nbytes * 8;
}

uint64_t sim_nor_op_bus_ns(const sim_nor_t *nor, const flash_bus_op_t *op) {
    uint64_t cycles = phase_cycles(op->octal_ddr ? 2 : 1, op->octal_ddr) +
                      phase_cycles(op->addr.nbytes, op->octal_ddr) + op->dummy.ncycles +
                      phase_cycles(op->data.nbytes, op->octal_ddr);
    return cycles * 1000000000ull / nor->clock_hz;
}

void sim_nor_set_timing(sim_nor_t *nor, sim_nor_timing_t timing, uint32_t seed) {
    nor->timing = timing;
    nor->timing_rng = seed ? seed : 0x9e3779b9u;
}

void sim_nor_set_op_time_ns(sim_nor_t *nor, uint64_t ns) {
    nor->op_time_override_ns = ns;
}

static uint64_t draw_between(sim_nor_t *nor, uint64_t lo, uint64_t hi) {
    uint64_t r = (uint64_t)sim_random(&nor->timing_rng) << 32 | sim_random(&nor->timing_rng);
    return lo + r % (hi - lo + 1);
}

// A drawn duration. The typical is what a part mostly takes (at 25 degrees, IS25WX Table 9.3
// note 1), the maximum the worst case over temperature, voltage and wear: so most draws fall
// evenly about the typical, between the lower bound and as far above it, and one in sixteen in
// the tail from the typical to the maximum. The one in sixteen is the model's choice, not a
// figure of any source; a draw can reach both bounds, and SIM_NOR_TIMING_SLOW takes the maximum
// every time.
#define TAIL_ONE_IN (16u)

static uint64_t draw_ns(sim_nor_t *nor, const sim_nor_time_t *t) {
    if (nor->timing != SIM_NOR_TIMING_DRAWN) {
        return sim_nor_time_ns(t, nor->timing);
    }
    uint64_t lo = lower_ns(t), typ = sim_nor_time_ns(t, SIM_NOR_TIMING_TYPICAL);
    if (sim_random(&nor->timing_rng) % TAIL_ONE_IN == 0) {
        return draw_between(nor, typ, t->max_ns);
    }
    uint64_t hi = 2 * typ - lo;
    return draw_between(nor, lo, hi < t->max_ns ? hi : t->max_ns);
}

// WIP for this long from now.
static void start_busy(sim_nor_t *nor, uint64_t ns) {
    nor->busy_until_ns = nor->now_ns + ns;
    nor->stats.busy_ns += ns;
    nor->stats.busy_ops++;
    update_readable(nor);
}

static void start_timed(sim_nor_t *nor, const sim_nor_time_t *t) {
    start_busy(nor, draw_ns(nor, t));
}

void sim_nor_cut_power_at(sim_nor_t *nor, unsigned nth, uint32_t seed) {
    nor->cut_countdown = nth;
    nor->cut_rng = seed ? seed : 1;
}

bool sim_nor_powered(const sim_nor_t *nor) {
    return nor->powered;
}

void sim_nor_power_on(sim_nor_t *nor) {
    nor->powered = true;
    nor->deep_power_down = false;
    nor->release_at_ns = 0;
    nor->octal_ddr = false;
    nor->wel = false;
    nor->busy_until_ns = nor->now_ns;
    // Volatile state from the non-volatile at power-on: the flag status register reads zero
    // (IS25WX 6.2, EMxxLX 5.3), the ECC status too (IS25WX 8.21), the volatile configuration
    // takes the non-volatile's (IS25WX Figure 6.1).
    nor->flags = 0;
    nor->ecc_stat = 0;
    nor->ecc_v = nor->ecc_nv;
    nor->dummy_code = issi(nor)       ? ISSI_DUMMY_RESET
                      : everspin(nor) ? EVERSPIN_DUMMY_RESET
                                      : MX_DUMMY_RESET;
    ecc_track(nor);
    update_readable(nor);
}

void sim_nor_fail_nth(sim_nor_t *nor, unsigned nth) {
    nor->fail_countdown = nth;
}

void sim_nor_fail_range(sim_nor_t *nor, uint32_t addr, uint32_t len) {
    nor->fail_addr = addr;
    nor->fail_len = len;
}

void sim_nor_set_protection(sim_nor_t *nor, uint8_t bp_bits) {
    // ISSI and Everspin: BP3 bit 6, TB bit 5, BP2..BP0 bits 4..2 (IS25WX Table 6.1, EMxxLX Table
    // 6); Macronix: BP3..BP0 bits 5..2 (ST BSP mx25uw25645g.h SR_PB 0x3C).
    uint8_t mask = macronix(nor) ? 0x3c : 0x7c;
    nor->status_nv = (uint8_t)((nor->status_nv & ~mask) | (bp_bits & mask));
}

void sim_nor_set_ecc(sim_nor_t *nor, bool on) {
    if (!issi(nor)) {
        return;
    }
    nor->ecc_nv = on ? (uint8_t)(nor->ecc_nv & ~ECCENB) : (uint8_t)(nor->ecc_nv | ECCENB);
    nor->ecc_v = nor->ecc_nv;
    ecc_track(nor);
}

void sim_nor_set_fault_above_hz(sim_nor_t *nor, uint32_t hz) {
    nor->fault_above_hz = hz;
}

// The protected part of the array, [*lo, *hi), by the block-protect bits.
static void protected_area(const sim_nor_t *nor, uint32_t *lo, uint32_t *hi) {
    uint8_t sr = nor->status_nv;
    uint32_t size = nor->part->size, n, bytes;
    bool bottom;
    if (macronix(nor)) {
        // No MX25UM25645G protected-area table was found: the shape of the ISSI table with this
        // part's 64 KiB block (2^(n-1) blocks from the top, or from the bottom with CR1 TB) is
        // assumed.
        n = (sr >> 2) & 0xf;
        bytes = n ? (n - 1 < 16 ? (64 * KIB) << (n - 1) : size) : 0;
        bottom = nor->mx_cr1 & MX_CR1_TB;
    } else {
        n = ((sr >> 6) & 1) << 3 | ((sr >> 2) & 7);
        bottom = sr & 0x20;
        if (everspin(nor)) {
            // EMxxLX Table 8 (64 KiB sectors): n sectors for n = 1..8, then 16, 32, 64, ...
            bytes = n <= 8 ? n * 64 * KIB : (8u * 64 * KIB) << (n - 8);
        } else {
            // IS25WX Table 6.2 (128 KiB blocks): 2^(n-1) blocks.
            bytes = n ? (128 * KIB) << (n - 1) : 0;
        }
    }
    bytes = bytes > size ? size : bytes;
    *lo = bottom ? 0 : size - bytes;
    *hi = bottom ? bytes : size;
}

static bool is_protected(const sim_nor_t *nor, uint32_t addr, uint32_t len) {
    uint32_t lo, hi;
    protected_area(nor, &lo, &hi);
    return lo < hi && addr < hi && addr + len > lo;
}

// A program or erase the part refuses: ISSI and Everspin keep WEL and set the protection error
// with the operation's own error bit (IS25WX 8.11 "bits 1 and 4", Table 8.12 "bits 1 and 5";
// EMxxLX section 13 "bits 1 and 5", Table 9 bit 1 and bit 4 for a program). Macronix: the same
// flag a failure sets (no source found for a protected program on this part; assumed), WEL
// cleared as after any program or erase.
static void refuse(sim_nor_t *nor, bool program) {
    nor->stats.ignored++;
    if (macronix(nor)) {
        nor->flags |= program ? SCUR_P_FAIL : SCUR_E_FAIL;
        nor->wel = false;
    } else {
        nor->flags |= FSR_PROTECTION | (program ? FSR_PROGRAM : FSR_ERASE);
    }
}

static unsigned bits_set(uint8_t byte) {
    unsigned n = 0;
    for (; byte; byte &= (uint8_t)(byte - 1)) {
        n++;
    }
    return n;
}

// Moves `len` bytes at `at` towards `target`, as far as the operation gets: all the way, or,
// when power goes or it fails, a random part of the bits that were to change (at least one,
// never all).
static void land(sim_nor_t *nor, uint8_t *at, const uint8_t *target, size_t len, bool partial) {
    if (!partial) {
        memcpy(at, target, len);
        return;
    }
    uint8_t before[SECTOR_SIZE];
    memcpy(before, at, len);
    size_t changing = 0, flipped = 0, first_diff = len;
    for (size_t i = 0; i < len; i++) {
        uint8_t diff = before[i] ^ target[i];
        at[i] = before[i] ^ (diff & (uint8_t)sim_random(&nor->cut_rng));
        changing += bits_set(diff);
        flipped += bits_set(at[i] ^ before[i]);
        if (diff && first_diff == len) {
            first_diff = i;
        }
    }
    if (changing == 0) {
        return;
    }
    uint8_t one_bit = (uint8_t)((before[first_diff] ^ target[first_diff]) &
                                -(before[first_diff] ^ target[first_diff]));
    if (flipped == 0) {
        at[first_diff] ^= one_bit;
    } else if (flipped == changing && changing > 1) {
        at[first_diff] ^= one_bit;
    }
}

// Decides how a program or erase that the part accepted ends: power cut (armed for this one),
// injected failure, or done.
typedef enum { ENDS_DONE, ENDS_FAILED, ENDS_CUT } ending_t;

static ending_t ending(sim_nor_t *nor, uint32_t addr, uint32_t len) {
    bool cut = nor->cut_countdown != 0 && --nor->cut_countdown == 0;
    bool nth = nor->fail_countdown != 0 && --nor->fail_countdown == 0;
    bool ranged =
        nor->fail_len != 0 && addr < nor->fail_addr + nor->fail_len && addr + len > nor->fail_addr;
    return cut ? ENDS_CUT : nth || ranged ? ENDS_FAILED : ENDS_DONE;
}

// After the array has changed: the failure flags, WEL, WIP and power as the ending says. A
// failure shows when the part gives up, at the operation's maximum (IS25WX 8.11/8.12: "If the
// operation times out ... the program fail bit is set"): ISSI sets the program or erase error and
// clears WEL; Everspin sets them and keeps WEL (section 13: WEL "not cleared ... whether the
// operation is successful or not"); Macronix sets P_FAIL or E_FAIL. How the MX25UM clears them was
// not found (it has no CLSR: 30h is its program/erase resume, ST BSP mx25uw25645g.h, Dialog
// oqspi_macronix_octa.h): the model has each program or erase leave its own flag as its outcome
// says, and power-on clear both.
static void conclude(sim_nor_t *nor, ending_t end, bool program, const sim_nor_time_t *t) {
    if (macronix(nor)) {
        uint8_t flag = program ? SCUR_P_FAIL : SCUR_E_FAIL;
        nor->flags = end == ENDS_FAILED ? nor->flags | flag : nor->flags & (uint8_t)~flag;
    } else if (end == ENDS_FAILED) {
        nor->flags |= program ? FSR_PROGRAM : FSR_ERASE;
    }
    // Everspin writes and erases leave WEL set (EMxxLX 5.1, sections 11 and 13); the others
    // clear it whether or not the operation succeeds (IS25WX Tables 8.10 and 8.12).
    if (!everspin(nor)) {
        nor->wel = false;
    }
    uint64_t ns = nor->op_time_override_ns ? nor->op_time_override_ns
                  : end == ENDS_FAILED     ? t->max_ns
                                           : draw_ns(nor, t);
    start_busy(nor, ns);
    if (end == ENDS_CUT) {
        nor->powered = false;
        update_readable(nor);
    }
}

// A flash page program: only the bytes of the addressed page, wrapping past its end to its
// start; later bytes win; bits only clear (IS25WX Table 8.10). With the ECC on, a program that
// touches a 16-byte chunk already programmed since its erase is aborted and sets IPA_ECCB
// (IS25WX 8.21); the abort is taken to be immediate, the program's WEL cleared. data is in array
// order.
static void flash_program(sim_nor_t *nor, uint32_t addr, const uint8_t *data, size_t len) {
    uint32_t page = addr & ~(PAGE_SIZE - 1);
    uint8_t target[PAGE_SIZE];
    bool touched[PAGE_SIZE / ECC_CHUNK] = {false};
    memcpy(target, nor->mem + page, PAGE_SIZE);
    for (size_t i = 0; i < len; i++) {
        uint8_t *t = &target[(addr + i) % PAGE_SIZE];
        *t &= data[i];
        touched[(addr + i) % PAGE_SIZE / ECC_CHUNK] = true;
    }
    if (is_protected(nor, page, PAGE_SIZE)) {
        refuse(nor, true);
        return;
    }
    if (nor->ecc_programmed != NULL) {
        for (uint32_t c = 0; c < PAGE_SIZE / ECC_CHUNK; c++) {
            if (touched[c] && chunk_programmed(nor, (page + c * ECC_CHUNK) / ECC_CHUNK)) {
                nor->ecc_stat |= ECC_IPA;
                nor->wel = false;
                nor->stats.ignored++;
                return;
            }
        }
        for (uint32_t c = 0; c < PAGE_SIZE / ECC_CHUNK; c++) {
            if (touched[c]) {
                mark_chunk(nor, (page + c * ECC_CHUNK) / ECC_CHUNK, true);
            }
        }
    }
    nor->stats.programs++;
    ending_t end = ending(nor, page, PAGE_SIZE);
    land(nor, nor->mem + page, target, PAGE_SIZE, end != ENDS_DONE);
    conclude(nor, end, true, &nor->part->page_program);
}

// An MRAM write in the EMxxLX's persistent memory mode, its default (Table 10, register 8 bit
// 0): the bytes as given, any number, no page wrap, wrapping only at the top of memory (section
// 9). data is in array order.
static void mram_write(sim_nor_t *nor, uint32_t addr, const uint8_t *data, size_t len) {
    uint32_t size = nor->part->size;
    size_t span = len < size ? len : size;
    for (size_t done = 0; done < span;) {
        uint32_t at = (uint32_t)((addr + done) % size);
        size_t n = span - done < size - at ? span - done : size - at;
        if (is_protected(nor, at, (uint32_t)n)) {
            refuse(nor, true);
            return;
        }
        done += n;
    }
    nor->stats.programs++;
    ending_t end = ending(nor, addr, (uint32_t)span);
    for (size_t done = 0; done < len;) {
        uint32_t at = (uint32_t)((addr + done) % size);
        size_t n = len - done;
        n = n > SECTOR_SIZE ? SECTOR_SIZE : n;
        n = n > size - at ? size - at : n;
        land(nor, nor->mem + at, data + done, n, end != ENDS_DONE);
        done += n;
    }
    conclude(nor, end, true, &nor->part->page_program);
}

// An erase of one of the part's erase types, aligned down to its size, or of the whole part:
// bytes to FFh. A power cut or failure leaves only the 4 KiB piece it was working on partly
// done; the pieces after it untouched.
static void erase(sim_nor_t *nor, uint32_t start, uint32_t size, const sim_nor_time_t *t) {
    if (is_protected(nor, start, size)) {
        refuse(nor, false);
        return;
    }
    uint8_t erased[SECTOR_SIZE];
    memset(erased, 0xff, sizeof(erased));
    nor->stats.erases++;
    for (uint32_t s = start; s < start + size; s += SECTOR_SIZE) {
        nor->stats.erases_per_sector[s / SECTOR_SIZE]++;
    }
    ending_t end = ending(nor, start, size);
    land(nor, nor->mem + start, erased, SECTOR_SIZE, end != ENDS_DONE);
    if (end == ENDS_DONE) {
        memset(nor->mem + start + SECTOR_SIZE, 0xff, size - SECTOR_SIZE);
    }
    if (nor->ecc_programmed != NULL) {
        for (uint32_t c = start / ECC_CHUNK; c < (start + SECTOR_SIZE) / ECC_CHUNK; c++) {
            mark_chunk(nor, c, true); // a partial erase is still programmed as far as ECC goes
        }
        for (uint32_t c = start / ECC_CHUNK; end == ENDS_DONE && c < (start + size) / ECC_CHUNK;
             c++) {
            mark_chunk(nor, c, false);
        }
    }
    conclude(nor, end, false, t);
}

// Fills a read's data phase with a repeating answer (a register in 8D: the byte on both edges),
// or with the bytes once and zeros after, each byte sent `each` times.
static void answer(uint8_t *out, size_t len, const uint8_t *bytes, size_t count, bool repeat,
                   size_t each) {
    for (size_t i = 0; i < len; i++) {
        size_t k = i / each;
        out[i] = repeat ? bytes[k % count] : k < count ? bytes[k] : 0x00;
    }
}

static bool is_read(const flash_bus_op_t *op) {
    return op->data.nbytes > 0 && !op->data.to_flash;
}

// A command the part does not act on. Nobody drives the data lines then: stock MicroPython's
// ports/alif/ospi_flash.c gives D0, D1 and D3..D7 no pull and D2 a pull-up
// (PADCTRL_DRIVER_DISABLED_PULL_UP), so what the controller samples is undefined but for D2. The
// model answers 0xff, the lines high: not random, and what an empty socket's ID read gives.
static int ignore(sim_nor_t *nor, const flash_bus_op_t *op, bool protocol_error) {
    nor->stats.ignored++;
    nor->stats.protocol_errors += protocol_error;
    if (is_read(op)) {
        memset(op->data.buf.in, 0xff, op->data.nbytes);
    }
    return 0;
}

// The commands the model knows, whatever their opcode and mode.
typedef enum {
    CMD_NONE,
    CMD_WREN,
    CMD_WRDI,
    CMD_RDSR,
    CMD_RDFLAGS, // ISSI/Everspin flag status (70h), Macronix security register (2Bh)
    CMD_CLFLAGS, // ISSI/Everspin Clear Flag Status (50h)
    CMD_RDCR,    // Macronix configuration register (15h)
    CMD_RDREG,   // ISSI/Everspin volatile register (85h), Macronix CR2 (71h)
    CMD_RDNVREG, // ISSI/Everspin non-volatile register (B5h)
    CMD_WRREG,   // ISSI/Everspin volatile register (81h), Macronix CR2 (72h)
    CMD_WRNVREG, // ISSI/Everspin non-volatile register (B1h)
    CMD_WRSR,
    CMD_CLRERR, // IS25WX Clear ERRB (B6h)
    CMD_RDID,
    CMD_SFDP,
    CMD_READ,
    CMD_PP,
    CMD_ERASE,
    CMD_CHIP_ERASE,
    CMD_DPD,
    CMD_RDP,
} command_t;

static const sim_nor_erase_t *erase_type(const sim_nor_t *nor, uint8_t opcode, bool *four_byte) {
    for (int i = 0; i < SIM_NOR_ERASE_TYPES && nor->part->erase[i].size; i++) {
        const sim_nor_erase_t *e = &nor->part->erase[i];
        if (e->opcode_4b == opcode || e->opcode_1s == opcode) {
            *four_byte = e->opcode_4b == opcode;
            return e;
        }
    }
    return NULL;
}

// Opcodes: IS25WX Table 8.1, EMxxLX Table 21, Macronix ST BSP mx25uw25645g.h (and for 8D its
// OCTA_* pairs). The array read and program: 1S 13h/12h on every part; 8D FDh and C2h/12h on
// the ISSI command set, EEh and 12h on Macronix (stock ospi_flash_settings.h agrees).
static command_t decode(const sim_nor_t *nor, uint8_t opcode, bool octal) {
    bool x = xccela(nor), mx = macronix(nor), four_byte;
    switch (opcode) {
        case 0x06:
            return CMD_WREN;
        case 0x04:
            return CMD_WRDI;
        case 0x05:
            return CMD_RDSR;
        case 0x9f:
            return CMD_RDID;
        case 0x01:
            return CMD_WRSR;
        case 0xb9:
            return CMD_DPD;
        case 0xab:
            return CMD_RDP;
        case 0x70:
            return x ? CMD_RDFLAGS : CMD_NONE;
        case 0x50:
            return x ? CMD_CLFLAGS : CMD_NONE;
        case 0x2b:
            return mx ? CMD_RDFLAGS : CMD_NONE;
        case 0x15:
            return mx ? CMD_RDCR : CMD_NONE;
        case 0x85:
            return x ? CMD_RDREG : CMD_NONE;
        case 0x71:
            return mx ? CMD_RDREG : CMD_NONE;
        case 0xb5:
            return x ? CMD_RDNVREG : CMD_NONE;
        case 0x81:
            return x ? CMD_WRREG : CMD_NONE;
        case 0x72:
            return mx ? CMD_WRREG : CMD_NONE;
        case 0xb1:
            return x ? CMD_WRNVREG : CMD_NONE;
        case 0xb6:
            return issi(nor) ? CMD_CLRERR : CMD_NONE;
        case 0x5a:
            return octal || nor->sfdp_len == 0 ? CMD_NONE : CMD_SFDP;
        case 0x60:
            return CMD_CHIP_ERASE;
        case 0xc7:
            return x ? CMD_CHIP_ERASE : CMD_NONE;
        case 0x13:
            return octal ? CMD_NONE : CMD_READ;
        case 0x12:
            return CMD_PP;
        case 0xc2:
            return x && octal ? CMD_PP : CMD_NONE;
        case 0xfd:
            return x && octal ? CMD_READ : CMD_NONE;
        case 0xee:
            return mx && octal ? CMD_READ : CMD_NONE;
        default:
            return erase_type(nor, opcode, &four_byte) ? CMD_ERASE : CMD_NONE;
    }
}

// The address bytes a command takes. 8D-8D-8D: four wherever there is an address (IS25WX Table
// 8.1 note 2, EMxxLX Table 21 note 5); Macronix register reads and writes carry one too (stock
// ospi_flash.c reads them with a 32-bit address; Write Status Register at address 0, the
// configuration register at 1). 1S: the ISSI command set's register commands three (Table 8.1,
// default 3-byte mode), Macronix CR2 four (Dialog oqspi_macronix_octa.h), SFDP three (JESD216),
// the array commands four (13h, 12h, 4-byte erase opcodes) or three (3-byte erase opcodes).
static uint8_t addr_bytes(const sim_nor_t *nor, command_t cmd, uint8_t opcode, bool octal) {
    bool mx = macronix(nor), four_byte = false;
    switch (cmd) {
        case CMD_RDSR:
        case CMD_RDFLAGS:
        case CMD_RDCR:
        case CMD_RDID:
            return octal && mx ? 4 : 0;
        case CMD_WRSR:
            return octal && mx ? 4 : 0;
        case CMD_RDREG:
        case CMD_WRREG:
        case CMD_RDNVREG:
        case CMD_WRNVREG:
            return octal || mx ? 4 : 3;
        case CMD_SFDP:
            return 3;
        case CMD_READ:
        case CMD_PP:
            return 4;
        case CMD_ERASE:
            erase_type(nor, opcode, &four_byte);
            return octal || four_byte ? 4 : 3;
        default:
            return 0;
    }
}

// The dummy cycles a read takes. 8D register reads: the ISSI command set 8 (IS25WX Table 8.1,
// EMxxLX Table 21 "0,0,0,8"), Macronix 4 (stock ospi_flash.c reads status and configuration
// with 4). 1S: none, but the IS25WX's configuration-register reads (8, Table 8.1) and SFDP (8,
// JESD216). The array read in 8D takes what the part's register holds.
static uint8_t register_dummies(const sim_nor_t *nor, command_t cmd, bool octal) {
    if (octal) {
        return xccela(nor) ? 8 : 4;
    }
    return cmd == CMD_SFDP || (issi(nor) && (cmd == CMD_RDREG || cmd == CMD_RDNVREG)) ? 8 : 0;
}

// The read dummy cycles the part's register sets. IS25WX register 01h (Tables 6.5/6.6): 00h
// and 1Fh the default, 16 in 8D-8D-8D (Table 8.1), 01h..1Dh that many, 1Eh 30; EMxxLX register 1
// (Tables 10/11): 0 and anything above 1Fh 16, 1..31 that many; Macronix CR2 300h (ST BSP
// mx25uw25645g.h CR2_DC_*): code n is 20 - 2n cycles.
static uint8_t array_dummies(const sim_nor_t *nor) {
    uint8_t c = nor->dummy_code;
    if (macronix(nor)) {
        return (uint8_t)(20 - 2 * (c & 7));
    }
    return c == 0 || c > 0x1f || (issi(nor) && c == 0x1f) ? 16 : c;
}

uint8_t sim_nor_single_addr_bytes(const sim_nor_t *nor, uint8_t opcode) {
    if (nor->part->family == SIM_NOR_FAMILY_UNKNOWN) {
        return 0;
    }
    return addr_bytes(nor, decode(nor, opcode, false), opcode, false);
}

uint8_t *sim_nor_sfdp(sim_nor_t *nor, size_t *len) {
    *len = nor->sfdp_len;
    return nor->sfdp_len ? nor->sfdp : NULL;
}

// Whether the command is framed for the mode the part is in; a part in the other mode sees
// noise and ignores it.
static bool framed_for_mode(const sim_nor_t *nor, const flash_bus_op_t *op) {
    if (op->octal_ddr != nor->octal_ddr) {
        return false;
    }
    uint8_t opcode = op->cmd.opcode >> 8, ext = op->cmd.opcode & 0xff;
    // Macronix DOPI sends the inverted opcode as extension, the ISSI command set the opcode
    // again (each part's SFDP BFPT DWORD 18 bits 30:29 says which).
    return !nor->octal_ddr || ext == (macronix(nor) ? (uint8_t)~opcode : opcode);
}

// Copies between the wire and the array; for swapping parts each 16-bit word's bytes change
// places (addresses and lengths are even in 8D, so words never straddle).
static void copy_data(uint8_t *to, const uint8_t *from, size_t len, bool swap16) {
    for (size_t i = 0; i < len; i++) {
        to[i] = from[swap16 ? i ^ 1 : i];
    }
}

// What the host samples of an 8D read: the part drives `wire` (its answer from its first data
// beat, wire_len bytes of it) `late` beats after the host starts sampling (negative: the host
// samples late and misses that many). Beats the part does not drive read as the lines left high.
static void deliver(const flash_bus_op_t *op, const uint8_t *wire, size_t wire_len, long late) {
    for (size_t i = 0; i < op->data.nbytes; i++) {
        long k = (long)i - late;
        op->data.buf.in[i] = k < 0 || (size_t)k >= wire_len ? 0xff : wire[k];
    }
}

// The beats by which an 8D read's data comes late against the host's sampling. A dummy count
// other than the part's own moves the data by two bytes a cycle (8D-8D-8D moves a 16-bit word
// each clock: IS25WX 8.6, EMxxLX section 4). An array read clocked faster than its dummy cycles
// allow (the part's table) has the part drive its data a cycle late: wrong data, as the
// datasheet warns ("Insufficient dummy clock cycles for the operating frequency causes the memory
// to read incorrect data", IS25WX Table 6.5 note 1). A board whose DDR sampling delay is wrong
// above some clock samples each beat a beat early.
static long lateness(sim_nor_t *nor, uint8_t part_dummies, uint8_t host_dummies, bool array) {
    long cycles = (long)part_dummies - (long)host_dummies;
    if (array && nor->clock_hz > sim_nor_read_max_hz(nor->part, part_dummies, ecc_on(nor))) {
        cycles++;
    }
    long beats = 2 * cycles;
    if (nor->fault_above_hz != 0 && nor->clock_hz > nor->fault_above_hz) {
        beats++;
    }
    nor->stats.protocol_errors += part_dummies != host_dummies;
    return beats;
}

// A read's answer in the mode the part is in: 1S exactly as framed, 8D as the host samples it.
static void read_answer(sim_nor_t *nor, const flash_bus_op_t *op, const uint8_t *wire,
                        size_t wire_len, uint8_t part_dummies, bool array) {
    if (!nor->octal_ddr) {
        memcpy(op->data.buf.in, wire, op->data.nbytes);
        return;
    }
    deliver(op, wire, wire_len, lateness(nor, part_dummies, op->dummy.ncycles, array));
}

// The wire answer of a register read: the byte repeated (ISSI: "outputs the same byte
// repeatedly", IS25WX Table 8.7).
static int register_read(sim_nor_t *nor, const flash_bus_op_t *op, uint8_t value,
                         uint8_t part_dummies) {
    size_t extra = 64;
    uint8_t *wire = malloc(op->data.nbytes + extra);
    if (wire == NULL) {
        return ignore(nor, op, false);
    }
    answer(wire, op->data.nbytes + extra, &value, 1, true, 1);
    read_answer(nor, op, wire, op->data.nbytes + extra, part_dummies, false);
    free(wire);
    return 0;
}

static uint8_t status_value(const sim_nor_t *nor) {
    return (uint8_t)((busy(nor) ? SR_WIP : 0) | (nor->wel ? SR_WEL : 0) | nor->status_nv);
}

// The flag status register, bit 7 ready (IS25WX Table 6.4, EMxxLX Table 9; bit 0, the 4-byte
// address mode, is not modelled and reads 0); Macronix's security register.
static uint8_t flags_value(const sim_nor_t *nor) {
    return macronix(nor) ? nor->flags : (uint8_t)((busy(nor) ? 0 : FSR_READY) | nor->flags);
}

// The registers the model keeps. ISSI and Everspin volatile (85h): 00h the I/O mode, 01h the
// dummy cycles, IS25WX 0Bh the ECC switch and 0Ch its status; reserved and unmodelled fields
// read FFh (IS25WX 6.5: "A READ command from reserved address returns FFh"). Macronix CR2:
// 00000000h the mode (02h DOPI), 00000300h the dummy cycles (ST BSP mx25uw25645g.h); the rest
// read 00h.
static uint8_t register_value(const sim_nor_t *nor, command_t cmd, uint32_t addr) {
    if (macronix(nor)) {
        return addr == 0 ? (nor->octal_ddr ? 0x02 : 0x00) : addr == 0x300 ? nor->dummy_code : 0;
    }
    uint8_t reg = (uint8_t)addr; // "only the LSB is used" (IS25WX 6.4)
    if (cmd == CMD_RDNVREG) {
        return issi(nor) && reg == 0x0b ? nor->ecc_nv : 0xff;
    }
    switch (reg) {
        case 0x00:
            return nor->octal_ddr ? 0xe7 : 0xff;
        case 0x01:
            return nor->dummy_code;
        case 0x0b:
            return issi(nor) ? nor->ecc_v : 0xff;
        case 0x0c:
            return issi(nor) ? nor->ecc_stat : 0xff;
        default:
            return 0xff;
    }
}

// A register write the part refuses: IS25WX 6.4/6.5, "A WRITE command to a reserved setting is
// ignored, flag status register bit 1 is set, and the write enable latch bit is cleared".
static void reserved_write(sim_nor_t *nor) {
    nor->stats.protocol_errors++;
    if (issi(nor)) {
        nor->flags |= FSR_PROTECTION;
    }
}

// The ISSI command set's volatile register writes (81h) take effect at once, without WIP
// (IS25WX Table 8.8, EMxxLX Table 19): I/O mode E7h/C7h Octal DDR with or without DQS, FFh/DFh
// extended SPI (IS25WX Table 6.6; Everspin: anything else is SPI, Table 11); the dummy cycles;
// the IS25WX's ECC switch. Macronix CR2 (72h): 00000000h 02h is DOPI, 00h SPI (01h, STR OPI,
// is not modelled); 00000300h the dummy code; the non-volatile copies, read at power-on, sit at
// 4000xxxxh (ST BSP mx25uw25645g.h CR2_DEF*: "after power on reset") and take their time. The
// volatile half takes effect at once: stock MicroPython (ospi_flash_mx_init) and Dialog's
// driver (oqspi_macronix_octa_set_dummy_bytes) send their next command right after one,
// without reading WIP, and work on the part.
static void register_write(sim_nor_t *nor, command_t cmd, uint32_t addr, uint8_t v) {
    if (macronix(nor)) {
        nor->wel = false;
        if (addr & 0x40000000u) {
            start_timed(nor, &nor->part->write_config);
        } else if (addr == 0 && (v & 3) != 1) {
            nor->octal_ddr = (v & 3) == 2;
        } else if (addr == 0x300) {
            nor->dummy_code = v & 7;
        } else if (addr == 0) {
            nor->stats.protocol_errors++;
        }
        return;
    }
    uint8_t reg = (uint8_t)addr;
    bool known = reg == 0x00 || reg == 0x01 || reg == 0x03 || reg == 0x05 || reg == 0x06 ||
                 reg == 0x07 || reg == 0x0a || reg == 0x0b;
    if (cmd == CMD_WRNVREG) {
        if (issi(nor) && reg == 0x0b) {
            nor->ecc_nv = v;
        }
        if (issi(nor)) {
            nor->wel = false; // IS25WX Table 8.8; Everspin keeps it (Table 19)
        }
        start_timed(nor, &nor->part->write_config);
        return;
    }
    if (issi(nor) && (!known || (reg == 0x00 && v != 0xe7 && v != 0xc7 && v != 0xff && v != 0xdf) ||
                      (reg == 0x01 && v > 0x1f))) {
        reserved_write(nor);
        nor->wel = false;
        return;
    }
    if (reg == 0x00) {
        nor->octal_ddr = v == 0xe7 || v == 0xc7;
    } else if (reg == 0x01) {
        nor->dummy_code = v;
    } else if (reg == 0x0b && issi(nor)) {
        nor->ecc_v = v;
        ecc_track(nor);
    }
    if (issi(nor)) {
        nor->wel = false;
    }
}

// Write Status Register: bits 7:2, WIP for tW; ISSI and Macronix clear WEL (IS25WX Table 8.8),
// Everspin keeps it (EMxxLX Table 19). Macronix takes the configuration register as a second
// byte in 1S, or at address 1 in 8D (stock ospi_flash.c ospi_flash_mx_write_cr).
static void write_status(sim_nor_t *nor, uint32_t addr, const uint8_t *data, size_t len) {
    if (macronix(nor) && nor->octal_ddr && addr == 1) {
        nor->mx_cr1 = data[0];
    } else {
        nor->status_nv = data[0] & SR_NV_BITS;
        if (macronix(nor) && !nor->octal_ddr && len > 1) {
            nor->mx_cr1 = data[1];
        }
    }
    if (!everspin(nor)) {
        nor->wel = false;
    }
    start_timed(nor, &nor->part->write_status);
}

// The commands a busy part answers: ISSI status, flag status and volatile registers (IS25WX
// Table 8.17), Everspin status and flag status (EMxxLX Table 18), Macronix status and security
// registers.
static bool answers_while_busy(const sim_nor_t *nor, command_t cmd) {
    return cmd == CMD_RDSR || cmd == CMD_RDFLAGS || (issi(nor) && cmd == CMD_RDREG);
}

// Deep power-down exit time tRDP: IS25WX 30 us (Table 9.3), EMxxLX 350 us (Table 35); the
// MX25UM's was not found, the IS25WX's is taken.
static uint64_t release_ns(const sim_nor_t *nor) {
    return everspin(nor) ? 350 * US : 30 * US;
}

static int execute(sim_nor_t *nor, const flash_bus_op_t *op, uint8_t opcode) {
    bool octal = nor->octal_ddr;
    command_t cmd = decode(nor, opcode, octal);
    if (cmd == CMD_NONE) {
        return ignore(nor, op, false);
    }
    if (asleep(nor)) {
        // In deep power-down only the release is taken (EMxxLX section 16).
        if (cmd == CMD_RDP && nor->release_at_ns == 0) {
            nor->release_at_ns = nor->now_ns + release_ns(nor);
        }
        return ignore(nor, op, false);
    }
    if (busy(nor) && !answers_while_busy(nor, cmd)) {
        return ignore(nor, op, false);
    }
    bool reading = is_read(op), writing = op->data.to_flash && op->data.nbytes > 0;
    // 8D-8D-8D moves two bytes a clock: even lengths, and even array addresses (IS25WX 8.6 "The
    // LSB of the byte address shall always be zero"; EMxxLX section 4).
    bool array_cmd = cmd == CMD_READ || cmd == CMD_PP;
    bool even = (op->data.nbytes % 2) == 0 && (!array_cmd || (op->addr.val % 2) == 0);
    uint8_t want_addr = addr_bytes(nor, cmd, opcode, octal);
    bool data_cmd = cmd == CMD_RDSR || cmd == CMD_RDFLAGS || cmd == CMD_RDCR || cmd == CMD_RDREG ||
                    cmd == CMD_RDNVREG || cmd == CMD_RDID || cmd == CMD_SFDP || cmd == CMD_READ;
    bool write_cmd = cmd == CMD_WRREG || cmd == CMD_WRNVREG || cmd == CMD_WRSR || cmd == CMD_PP;
    if (op->addr.nbytes != want_addr || (data_cmd && !reading) || (write_cmd && !writing) ||
        (!data_cmd && !write_cmd && op->data.nbytes) || (octal && !even) ||
        (!data_cmd && op->dummy.ncycles)) {
        return ignore(nor, op, true);
    }
    // 1S takes its dummy cycles exactly; 8D answers a read framed with other than its own, but
    // shifted (read_answer).
    uint8_t dummies =
        cmd == CMD_READ ? (octal ? array_dummies(nor) : 0) : register_dummies(nor, cmd, octal);
    if (!octal && op->dummy.ncycles != dummies) {
        return ignore(nor, op, true);
    }
    uint32_t addr = op->addr.val;
    bool in_bounds = addr < nor->part->size && op->data.nbytes <= nor->part->size - addr;
    switch (cmd) {
        case CMD_WREN:
            nor->wel = true;
            return 0;
        case CMD_WRDI:
            // "In case of a protection error, WRITE DISABLE will not clear the bit" (IS25WX
            // Table 8.6).
            nor->wel = nor->wel && issi(nor) && (nor->flags & FSR_PROTECTION);
            return 0;
        case CMD_RDSR:
            return register_read(nor, op, status_value(nor), dummies);
        case CMD_RDFLAGS:
            return register_read(nor, op, flags_value(nor), dummies);
        case CMD_RDCR:
            return register_read(nor, op, nor->mx_cr1, dummies);
        case CMD_RDREG:
        case CMD_RDNVREG:
            return register_read(nor, op, register_value(nor, cmd, addr), dummies);
        case CMD_CLFLAGS:
            nor->flags &= (uint8_t) ~(issi(nor) ? FSR_ERRORS_ISSI : FSR_ERRORS_EVERSPIN);
            return 0;
        case CMD_CLRERR:
            nor->ecc_stat = 0; // IS25WX 8.24
            return 0;
        case CMD_DPD:
            nor->deep_power_down = true;
            nor->release_at_ns = 0;
            update_readable(nor);
            return 0;
        case CMD_RDP:
            return 0;
        case CMD_RDID: {
            uint8_t id[3] = {nor->part->jedec_id >> 16, nor->part->jedec_id >> 8,
                             nor->part->jedec_id};
            size_t each = octal && nor->part->id_doubled ? 2 : 1;
            uint8_t *wire = malloc(op->data.nbytes + 64);
            if (wire == NULL) {
                return ignore(nor, op, false);
            }
            answer(wire, op->data.nbytes + 64, id, 3, false, each);
            read_answer(nor, op, wire, op->data.nbytes + 64, dummies, false);
            free(wire);
            return 0;
        }
        case CMD_SFDP:
            // JESD216: a 3-byte address, 8 dummy clocks, data; the IS25WX wraps at 256 bytes
            // (8.5); elsewhere past the table reads FFh.
            for (size_t i = 0; i < op->data.nbytes; i++) {
                size_t at = issi(nor) ? (addr + i) % 256 : addr + i;
                op->data.buf.in[i] = at < nor->sfdp_len ? nor->sfdp[at] : 0xff;
            }
            return 0;
        default:
            break;
    }
    if (!nor->wel && cmd != CMD_READ) {
        // Everspin: "A PROGRAM ... operation will fail if WREN is not set" (EMxxLX Table 9 bit 4);
        // an erase without WEL sets nothing (section 13), nor anything on the IS25WX (8.12).
        if (everspin(nor) && cmd == CMD_PP) {
            nor->flags |= FSR_PROGRAM;
        }
        return ignore(nor, op, false);
    }
    switch (cmd) {
        case CMD_WRREG:
        case CMD_WRNVREG:
            register_write(nor, cmd, addr, op->data.buf.out[0]);
            return 0;
        case CMD_WRSR:
            write_status(nor, addr, op->data.buf.out, op->data.nbytes);
            return 0;
        case CMD_READ: {
            if (!in_bounds) {
                return ignore(nor, op, true);
            }
            if (!octal) {
                memcpy(op->data.buf.in, nor->mem + addr, op->data.nbytes);
                return 0;
            }
            // The part streams on from the address; what the host misses or gets early is the
            // neighbouring data (beyond the array's end, the lines left high).
            size_t extra = 64, n = op->data.nbytes + extra;
            size_t avail = nor->part->size - addr;
            uint8_t *wire = malloc(n);
            if (wire == NULL) {
                return ignore(nor, op, false);
            }
            memset(wire, 0xff, n);
            copy_data(wire, nor->mem + addr, (n < avail ? n : avail) & ~(size_t)1,
                      nor->part->swap16);
            read_answer(nor, op, wire, n, dummies, true);
            free(wire);
            return 0;
        }
        case CMD_PP: {
            if (!in_bounds) {
                return ignore(nor, op, true);
            }
            uint8_t data[PAGE_SIZE];
            size_t len = op->data.nbytes;
            const uint8_t *src = op->data.buf.out;
            if (nor->part->mram) {
                uint8_t *ordered = malloc(len);
                if (ordered == NULL) {
                    return ignore(nor, op, false);
                }
                copy_data(ordered, src, len, octal && nor->part->swap16);
                mram_write(nor, addr, ordered, len);
                free(ordered);
                return 0;
            }
            // Beyond a page only the last PAGE_SIZE bytes count (they wrap over the earlier).
            size_t n = len < PAGE_SIZE ? len : PAGE_SIZE;
            copy_data(data, src + (len - n), n, octal && nor->part->swap16);
            flash_program(nor, addr + (uint32_t)(len - n), data, n);
            return 0;
        }
        case CMD_ERASE: {
            bool four_byte;
            const sim_nor_erase_t *e = erase_type(nor, opcode, &four_byte);
            if (addr >= nor->part->size) {
                return ignore(nor, op, true);
            }
            erase(nor, addr & ~(e->size - 1), e->size, &e->time);
            return 0;
        }
        case CMD_CHIP_ERASE:
            // Refused, as any erase, while a protected block is in it (IS25WX Table 8.12, EMxxLX
            // section 13); not modelled where no time is known.
            if (nor->part->chip_erase.max_ns == 0) {
                return ignore(nor, op, false);
            }
            erase(nor, 0, nor->part->size, &nor->part->chip_erase);
            return 0;
        default:
            return ignore(nor, op, false);
    }
}

static int sim_nor_exec(void *ctx, const flash_bus_op_t *op) {
    sim_nor_t *nor = ctx;
    uint8_t opcode = op->octal_ddr ? op->cmd.opcode >> 8 : op->cmd.opcode & 0xff;
    nor->stats.commands[opcode]++;
    nor->stats.bus_bytes += (op->octal_ddr ? 2u : 1u) + op->addr.nbytes + op->data.nbytes;
    nor->stats.data_bytes += op->data.nbytes;
    // The command is on the bus for its whole length before the part acts on it.
    nor->now_ns += sim_nor_op_bus_ns(nor, op);
    update_readable(nor);
    int ret;
    if (!nor->powered || !framed_for_mode(nor, op)) {
        ret = ignore(nor, op, false);
    } else if (nor->part->family == SIM_NOR_FAMILY_UNKNOWN) {
        // Answers its 1S JEDEC ID and nothing else.
        bool id = !nor->octal_ddr && opcode == 0x9f && is_read(op) && op->addr.nbytes == 0 &&
                  op->dummy.ncycles == 0;
        uint8_t bytes[3] = {nor->part->jedec_id >> 16, nor->part->jedec_id >> 8,
                            nor->part->jedec_id};
        ret = id ? (answer(op->data.buf.in, op->data.nbytes, bytes, 3, false, 1), 0)
                 : ignore(nor, op, false);
    } else {
        ret = execute(nor, op, opcode);
    }
    update_readable(nor);
    return ret;
}

static uint64_t bus_now_ns(void *ctx) {
    return sim_nor_now_ns(ctx);
}

static void bus_delay_ns(void *ctx, uint64_t ns) {
    sim_nor_t *nor = ctx;
    nor->now_ns += ns;
    update_readable(nor);
}

void sim_nor_bus(sim_nor_t *nor, flash_bus_t *bus) {
    *bus = (flash_bus_t){
        .exec = sim_nor_exec,
        .now_ns = bus_now_ns,
        .delay_ns = bus_delay_ns,
        .invalidate_xip = NULL, // the XIP view is the part's own memory: never stale
        .ctx = nor,
    };
}
