// SPDX-License-Identifier: MIT
// The region layer: alif.Flash semantics in plain C, so that every binding is only argument
// parsing and type conversion over these calls. Numbers from Python arrive as int64_t and are
// checked here, so that no binding repeats a range rule.
#ifndef ALIF_FLASH_REGION_H
#define ALIF_FLASH_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nor_flash.h"

#define FLASH_BLOCK_SIZE (NOR_SECTOR_SIZE)

// The part of flash that alif.Flash may reach on this board, and what the singleton covers.
typedef struct {
    nor_flash_t *nor;
    const uint8_t *xip_base; // where flash address 0 appears in the XIP window
    uint32_t base;           // flash address of storage offset 0
    uint32_t len;
    uint32_t fs_len;
    // Called between long erase and program steps, so that a port can keep USB and Ctrl-C
    // alive; set once by the platform when it brings the flash up. May be NULL.
    void (*between_steps)(void *ctx);
    void *between_steps_ctx;
} flash_storage_t;

typedef struct {
    const flash_storage_t *storage;
    uint32_t start; // offset into the storage region
    uint32_t len;
} flash_region_t;

// Checks the board's geometry as configured (whole blocks, the filesystem region inside the
// storage region), then cuts the storage region to what the part found holds (a board may carry a
// smaller part than its storage region, as stock firmware allows). 0, or -ALIF_EINVAL with a
// message naming the sizes written to err.
int flash_storage_check(flash_storage_t *storage, char *err, size_t err_len);

// True when the constructor was called for the filesystem-region singleton.
bool flash_region_is_singleton_request(int64_t start, int64_t len);

// Applies the constructor's rules (both -1: the filesystem region, refused where it does not fit
// in the part); 0, or -ALIF_EINVAL with the ValueError message, which names the argument and the
// rule, written to err.
int flash_region_init(flash_region_t *region, const flash_storage_t *storage, int64_t start,
                      int64_t len, char *err, size_t err_len);

// readblocks/writeblocks: 0, or a negative errno (-ALIF_EINVAL for a range or length that breaks
// the rules, in which case nothing was touched).
int flash_region_readblocks(const flash_region_t *region, int64_t block_num, uint8_t *buf,
                            size_t len);
int flash_region_readblocks_ext(const flash_region_t *region, int64_t block_num, int64_t offset,
                                uint8_t *buf, size_t len);
// A buf that lies in the flash's XIP window (a view of the flash) is copied through bounce, a
// FLASH_BLOCK_SIZE buffer in RAM that the caller lends only then (flash_region_source_in_flash):
// -ALIF_ENOMEM, touching nothing, when it is needed and NULL.
int flash_region_writeblocks(const flash_region_t *region, int64_t block_num, const uint8_t *buf,
                             size_t len, uint8_t *bounce);
int flash_region_writeblocks_ext(const flash_region_t *region, int64_t block_num, int64_t offset,
                                 const uint8_t *buf, size_t len, uint8_t *bounce);

// True when buf overlaps the flash's XIP window: a write from it needs a bounce block.
bool flash_region_source_in_flash(const flash_region_t *region, const uint8_t *buf, size_t len);

// Blanks the blocks that [offset, offset + len) of the region touches (none for len 0), with the
// biggest erase units that fit and events handled between them (an 8 MiB ROMFS prepare): 0, a
// negative errno, or -ALIF_EINVAL for a range outside the region, in which case nothing was
// touched.
int flash_region_erase(const flash_region_t *region, int64_t offset, int64_t len);

// True when [offset, offset + len) lies inside a span of span_len bytes, for any int64 inputs:
// the range rule of the region layer, of the port's services, and of ROMFS segments that are not
// on the flash (MRAM).
bool flash_span_inside(uint32_t span_len, int64_t offset, int64_t len);

// false when cmd is not a block-device ioctl (the bindings return None); else *result is set.
bool flash_region_ioctl(const flash_region_t *region, int64_t cmd, int64_t arg, int64_t *result);

// The region as the XIP window shows it: zero-copy, read-only, always current.
const uint8_t *flash_region_xip(const flash_region_t *region);

// "Flash(start=0, len=16777216)"; returns what snprintf returns.
int flash_region_repr(const flash_region_t *region, char *buf, size_t buf_len);

#endif // ALIF_FLASH_REGION_H
