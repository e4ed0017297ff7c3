// SPDX-License-Identifier: MIT
#include <stdio.h>

#include "alif_errno.h"
#include "flash_bring_up.h"

// What bring-up found wrong with a part it knows, in one line.
static void say_refusal(const nor_flash_t *nor, char *err, size_t err_len) {
    const nor_refusal_t *r = &nor->refusal;
    snprintf(err, err_len,
             r->found != 0 || r->expected != 0
                 ? "flash part %s: %s %lu (0x%lx), expected %lu (0x%lx)"
                 : "flash part %s: unusable SFDP: %s",
             nor->part->name, r->what, (unsigned long)r->found, (unsigned long)r->found,
             (unsigned long)r->expected, (unsigned long)r->expected);
}

int flash_bring_up(const flash_bring_up_config_t *config, ospi_bus_t *ospi, flash_bus_t *bus,
                   nor_flash_t *nor, flash_storage_t *storage, char *err, size_t err_len) {
    ospi_bus_config_t probe = config->ospi;
    probe.sclk_hz = FLASH_PROBE_SCLK_HZ;
    ospi_bus_init(ospi, &probe, bus);
    *storage = config->storage;
    storage->nor = nor;
    int ret = nor_flash_init(nor, bus, config->sclk_hz);
    if (ret == -ALIF_ENODEV) {
        uint32_t id = nor->jedec_id;
        snprintf(err, err_len, "flash part not recognised: JEDEC ID %02x %02x %02x",
                 (unsigned)(id >> 16) & 0xff, (unsigned)(id >> 8) & 0xff, (unsigned)id & 0xff);
        return ret;
    }
    if (ret == 0) {
        ospi_bus_set_clock(ospi, config->sclk_hz);
        // The part answered at the probe clock; the board's traces must carry the board's too,
        // before anyone reads through XIP.
        ret = nor_flash_check_id(nor);
    }
    if (ret == 0) {
        flash_bus_op_t read_op = nor_flash_read_op(nor);
        ret = ospi_bus_xip_enable(ospi, &read_op);
    }
    if (nor->refusal.what != NULL) {
        say_refusal(nor, err, err_len);
    } else if (ret != 0) {
        // MicroPython's errno numbers (alif_errno.h), which the C library's strerror does not know.
        snprintf(err, err_len, "flash did not start: error %d", ret);
    }
    if (ret != 0) {
        return ret;
    }
    return flash_storage_check(storage, err, err_len);
}
