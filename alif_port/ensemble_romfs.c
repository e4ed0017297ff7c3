// SPDX-License-Identifier: MIT
// vfs.rom_ioctl for the Alif port (the stock name, mp_vfs_rom_ioctl, in place of the port's
// vfs_rom_ioctl.c): the same segments and commands, with the flash segments written through
// core/flash_services.c, where every range is checked, and MRAM segments as the stock port
// writes them.
#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/objarray.h"
#include "py/runtime.h"
#include "extmod/vfs.h"
#include "mpu.h"
#include ALIF_CMSIS_H // MRAM_BASE, MRAM_SIZE
#include "mram.h"

#include "alif_flash_port.h"
#include "flash_services.h"
#include "modalif_mp.h"

#if MICROPY_VFS_ROM_IOCTL

// The segments the board's linker script places (board.ld.S), as ports/alif/vfs_rom_ioctl.c.
#if MICROPY_HW_ROMFS_ENABLE_PART0 && !defined(MICROPY_HW_ROMFS_PART0_START)
#define MICROPY_HW_ROMFS_PART0_START (uintptr_t)(&_micropy_hw_romfs_part0_start)
#define MICROPY_HW_ROMFS_PART0_SIZE (uintptr_t)(&_micropy_hw_romfs_part0_size)
extern uint8_t _micropy_hw_romfs_part0_start;
extern uint8_t _micropy_hw_romfs_part0_size;
#endif

#if MICROPY_HW_ROMFS_ENABLE_PART1 && !defined(MICROPY_HW_ROMFS_PART1_START)
#define MICROPY_HW_ROMFS_PART1_START (uintptr_t)(&_micropy_hw_romfs_part1_start)
#define MICROPY_HW_ROMFS_PART1_SIZE (uintptr_t)(&_micropy_hw_romfs_part1_size)
extern uint8_t _micropy_hw_romfs_part1_start;
extern uint8_t _micropy_hw_romfs_part1_size;
#endif

#define ROMFS_MEMORYVIEW(base, size)                                                               \
    { {&mp_type_memoryview}, 'B', 0, (size), (void *)(base) }

static const mp_obj_array_t romfs_segments[] = {
#if MICROPY_HW_ROMFS_ENABLE_PART0
    ROMFS_MEMORYVIEW(MICROPY_HW_ROMFS_PART0_START, MICROPY_HW_ROMFS_PART0_SIZE),
#endif
#if MICROPY_HW_ROMFS_ENABLE_PART1
    ROMFS_MEMORYVIEW(MICROPY_HW_ROMFS_PART1_START, MICROPY_HW_ROMFS_PART1_SIZE),
#endif
};

static bool romfs_in_mram(const mp_obj_array_t *segment) {
    uintptr_t base = (uintptr_t)segment->items;
    return MRAM_BASE <= base && base - MRAM_BASE < MRAM_SIZE;
}

// The flash segment as a region of the storage region: -MP_EINVAL when it is not one, or on a core
// without the flash (the HE core has MRAM segments only).
static int romfs_flash_segment(const mp_obj_array_t *segment, flash_region_t *region) {
#if MICROPY_HW_ENABLE_OSPI
    flash_storage_t *storage;
    const char *message;
    alif_mp_lock();
    int ret = alif_flash_storage_get(&storage, &message);
    alif_mp_unlock();
    if (ret == 0) {
        // A segment below the XIP window wraps to an address past the part: refused there too.
        uint32_t flash_addr = (uintptr_t)segment->items - (uintptr_t)storage->xip_base;
        ret = flash_romfs_init(region, storage, flash_addr, segment->len);
    }
    return ret;
#else
    (void)segment;
    (void)region;
    return -MP_EINVAL;
#endif
}

// MRAM is written in whole 16-byte sectors (mram.h, MRAM_SECTOR_SIZE), each with the MPU's write
// protection lifted, as the stock port does.
static int romfs_mram_write(const mp_obj_array_t *segment, int64_t offset, const uint8_t *src,
                            size_t len) {
    if (!flash_span_inside(segment->len, offset, len) || offset % MRAM_SECTOR_SIZE != 0 ||
        len % MRAM_SECTOR_SIZE != 0) {
        return -MP_EINVAL;
    }
    uint8_t *dest = (uint8_t *)segment->items + offset;
    mpu_config_mram(false);
    for (size_t done = 0; done < len; done += MRAM_SECTOR_SIZE) {
        mram_write_128bit(dest + done, src + done);
    }
    mpu_config_mram(true);
    return 0;
}

static int romfs_ioctl(size_t n_args, const mp_obj_t *args, const mp_obj_array_t *segment) {
    int64_t cmd = alif_mp_int64(args[0]);
    bool mram = romfs_in_mram(segment);
    flash_region_t region;
    int ret = mram ? 0 : romfs_flash_segment(segment, &region);
    if (ret != 0) {
        return ret;
    }
    if (cmd == MP_VFS_ROM_IOCTL_WRITE_PREPARE && n_args >= 3) {
        // (id, len) from the segment's start, or (id, offset, len).
        int64_t offset = n_args == 3 ? 0 : alif_mp_int64(args[2]);
        int64_t len = alif_mp_int64(args[n_args == 3 ? 2 : 3]);
        if (mram) {
            // MRAM needs no erase.
            return flash_span_inside(segment->len, offset, len) ? MRAM_SECTOR_SIZE : -MP_EINVAL;
        }
        alif_mp_lock();
        ret = flash_romfs_prepare(&region, offset, len);
        alif_mp_unlock();
        return ret;
    } else if (cmd == MP_VFS_ROM_IOCTL_WRITE && n_args >= 4) {
        int64_t offset = alif_mp_int64(args[2]);
        mp_buffer_info_t bufinfo;
        mp_get_buffer_raise(args[3], &bufinfo, MP_BUFFER_READ);
        if (mram) {
            return romfs_mram_write(segment, offset, bufinfo.buf, bufinfo.len);
        }
        // A view of the flash goes through a block of RAM, lent only then, before the lock (m_new
        // may raise).
        uint8_t *bounce = flash_region_source_in_flash(&region, bufinfo.buf, bufinfo.len)
                              ? m_new(uint8_t, FLASH_BLOCK_SIZE)
                              : NULL;
        alif_mp_lock();
        ret = flash_romfs_write(&region, offset, bufinfo.buf, bufinfo.len, bounce);
        alif_mp_unlock();
        if (bounce != NULL) {
            m_del(uint8_t, bounce, FLASH_BLOCK_SIZE);
        }
        return ret;
    } else if (cmd == MP_VFS_ROM_IOCTL_GET_MIN_PREPARE) {
        return mram ? MRAM_SECTOR_SIZE : (mp_int_t)flash_romfs_min_prepare(&region);
    }
    return -MP_EINVAL;
}

mp_obj_t mp_vfs_rom_ioctl(size_t n_args, const mp_obj_t *args) {
    int64_t cmd = alif_mp_int64(args[0]);
    if (cmd == MP_VFS_ROM_IOCTL_GET_NUMBER_OF_SEGMENTS) {
        return MP_OBJ_NEW_SMALL_INT(MP_ARRAY_SIZE(romfs_segments));
    }
    if (n_args < 2) {
        return MP_OBJ_NEW_SMALL_INT(-MP_EINVAL);
    }
    int64_t id = alif_mp_int64(args[1]);
    if (id < 0 || id >= (int64_t)MP_ARRAY_SIZE(romfs_segments)) {
        return MP_OBJ_NEW_SMALL_INT(-MP_EINVAL);
    }
    if (cmd == MP_VFS_ROM_IOCTL_GET_SEGMENT) {
        // A flash segment past the part's end (a part smaller than the board's storage region)
        // would show the part's start again through the XIP window: no segment, so nothing
        // mounts it and mpremote is told so.
        const mp_obj_array_t *segment = &romfs_segments[id];
        flash_region_t region;
        if (!romfs_in_mram(segment) && romfs_flash_segment(segment, &region) != 0) {
            return MP_OBJ_NEW_SMALL_INT(-MP_EINVAL);
        }
        return MP_OBJ_FROM_PTR(segment);
    }
    return MP_OBJ_NEW_SMALL_INT(romfs_ioctl(n_args, args, &romfs_segments[id]));
}

#endif // MICROPY_VFS_ROM_IOCTL
