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

// Every entry point's C work runs between these (alif_mp_calls.c): one call at a time where
// threads have no GIL. Nothing may raise in between.
void alif_mp_lock(void);
void alif_mp_unlock(void);

// What the port does between the long steps of a call (flash_storage_t.between_steps): USB only;
// no Python runs and nothing is raised until the call returns.
void alif_mp_between_steps(void *ctx);

#if defined(ALIF_MOD_SIM)
// Hands the simulated board's between-steps to alif_mp_between_steps (and to alif._sim_events).
void alif_mp_sim_hook_install(void);
#endif

#endif // ALIF_MODALIF_MP_H
