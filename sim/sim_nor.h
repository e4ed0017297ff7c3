// SPDX-License-Identifier: MIT
// A model of one octal NOR flash part as the silicon behaves, behind flash_bus_t. It knows the
// parts by its own table (not the driver's), so that a wrong opcode, dummy count or time in the
// driver shows up as a failing test instead of agreeing with itself.
//
// What it enforces, as the chips do:
// - after power-on the part is in 1S-1S-1S; a command framed for the other mode (width, rate,
//   command length, extension byte, address length, dummy cycles) is ignored;
// - the mode switch and dummy-cycle setting go through the part's own volatile register write
//   (ISSI: 0x81 with a 3-byte address; Macronix: 0x72 with a 4-byte address), after write-enable;
// - in 8D-8D-8D the data phase moves two bytes a clock: an odd length or an odd program/read
//   address is a protocol error and the command is ignored;
// - page program and sector erase need WEL set, else they are ignored; WEL clears after each;
// - program only clears bits (old & new) on flash, stores the bytes on MRAM; a program running
//   past the end of its 256-byte page wraps to the page start; an erase sets its block (any of
//   the part's erase types) to 0xff;
// - the array holds the user's bytes in 1S order; parts whose SFDP sets the byte-swap bit carry
//   each 16-bit word swapped in 8D-8D-8D data phases, reads and programs alike;
// - SFDP (0x5A) answers in 1S-1S-1S with the part's table;
// - WIP stays set for the operation's time on a virtual clock that advances with the bus time of
//   every transaction (at clock_hz) and with delay_ns; while WIP is set, only status reads are
//   answered;
// - power can be cut at the Nth program or erase, which is left partly done; a part without
//   power answers every read with 0xff and ignores everything else.
#ifndef ALIF_SIM_NOR_H
#define ALIF_SIM_NOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash_bus.h"

// The command set a part speaks after its switch to 8D-8D-8D.
typedef enum {
    SIM_NOR_FAMILY_ISSI_IS25WX,     // Xccela-style: opcode repeated, 0x81 volatile writes
    SIM_NOR_FAMILY_MACRONIX_MX25UM, // DOPI: inverted extension byte, 0x72 CR2 writes
    SIM_NOR_FAMILY_EVERSPIN_EMXXLX, // the ISSI command set on MRAM
    SIM_NOR_FAMILY_UNKNOWN,         // answers the 1S JEDEC ID read, understands nothing else
} sim_nor_family_t;

// One erase type: its size, its 8D (4-byte address) and 1S (3-byte) opcodes and its times.
typedef struct {
    uint32_t size;
    uint8_t opcode_4b, opcode_1s;
    uint32_t typ_us, max_us;
} sim_nor_erase_t;

// A part's own facts, from its datasheet (each entry in sim_nor.c names which); its SFDP table
// (sim_sfdp.c) is encoded from them, so the part says about itself what it does.
typedef struct {
    const char *name;
    uint32_t jedec_id; // manufacturer << 16 | type << 8 | capacity
    uint32_t size;
    sim_nor_family_t family;
    bool swap16;     // 8D-8D-8D data carries each 16-bit word byte-swapped against the array
    bool id_doubled; // READ ID in 8D-8D-8D sends each ID byte twice
    bool mram;       // stores the bytes written (no AND), needs no erase, never busy
    uint32_t max_read_hz_at_16_dummies; // 0: no limit known
    uint32_t page_program_typ_us, page_program_max_us;
    sim_nor_erase_t erase[2]; // smallest first; size 0: absent
} sim_nor_part_t;

// The parts the model knows, by name ("IS25WX512", ...) or by JEDEC ID; NULL if none.
const sim_nor_part_t *sim_nor_part_by_name(const char *name);
const sim_nor_part_t *sim_nor_part_by_jedec(uint32_t jedec_id);

typedef struct {
    uint64_t commands[256];   // by opcode (the first command byte)
    uint64_t bus_bytes;       // bytes in command, address and data phases
    uint64_t data_bytes;      // bytes in data phases alone
    uint64_t ignored;         // commands the part ignored (wrong mode, no WEL, busy, no power)
    uint64_t protocol_errors; // ignored because of odd DDR length/address or wrong dummy count
    uint64_t programs;
    uint64_t erases;
    uint32_t *erases_per_sector; // size / 4096 entries
} sim_nor_stats_t;

typedef struct sim_nor sim_nor_t;

// storage is the part's whole contents (part->size bytes), kept by the caller (an image file
// mapped into memory); the model writes into it as programs and erases land.
sim_nor_t *sim_nor_new(const sim_nor_part_t *part, uint8_t *storage, uint32_t clock_hz);
void sim_nor_free(sim_nor_t *nor);

// Fills a flash_bus_t whose calls go to this part.
void sim_nor_bus(sim_nor_t *nor, flash_bus_t *bus);

const sim_nor_stats_t *sim_nor_stats(const sim_nor_t *nor);
void sim_nor_reset_stats(sim_nor_t *nor);
uint64_t sim_nor_now_ns(const sim_nor_t *nor);
// The bus time a transaction takes at the model's clock, as the model charges it.
uint64_t sim_nor_op_bus_ns(const sim_nor_t *nor, const flash_bus_op_t *op);

// Cuts power when the nth program or erase from now starts (1 = the next one); that operation is
// left partly done: a pseudo-random part of the bits it would change (from seed), not all.
void sim_nor_cut_power_at(sim_nor_t *nor, unsigned nth, uint32_t seed);
bool sim_nor_powered(const sim_nor_t *nor);
// Power on again: 1S-1S-1S, WEL and WIP clear, registers at their reset values.
void sim_nor_power_on(sim_nor_t *nor);
// The part's SFDP table as it answers 0x5A, and its length; writable, so that a test can give a
// part a table that disagrees with the driver's.
uint8_t *sim_nor_sfdp(sim_nor_t *nor, size_t *len);
// How many address bytes the part takes after this opcode in 1S-1S-1S. A plain SPI byte stream
// has no phase boundaries; the part finds them from the opcode, and so does the controller
// model when it hands a stream to this model.
uint8_t sim_nor_single_addr_bytes(const sim_nor_t *nor, uint8_t opcode);

// Makes every following program or erase take this long instead (0 = datasheet typical), to
// test the driver's time-outs.
void sim_nor_set_op_time_ns(sim_nor_t *nor, uint64_t ns);

#endif // ALIF_SIM_NOR_H
