// SPDX-License-Identifier: MIT
// The CPython module alif: the same names and behaviour as the MicroPython one, on the
// simulated board.
#include <errno.h>
#include <string.h>

#include "alif_cpython.h"

#include "alif_errno.h"
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
    char err[160];
    int ret = alif_info_run(print_to_stdout, NULL, err, sizeof(err));
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
    sim_counter_t counters[SIM_COUNTERS];
    size_t n = sim_board_counters(counters);
    if (n == 0) {
        Py_RETURN_NONE;
    }
    PyObject *dict = PyDict_New();
    for (size_t i = 0; dict != NULL && i < n; i++) {
        const sim_counter_t *c = &counters[i];
        PyObject *value =
            c->text != NULL ? PyUnicode_FromString(c->text) : PyLong_FromUnsignedLongLong(c->value);
        if (value == NULL || PyDict_SetItemString(dict, c->name, value) < 0) {
            Py_XDECREF(value);
            Py_CLEAR(dict);
            break;
        }
        Py_DECREF(value);
    }
    return dict;
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
    // As the firmware's MICROPY_HW_USB_MSC: there where the board's record has a USB drive.
    const alif_board_t *board = alif_board_find(alif_board_name_from_env());
    if (board != NULL && board->usb_msc && PyModule_AddObjectRef(module, "usb_msc", Py_True) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
