// SPDX-License-Identifier: MIT
// The simulated boards, one record each: the flash geometry the board files give the port, the
// parts the board may carry, and what its SE says about the SoC. On the target all of this comes
// from the board's mpconfigboard.h, board.c, board.ld.S and the chip itself.
#ifndef ALIF_BOARDS_H
#define ALIF_BOARDS_H

#include <stdbool.h>
#include <stdint.h>

// The SoC as its SE describes it (the device data record's fields).
typedef struct {
    const char *part_number; // ALIF_PN
    uint32_t revision_id;
    uint8_t serial[8];
    uint8_t lcs;
    // x (7 bits), y (7), wafer (5), fab (1), year (6), week (6), lot (8)
    uint8_t x, y, wafer, fab, year, week, lot;
    const char *banner; // the SE firmware's revision string
} alif_board_se_t;

typedef struct {
    const char *name;
    uint32_t storage_base; // flash address (offset into the XIP window)
    uint32_t storage_len;
    uint32_t fs_len;
    uint32_t romfs_base; // flash address of the ROMFS segment on the flash
    uint32_t romfs_len;
    bool usb_msc;         // MICROPY_HW_USB_MSC on the board's HP core
    const char *parts[4]; // the flash parts the board may carry, usual one first; NULL-ended
    alif_board_se_t se;
} alif_board_t;

// NULL for an unknown name.
const alif_board_t *alif_board_find(const char *name);

// The board this process simulates: ALIF_BOARD, or ALIF_ENSEMBLE when unset or empty. Unchecked:
// alif_board_find says whether it exists.
const char *alif_board_name_from_env(void);

#endif // ALIF_BOARDS_H
