// SPDX-License-Identifier: MIT
// How a call of the module runs in MicroPython (API.md, "Inside a call"): alone, and to its end.
//
// Alone: a build with threads and no GIL (the unix port) lets two threads into the C layers at
// once, which share the one flash device, the one SE channel and the lazy set-up of both. Every
// entry point holds one lock around its C work; it never raises while holding it.
//
// To its end: between the long steps of a call the port keeps USB alive and nothing else. Running
// scheduled callbacks or raising a pending KeyboardInterrupt there (what mp_event_handle_nowait
// does) would unwind littlefs or FatFs in the middle of a block-device call, or re-enter the driver
// from a callback that uses the flash. Both wait until the call has returned, where the VM
// handles them.
#include "py/mpconfig.h"
#include "py/mpthread.h"

#include "modalif_mp.h"

#if MICROPY_HW_ENABLE_USBDEV
#include "shared/tinyusb/mp_usbd.h"
#endif

#if MICROPY_ASYNC_KBD_INTR
// The unix port's Ctrl-C raises from its signal handler wherever the thread is (unix_mphal.c,
// MICROPY_ASYNC_KBD_INTR): held off while a call runs, it is raised as the call ends, with the
// driver's work done and the lock given back, not with the lock held for ever.
#include <signal.h>

static sigset_t alif_mp_saved_mask; // the holder's own, while it holds the lock

static void alif_mp_release_ctrl_c(const sigset_t *mask) {
    pthread_sigmask(SIG_SETMASK, mask, NULL);
}
#endif

#if MICROPY_PY_THREAD && !MICROPY_PY_THREAD_GIL

static mp_thread_mutex_t alif_mp_mutex;

// The mutex has no portable static initialiser, and two threads may make the first call at once:
// one of them initialises it, the others wait until it has.
static void alif_mp_mutex_ready(void) {
    enum { UNSET, SETTING, READY };
    static int state = UNSET;
    int expected = UNSET;
    if (__atomic_compare_exchange_n(&state, &expected, SETTING, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        mp_thread_mutex_init(&alif_mp_mutex);
        __atomic_store_n(&state, READY, __ATOMIC_RELEASE);
    }
    while (__atomic_load_n(&state, __ATOMIC_ACQUIRE) != READY) {
    }
}

static void alif_mp_mutex_lock(void) {
    alif_mp_mutex_ready();
    mp_thread_mutex_lock(&alif_mp_mutex, 1);
}

static void alif_mp_mutex_unlock(void) {
    mp_thread_mutex_unlock(&alif_mp_mutex);
}

#else

// One thread at a time already: no threads, or the GIL, which no call gives up.
static void alif_mp_mutex_lock(void) {
}

static void alif_mp_mutex_unlock(void) {
}

#endif

void alif_mp_lock(void) {
#if MICROPY_ASYNC_KBD_INTR
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigset_t saved;
    pthread_sigmask(SIG_BLOCK, &mask, &saved);
    alif_mp_mutex_lock();
    alif_mp_saved_mask = saved;
#else
    alif_mp_mutex_lock();
#endif
}

void alif_mp_unlock(void) {
#if MICROPY_ASYNC_KBD_INTR
    sigset_t saved = alif_mp_saved_mask;
    alif_mp_mutex_unlock();
    alif_mp_release_ctrl_c(&saved);
#else
    alif_mp_mutex_unlock();
#endif
}

void alif_mp_between_steps(void *ctx) {
    (void)ctx;
#if MICROPY_HW_ENABLE_USBDEV && !MICROPY_HW_ENABLE_USB_RUNTIME_DEVICE
    // TinyUSB's task, which the port otherwise runs as a scheduled node (shared/tinyusb/
    // mp_usbd.c): enumeration, the REPL's CDC (a Ctrl-C there is only made pending) and the USB
    // drive, whose callbacks run whole operations of their own between this call's steps. With
    // the runtime USB device the task calls Python, so it waits for the call's end like the rest.
    mp_usbd_task();
#endif
}
