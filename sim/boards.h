// SPDX-License-Identifier: MIT
// Board geometry: where alif.Flash may reach, and what the filesystem singleton covers. On the
// target this comes from the board's mpconfigboard.h; the host simulator picks by name.
#ifndef ALIF_BOARDS_H
#define ALIF_BOARDS_H

#include <stdint.h>

typedef struct {
    const char *name;
    uint32_t storage_base; // flash address (offset into the XIP window)
    uint32_t storage_len;
    uint32_t fs_len;
} alif_board_t;

// NULL for an unknown name.
const alif_board_t *alif_board_find(const char *name);

#endif // ALIF_BOARDS_H
