// SPDX-License-Identifier: MIT
// The USB mass-storage disk of the Alif port (TinyUSB's callbacks, in place of the port's
// msc_disk.c): the filesystem region, read and written through core/flash_services.c, which
// refuses any block outside it.
#include <string.h>

#include "py/mpconfig.h"
#include "py/misc.h"
#include "tusb.h"

#include "alif_flash_port.h"
#include "alif_lazy.h"
#include "flash_services.h"

#if CFG_TUD_MSC

// FAT's sector is the flash block, so that the host's writes are whole erase units (ports/alif
// msc_disk.c asks the same).
#if MICROPY_FATFS_MAX_SS != MICROPY_HW_FLASH_BLOCK_SIZE_BYTES
#error MICROPY_FATFS_MAX_SS must be the same size as MICROPY_HW_FLASH_BLOCK_SIZE_BYTES
#endif
_Static_assert(MICROPY_HW_FLASH_BLOCK_SIZE_BYTES == FLASH_BLOCK_SIZE, "block size");

static bool msc_ejected;

static flash_msc_t msc;

static int msc_set_up(void) {
    flash_storage_t *storage;
    const char *message;
    int ret = alif_flash_storage_get(&storage, &message);
    return ret != 0 ? ret : flash_msc_init(&msc, storage);
}

// The filesystem region, which alif.Flash() covers too; NULL when the flash did not come up or
// the filesystem region does not fit in the part.
static const flash_msc_t *msc_disk(void) {
    static alif_lazy_t lazy;
    return alif_lazy(&lazy, msc_set_up) == 0 ? &msc : NULL;
}

static void msc_copy_text(uint8_t *dest, const char *text, size_t size) {
    memcpy(dest, text, MIN(strlen(text), size));
}

void tud_msc_inquiry_cb(uint8_t lun, uint8_t vendor_id[8], uint8_t product_id[16],
                        uint8_t product_rev[4]) {
    (void)lun;
    msc_copy_text(vendor_id, MICROPY_HW_USB_MSC_INQUIRY_VENDOR_STRING, 8);
    msc_copy_text(product_id, MICROPY_HW_USB_MSC_INQUIRY_PRODUCT_STRING, 16);
    msc_copy_text(product_rev, MICROPY_HW_USB_MSC_INQUIRY_REVISION_STRING, 4);
}

bool tud_msc_test_unit_ready_cb(uint8_t lun) {
    if (msc_ejected || msc_disk() == NULL) {
        // "Medium not present" (SCSI ASC 3Ah), as the stock port answers after an eject.
        tud_msc_set_sense(lun, SCSI_SENSE_NOT_READY, 0x3a, 0x00);
        return false;
    }
    return true;
}

void tud_msc_capacity_cb(uint8_t lun, uint32_t *block_count, uint16_t *block_size) {
    (void)lun;
    const flash_msc_t *disk = msc_disk();
    *block_size = FLASH_BLOCK_SIZE;
    *block_count = disk != NULL ? flash_msc_block_count(disk) : 0;
}

bool tud_msc_start_stop_cb(uint8_t lun, uint8_t power_condition, bool start, bool load_eject) {
    (void)lun;
    (void)power_condition;
    if (load_eject) {
        msc_ejected = !start;
    }
    return true;
}

int32_t tud_msc_read10_cb(uint8_t lun, uint32_t lba, uint32_t offset, void *buffer,
                          uint32_t bufsize) {
    (void)lun;
    const flash_msc_t *disk = msc_disk();
    return disk != NULL ? flash_msc_read(disk, lba, offset, buffer, bufsize) : -1;
}

int32_t tud_msc_write10_cb(uint8_t lun, uint32_t lba, uint32_t offset, uint8_t *buffer,
                           uint32_t bufsize) {
    (void)lun;
    const flash_msc_t *disk = msc_disk();
    return disk != NULL ? flash_msc_write(disk, lba, offset, buffer, bufsize) : -1;
}

int32_t tud_msc_scsi_cb(uint8_t lun, uint8_t const scsi_cmd[16], void *buffer, uint16_t bufsize) {
    (void)buffer;
    (void)bufsize;
    if (scsi_cmd[0] == SCSI_CMD_PREVENT_ALLOW_MEDIUM_REMOVAL) {
        // Every write is on the flash before it returns: nothing to sync.
        return 0;
    }
    // "Invalid command operation code" (SCSI ASC 20h); negative makes TinyUSB fail the command.
    tud_msc_set_sense(lun, SCSI_SENSE_ILLEGAL_REQUEST, 0x20, 0x00);
    return -1;
}

#endif // CFG_TUD_MSC
