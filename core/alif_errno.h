// SPDX-License-Identifier: MIT
// The error numbers the portable layers and the Ensemble drivers return, as negative values.
//
// They are MicroPython's own (py/mperrno.h, the MICROPY_USE_INTERNAL_ERRNO table, which the Alif
// port uses), not the C library's: newlib's errno.h gives ALIF_ETIMEDOUT 116 where MicroPython's
// errno.ALIF_ETIMEDOUT is 110. Only numbers that MicroPython names are used, so that every OSError
// that reaches Python has an errno the errno module knows. The MicroPython binding pins them to
// MP_E* with static asserts; the CPython binding maps them to the host's; tests/cross checks that
// no portable file uses errno.h's names.
#ifndef ALIF_ERRNO_H
#define ALIF_ERRNO_H

#define ALIF_EIO (5)
#define ALIF_ENOMEM (12)
#define ALIF_ENODEV (19)
#define ALIF_EINVAL (22)
#define ALIF_EOPNOTSUPP (95)
#define ALIF_ETIMEDOUT (110)

#endif // ALIF_ERRNO_H
