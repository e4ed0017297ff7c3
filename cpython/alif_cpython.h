// SPDX-License-Identifier: MIT
// What the CPython module's files share.
#ifndef ALIF_CPYTHON_H
#define ALIF_CPYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern PyTypeObject alif_flash_type;

// Raises OSError(errno, message) for a negative errno from the C layers; returns NULL.
PyObject *alif_raise_oserror(int negative_errno, const char *message);

// A negative ALIF_E* value (alif_errno.h) as the same error in the host's numbering, so that
// Python compares it with its own errno module; the simulator's system-call errors pass as they
// are.
int alif_host_errno(int negative_errno);

#endif // ALIF_CPYTHON_H
