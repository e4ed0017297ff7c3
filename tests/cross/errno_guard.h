// SPDX-License-Identifier: MIT
// Forced into every portable and driver file of the cross build (make cross), after newlib's
// errno.h: a file that returns the C library's numbers instead of alif_errno.h's does not
// compile, and alif_errno.h's numbers must be MicroPython's (py/mperrno.h,
// MICROPY_USE_INTERNAL_ERRNO; newlib's differ, e.g. ETIMEDOUT 116).
#include <errno.h>

#include "alif_errno.h"

_Static_assert(ALIF_EIO == 5, "MP_EIO is 5");
_Static_assert(ALIF_ENOMEM == 12, "MP_ENOMEM is 12");
_Static_assert(ALIF_ENODEV == 19, "MP_ENODEV is 19");
_Static_assert(ALIF_EINVAL == 22, "MP_EINVAL is 22");
_Static_assert(ALIF_EOPNOTSUPP == 95, "MP_EOPNOTSUPP is 95");
_Static_assert(ALIF_ETIMEDOUT == 110, "MP_ETIMEDOUT is 110");

// Each name is dropped, then poisoned, so that any later use is a compile error.
#undef EPERM
#pragma GCC poison EPERM
#undef ENOENT
#pragma GCC poison ENOENT
#undef EIO
#pragma GCC poison EIO
#undef ENXIO
#pragma GCC poison ENXIO
#undef EBADF
#pragma GCC poison EBADF
#undef EAGAIN
#pragma GCC poison EAGAIN
#undef ENOMEM
#pragma GCC poison ENOMEM
#undef EACCES
#pragma GCC poison EACCES
#undef EFAULT
#pragma GCC poison EFAULT
#undef EBUSY
#pragma GCC poison EBUSY
#undef EEXIST
#pragma GCC poison EEXIST
#undef ENODEV
#pragma GCC poison ENODEV
#undef EINVAL
#pragma GCC poison EINVAL
#undef ENOSPC
#pragma GCC poison ENOSPC
#undef ERANGE
#pragma GCC poison ERANGE
#undef ENOSYS
#pragma GCC poison ENOSYS
#undef EMSGSIZE
#pragma GCC poison EMSGSIZE
#undef EPROTO
#pragma GCC poison EPROTO
#undef ENOTSUP
#pragma GCC poison ENOTSUP
#undef EOPNOTSUPP
#pragma GCC poison EOPNOTSUPP
#undef ENOBUFS
#pragma GCC poison ENOBUFS
#undef ETIMEDOUT
#pragma GCC poison ETIMEDOUT
#undef ECANCELED
#pragma GCC poison ECANCELED
#undef EALREADY
#pragma GCC poison EALREADY
#undef EINPROGRESS
#pragma GCC poison EINPROGRESS
#undef EBADMSG
#pragma GCC poison EBADMSG
#undef EILSEQ
#pragma GCC poison EILSEQ
#undef ENAMETOOLONG
#pragma GCC poison ENAMETOOLONG
