// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "alif_errno.h"
#include "flash_region.h"

// The messages give the block size as text.
_Static_assert(FLASH_BLOCK_SIZE == 4096, "the messages say 4096");

// The one refusal of the board's geometry, at bring-up and for the singleton alike: it names
// every size, and the part that holds the storage region. Only %lu: MicroPython's own printf,
// which ports link, knows no %ll.
static int storage_refused(const flash_storage_t *storage, char *err, size_t err_len) {
    snprintf(err, err_len,
             "flash storage (base %lu, %lu bytes on %s) must be whole 4096-byte blocks holding the "
             "filesystem's %lu",
             (unsigned long)storage->base, (unsigned long)storage->len, storage->nor->part->name,
             (unsigned long)storage->fs_len);
    return -ALIF_EINVAL;
}

int flash_storage_check(flash_storage_t *storage, char *err, size_t err_len) {
    // A region that does not start and end on erase blocks would make writeblocks erase bytes
    // outside it; a filesystem region larger than the storage region would reach into flash
    // nobody gave it.
    if ((storage->base | storage->len | storage->fs_len) % FLASH_BLOCK_SIZE != 0 ||
        storage->fs_len == 0 || storage->fs_len > storage->len) {
        return storage_refused(storage, err, err_len);
    }
    // A board may carry a part smaller than its storage region (OPENMV_AE3: 32 MiB configured in
    // its mpconfigboard.h, the 8 MiB EM064LX among its board.c parts). Stock firmware boots
    // there and serves what fits; so the region is what the part holds, and every range past the
    // part's end is then out of range rather than wrapped onto its start.
    uint32_t part_size = storage->nor->params.size;
    uint32_t held = storage->base < part_size ? part_size - storage->base : 0;
    if (storage->len > held) {
        storage->len = held;
    }
    return 0;
}

bool flash_region_is_singleton_request(int64_t start, int64_t len) {
    return start == -1 && len == -1;
}

int flash_region_init(flash_region_t *region, const flash_storage_t *storage, int64_t start,
                      int64_t len, char *err, size_t err_len) {
    if (flash_region_is_singleton_request(start, len)) {
        if (storage->fs_len > storage->len) {
            // Only where the part is smaller than the board's storage region: flash_storage_check
            // refused every other case at bring-up.
            return storage_refused(storage, err, err_len);
        }
        len = storage->fs_len; // and start -1, 0: the rules below then hold
    }
    // One refusal for both arguments: it names the argument, and the rule as the interval it must
    // lie in: start in [0, storage length), len in (0, what is left from start].
    const char *arg = "start";
    char open = '[', close = ')';
    uint32_t bound = storage->len;
    if (start == -1) {
        start = 0;
    } else if ((uint64_t)start >= bound || start % FLASH_BLOCK_SIZE != 0) { // negative: huge
        goto refuse;
    }
    arg = "len";
    open = '(';
    close = ']';
    bound -= (uint32_t)start;
    if (len == -1) {
        len = bound;
    } else if ((uint64_t)len - 1 >= bound || len % FLASH_BLOCK_SIZE != 0) { // 0 or less: huge
        goto refuse;
    }
    *region = (flash_region_t){.storage = storage, .start = (uint32_t)start, .len = (uint32_t)len};
    return 0;
refuse:
    snprintf(err, err_len, "%s must be a multiple of 4096 in %c0, %lu%c", arg, open,
             (unsigned long)bound, close);
    return -ALIF_EINVAL;
}

// Not inlined: every range check of the region layer and the services calls this one copy.
__attribute__((noinline)) bool flash_span_inside(uint32_t span_len, int64_t offset, int64_t len) {
    // A negative offset or len is above any span as uint64_t.
    return (uint64_t)offset <= span_len && (uint64_t)len <= span_len - (uint64_t)offset;
}

// Turns (block, offset, length) into a flash address, or -ALIF_EINVAL when any of it falls outside
// the region (an int64_t carries both, in registers). The offset and length are checked against
// the span from the block's start, so that no sum or product can overflow whatever the int64
// inputs. For a range of any bytes it then waits for whatever the part was still doing (a write
// that timed out, say), returning its error: every caller reads the XIP window there (to read, to
// compare with the old contents, to copy a source that lies in it), which cannot be read while
// the part is busy.
static int64_t region_ready(const flash_region_t *region, int64_t block_num, int64_t offset,
                            size_t len) {
    uint32_t block_at = (uint32_t)block_num * FLASH_BLOCK_SIZE;
    if ((uint64_t)block_num > region->len / FLASH_BLOCK_SIZE ||
        !flash_span_inside(region->len - block_at, offset, (int64_t)len)) {
        return -ALIF_EINVAL;
    }
    int ret = len > 0 ? nor_flash_wait_idle(region->storage->nor) : 0;
    return ret != 0
               ? (int64_t)ret
               : (int64_t)(region->storage->base + region->start + block_at + (uint32_t)offset);
}

static const uint8_t *xip_at(const flash_region_t *region, uint32_t flash_addr) {
    return region->storage->xip_base + flash_addr;
}

static void between_steps(const flash_region_t *region) {
    if (region->storage->between_steps != NULL) {
        region->storage->between_steps(region->storage->between_steps_ctx);
    }
}

int flash_region_readblocks_ext(const flash_region_t *region, int64_t block_num, int64_t offset,
                                uint8_t *buf, size_t len) {
    // The XIP window is the fastest way to read, and issues no command of ours.
    int64_t at = region_ready(region, block_num, offset, len);
    if (at >= 0 && len > 0) { // buf may be NULL then
        memcpy(buf, xip_at(region, (uint32_t)at), len);
    }
    // After every read, as the stock port's readblocks does: a filesystem scan is many reads.
    between_steps(region);
    return at < 0 ? (int)at : 0;
}

int flash_region_readblocks(const flash_region_t *region, int64_t block_num, uint8_t *buf,
                            size_t len) {
    if (len % FLASH_BLOCK_SIZE != 0) {
        return -ALIF_EINVAL;
    }
    return flash_region_readblocks_ext(region, block_num, 0, buf, len);
}

bool flash_region_source_in_flash(const flash_region_t *region, const uint8_t *buf, size_t len) {
    uintptr_t src = (uintptr_t)buf, xip = (uintptr_t)region->storage->xip_base;
    return len > 0 && src < xip + region->storage->nor->params.size && xip < src + len;
}

typedef int (*write_step_t)(const flash_region_t *region, uint32_t addr, const uint8_t *src,
                            size_t len);

// Checks the range, then writes it with step. A source in the XIP window cannot be read while
// the part programs or erases (the controller is out of XIP mode, the part drives nothing), and a
// copy within the flash may read bytes it has already changed. So it goes through bounce, a block
// of RAM, as memmove would copy it: each step's source is copied while the part is idle, before
// the step changes flash, and steps go in the direction in which no step changes a later step's
// source. Steps never cross a block boundary of the destination.
static int region_write(const flash_region_t *region, int64_t at, const uint8_t *buf, size_t len,
                        uint8_t *bounce, write_step_t step) {
    uint32_t addr = (uint32_t)at;
    if (at < 0 || !flash_region_source_in_flash(region, buf, len)) {
        return at < 0 ? (int)at : step(region, addr, buf, len);
    }
    if (bounce == NULL) {
        return -ALIF_ENOMEM;
    }
    int ret = 0;
    bool backward = (uintptr_t)buf < (uintptr_t)xip_at(region, addr);
    for (size_t done = 0; ret == 0 && done < len;) {
        size_t pos, n;
        if (backward) {
            size_t end = len - done;
            n = (addr + end - 1) % FLASH_BLOCK_SIZE + 1;
            n = n < end ? n : end;
            pos = end - n;
        } else {
            pos = done;
            n = FLASH_BLOCK_SIZE - (addr + pos) % FLASH_BLOCK_SIZE;
            n = n < len - pos ? n : len - pos;
        }
        memcpy(bounce, buf + pos, n);
        ret = step(region, addr + (uint32_t)pos, bounce, n);
        done += n;
    }
    return ret;
}

static int program_step(const flash_region_t *region, uint32_t addr, const uint8_t *src,
                        size_t len) {
    return nor_flash_program(region->storage->nor, addr, src, len);
}

int flash_region_writeblocks_ext(const flash_region_t *region, int64_t block_num, int64_t offset,
                                 const uint8_t *buf, size_t len, uint8_t *bounce) {
    int ret = region_write(region, region_ready(region, block_num, offset, len), buf, len, bounce,
                           program_step);
    between_steps(region);
    return ret;
}

// Stores the pages of one block that do not already hold their bytes; the block must need no
// erase. Runs of pages go to the NOR layer in one call, so it can overlap each page's completion
// check with the next page's write-enable: a page that holds its bytes, or the block's end, ends
// the run before it.
static int program_block(const flash_region_t *region, uint32_t addr, const uint8_t *new) {
    const uint8_t *old = xip_at(region, addr);
    uint32_t run = 0;
    for (uint32_t page = 0; page <= FLASH_BLOCK_SIZE; page += NOR_PAGE_SIZE) {
        if (page < FLASH_BLOCK_SIZE && memcmp(old + page, new + page, NOR_PAGE_SIZE) != 0) {
            continue;
        }
        if (page > run) {
            int ret = nor_flash_store(region->storage->nor, addr + run, new + run, page - run);
            if (ret != 0) {
                return ret;
            }
        }
        run = page + NOR_PAGE_SIZE;
    }
    return 0;
}

static bool block_needs_erase(const flash_region_t *region, uint32_t addr, const uint8_t *new) {
    return nor_flash_needs_erase(region->storage->nor, xip_at(region, addr), new, FLASH_BLOCK_SIZE);
}

// Erase runs end at multiples of this: as large as the largest erase type of the supported parts
// (block erase 0xdc: 128 KiB on the ISSI IS25WX256/512, 64 KiB on the Macronix MX25UM25645G,
// their datasheets' command tables), so that an aligned run still gets it, and no larger, so
// that a port handles events (between_steps) after at most one such erase, and a power cut finds
// at most that much erased and not yet programmed.
#define ERASE_RUN_MAX (128u * 1024u)

// Erases the whole blocks of [addr, end) in runs that end at ERASE_RUN_MAX boundaries, handling
// events after each.
static int erase_runs(const flash_region_t *region, uint32_t addr, uint32_t end) {
    int ret = 0;
    while (ret == 0 && addr < end) {
        uint32_t run_end = (addr / ERASE_RUN_MAX + 1) * ERASE_RUN_MAX;
        run_end = run_end < end ? run_end : end;
        ret = nor_flash_erase(region->storage->nor, addr, run_end - addr);
        between_steps(region);
        addr = run_end;
    }
    return ret;
}

int flash_region_erase(const flash_region_t *region, int64_t offset, int64_t len) {
    if (!flash_span_inside(region->len, offset, len)) {
        return -ALIF_EINVAL;
    }
    uint32_t at = region->storage->base + region->start + (uint32_t)offset;
    // From the block that holds the first byte to the one that holds the last: none for len 0,
    // where rounding an unaligned offset out to blocks would erase one. The region starts on a
    // block, so the flash address rounds as the offset does.
    uint32_t end =
        (at + (uint32_t)len + FLASH_BLOCK_SIZE - 1) / FLASH_BLOCK_SIZE * FLASH_BLOCK_SIZE;
    return erase_runs(region, len != 0 ? at / FLASH_BLOCK_SIZE * FLASH_BLOCK_SIZE : end, end);
}

// Makes whole blocks hold exactly src, with no erase where programming alone gets there and no
// program of a page that already holds its bytes. Each run of consecutive blocks that need erasing
// (up to ERASE_RUN_MAX) is erased in one call, so that the NOR layer can use its bigger erase
// units where a run covers them. src must not be read through the part of the XIP window being
// written.
static int write_blocks(const flash_region_t *region, uint32_t addr, const uint8_t *src,
                        size_t len) {
    int ret = 0;
    uint32_t end = addr + (uint32_t)len, erased = addr; // erased: where this call's erases end
    for (uint32_t at = addr; ret == 0 && at < end; at += FLASH_BLOCK_SIZE) {
        if (at >= erased) {
            erased = at;
            while (erased < end && block_needs_erase(region, erased, src + (erased - addr))) {
                erased += FLASH_BLOCK_SIZE;
                if (erased % ERASE_RUN_MAX == 0) {
                    break;
                }
            }
            if (erased > at) {
                ret = erase_runs(region, at, erased);
            }
        }
        if (ret == 0) {
            ret = program_block(region, at, src + (at - addr));
            between_steps(region);
        }
    }
    return ret;
}

int flash_region_writeblocks(const flash_region_t *region, int64_t block_num, const uint8_t *buf,
                             size_t len, uint8_t *bounce) {
    return len % FLASH_BLOCK_SIZE != 0
               ? -ALIF_EINVAL
               : region_write(region, region_ready(region, block_num, 0, len), buf, len, bounce,
                              write_blocks);
}

bool flash_region_ioctl(const flash_region_t *region, int64_t cmd, int64_t arg, int64_t *result) {
    // The MP_BLOCKDEV_IOCTL_* numbers of MicroPython's extmod/vfs.h.
    enum { INIT = 1, DEINIT = 2, SYNC = 3, BLOCK_COUNT = 4, BLOCK_SIZE = 5, BLOCK_ERASE = 6 };
    switch (cmd) {
        case INIT:
        case DEINIT:
        case SYNC:
            // Every write reaches the flash before it returns: nothing is buffered to sync.
            *result = 0;
            return true;
        case BLOCK_COUNT:
            *result = region->len / FLASH_BLOCK_SIZE;
            return true;
        case BLOCK_SIZE:
            *result = FLASH_BLOCK_SIZE;
            return true;
        case BLOCK_ERASE: {
            int64_t at = region_ready(region, arg, 0, FLASH_BLOCK_SIZE);
            *result =
                at < 0 ? at : nor_flash_erase(region->storage->nor, (uint32_t)at, FLASH_BLOCK_SIZE);
            return true;
        }
        default:
            return false;
    }
}

const uint8_t *flash_region_xip(const flash_region_t *region) {
    return xip_at(region, region->storage->base + region->start);
}

int flash_region_repr(const flash_region_t *region, char *buf, size_t buf_len) {
    return snprintf(buf, buf_len, "Flash(start=%lu, len=%lu)", (unsigned long)region->start,
                    (unsigned long)region->len);
}
