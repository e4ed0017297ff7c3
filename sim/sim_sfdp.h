// SPDX-License-Identifier: MIT
// A part's SFDP table (JESD216, read with 0x5A), encoded from the part model's own facts: the
// SFDP header, the Basic Flash Parameter Table (20 DWORDs, JESD216C) and the 4-byte Address
// Instruction Table (JESD216B), at the layout below.
#ifndef ALIF_SIM_SFDP_H
#define ALIF_SIM_SFDP_H

#include <stddef.h>
#include <stdint.h>

#include "sim_nor.h"

#define SIM_SFDP_SIZE (0x88u)

// Fills out (SIM_SFDP_SIZE bytes) with the part's table.
void sim_sfdp_build(const sim_nor_part_t *part, uint8_t *out);

#endif // ALIF_SIM_SFDP_H
