// SPDX-License-Identifier: MIT
// The octal NOR parts that Ensemble boards carry, keyed by the JEDEC ID they answer at reset, with
// what their datasheets say (each entry in nor_parts.c names where). A part's SFDP, where it has
// one, is checked against these facts at start-up; a part without SFDP is brought up from them
// alone, as Linux does for its SPI_NOR_SKIP_SFDP parts.
#ifndef ALIF_NOR_PARTS_H
#define ALIF_NOR_PARTS_H

#include <stdbool.h>
#include <stdint.h>

// The page a program command may fill without wrapping: 256 bytes on the IS25WX (datasheet Rev
// A14, Page Program) and the MX25UM25645G (its SFDP, BFPT DWORD 11); the EM064LX does not wrap
// at a page at all (EMxxLX v3.2, persistent mode), so this split suits it too.
#define NOR_PAGE_SIZE (256u)
#define NOR_SECTOR_SIZE (4096u)

// READ ID in 8D-8D-8D sends each ID byte twice (C2 C2 80 80 39 39).
#define NOR_PART_ID_DOUBLED (1u << 0)
// MRAM: stores the bytes written instead of clearing bits.
#define NOR_PART_MRAM (1u << 1)
// 8D register reads are sampled on the part's DQS (array reads always are).
#define NOR_PART_REGISTER_DQS (1u << 2)
// Answers no Read SFDP: facts below are all there is.
#define NOR_PART_NO_SFDP (1u << 3)
// On-die ECC set by configuration register 0Bh (ISSI IS25WX).
#define NOR_PART_ECC_REGISTER (1u << 4)

// The 8D-8D-8D array read's dummy cycles good up to a flash clock, and the code the part's dummy
// register takes for them.
typedef struct {
    uint8_t max_mhz;
    uint8_t cycles;
    uint8_t code;
} nor_read_dummy_t;

#define NOR_READ_DUMMY_STEPS (7)

// The erase types a supported part has at most (the IS25WX: 4, 32 and 128 KiB).
#define NOR_ERASE_TYPES (3)

// What the NOR layer drives a part by, from its datasheet.
typedef struct {
    uint32_t size;       // bytes
    bool swap16;         // 8D-8D-8D swaps each 16-bit word against 1S order (flash_bus_op_t)
    bool cmd_ext_invert; // 8D command extension is the inverted opcode, not the opcode again
    uint32_t page_program_typ_us, page_program_max_us;
    struct {
        uint8_t size_shift; // log2 of its size; 0: no such type
        uint8_t opcode;     // with a 4-byte address
        uint32_t typ_us, max_us;
    } erase[NOR_ERASE_TYPES]; // by size, rising
} nor_facts_t;

typedef struct nor_part {
    const char *name;
    uint32_t jedec_id; // manufacturer << 16 | memory type << 8 | capacity, in the order sent
    nor_facts_t facts;
    // The way from 1S-1S-1S (the state after reset) to 8D-8D-8D: two volatile register writes
    // in 1S-1S-1S with op_write_register and an address of reg_addr_bytes, first the read dummy
    // code to register reg_dummy, then reg_io_mode_value to register 0, the I/O mode.
    uint16_t reg_dummy;
    uint8_t op_write_register;
    uint8_t reg_addr_bytes;
    uint8_t reg_io_mode_value;
    uint8_t op_read;             // 8D array read
    uint8_t op_page_program;     // 8D page program
    uint8_t reg_read_addr_bytes; // 8D status and ID reads: address bytes and dummy cycles
    uint8_t reg_read_dummy_cycles;
    // Where the part reports a failed or refused program or erase: the register's read opcode,
    // its error bits, and the command that clears them (0: the next operation does).
    uint8_t op_read_flags;
    uint8_t flags_error;
    uint8_t op_clear_flags;
    uint8_t status_protect;                            // the status register's block-protect bits
    uint32_t register_write_max_us;                    // Write Status Register's tW
    nor_read_dummy_t read_dummy[NOR_READ_DUMMY_STEPS]; // by clock, rising; max_mhz 0 ends
    uint8_t flags;
} nor_part_t;

// NULL when no part in the table answers with this ID.
const nor_part_t *nor_part_find(uint32_t jedec_id);

// The fewest read dummy cycles good at sclk_hz; the fastest step when none is fast enough, which
// the caller tells by its max_mhz.
const nor_read_dummy_t *nor_part_read_dummy(const nor_part_t *part, uint32_t sclk_hz);

#endif // ALIF_NOR_PARTS_H
