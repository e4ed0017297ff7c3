// SPDX-License-Identifier: MIT
// A model of one octal NOR flash (or MRAM) part as the silicon behaves, behind flash_bus_t. It
// knows the parts by its own table, built from their datasheets and SFDP dumps (each entry in
// sim_nor.c names its source), never from the driver, so that a wrong opcode, dummy count, time
// or flag in the driver shows up as a failing test instead of agreeing with itself.
//
// What it enforces, as the chips do (the rules and their sources are in sim_nor.c):
// - after power-on the part is in 1S-1S-1S; a command framed for the other mode is ignored;
// - the mode switch, the read dummy cycles and the ECC switch go through the part's own
//   register writes, after write-enable;
// - in 8D-8D-8D the data phase moves two bytes a clock: odd lengths and addresses are refused;
// - program and erase need WEL (except where the part keeps it), take a duration drawn between
//   a lower bound and the datasheet maximum, and answer only status reads meanwhile; so do the
//   register writes that the part times (status register and non-volatile configuration);
//   volatile configuration writes take effect at once, as the datasheets say;
// - a read clocked faster than its dummy cycles allow, or framed with another dummy count than
//   the part's register holds, returns the data shifted (wrong data, not ignored);
// - failures injected by a test set the part's own failure flags (ISSI and Everspin flag status
//   register, Macronix security register); block protection, as a tool left it or as Write
//   Status Register sets it, refuses program and erase as the part refuses them;
// - the IS25WX's on-die ECC, when switched on, aborts a second program of a 16-byte chunk;
// - SFDP (0x5A) answers with the part's table (the real dump for the MX25UM25645G); the EM064LX
//   has none and leaves the read unanswered;
// - power can be cut at the Nth program or erase, which is left partly done; a part without
//   power, or in deep power-down, answers nothing.
#ifndef ALIF_SIM_NOR_H
#define ALIF_SIM_NOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash_bus.h"

// The command set a part speaks.
typedef enum {
    SIM_NOR_FAMILY_ISSI_IS25WX,     // Xccela-style: opcode repeated, 0x81 volatile writes
    SIM_NOR_FAMILY_MACRONIX_MX25UM, // DOPI: inverted extension byte, 0x72 CR2 writes
    SIM_NOR_FAMILY_EVERSPIN_EMXXLX, // the same command set on MRAM, with its own differences
    SIM_NOR_FAMILY_UNKNOWN,         // answers the 1S JEDEC ID read, understands nothing else
} sim_nor_family_t;

// How long a timed operation takes by its source: the typical and the maximum; typ_ns 0 where
// the source gives only a maximum.
typedef struct {
    uint64_t typ_ns, max_ns;
} sim_nor_time_t;

// One erase type: its size, its 4-byte and 3-byte opcodes and its time.
typedef struct {
    uint32_t size;
    uint8_t opcode_4b, opcode_1s;
    sim_nor_time_t time;
} sim_nor_erase_t;

// One row of a part's table of read dummy cycles against the highest clock they allow.
typedef struct {
    uint8_t dummies;
    uint32_t max_hz;
} sim_nor_dummy_t;

#define SIM_NOR_ERASE_TYPES (4)

// A part's own facts. Read-only, so that a benchmark can compute its floors from them.
typedef struct {
    const char *name;
    uint32_t jedec_id; // manufacturer << 16 | type << 8 | capacity
    uint32_t size;
    sim_nor_family_t family;
    bool swap16;     // 8D-8D-8D data carries each 16-bit word byte-swapped against the array
    bool id_doubled; // READ ID in 8D-8D-8D sends each ID byte twice
    bool mram;       // stores the bytes written (no AND), needs no erase
    sim_nor_time_t page_program;
    sim_nor_erase_t erase[SIM_NOR_ERASE_TYPES]; // smallest first; size 0: absent
    sim_nor_time_t chip_erase;                  // max_ns 0: not modelled
    sim_nor_time_t write_status;                // Write Status Register
    sim_nor_time_t write_config;                // the timed configuration write (see sim_nor.c)
    // 8D-8D-8D array reads: dummy cycles against the highest clock, ascending; with the on-die
    // ECC on, the second table (NULL: no ECC).
    const sim_nor_dummy_t *read_dummies, *read_dummies_ecc;
    size_t read_dummies_count;
    // The part's SFDP space as read from silicon, where a dump exists; else sim_sfdp.c encodes
    // one from the facts above, or none.
    const uint8_t *sfdp_dump;
    size_t sfdp_dump_len;
} sim_nor_part_t;

// The parts the model knows, by name ("IS25WX512", ...) or by JEDEC ID; NULL if none.
const sim_nor_part_t *sim_nor_part_by_name(const char *name);
const sim_nor_part_t *sim_nor_part_by_jedec(uint32_t jedec_id);

// The highest clock at which an 8D-8D-8D array read with this many dummy cycles returns the
// right data, by the part's table (the largest row at or below dummies); 0 when there is none.
uint32_t sim_nor_read_max_hz(const sim_nor_part_t *part, uint8_t dummies, bool ecc);

// How operation durations are chosen: drawn between the lower bound and the maximum (the
// default), or always the typical, the lower bound or the maximum.
typedef enum {
    SIM_NOR_TIMING_DRAWN,
    SIM_NOR_TIMING_TYPICAL,
    SIM_NOR_TIMING_FAST, // the lower bound
    SIM_NOR_TIMING_SLOW, // the maximum
} sim_nor_timing_t;

// The duration a fixed timing gives an operation (for SIM_NOR_TIMING_DRAWN: the typical), the
// same figure the model uses; the lower bound and its reason are in sim_nor.c.
uint64_t sim_nor_time_ns(const sim_nor_time_t *time, sim_nor_timing_t timing);

typedef struct {
    uint64_t commands[256];   // by opcode (the first command byte)
    uint64_t bus_bytes;       // bytes in command, address and data phases
    uint64_t data_bytes;      // bytes in data phases alone
    uint64_t ignored;         // commands the part ignored (wrong mode, no WEL, busy, no power)
    uint64_t protocol_errors; // framing the part does not take: odd DDR length or address, a
                              // dummy count other than its own (answered shifted), bad codes
    uint64_t programs;
    uint64_t erases;
    uint64_t busy_ns;            // the sum of the durations drawn for every timed operation started
    uint64_t busy_ops;           // how many timed operations started
    uint32_t *erases_per_sector; // size / 4096 entries
} sim_nor_stats_t;

typedef struct sim_nor sim_nor_t;

// storage is the part's whole contents (part->size bytes), kept by the caller (an image file
// mapped into memory); the model writes into it as programs and erases land. clock_hz is the
// clock until a controller says otherwise (sim_nor_set_clock_hz).
sim_nor_t *sim_nor_new(const sim_nor_part_t *part, uint8_t *storage, uint32_t clock_hz);
void sim_nor_free(sim_nor_t *nor);

// Fills a flash_bus_t whose calls go to this part.
void sim_nor_bus(sim_nor_t *nor, flash_bus_t *bus);

// The clock the part is driven at (the controller's SCLK): bus time and dummy-cycle limits
// follow it.
void sim_nor_set_clock_hz(sim_nor_t *nor, uint32_t hz);
uint32_t sim_nor_clock_hz(const sim_nor_t *nor);

const sim_nor_stats_t *sim_nor_stats(const sim_nor_t *nor);
void sim_nor_reset_stats(sim_nor_t *nor);
uint64_t sim_nor_now_ns(const sim_nor_t *nor);
// The bus time a transaction takes at the part's clock, as the model charges it.
uint64_t sim_nor_op_bus_ns(const sim_nor_t *nor, const flash_bus_op_t *op);

// Durations from now on, drawn from seed where drawn (the same seed, the same durations).
void sim_nor_set_timing(sim_nor_t *nor, sim_nor_timing_t timing, uint32_t seed);
// Makes every following program or erase take this long instead (0 = as sim_nor_set_timing
// says), to test the driver's time-outs.
void sim_nor_set_op_time_ns(sim_nor_t *nor, uint64_t ns);

// Cuts power when the nth program or erase from now starts (1 = the next one); that operation is
// left partly done: a pseudo-random part of the bits it would change (from seed), not all.
void sim_nor_cut_power_at(sim_nor_t *nor, unsigned nth, uint32_t seed);
bool sim_nor_powered(const sim_nor_t *nor);
// Power on again: 1S-1S-1S, WEL and WIP clear, volatile registers loaded from the non-volatile.
void sim_nor_power_on(sim_nor_t *nor);

// The nth program or erase from now fails (0 = none): left partly done, the part's failure flag
// set, busy for its maximum time.
void sim_nor_fail_nth(sim_nor_t *nor, unsigned nth);
// Every program or erase touching [addr, addr + len) fails as above; len 0 clears.
void sim_nor_fail_range(sim_nor_t *nor, uint32_t addr, uint32_t len);
// The non-volatile block-protect bits as a tool left them, in the part's status register
// layout (ISSI and Everspin: BP3 bit 6, TB bit 5, BP2..BP0 bits 4..2; Macronix: BP3..BP0 bits
// 5..2).
void sim_nor_set_protection(sim_nor_t *nor, uint8_t bp_bits);
// The IS25WX's non-volatile ECC switch (configuration register 0Bh bit 0, ECCENB) as a tool
// left it: takes effect now and at every power-on. Parts without ECC ignore it.
void sim_nor_set_ecc(sim_nor_t *nor, bool on);
// Every 8D-8D-8D read at a clock above hz returns corrupted data, as a wrong DDR sampling delay
// on the board would (1S reads are unaffected); 0 = none.
void sim_nor_set_fault_above_hz(sim_nor_t *nor, uint32_t hz);

// cb(ctx, readable) is called whenever the XIP window goes from readable to not or back: it is
// not while the part is busy, in deep power-down or without power. Called at once with the
// current state.
void sim_nor_on_readable(sim_nor_t *nor, void (*cb)(void *ctx, bool readable), void *ctx);

// The part's SFDP table as it answers 0x5A, and its length (0 and NULL for a part without one);
// writable, so that a test can give a part a table that disagrees with the driver's.
uint8_t *sim_nor_sfdp(sim_nor_t *nor, size_t *len);
// How many address bytes the part takes after this opcode in 1S-1S-1S. A plain SPI byte stream
// has no phase boundaries; the part finds them from the opcode, and so does the controller
// model when it hands a stream to this model.
uint8_t sim_nor_single_addr_bytes(const sim_nor_t *nor, uint8_t opcode);

#endif // ALIF_SIM_NOR_H
