// SPDX-License-Identifier: MIT
#include "alif_errno.h"
#include "flash_services.h"

int flash_romfs_init(flash_region_t *segment, const flash_storage_t *storage, uint32_t flash_addr,
                     uint32_t len) {
    // Below the storage region, start wraps to 2^32 - base or more, past the storage region's end
    // (which lies in the part's 32-bit address space); off a block, start is off one too, as the
    // storage region starts on a block. flash_region_init refuses both.
    uint32_t start = flash_addr - storage->base;
    if (start < storage->fs_len) {
        return -ALIF_EINVAL;
    }
    char unused[1];
    return flash_region_init(segment, storage, start, len, unused, sizeof(unused));
}

int flash_romfs_prepare(const flash_region_t *segment, int64_t offset, int64_t len) {
    int ret = flash_region_erase(segment, offset, len);
    return ret != 0 ? ret : FLASH_ROMFS_MIN_WRITE;
}

uint32_t flash_romfs_min_prepare(const flash_region_t *segment) {
    const nor_facts_t *p = &segment->storage->nor->params;
    uint32_t largest = FLASH_BLOCK_SIZE;
    for (unsigned i = 0; i < NOR_ERASE_TYPES; i++) {
        uint32_t size = p->erase[i].size_shift ? 1u << p->erase[i].size_shift : 0;
        largest = size > largest ? size : largest;
    }
    return largest;
}

int flash_romfs_write(const flash_region_t *segment, int64_t offset, const uint8_t *buf, size_t len,
                      uint8_t *bounce) {
    return flash_region_writeblocks_ext(segment, 0, offset, buf, len, bounce);
}

int flash_msc_init(flash_msc_t *msc, const flash_storage_t *storage) {
    msc->storage = *storage;
    msc->storage.between_steps = NULL;
    // Where the filesystem region does not fit in the part, flash_region_init leaves this disk of
    // no blocks, rather than one that wraps.
    msc->disk = (flash_region_t){.storage = &msc->storage};
    char unused[1];
    return flash_region_init(&msc->disk, &msc->storage, -1, -1, unused, sizeof(unused));
}

uint32_t flash_msc_block_count(const flash_msc_t *msc) {
    return msc->disk.len / FLASH_BLOCK_SIZE;
}

int32_t flash_msc_read(const flash_msc_t *msc, uint32_t lba, uint32_t offset, uint8_t *buf,
                       uint32_t len) {
    int ret = flash_region_readblocks_ext(&msc->disk, lba, offset, buf, len);
    return ret != 0 ? ret : (int32_t)len;
}

// The host writes whole blocks (the disk's block is the flash block), which TinyUSB hands over in
// pieces as small as its endpoint buffer, in order: the piece that reaches a block's start blanks
// that block, the pieces after it only program. A whole block is rewritten with erase-as-needed.
int32_t flash_msc_write(const flash_msc_t *msc, uint32_t lba, uint32_t offset, const uint8_t *buf,
                        uint32_t len) {
    const flash_region_t *disk = &msc->disk;
    int64_t at = (int64_t)lba * FLASH_BLOCK_SIZE + offset;
    if (!flash_span_inside(disk->len, at, len)) {
        return -ALIF_EINVAL;
    }
    int ret = 0;
    // Inside the disk, so every position fits.
    for (uint32_t pos = (uint32_t)at, end = pos + len, n; ret == 0 && pos < end;
         pos += n, buf += n) {
        uint32_t in_block = pos % FLASH_BLOCK_SIZE;
        n = end - pos;
        if (in_block == 0 && n >= FLASH_BLOCK_SIZE) {
            // Whole blocks in one call, so that a run of them can take the part's bigger erases.
            n -= n % FLASH_BLOCK_SIZE;
            ret = flash_region_writeblocks(disk, pos / FLASH_BLOCK_SIZE, buf, n, NULL); // USB: RAM
        } else {
            n = n < FLASH_BLOCK_SIZE - in_block ? n : FLASH_BLOCK_SIZE - in_block;
            ret = in_block == 0 ? flash_region_erase(disk, pos, FLASH_BLOCK_SIZE) : 0;
            if (ret == 0) {
                ret = flash_region_writeblocks_ext(disk, 0, pos, buf, n, NULL);
            }
        }
    }
    return ret != 0 ? ret : (int32_t)len;
}
