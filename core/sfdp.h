// SPDX-License-Identifier: MIT
// What a part says about itself in its SFDP tables (JESD216): the Basic Flash Parameter Table
// and the 4-byte Address Instruction Table, read in 1S-1S-1S before any mode switch.
#ifndef ALIF_SFDP_H
#define ALIF_SFDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash_bus.h"

#define SFDP_ERASE_TYPES (4)

typedef struct {
    uint32_t size;       // bytes (BFPT DWORD 2)
    uint16_t page_size;  // bytes (BFPT DWORD 11)
    bool swap16;         // 8D-8D-8D swaps each 16-bit word against 1S order (BFPT DWORD 18 b31)
    bool cmd_ext_invert; // 8D command extension is the inverted opcode (BFPT DWORD 18 b30:29)
    uint32_t page_program_typ_us, page_program_max_us; // BFPT DWORD 11
    struct {
        uint8_t size_shift;      // log2 of its size; 0: no such type (BFPT DWORDs 8-9)
        uint8_t opcode;          // with a 4-byte address (4BAIT DWORD 2)
        uint32_t typ_us, max_us; // BFPT DWORD 10
    } erase[SFDP_ERASE_TYPES];
} sfdp_params_t;

// Reads the tables through bus (1S-1S-1S, Read SFDP 0x5a) and fills *params: 0, the bus's
// error, or -ALIF_ENODEV when the part has no SFDP or no BFPT/4BAIT that says enough.
int sfdp_read(const flash_bus_t *bus, sfdp_params_t *params);

#endif // ALIF_SFDP_H
