// SPDX-License-Identifier: MIT
// What a platform provides to the bindings: the one flash device of the SoC, brought up on
// first use. sim/sim_board.c provides it on the host; the Alif port's OSPI glue on the target.
#ifndef ALIF_FLASH_PORT_H
#define ALIF_FLASH_PORT_H

#include "flash_region.h"

// 0 and *storage set, or a negative errno with *message saying why (the JEDEC ID of an unknown
// part, or the two sizes of a misconfigured board). Later calls return the first call's result.
int alif_flash_storage_get(flash_storage_t **storage, const char **message);

#endif // ALIF_FLASH_PORT_H
