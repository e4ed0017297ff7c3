// SPDX-License-Identifier: MIT
// What a platform provides to the bindings and the port services: the one flash device of the
// SoC, brought up once (at boot on the Alif port, whose main.c calls ospi_flash_init; on first
// use on the host), with between_steps set for every user. sim/sim_board.c provides it on the
// host; alif_port/ensemble_flash.c on the target.
#ifndef ALIF_FLASH_PORT_H
#define ALIF_FLASH_PORT_H

#include "flash_region.h"

// 0 and *storage set, or a negative errno with *message saying why (the JEDEC ID of an unknown
// part, or the two sizes of a misconfigured board). Later calls return the first call's result.
int alif_flash_storage_get(flash_storage_t **storage, const char **message);

#endif // ALIF_FLASH_PORT_H
