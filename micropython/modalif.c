// SPDX-License-Identifier: MIT
// The alif module for MicroPython: Flash, info, and on the simulator a peek at its counters.
#include <string.h>

#include "py/runtime.h"
#include "py/objint.h"
#include "py/mperrno.h"
#include "py/unicode.h"

#include "modalif_mp.h"
#include "alif_errno.h"
#include "alif_se_port.h"

#if ALIF_MOD_SIM
#include "alif_flash_port.h"
#include "sim_board.h"
#endif

// The C layers return MicroPython's numbers already (alif_errno.h): they pass to Python unchanged.
_Static_assert(ALIF_EIO == MP_EIO, "EIO");
_Static_assert(ALIF_ENOMEM == MP_ENOMEM, "ENOMEM");
_Static_assert(ALIF_ENODEV == MP_ENODEV, "ENODEV");
_Static_assert(ALIF_EINVAL == MP_EINVAL, "EINVAL");
_Static_assert(ALIF_EOPNOTSUPP == MP_EOPNOTSUPP, "EOPNOTSUPP");
_Static_assert(ALIF_ETIMEDOUT == MP_ETIMEDOUT, "ETIMEDOUT");

// A message may carry bytes from outside (an image path, an ALIF_* value) that are not UTF-8,
// which MicroPython's str refuses with UnicodeError; then every byte past ASCII is written as
// \xNN, so that the error is still the OSError it is.
static mp_obj_t alif_mp_message(const char *message) {
    size_t len = strlen(message);
#if MICROPY_PY_BUILTINS_STR_UNICODE
    if (!unicode_encoding_check(MP_ENCODING_UTF8, (const byte *)message, len)) {
        vstr_t vstr;
        vstr_init(&vstr, len * 4);
        for (const byte *c = (const byte *)message; *c != 0; c++) {
            if (*c < 0x80) {
                vstr_add_byte(&vstr, *c);
            } else {
                vstr_printf(&vstr, "\\x%02x", *c);
            }
        }
        return mp_obj_new_str_from_vstr(&vstr);
    }
#endif
    return mp_obj_new_str(message, len);
}

MP_NORETURN void alif_mp_raise_oserror(int negative_errno, const char *message) {
    mp_obj_t args[2] = {
        MP_OBJ_NEW_SMALL_INT(-negative_errno),
        alif_mp_message(message),
    };
    nlr_raise(mp_obj_new_exception_args(&mp_type_OSError, 2, args));
}

int64_t alif_mp_int64(mp_obj_t obj) {
    if (mp_obj_is_int(obj) && !mp_obj_is_small_int(obj)) {
        int sign = mp_obj_int_sign(obj);
        int64_t limit = sign > 0 ? INT64_MAX : INT64_MIN;
        mp_binary_op_t beyond = sign > 0 ? MP_BINARY_OP_MORE : MP_BINARY_OP_LESS;
        if (mp_obj_is_true(mp_binary_op(beyond, obj, mp_obj_new_int_from_ll(limit)))) {
            return limit;
        }
    }
    return mp_obj_get_ll(obj);
}

static void alif_print_text(void *ctx, const char *text) {
    (void)ctx;
    mp_print_str(&mp_plat_print, text);
}

static mp_obj_t alif_info_fn(void) {
    char err[160];
    alif_mp_lock();
    int ret = alif_info_run(alif_print_text, NULL, err, sizeof(err));
    alif_mp_unlock();
    if (ret != 0) {
        alif_mp_raise_oserror(ret, err);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(alif_info_obj, alif_info_fn);

#if ALIF_MOD_SIM
// What the simulated board's calls meet between their steps: the port's own between-steps, and
// for tests the events that alif._sim_events arms.
static struct {
    unsigned at; // the board's between-steps count to fire at; 0: none armed
    bool interrupt;
} alif_sim_events;
MP_REGISTER_ROOT_POINTER(mp_obj_t alif_sim_event_callback);

static void alif_sim_between_steps(void *ctx, unsigned step) {
    if (alif_sim_events.at != 0 && step == alif_sim_events.at) {
        alif_sim_events.at = 0;
        // What a Ctrl-C on the port's UART or USB CDC does, and what micropython.schedule does.
        if (alif_sim_events.interrupt) {
            mp_sched_keyboard_interrupt();
        }
        if (MP_STATE_VM(alif_sim_event_callback) != MP_OBJ_NULL) {
            mp_sched_schedule(MP_STATE_VM(alif_sim_event_callback), mp_const_none);
            MP_STATE_VM(alif_sim_event_callback) = MP_OBJ_NULL;
        }
    }
    alif_mp_between_steps(ctx);
}

void alif_mp_sim_hook_install(void) {
    sim_board_set_between_steps_hook(alif_sim_between_steps, NULL);
}

// alif._sim_events(steps, callback=None, interrupt=False), for tests only: at the steps-th
// between-steps from now (1 or more), a Ctrl-C arrives if interrupt, and callback(None) is
// scheduled, as if an interrupt handler had scheduled it.
static mp_obj_t alif_sim_events_fn(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_steps, ARG_callback, ARG_interrupt };
    static const mp_arg_t allowed_args[] = {
        {MP_QSTR_steps, MP_ARG_REQUIRED | MP_ARG_INT, {.u_int = 0}},
        {MP_QSTR_callback, MP_ARG_OBJ, {.u_obj = mp_const_none}},
        {MP_QSTR_interrupt, MP_ARG_BOOL, {.u_bool = false}},
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    if (args[ARG_steps].u_int < 1) {
        mp_raise_ValueError(MP_ERROR_TEXT("steps must be 1 or more"));
    }
    alif_mp_lock();
    alif_mp_sim_hook_install();
    flash_storage_t *storage;
    const char *message;
    int ret = alif_flash_storage_get(&storage, &message);
    if (ret == 0) {
        alif_sim_events.at = sim_board_current()->between_steps + (unsigned)args[ARG_steps].u_int;
        alif_sim_events.interrupt = args[ARG_interrupt].u_bool;
        mp_obj_t callback = args[ARG_callback].u_obj;
        MP_STATE_VM(alif_sim_event_callback) = callback == mp_const_none ? MP_OBJ_NULL : callback;
    }
    alif_mp_unlock();
    if (ret != 0) {
        alif_mp_raise_oserror(ret, message);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(alif_sim_events_obj, 1, alif_sim_events_fn);

// For tests and the demo only: the simulated board, and what its flash part has seen.
static mp_obj_t alif_sim_counters(void) {
    sim_counter_t counters[SIM_COUNTERS];
    alif_mp_lock();
    size_t n = sim_board_counters(counters);
    alif_mp_unlock();
    if (n == 0) {
        return mp_const_none;
    }
    mp_obj_t dict = mp_obj_new_dict(n);
    for (size_t i = 0; i < n; i++) {
        const sim_counter_t *c = &counters[i];
        mp_obj_t value = c->text != NULL ? mp_obj_new_str(c->text, strlen(c->text))
                                         : mp_obj_new_int_from_ull(c->value);
        mp_obj_dict_store(dict, mp_obj_new_str(c->name, strlen(c->name)), value);
    }
    return dict;
}
static MP_DEFINE_CONST_FUN_OBJ_0(alif_sim_counters_obj, alif_sim_counters);
#endif

static const mp_rom_map_elem_t alif_module_globals_table[] = {
    {MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_alif)},
    {MP_ROM_QSTR(MP_QSTR_info), MP_ROM_PTR(&alif_info_obj)},
#if MICROPY_HW_ENABLE_OSPI
    {MP_ROM_QSTR(MP_QSTR_Flash), MP_ROM_PTR(&alif_flash_type)},
#endif
#if MICROPY_HW_USB_MSC
    // The stock port's mark that the filesystem is also the USB drive: its _boot.py then mounts
    // FAT, which the host can read, rather than littlefs.
    {MP_ROM_QSTR(MP_QSTR_usb_msc), MP_ROM_TRUE},
#endif
#if ALIF_MOD_SIM
    {MP_ROM_QSTR(MP_QSTR__sim_counters), MP_ROM_PTR(&alif_sim_counters_obj)},
    {MP_ROM_QSTR(MP_QSTR__sim_events), MP_ROM_PTR(&alif_sim_events_obj)},
#endif
};
static MP_DEFINE_CONST_DICT(alif_module_globals, alif_module_globals_table);

const mp_obj_module_t alif_user_cmodule = {
    .base = {&mp_type_module},
    .globals = (mp_obj_dict_t *)&alif_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_alif, alif_user_cmodule);
