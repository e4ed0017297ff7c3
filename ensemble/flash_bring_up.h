// SPDX-License-Identifier: MIT
// The one bring-up sequence of the board's flash, run at boot on the chip and by the simulated
// board in CI: the controller at a slow clock, the part found by its 1S JEDEC ID and switched to
// 8D-8D-8D, the board's clock, the XIP engine set up for the part's read, and the board's storage
// region checked against the part found. Everyone who reads the flash afterwards (alif.Flash,
// ROMFS, the USB disk) sees this one XIP set-up.
#ifndef ALIF_FLASH_BRING_UP_H
#define ALIF_FLASH_BRING_UP_H

#include <stddef.h>

#include "flash_region.h"
#include "ospi_bus.h"

// The clock the part is probed at: every part answers its 1S JEDEC ID read this slowly, whatever
// the board's traces (ports/alif/ospi_flash.c ospi_flash_init: "use 100KHz for detection").
#define FLASH_PROBE_SCLK_HZ (100000u)

typedef struct {
    ospi_bus_config_t ospi; // its sclk_hz is ignored: the probe runs at FLASH_PROBE_SCLK_HZ
    uint32_t sclk_hz;       // the board's flash clock, once the part is known
    // The storage geometry; its nor field is filled in. between_steps and its ctx are the
    // platform's, set here once for every user of the flash.
    flash_storage_t storage;
} flash_bring_up_config_t;

// The part must just have come out of reset (the platform pulses its reset pin first). Fills
// *ospi, *bus, *nor and *storage. 0, or a negative errno with err saying why: the JEDEC ID of an
// unknown part (-ALIF_ENODEV), the step that failed and its error, or both sizes of a storage
// region larger than the part.
int flash_bring_up(const flash_bring_up_config_t *config, ospi_bus_t *ospi, flash_bus_t *bus,
                   nor_flash_t *nor, flash_storage_t *storage, char *err, size_t err_len);

#endif // ALIF_FLASH_BRING_UP_H
