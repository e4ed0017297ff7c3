// SPDX-License-Identifier: MIT
// The octal NOR parts that Ensemble boards carry, keyed by the JEDEC ID they answer at reset.
// Opcodes, dummy cycles and times are the datasheets' own; each entry says which datasheet.
#ifndef ALIF_NOR_PARTS_H
#define ALIF_NOR_PARTS_H

#include <stdbool.h>
#include <stdint.h>

#define NOR_PAGE_SIZE (256u)
#define NOR_SECTOR_SIZE (4096u)

struct nor_flash;

// In 8D-8D-8D mode a command is two bytes: the opcode, then an extension byte that is either
// the opcode again (ISSI, like Micron's Xccela parts) or its bitwise inverse (Macronix).
typedef enum {
    NOR_CMD_EXT_REPEAT,
    NOR_CMD_EXT_INVERT,
} nor_cmd_ext_t;

typedef struct nor_part {
    const char *name;
    uint32_t jedec_id; // manufacturer << 16 | memory type << 8 | capacity, in the order sent
    uint32_t size;
    nor_cmd_ext_t cmd_ext;

    // Opcodes in 8D-8D-8D mode (the first command byte).
    uint8_t op_write_enable;
    uint8_t op_read_status;
    uint8_t op_read_id;
    uint8_t op_read;
    uint8_t op_page_program;
    uint8_t op_sector_erase;

    // Register reads in 8D-8D-8D: Macronix wants a 4-byte address phase, ISSI none.
    uint8_t reg_read_addr_bytes;
    uint8_t reg_read_dummy_cycles;
    uint8_t read_dummy_cycles; // what enter_octal_ddr configures the part for
    bool read_strobe;          // 8D reads are sampled on the part's DQS

    // Brings the part from 1S-1S-1S (its state after reset) to 8D-8D-8D.
    int (*enter_octal_ddr)(struct nor_flash *nor);

    uint32_t page_program_typ_us;
    uint32_t page_program_max_us;
    uint32_t sector_erase_typ_us;
    uint32_t sector_erase_max_us;
} nor_part_t;

// The vendors' mode switches, in nor_flash.c beside the command framing they use.
int nor_enter_octal_ddr_issi(struct nor_flash *nor);
int nor_enter_octal_ddr_macronix(struct nor_flash *nor);

// NULL when no part in the table answers with this ID.
const nor_part_t *nor_part_find(uint32_t jedec_id);

#endif // ALIF_NOR_PARTS_H
