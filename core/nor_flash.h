// SPDX-License-Identifier: MIT
// The NOR flash layer: the one octal flash device, driven through a flash_bus_t.
#ifndef ALIF_NOR_FLASH_H
#define ALIF_NOR_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include "flash_bus.h"
#include "nor_parts.h"
#include "sfdp.h"

typedef struct nor_flash {
    const flash_bus_t *bus;
    const nor_part_t *part; // NULL until nor_flash_init found it
    uint32_t jedec_id;      // what the part answered, recognised or not
    bool octal_ddr;         // the mode the part is in, so that commands are framed for it
    sfdp_params_t params;   // what the part's SFDP says, read at start-up
    uint8_t sector_type;    // the params.erase entry of NOR_SECTOR_SIZE
    // When the part's SFDP disagrees with the parts table: which value, and both.
    struct {
        const char *what;
        uint32_t table, sfdp;
    } mismatch;
    // The program or erase last started and not yet seen to finish. Its end is checked by the
    // status read that the next write-enable needs anyway, so a run of page programs costs one
    // status read a page.
    struct {
        bool active;
        uint64_t started_ns;
        uint32_t typ_us, max_us;
        uint32_t addr, len;
    } pending;
} nor_flash_t;

// Reads the JEDEC ID in 1S-1S-1S, finds the part (-ALIF_ENODEV when none matches, with jedec_id set
// for the message), reads its SFDP tables (-ALIF_ENODEV without them, -ALIF_EIO with mismatch
// set when they disagree with the table), switches it to 8D-8D-8D and checks that it still
// answers with its ID there (-ALIF_EIO otherwise).
int nor_flash_init(nor_flash_t *nor, const flash_bus_t *bus);

// The array read as the part is set up for, with no address or data yet: what nor_flash_read
// sends, and what the controller's XIP engine must send for reads of the XIP window.
flash_bus_op_t nor_flash_read_op(const nor_flash_t *nor);

// Each returns 0, or a negative errno: -ALIF_EIO when the part did not accept write-enable,
// -ALIF_ETIMEDOUT when it stayed busy past its datasheet maximum, or the bus's own error.
int nor_flash_read(nor_flash_t *nor, uint32_t addr, uint8_t *dest, size_t len);
int nor_flash_erase_sector(nor_flash_t *nor, uint32_t addr);
// Erases [addr, addr + len), both multiples of NOR_SECTOR_SIZE: what a caller that must blank a
// run of whole sectors asks for. Each aligned piece goes in the largest erase type the part's
// SFDP lists that fits it, 4 KiB at the edges; MRAM is only written where not yet blank.
int nor_flash_erase(nor_flash_t *nor, uint32_t addr, uint32_t len);
// Lets any program or erase finish, then puts the part in deep power-down for the SoC's stop
// mode; XIP reads fail until the part is reset.
int nor_flash_power_down(nor_flash_t *nor);
// Any address and length; split at page boundaries; never erases.
int nor_flash_program(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len);

#endif // ALIF_NOR_FLASH_H
