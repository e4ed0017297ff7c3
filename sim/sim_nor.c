// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "sim_nor.h"
#include "sim_random.h"

#define MIB (1024u * 1024u)
#define PAGE_SIZE (256u)
#define SECTOR_SIZE (4096u)
#define STATUS_WIP (0x01)
#define STATUS_WEL (0x02)

// Datasheet typical times: how long the model keeps WIP set.
#define IS25WX_PAGE_PROGRAM_NS (200000u)
#define IS25WX_SECTOR_ERASE_NS (30000000u)
#define MX25UM_PAGE_PROGRAM_NS (150000u)
#define MX25UM_SECTOR_ERASE_NS (25000000u)

// Reset values of the read dummy-cycle settings.
#define IS25WX_RESET_READ_DUMMY (16)
#define MX25UM_RESET_DUMMY_CODE (0) // 20 cycles

static const sim_nor_part_t parts[] = {
    {"IS25WX512", 0x9d5b1a, 64 * MIB, SIM_NOR_FAMILY_ISSI_IS25WX, IS25WX_PAGE_PROGRAM_NS,
     IS25WX_SECTOR_ERASE_NS},
    {"IS25WX256", 0x9d5b19, 32 * MIB, SIM_NOR_FAMILY_ISSI_IS25WX, IS25WX_PAGE_PROGRAM_NS,
     IS25WX_SECTOR_ERASE_NS},
    // A real part of the family that no Ensemble board carries, so the driver does not know it.
    {"IS25WX128", 0x9d5b18, 16 * MIB, SIM_NOR_FAMILY_ISSI_IS25WX, IS25WX_PAGE_PROGRAM_NS,
     IS25WX_SECTOR_ERASE_NS},
    {"MX25UM25645G", 0xc28039, 32 * MIB, SIM_NOR_FAMILY_MACRONIX_MX25UM, MX25UM_PAGE_PROGRAM_NS,
     MX25UM_SECTOR_ERASE_NS},
    // A quad-SPI part soldered by mistake: answers its ID and nothing octal.
    {"W25Q128", 0xef4018, 16 * MIB, SIM_NOR_FAMILY_UNKNOWN, 700000, 45000000},
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
    uint8_t issi_read_dummy;
    uint8_t mx_dummy_code;
    unsigned cut_countdown; // 0: no cut armed
    uint32_t cut_rng;
    sim_nor_stats_t stats;
};

// What an opcode means to this part in 8D-8D-8D.
typedef enum { CMD_NONE, CMD_WREN, CMD_RDSR, CMD_RDID, CMD_READ, CMD_PP, CMD_SE } command_t;

static command_t octal_command(const sim_nor_t *nor, uint8_t opcode) {
    bool issi = nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX;
    switch (opcode) {
        case 0x06:
            return CMD_WREN;
        case 0x05:
            return CMD_RDSR;
        case 0x9f:
            return CMD_RDID;
        case 0x21:
            return CMD_SE;
        case 0xfd:
            return issi ? CMD_READ : CMD_NONE;
        case 0xc2:
            return issi ? CMD_PP : CMD_NONE;
        case 0xee:
            return issi ? CMD_NONE : CMD_READ;
        case 0x12:
            return issi ? CMD_NONE : CMD_PP;
        default:
            return CMD_NONE;
    }
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
    nor->issi_read_dummy = IS25WX_RESET_READ_DUMMY;
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
        bool invert = nor->part->family == SIM_NOR_FAMILY_MACRONIX_MX25UM;
        if (ext != (invert ? (uint8_t)~opcode : opcode)) {
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
static void start_operation(sim_nor_t *nor, uint8_t *at, const uint8_t *target, size_t len,
                            uint64_t typical_ns) {
    bool cut = nor->cut_countdown != 0 && --nor->cut_countdown == 0;
    land(nor, at, target, len, cut);
    nor->wel = false;
    nor->busy_until_ns =
        nor->now_ns + (nor->op_time_override_ns ? nor->op_time_override_ns : typical_ns);
    if (cut) {
        nor->powered = false;
    }
}

static void page_program(sim_nor_t *nor, uint32_t addr, const uint8_t *data, size_t len) {
    uint32_t page = addr & ~(PAGE_SIZE - 1);
    uint8_t target[PAGE_SIZE];
    memcpy(target, nor->mem + page, PAGE_SIZE);
    // Past the page end the address wraps to the page start; later bytes win, as on the chip.
    for (size_t i = 0; i < len; i++) {
        target[(addr + i) % PAGE_SIZE] &= data[i];
    }
    nor->stats.programs++;
    start_operation(nor, nor->mem + page, target, PAGE_SIZE, nor->part->page_program_ns);
}

static void sector_erase(sim_nor_t *nor, uint32_t addr) {
    uint32_t sector = addr & ~(SECTOR_SIZE - 1);
    uint8_t erased[SECTOR_SIZE];
    memset(erased, 0xff, sizeof(erased));
    nor->stats.erases++;
    nor->stats.erases_per_sector[sector / SECTOR_SIZE]++;
    start_operation(nor, nor->mem + sector, erased, SECTOR_SIZE, nor->part->sector_erase_ns);
}

static uint8_t status(const sim_nor_t *nor) {
    bool busy = nor->now_ns < nor->busy_until_ns;
    return (busy ? STATUS_WIP : 0) | (nor->wel ? STATUS_WEL : 0);
}

// Fills a read's data phase with a repeating answer (status twice in DDR, ID then zeros).
static void answer(const flash_bus_op_t *op, const uint8_t *bytes, size_t count, bool repeat) {
    for (size_t i = 0; i < op->data.nbytes; i++) {
        op->data.buf.in[i] = repeat ? bytes[i % count] : i < count ? bytes[i] : 0x00;
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

// The 1S-1S-1S commands: ID, status, write-enable, and the volatile register write that
// switches the mode.
static int exec_single(sim_nor_t *nor, const flash_bus_op_t *op, uint8_t opcode) {
    bool issi = nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX;
    bool mx = nor->part->family == SIM_NOR_FAMILY_MACRONIX_MX25UM;
    uint8_t id[3] = {nor->part->jedec_id >> 16, nor->part->jedec_id >> 8, nor->part->jedec_id};
    if (op->dummy.ncycles != 0) {
        return ignore(nor, op, true);
    }
    if (opcode == 0x9f && is_read(op) && op->addr.nbytes == 0) {
        answer(op, id, 3, false);
        return 0;
    }
    if (nor->part->family == SIM_NOR_FAMILY_UNKNOWN) {
        return ignore(nor, op, false);
    }
    if (opcode == 0x05 && is_read(op) && op->addr.nbytes == 0) {
        uint8_t sr = status(nor);
        answer(op, &sr, 1, true);
        return 0;
    }
    if (opcode == 0x06 && op->addr.nbytes == 0 && op->data.nbytes == 0) {
        nor->wel = true;
        return 0;
    }
    bool register_write = op->data.to_flash && op->data.nbytes == 1 &&
                          ((issi && opcode == 0x81 && op->addr.nbytes == 3) ||
                           (mx && opcode == 0x72 && op->addr.nbytes == 4));
    if (!register_write || !nor->wel) {
        return ignore(nor, op, false);
    }
    uint8_t value = op->data.buf.out[0];
    nor->wel = false;
    if (issi && op->addr.val == 0x000000 && value == 0xe7) {
        nor->octal_ddr = true;
    } else if (issi && op->addr.val == 0x000001 && value >= 1 && value <= 31) {
        nor->issi_read_dummy = value;
    } else if (mx && op->addr.val == 0x00000000 && value == 0x02) {
        nor->octal_ddr = true;
    } else if (mx && op->addr.val == 0x00000300) {
        nor->mx_dummy_code = value & 0x07;
    }
    return 0;
}

uint8_t sim_nor_single_addr_bytes(const sim_nor_t *nor, uint8_t opcode) {
    if (nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX && opcode == 0x81) {
        return 3;
    }
    if (nor->part->family == SIM_NOR_FAMILY_MACRONIX_MX25UM && opcode == 0x72) {
        return 4;
    }
    return 0;
}

static uint8_t register_read_dummy(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX ? 8 : 4;
}

static uint8_t register_read_addr_bytes(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX ? 0 : 4;
}

static uint8_t array_read_dummy(const sim_nor_t *nor) {
    return nor->part->family == SIM_NOR_FAMILY_ISSI_IS25WX ? nor->issi_read_dummy
                                                           : 20 - 2 * nor->mx_dummy_code;
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
            command == CMD_RDSR ? answer(op, &sr, 1, true) : answer(op, id, 3, false);
            return 0;
        }
        case CMD_READ:
            if (!is_read(op) || op->addr.nbytes != 4 ||
                op->dummy.ncycles != array_read_dummy(nor) || !even || !in_bounds) {
                return ignore(nor, op, true);
            }
            memcpy(op->data.buf.in, nor->mem + op->addr.val, op->data.nbytes);
            return 0;
        case CMD_PP:
            if (!op->data.to_flash || op->addr.nbytes != 4 || op->dummy.ncycles || !even ||
                !in_bounds || op->data.nbytes == 0) {
                return ignore(nor, op, true);
            }
            if (!nor->wel) {
                return ignore(nor, op, false);
            }
            page_program(nor, op->addr.val, op->data.buf.out, op->data.nbytes);
            return 0;
        case CMD_SE:
            if (op->addr.nbytes != 4 || op->dummy.ncycles || op->data.nbytes || !in_bounds) {
                return ignore(nor, op, true);
            }
            if (!nor->wel) {
                return ignore(nor, op, false);
            }
            sector_erase(nor, op->addr.val);
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
