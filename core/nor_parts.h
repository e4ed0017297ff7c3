// SPDX-License-Identifier: MIT
// The octal NOR parts that Ensemble boards carry, keyed by the JEDEC ID they answer at reset.
// Only what a part's SFDP tables cannot say lives here: its switch to 8D-8D-8D, the dummy
// cycles it is set up for, its 8D register-read framing and array opcodes, and quirks. Sizes,
// page size, erase types and times, byte order and the command extension come from SFDP
// (sfdp.h) at start-up; the size here is checked against it.
#ifndef ALIF_NOR_PARTS_H
#define ALIF_NOR_PARTS_H

#include <stdbool.h>
#include <stdint.h>

#define NOR_PAGE_SIZE (256u) // the largest page the layer programs in one command
#define NOR_SECTOR_SIZE (4096u)

// READ ID in 8D-8D-8D sends each ID byte twice (C2 C2 80 80 39 39).
#define NOR_PART_ID_DOUBLED (1u << 0)
// MRAM: stores the bytes written instead of clearing bits, and needs no erase.
#define NOR_PART_MRAM (1u << 1)
// 8D register reads are sampled on the part's DQS (array reads always are).
#define NOR_PART_REGISTER_DQS (1u << 2)

typedef struct nor_part {
    const char *name;
    uint32_t jedec_id; // manufacturer << 16 | memory type << 8 | capacity, in the order sent
    uint32_t size;     // bytes; must match SFDP's density
    // The way from 1S-1S-1S (the state after reset) to 8D-8D-8D: two volatile register writes
    // in 1S-1S-1S with op_write_register and an address of reg_addr_bytes, first reg_dummy_value
    // (the read dummy cycles as the part codes them) to register reg_dummy, then
    // reg_io_mode_value to register 0, the I/O mode.
    uint16_t reg_dummy;
    uint8_t op_write_register;
    uint8_t reg_addr_bytes;
    uint8_t reg_dummy_value;
    uint8_t reg_io_mode_value;
    uint8_t op_read;             // 8D array read
    uint8_t op_page_program;     // 8D page program
    uint8_t reg_read_addr_bytes; // 8D status and ID reads: address bytes and dummy cycles
    uint8_t reg_read_dummy_cycles;
    uint8_t read_dummy_cycles; // what reg_dummy_value sets the part up for
    uint8_t read_max_mhz;      // the fastest flash clock those dummy cycles are known good at
    uint8_t flags;
} nor_part_t;

// NULL when no part in the table answers with this ID.
const nor_part_t *nor_part_find(uint32_t jedec_id);

#endif // ALIF_NOR_PARTS_H
