// SPDX-License-Identifier: MIT
// The CPython module alif: the same names and behaviour as the MicroPython one, on the
// simulated board.
#include <errno.h>
#include <string.h>

#include "alif_cpython.h"

#include "alif_errno.h"
#include "alif_info.h"
#include "alif_se_port.h"
#include "sim_board.h"

int alif_host_errno(int negative_errno) {
    switch (-negative_errno) {
        case ALIF_EIO:
            return -EIO;
        case ALIF_ENOMEM:
            return -ENOMEM;
        case ALIF_ENODEV:
            return -ENODEV;
        case ALIF_EINVAL:
            return -EINVAL;
        case ALIF_EOPNOTSUPP:
            return -EOPNOTSUPP;
        case ALIF_ETIMEDOUT:
            return -ETIMEDOUT;
        default:
            return negative_errno;
    }
}

PyObject *alif_raise_oserror(int negative_errno, const char *message) {
    // Messages quote paths and environment values, which are bytes: whatever they hold, the
    // error stays an OSError, with what is not UTF-8 shown as escapes.
    PyObject *text = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "backslashreplace");
    PyObject *args = text ? Py_BuildValue("(iN)", -alif_host_errno(negative_errno), text) : NULL;
    if (args != NULL) {
        PyErr_SetObject(PyExc_OSError, args);
        Py_DECREF(args);
    }
    return NULL;
}

static void print_to_stdout(void *ctx, const char *text) {
    (void)ctx;
    PySys_WriteStdout("%s", text);
}

static PyObject *info(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    const se_mailbox_t *mailbox;
    const char *message;
    int ret = alif_se_mailbox_get(&mailbox, &message);
    if (ret != 0) {
        return alif_raise_oserror(ret, message);
    }
    char err[160];
    ret = alif_info(mailbox, print_to_stdout, NULL, err, sizeof(err));
    if (ret != 0) {
        return alif_raise_oserror(ret, err);
    }
    Py_RETURN_NONE;
}

// For tests and the demo only: the simulated board, and what its flash part has seen, so that a
// test can tell that a memoryview issued no command or that a rewrite erased nothing.
static PyObject *sim_counters(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    sim_board_t *sb = sim_board_current();
    if (sb == NULL) {
        Py_RETURN_NONE;
    }
    const sim_nor_stats_t *s = sim_nor_stats(sb->model);
    unsigned long long commands = 0;
    for (int i = 0; i < 256; i++) {
        commands += s->commands[i];
    }
    return Py_BuildValue("{sssssksKsKsKsKsKsKsK}", "board", sb->board->name, "flash",
                         sb->part->name, "jedec_id", (unsigned long)sb->nor.jedec_id, "commands",
                         commands, "bus_bytes", (unsigned long long)s->bus_bytes, "programs",
                         (unsigned long long)s->programs, "erases", (unsigned long long)s->erases,
                         "ignored", (unsigned long long)s->ignored, "protocol_errors",
                         (unsigned long long)s->protocol_errors, "device_ns",
                         (unsigned long long)sim_nor_now_ns(sb->model));
}

static PyMethodDef module_methods[] = {
    {"info", info, METH_NOARGS,
     "info() -> None: prints what the Secure Enclave says about this SoC"},
    {"_sim_counters", sim_counters, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef alif_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "alif",
    .m_doc = "Alif Ensemble functions, on the simulated board",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit_alif(void) {
    if (PyType_Ready(&alif_flash_type) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&alif_module);
    if (module == NULL) {
        return NULL;
    }
    Py_INCREF(&alif_flash_type);
    if (PyModule_AddObject(module, "Flash", (PyObject *)&alif_flash_type) < 0) {
        Py_DECREF(&alif_flash_type);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
