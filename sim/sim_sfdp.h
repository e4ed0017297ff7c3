// SPDX-License-Identifier: MIT
// A part's SFDP space as it answers Read SFDP (0x5A): the real dump where one exists (the
// MX25UM25645G), else a JESD216 table encoded from the part's datasheet facts (the IS25WX: SFDP
// header, Basic Flash Parameter Table, 4-byte Address Instruction Table and xSPI Profile 1.0
// table), or nothing for a part without SFDP (the EM064LX).
#ifndef ALIF_SIM_SFDP_H
#define ALIF_SIM_SFDP_H

#include <stddef.h>
#include <stdint.h>

#include "sim_nor.h"

// Room for any part's SFDP space.
#define SIM_SFDP_MAX (512u)

// Fills out (SIM_SFDP_MAX bytes) with the part's SFDP space and returns its length; 0 when the
// part has none.
size_t sim_sfdp_build(const sim_nor_part_t *part, uint8_t *out);

// The MX25UM25645G's dump (sim_sfdp_mx25um25645g.c names its source).
#define SIM_SFDP_MX25UM25645G_LEN (316u)
extern const uint8_t sim_sfdp_mx25um25645g[SIM_SFDP_MX25UM25645G_LEN];

#endif // ALIF_SIM_SFDP_H
