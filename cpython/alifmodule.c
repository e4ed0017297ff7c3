// SPDX-License-Identifier: MIT
// The CPython module alif: the same names and behaviour as the MicroPython one, on the
// simulated board.
#include <errno.h>
#include <string.h>

#include "alif_cpython.h"

#include "alif_errno.h"
#include "alif_flash_port.h"
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

flash_storage_t *alif_storage_or_raise(void) {
    flash_storage_t *storage;
    const char *message;
    int ret = alif_flash_storage_get(&storage, &message);
    if (ret != 0) {
        alif_raise_oserror(ret, message);
        return NULL;
    }
    return storage;
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

// What the simulated board's calls meet between their steps. CPython has no background work for
// a port to service; its pending work is signal handlers (a Ctrl-C's KeyboardInterrupt among
// them) and pending calls, which the interpreter runs once the call has returned, since nothing
// here asks for them (PyErr_CheckSignals, Py_MakePendingCalls) inside a call. For tests,
// alif._sim_events arms such events to arrive during a call.
static struct {
    unsigned at; // the board's between-steps count to fire at; 0: none armed
    bool interrupt;
    PyObject *callback; // owned; NULL for none
} sim_events;

static int run_event_callback(void *callback) {
    PyObject *result = PyObject_CallOneArg((PyObject *)callback, Py_None);
    Py_DECREF((PyObject *)callback);
    Py_XDECREF(result);
    return result != NULL ? 0 : -1;
}

static void sim_between_steps(void *ctx, unsigned step) {
    (void)ctx;
    if (sim_events.at == 0 || step != sim_events.at) {
        return;
    }
    sim_events.at = 0;
    if (sim_events.interrupt) {
        PyErr_SetInterrupt(); // as SIGINT arriving
    }
    if (sim_events.callback != NULL) {
        PyObject *callback = sim_events.callback;
        sim_events.callback = NULL;
        if (Py_AddPendingCall(run_event_callback, callback) != 0) {
            Py_DECREF(callback);
        }
    }
}

// alif._sim_events(steps, callback=None, interrupt=False), for tests only: at the steps-th
// between-steps from now (1 or more), a Ctrl-C arrives if interrupt, and callback(None) is made a
// pending call, as a signal handler would make it.
static PyObject *sim_events_arm(PyObject *module, PyObject *args, PyObject *kwargs) {
    (void)module;
    static char *keywords[] = {"steps", "callback", "interrupt", NULL};
    long steps;
    PyObject *callback = Py_None;
    int interrupt = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "l|Op:_sim_events", keywords, &steps, &callback,
                                     &interrupt)) {
        return NULL;
    }
    if (steps < 1) {
        PyErr_SetString(PyExc_ValueError, "steps must be 1 or more");
        return NULL;
    }
    if (alif_storage_or_raise() == NULL) {
        return NULL;
    }
    sim_events.at = sim_board_current()->between_steps + (unsigned)steps;
    sim_events.interrupt = interrupt != 0;
    Py_CLEAR(sim_events.callback);
    if (callback != Py_None) {
        Py_INCREF(callback);
        sim_events.callback = callback;
    }
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"info", info, METH_NOARGS,
     "info() -> None: prints what the Secure Enclave says about this SoC"},
    {"_sim_counters", sim_counters, METH_NOARGS, NULL},
    {"_sim_events", (PyCFunction)(void (*)(void))sim_events_arm, METH_VARARGS | METH_KEYWORDS,
     NULL},
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
    sim_board_set_between_steps_hook(sim_between_steps, NULL);
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
