// SPDX-License-Identifier: MIT
// What a part says about itself in its SFDP tables (JESD216), read in 1S-1S-1S before any mode
// switch: the Basic Flash Parameter Table, the 4-byte Address Instruction Table and the xSPI
// Profile 1.0 table. Every table may be absent or short; what it does not say stays 0 here, and
// the NOR layer decides with the parts table what to do without it.
#ifndef ALIF_SFDP_H
#define ALIF_SFDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash_bus.h"

#define SFDP_ERASE_TYPES (4)
// The clocks the xSPI profile gives 8D-8D-8D read dummy cycles for, in MHz.
#define SFDP_PROFILE_CLOCKS (4)
extern const uint8_t sfdp_profile_mhz[SFDP_PROFILE_CLOCKS];

// What the NOR layer checks against the parts table; every field 0 where SFDP does not say.
typedef struct {
    uint32_t size; // bytes (BFPT DWORD 2)
    // BFPT DWORD 18 is there (JESD216C), so the two fields after it are the part's own word.
    bool octal_dtr_said;
    bool swap16;         // 8D-8D-8D swaps each 16-bit word against 1S order (DWORD 18 b31)
    bool cmd_ext_invert; // 8D command extension is the inverted opcode (DWORD 18 b30:29)
    struct {
        uint8_t size_shift; // log2 of its size; 0: no such type (BFPT DWORDs 8-9)
        uint8_t opcode;     // with a 4-byte address (4BAIT DWORD 2); 0: not said
    } erase[SFDP_ERASE_TYPES];
    // 8D-8D-8D read dummy cycles at each of sfdp_profile_mhz (xSPI profile 1.0); 0: not said.
    uint8_t read_dummy_cycles[SFDP_PROFILE_CLOCKS];
} sfdp_params_t;

// Reads the tables through bus (Read SFDP 0x5a) into *params: 0, the bus's error, or -ALIF_EIO with
// *unusable naming what makes the tables unusable (no signature, no BFPT of 9 DWORDs, a table past
// the SFDP space, a size out of a 32-bit range).
int sfdp_read(const flash_bus_t *bus, sfdp_params_t *params, const char **unusable);

#endif // ALIF_SFDP_H
