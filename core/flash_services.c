// SPDX-License-Identifier: MIT
#include "alif_errno.h"
#include "flash_services.h"

int flash_romfs_init(flash_region_t *segment, const flash_storage_t *storage, uint32_t flash_addr,
                     uint32_t len) {
    if (flash_addr < storage->base || flash_addr % FLASH_BLOCK_SIZE != 0) {
        return -ALIF_EINVAL;
    }
    int64_t start = flash_addr - storage->base;
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
    const sfdp_params_t *p = &segment->storage->nor->params;
    uint32_t largest = FLASH_BLOCK_SIZE;
    for (unsigned i = 0; i < SFDP_ERASE_TYPES; i++) {
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
    char unused[1];
    int ret = flash_region_init(&msc->disk, &msc->storage, -1, -1, unused, sizeof(unused));
    if (ret != 0) {
        // The filesystem region does not fit in the part: no disk, rather than one that wraps.
        msc->disk = (flash_region_t){.storage = &msc->storage, .start = 0, .len = 0};
    }
    return ret;
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
    for (uint32_t done = 0; ret == 0 && done < len;) {
        uint32_t pos = (uint32_t)at + done; // inside the disk, so it fits
        uint32_t block = pos / FLASH_BLOCK_SIZE, in_block = pos % FLASH_BLOCK_SIZE;
        uint32_t n = FLASH_BLOCK_SIZE - in_block;
        if (in_block == 0 && len - done >= FLASH_BLOCK_SIZE) {
            // Whole blocks in one call, so that a run of them can take the part's bigger erases.
            n = (len - done) - (len - done) % FLASH_BLOCK_SIZE;
            ret = flash_region_writeblocks(disk, block, buf + done, n, NULL); // USB buffers: RAM
        } else {
            n = n < len - done ? n : len - done;
            int64_t erased = 0;
            if (in_block == 0) {
                flash_region_ioctl(disk, 6, block, &erased);
            }
            ret = erased != 0
                      ? (int)erased
                      : flash_region_writeblocks_ext(disk, block, in_block, buf + done, n, NULL);
        }
        done += n;
    }
    return ret != 0 ? ret : (int32_t)len;
}
