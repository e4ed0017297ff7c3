// SPDX-License-Identifier: MIT
#include <stddef.h>

#include "nor_parts.h"

#define MIB (1024u * 1024u)

// ISSI IS25WX512/256 datasheet: 8D read 0xfd with 16 dummy cycles (the reset value, good to
// about 171 MHz by the datasheet's dummy-cycle table; both boards clock the flash at 100 MHz,
// stock ports/alif/boards/*/board.c freq_hz), program 0xc2, register reads with no address and 8
// dummy cycles. The mode switch (and stock ports/alif/ospi_flash.c ospi_flash_issi_init): Write
// Volatile Configuration 0x81 with a 3-byte address; address 1 holds the dummy cycles, address 0
// the I/O mode (0xe7: 8D-8D-8D with DQS). The Everspin EM064LX takes the same (stock
// ospi_flash_settings.h OSPI_FLASH_SETTINGS_EM).
#define ISSI_READ_DUMMY_CYCLES (16)
#define ISSI_COMMAND_SET(max_mhz)                                                                  \
    .op_write_register = 0x81, .reg_addr_bytes = 3, .reg_dummy = 0x000001,                         \
    .reg_dummy_value = ISSI_READ_DUMMY_CYCLES, .reg_io_mode_value = 0xe7, .op_read = 0xfd,         \
    .op_page_program = 0xc2, .reg_read_dummy_cycles = 8,                                           \
    .read_dummy_cycles = ISSI_READ_DUMMY_CYCLES, .read_max_mhz = max_mhz

// The MX25UM25645G's, below.
#define MX_READ_DUMMY_CYCLES (10)

static const nor_part_t parts[] = {
    {
        .name = "IS25WX512",
        .jedec_id = 0x9d5b1a,
        .size = 64 * MIB,
        ISSI_COMMAND_SET(171),
    },
    {
        .name = "IS25WX256",
        .jedec_id = 0x9d5b19,
        .size = 32 * MIB,
        ISSI_COMMAND_SET(171),
    },
    // Macronix MX25UM25645G datasheet: DOPI read 0xee, program 0x12, register reads with a
    // 4-byte address and 4 dummy cycles sampled on DQS (stock ospi_flash_settings.h: .rxds),
    // 10 dummy cycles on 8DTRD at up to 100 MHz; READ ID answers each byte twice in 8D-8D-8D
    // (Linux drivers/mtd/spi-nor/macronix.c; stock ports/alif/ospi_flash.c reads it as 16-bit
    // frames and keeps one byte of each). The mode switch (datasheet, and stock
    // ospi_flash_mx_init): WRCR2 0x72 with a 4-byte address; CR2 0x300 codes the dummy count as
    // 0 for 20 cycles, then one step per two cycles fewer; CR2 0 the mode (0x02: DOPI, 8D-8D-8D).
    {
        .name = "MX25UM25645G",
        .jedec_id = 0xc28039,
        .size = 32 * MIB,
        .op_write_register = 0x72,
        .reg_addr_bytes = 4,
        .reg_dummy = 0x300,
        .reg_dummy_value = (20 - MX_READ_DUMMY_CYCLES) / 2,
        .reg_io_mode_value = 0x02,
        .op_read = 0xee,
        .op_page_program = 0x12,
        .reg_read_addr_bytes = 4,
        .reg_read_dummy_cycles = 4,
        .read_dummy_cycles = MX_READ_DUMMY_CYCLES,
        .read_max_mhz = 100,
        .flags = NOR_PART_ID_DOUBLED | NOR_PART_REGISTER_DQS,
    },
    // Everspin EM064LX MRAM, JEDEC 6b bb 17 (stock ports/alif/boards/OPENMV_AE3/board.c, which
    // clocks it at 100 MHz with 7 dummy cycles: 16 are known good there, no faster clock is).
    {
        .name = "EM064LX",
        .jedec_id = 0x6bbb17,
        .size = 8 * MIB,
        ISSI_COMMAND_SET(100),
        .flags = NOR_PART_MRAM,
    },
};

const nor_part_t *nor_part_find(uint32_t jedec_id) {
    for (const nor_part_t *part = parts; part < parts + sizeof(parts) / sizeof(parts[0]); part++) {
        if (part->jedec_id == jedec_id) {
            return part;
        }
    }
    return NULL;
}
