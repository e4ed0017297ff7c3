// SPDX-License-Identifier: MIT
#include <stddef.h>

#include "nor_parts.h"

#define KIB_SHIFT(n) ((uint8_t)(10 + (n))) // log2 of 2^n KiB
#define MIB (1024u * 1024u)

// ISSI IS25WX256 datasheet Rev A14 (the IS25WX512 has none found: same family). Table 9.3: page
// program 0.15 ms typical, 1.8 ms max; erase 4 KiB 80/400 ms, 32 KiB 0.13/1 s, 128 KiB 0.28/1 s;
// Table 8.1: 4-byte erase opcodes 21h, 5Ch, DCh; 8D read FDh and program C2h, register reads
// without address and with 8 dummy cycles. The mode switch (also stock ports/alif/ospi_flash.c
// ospi_flash_issi_init): Write Volatile Configuration 81h with a 3-byte address, address 01h the
// dummy cycles, address 00h the I/O mode (E7h: 8D-8D-8D with DQS). Table 6.1: status bits 2-4
// BP0-2, 5 TB, 6 BP3; Table 6.4: flag status 70h, bit 4 program error, 5 erase error, 1
// protection error; 8.10: Clear Flag Status 50h. Table 6.7 (ECC off): 8D read dummy cycles
// against clock; Tables 6.5/6.6: the dummy register codes 03h..1Dh are the count. tW of Write
// Status is not in the text found: 15 ms, the figure ISSI's own is25wx256.h driver header waits.
#define ISSI_FACTS(mib)                                                                            \
    .facts =                                                                                       \
        {                                                                                          \
            .size = (mib)*MIB,                                                                     \
            .page_program_typ_us = 150,                                                            \
            .page_program_max_us = 1800,                                                           \
            .erase = {{KIB_SHIFT(2), 0x21, 80000, 400000},                                         \
                      {KIB_SHIFT(5), 0x5c, 130000, 1000000},                                       \
                      {KIB_SHIFT(7), 0xdc, 280000, 1000000}},                                      \
    },                                                                                             \
    .op_write_register = 0x81, .reg_addr_bytes = 3, .reg_dummy = 0x01, .reg_io_mode_value = 0xe7,  \
    .op_read = 0xfd, .op_page_program = 0xc2, .reg_read_dummy_cycles = 8, .op_read_flags = 0x70,   \
    .flags_error = 0x32, .op_clear_flags = 0x50, .status_protect = 0x7c,                           \
    .register_write_max_us = 15000, .read_dummy = {{95, 9, 9},    {105, 10, 10}, {133, 13, 13},    \
                                                   {162, 16, 16}, {171, 17, 17}, {200, 20, 20}},   \
    .flags = NOR_PART_ECC_REGISTER

static const nor_part_t parts[] = {
    {.name = "IS25WX512", .jedec_id = 0x9d5b1a, ISSI_FACTS(64)},
    {.name = "IS25WX256", .jedec_id = 0x9d5b19, ISSI_FACTS(32)},
    // Macronix MX25UM25645G: its SFDP (the dump Macronix posted with "[PATCH v8 8/9] mtd:
    // spi-nor: add support for Macronix Octal flash MX25 series", linux-spi 2024-02-01): page
    // program 152/1520 us, erase 4 KiB 21h 25/400 ms and 64 KiB DCh 256/4096 ms, 8D byte order
    // swapped and inverted command extension (BFPT DWORD 18), which Linux macronix.c and stock
    // ports/alif ospi_flash_settings.h (.bswap16, 16-bit inverted instructions) also give; its
    // xSPI profile: 10 dummy cycles at 100 MHz, 14 at 133, 16 at 166, 20 at 200. DOPI read EEh,
    // program 12h, register reads with a 4-byte address and 4 dummy cycles on DQS (stock
    // ospi_flash_settings.h .rxds). The mode switch (stock ospi_flash_mx_init; Linux
    // macronix.c): WRCR2 72h with a 4-byte address; CR2 300h the dummy code (20 - n) / 2, CR2 0
    // the mode (02h: DOPI). ST's BSP for the sibling MX25UW25645G (mx25uw25645g.h): status bits
    // 5:2 BP3-0; security register RDSCUR 2Bh with P_FAIL 20h and E_FAIL 40h, which the next
    // program or erase updates; 40 ms write-register maximum.
    {
        .name = "MX25UM25645G",
        .jedec_id = 0xc28039,
        .facts =
            {
                .size = 32 * MIB,
                .swap16 = true,
                .cmd_ext_invert = true,
                .page_program_typ_us = 152,
                .page_program_max_us = 1520,
                .erase = {{KIB_SHIFT(2), 0x21, 25000, 400000},
                          {KIB_SHIFT(6), 0xdc, 256000, 4096000}},
            },
        .op_write_register = 0x72,
        .reg_addr_bytes = 4,
        .reg_dummy = 0x300,
        .reg_io_mode_value = 0x02,
        .op_read = 0xee,
        .op_page_program = 0x12,
        .reg_read_addr_bytes = 4,
        .reg_read_dummy_cycles = 4,
        .op_read_flags = 0x2b,
        .flags_error = 0x60,
        .status_protect = 0x3c,
        .register_write_max_us = 40000,
        .read_dummy = {{100, 10, 5}, {133, 14, 3}, {166, 16, 2}, {200, 20, 0}},
        .flags = NOR_PART_ID_DOUBLED | NOR_PART_REGISTER_DQS,
    },
    // Everspin EM064LX MRAM, JEDEC 6b bb 17 (stock ports/alif/boards/OPENMV_AE3/board.c), EMxxLX
    // datasheet v3.2: no SFDP (Table 21 has no 5Ah; Linux everspin.c SPI_NOR_SKIP_SFDP); the ISSI
    // command set and mode switch (stock ospi_flash_settings.h OSPI_FLASH_SETTINGS_EM; Table 19);
    // erase 4 KiB 21h, 32 KiB 5Ch, 64 KiB DCh at most 60 us, 500 us, 960 us, and writes busy "for
    // a very short period" (Table 35 gives no typical: 0, so polling starts at once; no figure for
    // a write either: 1 ms, far above the 1.5 us of its other self-timed writes, so that a slow
    // write is never taken for a stuck part); status bits 2-4 BP0-2, 5 TB, 6 BP3
    // (Table 6); flag status 70h as ISSI's (Table 9), cleared by 50h (Table 19); tW 1.5 us
    // (Table 35); Table 17: 8D read dummy cycles against clock; Tables 10/11: the code is the
    // count. Program and erase leave WEL set (sections 11, 13): the layer sets it before each
    // anyway.
    {
        .name = "EM064LX",
        .jedec_id = 0x6bbb17,
        .facts =
            {
                .size = 8 * MIB,
                .page_program_typ_us = 0,
                .page_program_max_us = 1000,
                .erase = {{KIB_SHIFT(2), 0x21, 0, 60},
                          {KIB_SHIFT(5), 0x5c, 0, 500},
                          {KIB_SHIFT(6), 0xdc, 0, 960}},
            },
        .op_write_register = 0x81,
        .reg_addr_bytes = 3,
        .reg_dummy = 0x01,
        .reg_io_mode_value = 0xe7,
        .op_read = 0xfd,
        .op_page_program = 0xc2,
        .reg_read_dummy_cycles = 8,
        .op_read_flags = 0x70,
        .flags_error = 0x32,
        .op_clear_flags = 0x50,
        .status_protect = 0x7c,
        .register_write_max_us = 10,
        .read_dummy = {{100, 7, 7},
                       {116, 8, 8},
                       {133, 9, 9},
                       {150, 10, 10},
                       {166, 11, 11},
                       {183, 12, 12},
                       {200, 13, 13}},
        .flags = NOR_PART_MRAM | NOR_PART_NO_SFDP,
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

const nor_read_dummy_t *nor_part_read_dummy(const nor_part_t *part, uint32_t sclk_hz) {
    const nor_read_dummy_t *step = part->read_dummy;
    while (step->max_mhz * 1000000u < sclk_hz &&
           step + 1 < part->read_dummy + NOR_READ_DUMMY_STEPS && step[1].max_mhz != 0) {
        step++;
    }
    return step;
}
