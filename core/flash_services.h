// SPDX-License-Identifier: MIT
// The port's other users of the flash, over the same region layer as alif.Flash: ROMFS
// (vfs.rom_ioctl's write commands) and the USB mass-storage disk. Every range is checked here,
// in portable C, so that CI runs the rules the firmware runs; alif_port/ only converts the port's
// arguments and names (mp_vfs_rom_ioctl, tud_msc_*_cb).
//
// The stock port's ROMFS erases below its segment when given a negative offset, and its MSC disk
// reaches past the filesystem for any LBA the host sends; here both are refused, nothing touched.
#ifndef ALIF_FLASH_SERVICES_H
#define ALIF_FLASH_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "flash_region.h"

// What vfs.rom_ioctl reports as the smallest write to a flash segment: the stock port's 4, which
// mpremote pads its chunks to (ports/alif/vfs_rom_ioctl.c, MP_VFS_ROM_IOCTL_WRITE_PREPARE).
#define FLASH_ROMFS_MIN_WRITE (4)

// A ROMFS segment on the flash: a region of the storage region, outside the filesystem region.
// 0, or -ALIF_EINVAL when the segment is not whole blocks inside the storage region or overlaps
// the filesystem (a misconfigured board, refused rather than let ROMFS erase the user's files).
int flash_romfs_init(flash_region_t *segment, const flash_storage_t *storage, uint32_t flash_addr,
                     uint32_t len);

// MP_VFS_ROM_IOCTL_WRITE_PREPARE: blanks the blocks that [offset, offset + len) of the segment
// touches (none for len 0), with the biggest erase units that fit and the platform's between_steps
// between them (the stock port erased 4 KiB at a time, with events after each). Returns
// FLASH_ROMFS_MIN_WRITE, or a negative errno (-ALIF_EINVAL for a range outside the segment, with
// nothing erased).
int flash_romfs_prepare(const flash_region_t *segment, int64_t offset, int64_t len);

// MP_VFS_ROM_IOCTL_GET_MIN_PREPARE for a flash segment: the part's largest erase unit. mpremote
// (MicroPython 1c3c2011, tools/mpremote/mpremote/commands.py, romfs deploy) takes it as the
// segment's block size and prepares min(32 KiB, what is left) rounded up to it: reporting 4 KiB
// made it prepare 32 KiB at a time, which no larger erase covers; the largest unit makes each
// prepare one big erase.
uint32_t flash_romfs_min_prepare(const flash_region_t *segment);

// MP_VFS_ROM_IOCTL_WRITE: programs buf at offset (no erase), then between_steps. 0, or a negative
// errno (-ALIF_EINVAL outside the segment, nothing written). bounce as for
// flash_region_writeblocks_ext: a block of RAM when buf lies in the flash.
int flash_romfs_write(const flash_region_t *segment, int64_t offset, const uint8_t *buf, size_t len,
                      uint8_t *bounce);

// The USB disk is the filesystem region, in blocks of FLASH_BLOCK_SIZE; lba and offset are
// TinyUSB's (offset is into block lba, for transfers smaller than a block). TinyUSB calls these
// from inside the port's event handling, so the disk's view of the storage has no between_steps:
// one there could raise a pending KeyboardInterrupt through TinyUSB.
typedef struct {
    flash_storage_t storage; // the platform's, less between_steps
    flash_region_t disk;     // covers the filesystem region of storage
} flash_msc_t;

// Sets *msc up over the platform's storage. msc must stay where it is: disk points into it. 0, or
// -ALIF_EINVAL when the filesystem region does not fit in the part (then the disk has no blocks).
int flash_msc_init(flash_msc_t *msc, const flash_storage_t *storage);

uint32_t flash_msc_block_count(const flash_msc_t *msc);

// Each returns the bytes done, or a negative errno; -ALIF_EINVAL for any byte outside the disk,
// with nothing touched.
int32_t flash_msc_read(const flash_msc_t *msc, uint32_t lba, uint32_t offset, uint8_t *buf,
                       uint32_t len);
// Whole blocks are rewritten with alif.Flash's erase-as-needed. A piece of a block (TinyUSB
// splits a block when its buffer is smaller, and a piece may cross into the next block) blanks
// each block whose start it holds and programs the rest, as the stock port does for a piece at
// offset 0; so pieces that arrive in order leave exactly the host's blocks.
int32_t flash_msc_write(const flash_msc_t *msc, uint32_t lba, uint32_t offset, const uint8_t *buf,
                        uint32_t len);

#endif // ALIF_FLASH_SERVICES_H
