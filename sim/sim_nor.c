// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "sim_nor.h"
#include "sim_random.h"
#include "sim_sfdp.h"

#define MIB (1024u * 1024u)
#define PAGE_SIZE (256u)
#define SECTOR_SIZE (4096u)
#define STATUS_WIP (0x01)
#define STATUS_WEL (0x02)

// Reset values of the read dummy-cycle settings.
#define XCCELA_RESET_READ_DUMMY (16)
#define MX25UM_RESET_DUMMY_CODE (0) // 20 cycles

#define KIB (1024u)

// ISSI IS25WX256/512 datasheet: page program 0.2 ms typical, 1 ms max; 4 KiB sector erase
// (0x21 in 8D, 0x20 in 1S) 30 ms typical, 400 ms max; 128 KiB block erase (0xdc / 0xd8); 16
// read dummy cycles good to about 171 MHz (issue 8's reading of the dummy-cycle table). The
// block erase times are not confirmed from the datasheet: 400 ms typical taken as an
// assumption.
#define IS25WX_FACTS                                                                               \
    .family = SIM_NOR_FAMILY_ISSI_IS25WX, .max_read_hz_at_16_dummies = 171000000,                  \
    .page_program_typ_us = 200, .page_program_max_us = 1000,                                       \
    .erase = {{4 * KIB, 0x21, 0x20, 30000, 400000}, {128 * KIB, 0xdc, 0xd8, 400000, 1600000}}

static const sim_nor_part_t parts[] = {
    {.name = "IS25WX512", .jedec_id = 0x9d5b1a, .size = 64 * MIB, IS25WX_FACTS},
    {.name = "IS25WX256", .jedec_id = 0x9d5b19, .size = 32 * MIB, IS25WX_FACTS},
    // A real part of the family that no Ensemble board carries, so the driver does not know it.
    {.name = "IS25WX128", .jedec_id = 0x9d5b18, .size = 16 * MIB, IS25WX_FACTS},
    // Macronix MX25UM25645G: page program 152 us typical, multiplier 10 (its SFDP BFPT DWORD 11,
    // as issue 8 reads the public dump); byte swap in 8D-8D-8D (SFDP BFPT DWORD 18 bit 31; Linux
    // drivers/mtd/spi-nor/core.c "Byte order of 16-bit words is swapped when read in 8D-8D-8D
    // mode compared to 1-1-1"; stock MicroPython ports/alif/ospi_flash_settings.h .bswap16);
    // READ ID in 8D-8D-8D sends each byte twice (Linux drivers/mtd/spi-nor/macronix.c's octal
    // DTR check; stock ports/alif/ospi_flash.c reads it as 16-bit frames and keeps one byte of
    // each). Datasheet: 4 KiB sector erase 0x21 (8D) / 0x20 (1S) 25 ms typical, 400 ms max;
    // 64 KiB block erase 0xdc / 0xd8, 220 ms typical (to be checked against the dump).
    {
        .name = "MX25UM25645G",
        .jedec_id = 0xc28039,
        .size = 32 * MIB,
        .family = SIM_NOR_FAMILY_MACRONIX_MX25UM,
        .swap16 = true,
        .id_doubled = true,
        .page_program_typ_us = 152,
        .page_program_max_us = 1520,
        .erase = {{4 * KIB, 0x21, 0x20, 25000, 400000}, {64 * KIB, 0xdc, 0xd8, 220000, 2000000}},
    },
    // Everspin EM064LX, 64 Mbit xSPI MRAM, JEDEC 6b bb 17 (stock MicroPython
    // ports/alif/boards/OPENMV_AE3/board.c); the ISSI command set and mode switch
    // (ports/alif/ospi_flash_settings.h OSPI_FLASH_SETTINGS_EM: 0x81 volatile writes, read 0xfd,
    // program 0xc2, erase 0x21, 8 dummies on register reads, no byte swap). MRAM writes the bytes
    // given at bus speed and needs no erase (Everspin EMxxLX product brief); the erase command
    // is kept for compatibility. The SFDP times below are the smallest JESD216 can state: the
    // part's own table was not found.
    {
        .name = "EM064LX",
        .jedec_id = 0x6bbb17,
        .size = 8 * MIB,
        .family = SIM_NOR_FAMILY_EVERSPIN_EMXXLX,
        .mram = true,
        .page_program_typ_us = 8,
        .page_program_max_us = 16,
        .erase = {{4 * KIB, 0x21, 0x20, 1000, 2000}},
    },
    // A quad-SPI part soldered by mistake: answers its ID and nothing octal.
    {
        .name = "W25Q128",
        .jedec_id = 0xef4018,
        .size = 16 * MIB,
        .family = SIM_NOR_FAMILY_UNKNOWN,
        .page_program_typ_us = 700,
        .page_program_max_us = 3000,
        .erase = {{4 * KIB, 0x20, 0x20, 45000, 400000}},
    },
};

const sim_nor_part_t *sim_nor_part_by_name(const char *name) {
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (strcmp(parts[i].name, name) == 0) {
            return &parts[i];
        }
    }
    return NULL;
}

const sim_nor_part_t *sim_nor_part_by_jedec(uint32_t jedec_id) {
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (parts[i].jedec_id == jedec_id) {
            return &parts[i];
        }
    }
    return NULL;
}

struct sim_nor {
    const sim_nor_part_t *part;
    uint8_t *mem;
    uint32_t clock_hz;
    uint64_t now_ns;
    uint64_t busy_until_ns;
    uint64_t op_time_override_ns;
    bool powered;
    bool octal_ddr;
    bool wel;
    uint8_t xccela_read_dummy;
    uint8_t mx_dummy_code;
    uint8_t sfdp[SIM_SFDP_SIZE];
    unsigned cut_countdown; // 0: no cut armed
    uint32_t cut_rng;
    sim_nor_stats_t stats;
};

// What an opcode means to this part in 8D-8D-8D: the shared 0x06/0x05/0x9f, the family's own
// read and program (ISSI datasheet 0xfd/0xc2; Macronix DOPI 0xee/0x12), and the part's erase
// types by their 4-byte opcodes.
typedef enum { CMD_NONE, CMD_WREN, CMD_RDSR, CMD_RDID, CMD_READ, CMD_PP, CMD_ERASE } command_t;

static bool xccela(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX ||
           nor->part->family == SIM_NOR_FAMILY_EVERSPIN_EMXXLX;
}

static bool macronix(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_MACRONIX_MX25UM;
}

static const sim_nor_erase_t *erase_type(const sim_nor_t *nor, uint8_t opcode) {
    for (int i = 0; i < 2 && nor->part->erase[i].size; i++) {
        if (nor->part->erase[i].opcode_4b == opcode) {
            return &nor->part->erase[i];
        }
    }
    return NULL;
}

static command_t octal_command(const sim_nor_t *nor, uint8_t opcode) {
    uint8_t read = xccela(nor) ? 0xfd : 0xee, program = xccela(nor) ? 0xc2 : 0x12;
    if (opcode == 0x06) {
        return CMD_WREN;
    } else if (opcode == 0x05) {
        return CMD_RDSR;
    } else if (opcode == 0x9f) {
        return CMD_RDID;
    } else if (opcode == read) {
        return CMD_READ;
    } else if (opcode == program) {
        return CMD_PP;
    }
    return erase_type(nor, opcode) ? CMD_ERASE : CMD_NONE;
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
    sim_sfdp_build(part, nor->sfdp);
    sim_nor_power_on(nor);
    return nor;
}

void sim_nor_free(sim_nor_t *nor) {
    free(nor->stats.erases_per_sector);
    free(nor);
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

static uint64_t phase_cycles(size_t nbytes, uint8_t buswidth, bool dtr) {
    if (buswidth == 0 || nbytes == 0) {
        return 0;
    }
    uint64_t bits_per_cycle = (uint64_t)buswidth * (dtr ? 2 : 1);
    return (nbytes * 8 + bits_per_cycle - 1) / bits_per_cycle;
}

uint64_t sim_nor_op_bus_ns(const sim_nor_t *nor, const flash_bus_op_t *op) {
    uint64_t cycles = phase_cycles(op->cmd.nbytes, op->cmd.buswidth, op->cmd.dtr) +
                      phase_cycles(op->addr.nbytes, op->addr.buswidth, op->addr.dtr) +
                      op->dummy.ncycles +
                      phase_cycles(op->data.nbytes, op->data.buswidth, op->data.dtr);
    return cycles * 1000000000ull / nor->clock_hz;
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
    nor->octal_ddr = false;
    nor->wel = false;
    nor->busy_until_ns = nor->now_ns;
    nor->xccela_read_dummy = XCCELA_RESET_READ_DUMMY;
    nor->mx_dummy_code = MX25UM_RESET_DUMMY_CODE;
}

void sim_nor_set_op_time_ns(sim_nor_t *nor, uint64_t ns) {
    nor->op_time_override_ns = ns;
}

static bool phase_framed(uint8_t buswidth, bool dtr, size_t nbytes, uint8_t want_width,
                         bool want_dtr) {
    return nbytes == 0 || (buswidth == want_width && dtr == want_dtr);
}

// Whether every phase is framed for the mode the part is in; a part in the other mode sees
// noise and ignores it.
static bool framed_for_mode(const sim_nor_t *nor, const flash_bus_op_t *op) {
    uint8_t width = nor->octal_ddr ? 8 : 1;
    bool dtr = nor->octal_ddr;
    if (op->cmd.nbytes != (nor->octal_ddr ? 2 : 1) || op->cmd.buswidth != width ||
        op->cmd.dtr != dtr) {
        return false;
    }
    if (nor->octal_ddr) {
        uint8_t opcode = op->cmd.opcode >> 8, ext = op->cmd.opcode & 0xff;
        // Macronix DOPI sends the inverted opcode as extension, the ISSI command set the opcode
        // again (each part's SFDP BFPT DWORD 18 bits 30:29 says which).
        if (ext != (macronix(nor) ? (uint8_t)~opcode : opcode)) {
            return false;
        }
    }
    return phase_framed(op->addr.buswidth, op->addr.dtr, op->addr.nbytes, width, dtr) &&
           phase_framed(op->dummy.buswidth, op->dummy.dtr, op->dummy.ncycles, width, dtr) &&
           phase_framed(op->data.buswidth, op->data.dtr, op->data.nbytes, width, dtr);
}

static unsigned bits_set(uint8_t byte) {
    unsigned n = 0;
    for (; byte; byte &= (uint8_t)(byte - 1)) {
        n++;
    }
    return n;
}

// Moves `len` bytes at `at` towards `target`, as far as the operation gets: all the way, or,
// when power goes, a random part of the bits that were to change (at least one, never all).
static void land(sim_nor_t *nor, uint8_t *at, const uint8_t *target, size_t len, bool cut) {
    if (!cut) {
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

// Starts a program or erase: WIP for the operation's time, WEL gone, and power cut if armed.
// MRAM writes at bus speed: never busy.
static void start_operation(sim_nor_t *nor, uint8_t *at, const uint8_t *target, size_t len,
                            uint64_t typical_ns) {
    bool cut = nor->cut_countdown != 0 && --nor->cut_countdown == 0;
    land(nor, at, target, len, cut);
    nor->wel = false;
    uint64_t busy = nor->op_time_override_ns ? nor->op_time_override_ns : typical_ns;
    nor->busy_until_ns = nor->now_ns + (nor->part->mram ? 0 : busy);
    if (cut) {
        nor->powered = false;
    }
}

// data is in array order here.
static void page_program(sim_nor_t *nor, uint32_t addr, const uint8_t *data, size_t len) {
    uint32_t page = addr & ~(PAGE_SIZE - 1);
    uint8_t target[PAGE_SIZE];
    memcpy(target, nor->mem + page, PAGE_SIZE);
    // Past the page end the address wraps to the page start; later bytes win, as on the chip.
    // Flash can only clear bits; MRAM stores what it is given.
    for (size_t i = 0; i < len; i++) {
        uint8_t *t = &target[(addr + i) % PAGE_SIZE];
        *t = nor->part->mram ? data[i] : *t & data[i];
    }
    nor->stats.programs++;
    start_operation(nor, nor->mem + page, target, PAGE_SIZE,
                    (uint64_t)nor->part->page_program_typ_us * 1000);
}

// An erase of one of the part's erase types, aligned down to its size. A power cut leaves only
// the 4 KiB piece it was working on partly done; the pieces after it untouched.
static void block_erase(sim_nor_t *nor, uint32_t addr, const sim_nor_erase_t *type) {
    uint32_t start = addr & ~(type->size - 1);
    uint8_t erased[SECTOR_SIZE];
    memset(erased, 0xff, sizeof(erased));
    nor->stats.erases++;
    for (uint32_t s = start; s < start + type->size; s += SECTOR_SIZE) {
        nor->stats.erases_per_sector[s / SECTOR_SIZE]++;
    }
    start_operation(nor, nor->mem + start, erased, SECTOR_SIZE, (uint64_t)type->typ_us * 1000);
    if (nor->powered) {
        memset(nor->mem + start + SECTOR_SIZE, 0xff, type->size - SECTOR_SIZE);
    }
}

static uint8_t status(const sim_nor_t *nor) {
    bool busy = nor->now_ns < nor->busy_until_ns;
    return (busy ? STATUS_WIP : 0) | (nor->wel ? STATUS_WEL : 0);
}

// Fills a read's data phase with a repeating answer (status twice in DDR, ID then zeros), each
// byte sent `each` times.
static void answer(const flash_bus_op_t *op, const uint8_t *bytes, size_t count, bool repeat,
                   size_t each) {
    for (size_t i = 0; i < op->data.nbytes; i++) {
        size_t k = i / each;
        op->data.buf.in[i] = repeat ? bytes[k % count] : k < count ? bytes[k] : 0x00;
    }
}

static bool is_read(const flash_bus_op_t *op) {
    return op->data.nbytes > 0 && !op->data.to_flash;
}

static int ignore(sim_nor_t *nor, const flash_bus_op_t *op, bool protocol_error) {
    nor->stats.ignored++;
    nor->stats.protocol_errors += protocol_error;
    if (is_read(op)) {
        // Nobody drives the lines: the pull-ups read as ones.
        memset(op->data.buf.in, 0xff, op->data.nbytes);
    }
    return 0;
}

// The ISSI command set's dummy-cycle register (volatile configuration address 1): 0x00 and 0x1f
// both mean the default 16, 3 to 30 are counts, the rest (1, 2, above 0x1f) are not allowed
// (IS25WX datasheet, volatile configuration register table, as issue 8 reads it). 0: refused.
static uint8_t xccela_dummy_decode(uint8_t code) {
    if (code == 0x00 || code == 0x1f) {
        return 16;
    }
    return code >= 3 && code <= 30 ? code : 0;
}

// The 1S-1S-1S commands: ID, SFDP, status, write-enable, and the volatile register write that
// switches the mode.
static int exec_single(sim_nor_t *nor, const flash_bus_op_t *op, uint8_t opcode) {
    bool mx = macronix(nor);
    uint8_t id[3] = {nor->part->jedec_id >> 16, nor->part->jedec_id >> 8, nor->part->jedec_id};
    if (opcode == 0x9f && is_read(op) && op->addr.nbytes == 0 && op->dummy.ncycles == 0) {
        answer(op, id, 3, false, 1);
        return 0;
    }
    if (nor->part->family == SIM_NOR_FAMILY_UNKNOWN) {
        return ignore(nor, op, false);
    }
    // JESD216: Read SFDP is 0x5a, a 3-byte address, 8 dummy clocks, data; past the table the
    // SFDP space reads 0xff.
    if (opcode == 0x5a && is_read(op) && op->addr.nbytes == 3 && op->dummy.ncycles == 8) {
        for (size_t i = 0; i < op->data.nbytes; i++) {
            size_t at = op->addr.val + i;
            op->data.buf.in[i] = at < SIM_SFDP_SIZE ? nor->sfdp[at] : 0xff;
        }
        return 0;
    }
    if (op->dummy.ncycles != 0) {
        return ignore(nor, op, true);
    }
    // 1S read and page program with a 4-byte address, 0x13 and 0x12 on both families
    // (MX25UM25645G and IS25WX datasheets' SPI command tables): the array in its own order.
    bool in_bounds = op->addr.val < nor->part->size &&
                     op->data.nbytes <= nor->part->size - op->addr.val && op->addr.nbytes == 4;
    if (opcode == 0x13 && is_read(op) && in_bounds) {
        memcpy(op->data.buf.in, nor->mem + op->addr.val, op->data.nbytes);
        return 0;
    }
    if (opcode == 0x12 && op->data.to_flash && in_bounds && nor->wel) {
        size_t n = op->data.nbytes < PAGE_SIZE ? op->data.nbytes : PAGE_SIZE;
        page_program(nor, op->addr.val + (uint32_t)(op->data.nbytes - n),
                     op->data.buf.out + (op->data.nbytes - n), n);
        return 0;
    }
    if (opcode == 0x05 && is_read(op) && op->addr.nbytes == 0) {
        uint8_t sr = status(nor);
        answer(op, &sr, 1, true, 1);
        return 0;
    }
    if (opcode == 0x06 && op->addr.nbytes == 0 && op->data.nbytes == 0) {
        nor->wel = true;
        return 0;
    }
    bool register_write = op->data.to_flash && op->data.nbytes == 1 &&
                          ((!mx && opcode == 0x81 && op->addr.nbytes == 3) ||
                           (mx && opcode == 0x72 && op->addr.nbytes == 4));
    if (!register_write || !nor->wel) {
        return ignore(nor, op, false);
    }
    uint8_t value = op->data.buf.out[0];
    nor->wel = false;
    if (!mx && op->addr.val == 0x000000 && value == 0xe7) {
        nor->octal_ddr = true;
    } else if (!mx && op->addr.val == 0x000001) {
        uint8_t dummies = xccela_dummy_decode(value);
        nor->stats.protocol_errors += dummies == 0;
        nor->xccela_read_dummy = dummies ? dummies : nor->xccela_read_dummy;
    } else if (mx && op->addr.val == 0x00000000 && value == 0x02) {
        nor->octal_ddr = true;
    } else if (mx && op->addr.val == 0x00000300) {
        nor->mx_dummy_code = value & 0x07;
    }
    return 0;
}

uint8_t *sim_nor_sfdp(sim_nor_t *nor, size_t *len) {
    *len = SIM_SFDP_SIZE;
    return nor->sfdp;
}

uint8_t sim_nor_single_addr_bytes(const sim_nor_t *nor, uint8_t opcode) {
    if (opcode == 0x5a) {
        return 3;
    }
    if (opcode == 0x12 || opcode == 0x13) {
        return 4;
    }
    if (xccela(nor) && opcode == 0x81) {
        return 3;
    }
    if (macronix(nor) && opcode == 0x72) {
        return 4;
    }
    return 0;
}

// Register reads in 8D-8D-8D: the ISSI command set without an address and 8 dummy cycles,
// Macronix with a 4-byte address and 4 (datasheets; stock ospi_flash_settings.h agrees).
static uint8_t register_read_dummy(const sim_nor_t *nor) {
    return xccela(nor) ? 8 : 4;
}

static uint8_t register_read_addr_bytes(const sim_nor_t *nor) {
    return xccela(nor) ? 0 : 4;
}

// Macronix CR2 0x300: code 0 is 20 cycles, each step two fewer (MX25UM25645G datasheet).
static uint8_t array_read_dummy(const sim_nor_t *nor) {
    return xccela(nor) ? nor->xccela_read_dummy : 20 - 2 * nor->mx_dummy_code;
}

// A read clocked faster than its dummy cycles allow returns data that is not yet valid.
static bool read_too_fast(const sim_nor_t *nor, uint8_t dummies) {
    uint32_t limit = nor->part->max_read_hz_at_16_dummies;
    return limit != 0 && dummies <= 16 && nor->clock_hz > limit;
}

// Copies between the wire and the array; for swapping parts each 16-bit word's bytes change
// places (addresses and lengths are even in 8D, so words never straddle).
static void copy_data(uint8_t *to, const uint8_t *from, size_t len, bool swap16) {
    for (size_t i = 0; i < len; i++) {
        to[i] = from[swap16 ? i ^ 1 : i];
    }
}

static int exec_octal(sim_nor_t *nor, const flash_bus_op_t *op, uint8_t opcode) {
    command_t command = octal_command(nor, opcode);
    bool in_bounds =
        op->addr.val < nor->part->size && op->data.nbytes <= nor->part->size - op->addr.val;
    bool even = (op->addr.val % 2) == 0 && (op->data.nbytes % 2) == 0;
    switch (command) {
        case CMD_WREN:
            if (op->addr.nbytes || op->dummy.ncycles || op->data.nbytes) {
                return ignore(nor, op, true);
            }
            nor->wel = true;
            return 0;
        case CMD_RDSR:
        case CMD_RDID: {
            if (!is_read(op) || op->addr.nbytes != register_read_addr_bytes(nor) ||
                op->dummy.ncycles != register_read_dummy(nor) || op->data.nbytes % 2) {
                return ignore(nor, op, true);
            }
            uint8_t sr = status(nor);
            uint8_t id[3] = {nor->part->jedec_id >> 16, nor->part->jedec_id >> 8,
                             nor->part->jedec_id};
            command == CMD_RDSR ? answer(op, &sr, 1, true, 1)
                                : answer(op, id, 3, false, nor->part->id_doubled ? 2 : 1);
            return 0;
        }
        case CMD_READ:
            if (!is_read(op) || op->addr.nbytes != 4 ||
                op->dummy.ncycles != array_read_dummy(nor) || !even || !in_bounds ||
                read_too_fast(nor, op->dummy.ncycles)) {
                return ignore(nor, op, true);
            }
            copy_data(op->data.buf.in, nor->mem + op->addr.val, op->data.nbytes, nor->part->swap16);
            return 0;
        case CMD_PP: {
            if (!op->data.to_flash || op->addr.nbytes != 4 || op->dummy.ncycles || !even ||
                !in_bounds || op->data.nbytes == 0) {
                return ignore(nor, op, true);
            }
            if (!nor->wel) {
                return ignore(nor, op, false);
            }
            uint8_t data[PAGE_SIZE];
            size_t n = op->data.nbytes < PAGE_SIZE ? op->data.nbytes : PAGE_SIZE;
            // Beyond a page only the last PAGE_SIZE bytes count (they wrap over the earlier).
            copy_data(data, op->data.buf.out + (op->data.nbytes - n), n, nor->part->swap16);
            page_program(nor, op->addr.val + (uint32_t)(op->data.nbytes - n), data, n);
            return 0;
        }
        case CMD_ERASE:
            if (op->addr.nbytes != 4 || op->dummy.ncycles || op->data.nbytes || !in_bounds) {
                return ignore(nor, op, true);
            }
            if (!nor->wel) {
                return ignore(nor, op, false);
            }
            block_erase(nor, op->addr.val, erase_type(nor, opcode));
            return 0;
        default:
            return ignore(nor, op, false);
    }
}

static int sim_nor_exec(void *ctx, const flash_bus_op_t *op) {
    sim_nor_t *nor = ctx;
    uint8_t opcode = op->cmd.nbytes == 2 ? op->cmd.opcode >> 8 : op->cmd.opcode & 0xff;
    nor->stats.commands[opcode]++;
    nor->stats.bus_bytes += op->cmd.nbytes + op->addr.nbytes + op->data.nbytes;
    nor->stats.data_bytes += op->data.nbytes;
    // The command is on the bus for its whole length before the part acts on it.
    nor->now_ns += sim_nor_op_bus_ns(nor, op);
    if (!nor->powered || !framed_for_mode(nor, op)) {
        return ignore(nor, op, false);
    }
    bool busy = nor->now_ns < nor->busy_until_ns;
    if (busy && opcode != 0x05) {
        return ignore(nor, op, false);
    }
    return nor->octal_ddr ? exec_octal(nor, op, opcode) : exec_single(nor, op, opcode);
}

static uint64_t bus_now_ns(void *ctx) {
    return sim_nor_now_ns(ctx);
}

static void bus_delay_ns(void *ctx, uint64_t ns) {
    sim_nor_t *nor = ctx;
    nor->now_ns += ns;
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
