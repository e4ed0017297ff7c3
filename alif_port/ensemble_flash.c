// SPDX-License-Identifier: MIT
// alif_flash_port.h on the Ensemble: the board's OSPI flash through ensemble/ospi_bus.c.
//
// The port has already muxed the OSPI pins and may have brought the part up itself at boot
// (ROMFS, USB MSC). This glue starts from a reset of the part, so that it finds the part by its
// 1S JEDEC ID as on a cold board, and leaves the controller in XIP mode as the port expects.
#include <stdio.h>

#include "alif_errno.h"
#include "py/mphal.h"
#include "ospi_flash.h" // the board's ospi_pin_settings
#include "clk.h"        // GetSystemAXIClock
#include ALIF_CMSIS_H

#include "alif_flash_port.h"
#include "ensemble_clock.h"
#include "nor_flash.h"
#include "ospi_bus.h"
#include "ospi_regs.h"

#if MICROPY_HW_ENABLE_OSPI

// A slow clock for the 1S probe, which every part answers at any speed; then the board's rate.
#define PROBE_SCLK_HZ (100000u)
#ifndef MICROPY_HW_OSPI_SCLK_HZ
#define MICROPY_HW_OSPI_SCLK_HZ (100000000u)
#endif

// DDR sampling delays for the board's traces (ospi_xip_user.h of the board).
#include "ospi_xip_user.h"

static ospi_bus_t ensemble_ospi;
static flash_bus_t ensemble_bus;
static nor_flash_t ensemble_nor;
static flash_storage_t ensemble_storage;
static int ensemble_status = 1; // 1 until the first call
static char ensemble_message[96];

static void ensemble_delay_ns(void *ctx, uint64_t ns) {
    (void)ctx;
    mp_hal_delay_us((mp_uint_t)((ns + 999) / 1000));
}

// Programs and erases change flash behind the data cache's back.
static void ensemble_invalidate_xip(void *ctx, uint32_t addr, uint32_t len) {
    (void)ctx;
    SCB_InvalidateDCache_by_Addr((void *)(ensemble_storage.xip_base + addr), (int32_t)len);
}

static int ensemble_flash_bring_up(void) {
    const ospi_pin_settings_t *pins = &ospi_pin_settings;
    bool unit0 = pins->peripheral_number == 0;
    mp_hal_pin_output(pins->pin_reset);
    mp_hal_pin_low(pins->pin_reset);
    mp_hal_delay_us(100);
    mp_hal_pin_high(pins->pin_reset);
    mp_hal_delay_us(1000);

    ospi_bus_config_t config = {
        .regs_base = unit0 ? ALIF_OSPI0_REGS_BASE : ALIF_OSPI1_REGS_BASE,
        .aes_base = unit0 ? ALIF_OSPI0_AES_BASE : ALIF_OSPI1_AES_BASE,
        .ser = 1,
        .axi_clock_hz = GetSystemAXIClock(),
        .sclk_hz = PROBE_SCLK_HZ,
        .rx_sample_delay = OSPI_XIP_RX_SAMPLE_DELAY,
        .ddr_drive_edge = OSPI_XIP_DDR_DRIVE_EDGE,
        .rxds_delay = OSPI_XIP_RXDS_DELAY,
        .now_ns = ensemble_now_ns,
        .delay_ns = ensemble_delay_ns,
        .invalidate_xip = ensemble_invalidate_xip,
        .ctx = &ensemble_ospi,
    };
    ospi_bus_init(&ensemble_ospi, &config, &ensemble_bus);
    ensemble_storage = (flash_storage_t){
        .nor = &ensemble_nor,
        .xip_base = (const uint8_t *)(unit0 ? ALIF_OSPI0_XIP_BASE : ALIF_OSPI1_XIP_BASE),
        .base = MICROPY_HW_FLASH_STORAGE_BASE_ADDR,
        .len = MICROPY_HW_FLASH_STORAGE_BYTES,
        .fs_len = MICROPY_HW_FLASH_STORAGE_FS_BYTES,
    };
    int ret = nor_flash_init(&ensemble_nor, &ensemble_bus);
    if (ret == -ALIF_ENODEV) {
        uint32_t id = ensemble_nor.jedec_id;
        snprintf(ensemble_message, sizeof(ensemble_message),
                 "flash part not recognised: JEDEC ID %02x %02x %02x", (unsigned)(id >> 16) & 0xff,
                 (unsigned)(id >> 8) & 0xff, (unsigned)id & 0xff);
        return ret;
    } else if (ret != 0) {
        snprintf(ensemble_message, sizeof(ensemble_message), "flash part did not start");
        return ret;
    }
    ospi_bus_set_clock(&ensemble_ospi, MICROPY_HW_OSPI_SCLK_HZ);
    flash_bus_op_t read_op = nor_flash_read_op(&ensemble_nor);
    ret = ospi_bus_xip_enable(&ensemble_ospi, &read_op);
    if (ret != 0) {
        snprintf(ensemble_message, sizeof(ensemble_message),
                 "the XIP engine cannot read this part");
        return ret;
    }
    return flash_storage_check(&ensemble_storage, ensemble_message, sizeof(ensemble_message));
}

int alif_flash_storage_get(flash_storage_t **storage, const char **message) {
    if (ensemble_status == 1) {
        ensemble_status = ensemble_flash_bring_up();
    }
    *storage = ensemble_status == 0 ? &ensemble_storage : NULL;
    *message = ensemble_message;
    return ensemble_status;
}

#endif // MICROPY_HW_ENABLE_OSPI
