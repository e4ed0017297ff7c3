// SPDX-License-Identifier: MIT
// What the CPython module's files share.
#ifndef ALIF_CPYTHON_H
#define ALIF_CPYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "flash_region.h"

extern PyTypeObject alif_flash_type;

// Raises OSError(errno, message) for a negative errno from the C layers; returns NULL.
PyObject *alif_raise_oserror(int negative_errno, const char *message);

// The board's flash storage, brought up on first use; NULL with OSError raised when it cannot be.
flash_storage_t *alif_storage_or_raise(void);

// A negative ALIF_E* value (alif_errno.h) as the same error in the host's numbering, so that
// Python compares it with its own errno module; the simulator's system-call errors pass as they
// are.
int alif_host_errno(int negative_errno);

#endif // ALIF_CPYTHON_H
