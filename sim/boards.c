// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "boards.h"

#define MIB (1024u * 1024u)

// Geometry: the boards' mpconfigboard.h (MICROPY_HW_FLASH_STORAGE_*) and board.ld.S
// (_micropy_hw_romfs_part0_start/_size on the HP core, less the XIP window's base: 0xc1000000 on
// OSPI1, 0xa0800000 on OSPI0). Parts: the JEDEC IDs in each board.c's ospi_flash_settings.
// Part numbers: Alif's security toolkit, utils/devicesDB.db ("E7 (AE722F80F55D5LS)",
// "E3 (AE302F80F55D5AE)", both featureSet Fusion); revision B4 (0x0000b400): the only Fusion
// revision its featuresDB.db lists, and isp/device_probe.py's REVISIONS entry for it.
static const alif_board_t boards[] = {
    {
        .name = "ALIF_ENSEMBLE",
        .storage_base = 0,
        .storage_len = 32 * MIB,
        .fs_len = 16 * MIB,
        .romfs_base = 16 * MIB,
        .romfs_len = 16 * MIB,
        .usb_msc = true,
        .parts = {"IS25WX512"},
        .se =
            {
                .part_number = "AE722F80F55D5LS",
                .revision_id = 0x0000b400,
                .serial = {0x4d, 0x1e, 0x07, 0x93, 0x22, 0x5c, 0xa1, 0x08},
                .lcs = 1,
                .x = 23,
                .y = 41,
                .wafer = 7,
                .fab = 1,
                .year = 24,
                .week = 17,
                .lot = 0x5a,
                .banner = "SES B4 v1.107.0 (simulated)",
            },
    },
    {
        .name = "OPENMV_AE3",
        .storage_base = 0,
        .storage_len = 32 * MIB,
        .fs_len = 8 * MIB,
        .romfs_base = 8 * MIB,
        .romfs_len = 24 * MIB,
        .usb_msc = true,
        .parts = {"MX25UM25645G", "IS25WX256", "EM064LX"},
        .se =
            {
                .part_number = "AE302F80F55D5AE",
                .revision_id = 0x0000b400,
                .serial = {0x3a, 0x90, 0x11, 0xc4, 0x7e, 0x02, 0x5f, 0x31},
                .lcs = 5,
                .x = 88,
                .y = 12,
                .wafer = 19,
                .fab = 0,
                .year = 25,
                .week = 6,
                .lot = 0xc3,
                .banner = "SES B4 v1.107.0 (simulated)",
            },
    },
};

const alif_board_t *alif_board_find(const char *name) {
    for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
        if (strcmp(boards[i].name, name) == 0) {
            return &boards[i];
        }
    }
    return NULL;
}

const char *alif_board_name_from_env(void) {
    const char *name = getenv("ALIF_BOARD");
    return name != NULL && *name != '\0' ? name : "ALIF_ENSEMBLE";
}
