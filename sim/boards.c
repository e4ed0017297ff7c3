// SPDX-License-Identifier: MIT
#include <string.h>

#include "boards.h"

#define MIB (1024u * 1024u)

// The same geometry as the boards' mpconfigboard.h (MICROPY_HW_FLASH_STORAGE_*).
static const alif_board_t boards[] = {
    {.name = "ALIF_ENSEMBLE", .storage_base = 0, .storage_len = 32 * MIB, .fs_len = 16 * MIB},
    {.name = "OPENMV_AE3", .storage_base = 0, .storage_len = 32 * MIB, .fs_len = 8 * MIB},
};

const alif_board_t *alif_board_find(const char *name) {
    for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
        if (strcmp(boards[i].name, name) == 0) {
            return &boards[i];
        }
    }
    return NULL;
}
