// SPDX-License-Identifier: MIT
// What the MicroPython module's files share.
#ifndef ALIF_MODALIF_MP_H
#define ALIF_MODALIF_MP_H

#include "py/obj.h"

// The simulated boards have flash and a USB drive, as both real boards' HP cores do
// (sim/boards.c); on the Alif port the board's mpconfigboard.h decides.
#if defined(ALIF_MOD_SIM)
#ifndef MICROPY_HW_ENABLE_OSPI
#define MICROPY_HW_ENABLE_OSPI (1)
#endif
#ifndef MICROPY_HW_USB_MSC
#define MICROPY_HW_USB_MSC (1)
#endif
#endif

extern const mp_obj_type_t alif_flash_type;

// Raises OSError(errno, message) for a negative errno from the C layers.
MP_NORETURN void alif_mp_raise_oserror(int negative_errno, const char *message);

// Any int as int64, saturating beyond it, so the C layers alone decide what is out of range.
int64_t alif_mp_int64(mp_obj_t obj);

#endif // ALIF_MODALIF_MP_H
