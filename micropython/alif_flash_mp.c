// SPDX-License-Identifier: MIT
// alif.Flash for MicroPython: argument parsing and conversion over the region layer.
#include <string.h>

#include "py/runtime.h"
#include "py/mperrno.h"
#include "extmod/vfs.h"

#include "modalif_mp.h"
#include "alif_flash_port.h"

#if MICROPY_HW_ENABLE_OSPI

typedef struct _alif_flash_obj_t {
    mp_obj_base_t base;
    flash_region_t region;
} alif_flash_obj_t;

// The filesystem-region singleton; its region is filled in when the flash first comes up.
static alif_flash_obj_t alif_flash_fs_obj = {.base = {&alif_flash_type}};

static mp_obj_t alif_flash_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw,
                                    const mp_obj_t *all_args) {
    enum { ARG_start, ARG_len };
    static const mp_arg_t allowed_args[] = {
        {MP_QSTR_start, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NEW_SMALL_INT(-1)}},
        {MP_QSTR_len, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NEW_SMALL_INT(-1)}},
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed_args), allowed_args,
                              args);
    int64_t start = alif_mp_int64(args[ARG_start].u_obj);
    int64_t len = alif_mp_int64(args[ARG_len].u_obj);
    bool singleton = flash_region_is_singleton_request(start, len);
    // Allocated before the lock is taken: an allocation may raise MemoryError.
    alif_flash_obj_t *self = singleton ? &alif_flash_fs_obj : mp_obj_malloc(alif_flash_obj_t, type);

    // The bring-up and the singleton's region are set once, whichever thread comes first.
    alif_mp_lock();
#if ALIF_MOD_SIM
    alif_mp_sim_hook_install();
#endif
    flash_storage_t *storage;
    const char *message;
    char err[160];
    int ret = alif_flash_storage_get(&storage, &message);
    bool value_error = false;
    if (ret == 0 && (!singleton || self->region.storage == NULL)) {
        ret = flash_region_init(&self->region, storage, start, len, err, sizeof(err));
        value_error = ret != 0;
    }
    alif_mp_unlock();

    if (value_error) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s"), err);
    }
    if (ret != 0) {
        alif_mp_raise_oserror(ret, message);
    }
    return MP_OBJ_FROM_PTR(self);
}

static void alif_flash_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    (void)kind;
    alif_flash_obj_t *self = MP_OBJ_TO_PTR(self_in);
    char buf[64];
    flash_region_repr(&self->region, buf, sizeof(buf));
    mp_print_str(print, buf);
}

// The XIP window: read-only, zero-copy, valid for as long as the firmware runs.
static mp_int_t alif_flash_get_buffer(mp_obj_t self_in, mp_buffer_info_t *bufinfo,
                                      mp_uint_t flags) {
    alif_flash_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (flags & MP_BUFFER_WRITE) {
        return 1;
    }
    bufinfo->buf = (void *)flash_region_xip(&self->region);
    bufinfo->len = self->region.len;
    bufinfo->typecode = 'B';
    return 0;
}

// str has the buffer protocol in MicroPython but is no block of bytes: refuse it as CPython does.
static void alif_flash_get_block_buffer(mp_obj_t obj, mp_buffer_info_t *bufinfo, mp_uint_t flags) {
    if (mp_obj_is_str(obj)) {
        mp_raise_TypeError(MP_ERROR_TEXT("buf must be a bytes-like object, not str"));
    }
    mp_get_buffer_raise(obj, bufinfo, flags);
}

static mp_obj_t alif_flash_readblocks(size_t n_args, const mp_obj_t *args) {
    alif_flash_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    int64_t block_num = alif_mp_int64(args[1]);
    mp_buffer_info_t bufinfo;
    alif_flash_get_block_buffer(args[2], &bufinfo, MP_BUFFER_WRITE);
    int64_t offset = n_args == 4 ? alif_mp_int64(args[3]) : 0;
    alif_mp_lock();
    int ret = n_args == 4
                  ? flash_region_readblocks_ext(&self->region, block_num, offset, bufinfo.buf,
                                                bufinfo.len)
                  : flash_region_readblocks(&self->region, block_num, bufinfo.buf, bufinfo.len);
    alif_mp_unlock();
    return MP_OBJ_NEW_SMALL_INT(ret);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(alif_flash_readblocks_obj, 3, 4, alif_flash_readblocks);

static mp_obj_t alif_flash_writeblocks(size_t n_args, const mp_obj_t *args) {
    alif_flash_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    int64_t block_num = alif_mp_int64(args[1]);
    mp_buffer_info_t bufinfo;
    alif_flash_get_block_buffer(args[2], &bufinfo, MP_BUFFER_READ);
    int64_t offset = n_args == 4 ? alif_mp_int64(args[3]) : 0;
    // A view of the flash goes through a block of RAM, lent from the heap only then, and before
    // the lock and the write: m_new may raise, and nothing inside the write allocates, so no
    // collection runs a finaliser there.
    uint8_t *bounce = flash_region_source_in_flash(&self->region, bufinfo.buf, bufinfo.len)
                          ? m_new(uint8_t, FLASH_BLOCK_SIZE)
                          : NULL;
    alif_mp_lock();
    int ret = n_args == 4 ? flash_region_writeblocks_ext(&self->region, block_num, offset,
                                                         bufinfo.buf, bufinfo.len, bounce)
                          : flash_region_writeblocks(&self->region, block_num, bufinfo.buf,
                                                     bufinfo.len, bounce);
    alif_mp_unlock();
    if (bounce != NULL) {
        m_del(uint8_t, bounce, FLASH_BLOCK_SIZE);
    }
    return MP_OBJ_NEW_SMALL_INT(ret);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(alif_flash_writeblocks_obj, 3, 4,
                                           alif_flash_writeblocks);

static mp_obj_t alif_flash_ioctl(mp_obj_t self_in, mp_obj_t cmd_in, mp_obj_t arg_in) {
    alif_flash_obj_t *self = MP_OBJ_TO_PTR(self_in);
    int64_t result;
    // The region layer takes MicroPython's own MP_BLOCKDEV_IOCTL_* numbers.
    MP_STATIC_ASSERT(MP_BLOCKDEV_IOCTL_INIT == 1 && MP_BLOCKDEV_IOCTL_DEINIT == 2);
    MP_STATIC_ASSERT(MP_BLOCKDEV_IOCTL_SYNC == 3 && MP_BLOCKDEV_IOCTL_BLOCK_COUNT == 4);
    MP_STATIC_ASSERT(MP_BLOCKDEV_IOCTL_BLOCK_SIZE == 5 && MP_BLOCKDEV_IOCTL_BLOCK_ERASE == 6);
    int64_t cmd = alif_mp_int64(cmd_in);
    // Only the erase reads arg: ioctl(4, None) is the block count, as in the stock port.
    int64_t arg = cmd == MP_BLOCKDEV_IOCTL_BLOCK_ERASE ? alif_mp_int64(arg_in) : 0;
    alif_mp_lock();
    bool known = flash_region_ioctl(&self->region, cmd, arg, &result);
    alif_mp_unlock();
    if (!known) {
        return mp_const_none;
    }
    // Small ints, which vfs reads with MP_OBJ_SMALL_INT_VALUE: block counts and errnos fit.
    return mp_obj_new_int((mp_int_t)result);
}
static MP_DEFINE_CONST_FUN_OBJ_3(alif_flash_ioctl_obj, alif_flash_ioctl);

static const mp_rom_map_elem_t alif_flash_locals_dict_table[] = {
    {MP_ROM_QSTR(MP_QSTR_readblocks), MP_ROM_PTR(&alif_flash_readblocks_obj)},
    {MP_ROM_QSTR(MP_QSTR_writeblocks), MP_ROM_PTR(&alif_flash_writeblocks_obj)},
    {MP_ROM_QSTR(MP_QSTR_ioctl), MP_ROM_PTR(&alif_flash_ioctl_obj)},
};
static MP_DEFINE_CONST_DICT(alif_flash_locals_dict, alif_flash_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(alif_flash_type, MP_QSTR_Flash, MP_TYPE_FLAG_NONE, make_new,
                         alif_flash_make_new, print, alif_flash_print, buffer,
                         alif_flash_get_buffer, locals_dict, &alif_flash_locals_dict);

#endif // MICROPY_HW_ENABLE_OSPI
