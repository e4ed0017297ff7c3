// SPDX-License-Identifier: MIT
#include <stddef.h>

#include "nor_parts.h"

#define MIB (1024u * 1024u)

// ISSI IS25WX256/512 datasheet: 8D-8D-8D opcodes, 8 dummy cycles on register reads, 16 on the
// octal DDR fast read (the reset value, good up to 200 MHz).
#define IS25WX_PART(part_name, id, bytes)                                                          \
    {                                                                                              \
        .name = part_name, .jedec_id = id, .size = bytes, .cmd_ext = NOR_CMD_EXT_REPEAT,           \
        .op_write_enable = 0x06, .op_read_status = 0x05, .op_read_id = 0x9f, .op_read = 0xfd,      \
        .op_page_program = 0xc2, .op_sector_erase = 0x21, .reg_read_addr_bytes = 0,                \
        .reg_read_dummy_cycles = 8, .read_dummy_cycles = 16,                                       \
        .enter_octal_ddr = nor_enter_octal_ddr_issi, .page_program_typ_us = 200,                   \
        .page_program_max_us = 1000, .sector_erase_typ_us = 30000, .sector_erase_max_us = 400000,  \
    }

static const nor_part_t parts[] = {
    IS25WX_PART("IS25WX512", 0x9d5b1a, 64 * MIB),
    IS25WX_PART("IS25WX256", 0x9d5b19, 32 * MIB),
    // Macronix MX25UM25645G datasheet: DOPI opcodes with inverted extension bytes, register reads
    // with a 4-byte address and 4 dummy cycles, 10 dummy cycles on 8DTRD at up to 100 MHz.
    {
        .name = "MX25UM25645G",
        .jedec_id = 0xc28039,
        .size = 32 * MIB,
        .cmd_ext = NOR_CMD_EXT_INVERT,
        .op_write_enable = 0x06,
        .op_read_status = 0x05,
        .op_read_id = 0x9f,
        .op_read = 0xee,
        .op_page_program = 0x12,
        .op_sector_erase = 0x21,
        .reg_read_addr_bytes = 4,
        .reg_read_dummy_cycles = 4,
        .read_dummy_cycles = 10,
        .read_strobe = true,
        .enter_octal_ddr = nor_enter_octal_ddr_macronix,
        .page_program_typ_us = 150,
        .page_program_max_us = 750,
        .sector_erase_typ_us = 25000,
        .sector_erase_max_us = 400000,
    },
};

const nor_part_t *nor_part_find(uint32_t jedec_id) {
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (parts[i].jedec_id == jedec_id) {
            return &parts[i];
        }
    }
    return NULL;
}
