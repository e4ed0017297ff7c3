// SPDX-License-Identifier: MIT
// The NOR flash layer: the one octal flash device, driven through a flash_bus_t.
#ifndef ALIF_NOR_FLASH_H
#define ALIF_NOR_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include "flash_bus.h"
#include "nor_parts.h"
#include "sfdp.h"

// Why bring-up refused a part it knows, for the message: which fact (what names where it was
// found: the part's SFDP, or its answer), and the value found against the one expected (the
// parts table's); or, when both are 0, what makes the part's SFDP unusable.
typedef struct {
    const char *what;
    uint32_t found, expected;
} nor_refusal_t;

typedef struct nor_flash {
    const flash_bus_t *bus;
    const nor_part_t *part; // NULL until nor_flash_init found it
    uint32_t jedec_id;      // what the part answered, recognised or not
    bool octal_ddr;         // the mode the part is in, so that commands are framed for it
    uint8_t read_dummy_cycles;
    // The status that showed the last program or erase ended, until the next change starts: where
    // it has WEL (parts whose writes keep it: EMxxLX v3.2 sections 11 and 13), the next change
    // needs no write-enable of its own.
    uint8_t idle_status;
    nor_facts_t params; // the parts table's, which the part's SFDP, where it has one, agrees with
    nor_refusal_t refusal;
    // The program, erase or register write last started and not yet seen to finish. Its end is
    // checked by the status read that the next write-enable needs anyway.
    struct {
        bool active;
        uint64_t started_ns, next_poll_ns;
        uint32_t max_us;
        uint32_t addr, len;
    } pending;
} nor_flash_t;

// Brings the part up from reset for a flash clock of sclk_hz: reads the JEDEC ID in 1S-1S-1S
// and finds the part (-ALIF_ENODEV when none matches, with jedec_id set for the message), reads
// its SFDP unless it has none and checks it against the parts table, clears block protection,
// turns on-die ECC off, switches the part to 8D-8D-8D with the read dummy cycles sclk_hz needs
// and checks its ID there. -ALIF_EIO with refusal set when the part cannot be used as it is.
int nor_flash_init(nor_flash_t *nor, const flash_bus_t *bus, uint32_t sclk_hz);

// Reads the ID again in the current mode: what bring-up does once the board's clock is set, so a
// board whose timing fails at speed is refused before anyone reads through XIP. -ALIF_EIO with
// refusal set on a wrong answer.
int nor_flash_check_id(nor_flash_t *nor);

// The array read as the part is set up for, with no address or data yet: what nor_flash_read
// sends, and what the controller's XIP engine must send for reads of the XIP window.
flash_bus_op_t nor_flash_read_op(const nor_flash_t *nor);

// Each returns 0, or a negative errno: -ALIF_EIO when the part did not accept write-enable or
// reported the program or erase failed or refused (a protected area), -ALIF_ETIMEDOUT when it
// stayed busy past its datasheet maximum, or the bus's own error.
// Waits for whatever the part is still doing: before anyone reads the XIP window.
int nor_flash_wait_idle(nor_flash_t *nor);
int nor_flash_read(nor_flash_t *nor, uint32_t addr, uint8_t *dest, size_t len);
// Erases [addr, addr + len), both multiples of NOR_SECTOR_SIZE: what a caller that must blank a
// run of whole sectors asks for. Each aligned piece goes in the largest erase type the part has
// that fits it, 4 KiB at the edges.
int nor_flash_erase(nor_flash_t *nor, uint32_t addr, uint32_t len);
// Lets any program or erase finish, then puts the part in deep power-down for the SoC's stop
// mode; XIP reads fail until the part is reset.
int nor_flash_power_down(nor_flash_t *nor);
// Any address and length; split at page boundaries; never erases; each byte becomes old & new,
// MRAM's too. src must be in RAM: the XIP window cannot be read while the part programs.
int nor_flash_program(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len);
// The same, but each byte becomes src's where the part can get there without an erase: on MRAM
// (NOR_PART_MRAM) always, with no read back of whole even spans; on NOR flash only where src
// clears bits of what is there, and then it is nor_flash_program.
int nor_flash_store(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len);
// Whether len bytes that hold old need an erase before nor_flash_store can make them new: on NOR
// flash where some bit must go from 0 to 1; on MRAM never.
bool nor_flash_needs_erase(const nor_flash_t *nor, const uint8_t *old, const uint8_t *new,
                           size_t len);

#endif // ALIF_NOR_FLASH_H
