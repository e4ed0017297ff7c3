// SPDX-License-Identifier: MIT
// What the MicroPython module's files share.
#ifndef ALIF_MODALIF_MP_H
#define ALIF_MODALIF_MP_H

#include "py/obj.h"

// The simulator build has flash; on the Alif port the board's mpconfigboard.h decides.
#if !defined(MICROPY_HW_ENABLE_OSPI) && defined(ALIF_MOD_SIM)
#define MICROPY_HW_ENABLE_OSPI (1)
#endif

extern const mp_obj_type_t alif_flash_type;

// Raises OSError(errno, message) for a negative errno from the C layers.
MP_NORETURN void alif_mp_raise_oserror(int negative_errno, const char *message);

// Any int as int64, saturating beyond it, so the C layers alone decide what is out of range.
int64_t alif_mp_int64(mp_obj_t obj);

#endif // ALIF_MODALIF_MP_H
