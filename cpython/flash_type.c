// SPDX-License-Identifier: MIT
// alif.Flash for CPython: argument parsing and conversion over the region layer, nothing more.
#include "alif_cpython.h"

#include "alif_flash_port.h"

typedef struct {
    PyObject_HEAD flash_region_t region;
} flash_object_t;

static PyObject *filesystem_singleton;

// Python ints of any size become int64; those beyond it saturate, which the region layer then
// rejects like any other out-of-range value.
static int int64_arg(PyObject *obj, const char *name, int64_t *value) {
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int, not %.100s", name, Py_TYPE(obj)->tp_name);
        return -1;
    }
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    *value = overflow > 0 ? INT64_MAX : overflow < 0 ? INT64_MIN : v;
    return 0;
}

static PyObject *flash_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"start", "len", NULL};
    PyObject *start_obj = NULL, *len_obj = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$OO:Flash", keywords, &start_obj, &len_obj)) {
        return NULL;
    }
    int64_t start = -1, len = -1;
    if ((start_obj && int64_arg(start_obj, "start", &start) != 0) ||
        (len_obj && int64_arg(len_obj, "len", &len) != 0)) {
        return NULL;
    }
    flash_storage_t *storage = alif_storage_or_raise();
    if (storage == NULL) {
        return NULL;
    }
    bool singleton = flash_region_is_singleton_request(start, len);
    if (singleton && filesystem_singleton != NULL) {
        Py_INCREF(filesystem_singleton);
        return filesystem_singleton;
    }
    flash_object_t *self = (flash_object_t *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    char err[160];
    if (flash_region_init(&self->region, storage, start, len, err, sizeof(err)) != 0) {
        Py_DECREF(self);
        PyErr_SetString(PyExc_ValueError, err);
        return NULL;
    }
    if (singleton) {
        filesystem_singleton = (PyObject *)self;
        Py_INCREF(filesystem_singleton); // held for the life of the process, like the board
    }
    return (PyObject *)self;
}

static PyObject *flash_repr(PyObject *self) {
    char buf[64];
    flash_region_repr(&((flash_object_t *)self)->region, buf, sizeof(buf));
    return PyUnicode_FromString(buf);
}

// readblocks and writeblocks share their shape: (block_num, buf[, offset]).
static int parse_block_args(PyObject *args, int buffer_flags, int64_t *block, Py_buffer *buf,
                            bool *extended, int64_t *offset) {
    PyObject *block_obj, *buf_obj, *offset_obj = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &block_obj, &buf_obj, &offset_obj)) {
        return -1;
    }
    if (int64_arg(block_obj, "block_num", block) != 0 ||
        (offset_obj && int64_arg(offset_obj, "offset", offset) != 0)) {
        return -1;
    }
    if (PyObject_GetBuffer(buf_obj, buf, buffer_flags) != 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "buf must be a %s buffer, not %.100s",
                     buffer_flags & PyBUF_WRITABLE ? "writable" : "readable",
                     Py_TYPE(buf_obj)->tp_name);
        return -1;
    }
    *extended = offset_obj != NULL;
    return 0;
}

static PyObject *flash_readblocks(PyObject *self, PyObject *args) {
    const flash_region_t *region = &((flash_object_t *)self)->region;
    int64_t block, offset = 0;
    Py_buffer buf;
    bool extended;
    if (parse_block_args(args, PyBUF_WRITABLE, &block, &buf, &extended, &offset) != 0) {
        return NULL;
    }
    int ret = extended ? flash_region_readblocks_ext(region, block, offset, buf.buf, buf.len)
                       : flash_region_readblocks(region, block, buf.buf, buf.len);
    PyBuffer_Release(&buf);
    return PyLong_FromLong(alif_host_errno(ret));
}

static PyObject *flash_writeblocks(PyObject *self, PyObject *args) {
    const flash_region_t *region = &((flash_object_t *)self)->region;
    int64_t block, offset = 0;
    Py_buffer buf;
    bool extended;
    if (parse_block_args(args, PyBUF_SIMPLE, &block, &buf, &extended, &offset) != 0) {
        return NULL;
    }
    // A view of the flash goes through a block of RAM, lent only then.
    uint8_t *bounce = NULL;
    if (flash_region_source_in_flash(region, buf.buf, buf.len) &&
        (bounce = PyMem_Malloc(FLASH_BLOCK_SIZE)) == NULL) {
        PyBuffer_Release(&buf);
        return PyErr_NoMemory();
    }
    int ret = extended
                  ? flash_region_writeblocks_ext(region, block, offset, buf.buf, buf.len, bounce)
                  : flash_region_writeblocks(region, block, buf.buf, buf.len, bounce);
    PyMem_Free(bounce);
    PyBuffer_Release(&buf);
    return PyLong_FromLong(alif_host_errno(ret));
}

static PyObject *flash_ioctl(PyObject *self, PyObject *args) {
    PyObject *cmd_obj, *arg_obj;
    int64_t cmd, arg = 0, result;
    if (!PyArg_ParseTuple(args, "OO", &cmd_obj, &arg_obj) || int64_arg(cmd_obj, "cmd", &cmd) != 0) {
        return NULL;
    }
    // Only the erase (6) reads arg: ioctl(4, None) is the block count, as in the stock port.
    if (cmd == 6 && int64_arg(arg_obj, "arg", &arg) != 0) {
        return NULL;
    }
    if (!flash_region_ioctl(&((flash_object_t *)self)->region, cmd, arg, &result)) {
        Py_RETURN_NONE;
    }
    return PyLong_FromLongLong(result < 0 ? alif_host_errno((int)result) : result);
}

// The XIP window, read-only and zero-copy; it lives as long as the process, so a view stays
// valid however long it is kept.
static int flash_getbuffer(PyObject *self, Py_buffer *view, int flags) {
    if (flags & PyBUF_WRITABLE) {
        PyErr_SetString(PyExc_BufferError, "alif.Flash is a read-only buffer");
        view->obj = NULL;
        return -1;
    }
    const flash_region_t *region = &((flash_object_t *)self)->region;
    return PyBuffer_FillInfo(view, self, (void *)flash_region_xip(region), region->len, 1, flags);
}

static PyBufferProcs flash_as_buffer = {
    .bf_getbuffer = flash_getbuffer,
};

static PyMethodDef flash_methods[] = {
    {"readblocks", flash_readblocks, METH_VARARGS,
     "readblocks(block_num, buf[, offset]) -> 0 or a negative errno"},
    {"writeblocks", flash_writeblocks, METH_VARARGS,
     "writeblocks(block_num, buf[, offset]) -> 0 or a negative errno"},
    {"ioctl", flash_ioctl, METH_VARARGS, "ioctl(cmd, arg) -> int, or None for an unknown cmd"},
    {NULL, NULL, 0, NULL},
};

PyTypeObject alif_flash_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "alif.Flash",
    .tp_doc = "Flash(*, start=-1, len=-1): a block device over the board's OSPI flash",
    .tp_basicsize = sizeof(flash_object_t),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = flash_new,
    .tp_repr = flash_repr,
    .tp_methods = flash_methods,
    .tp_as_buffer = &flash_as_buffer,
};
