// SPDX-License-Identifier: MIT
// The firmware's one OSPI flash driver on the Ensemble: alif_flash_port.h for alif.Flash, and
// the entry points the port's boot and stop mode call by their stock names (ports/alif
// ospi_flash.h: ospi_flash_init from main.c, ospi_flash_sleep from OPENMV_AE3's board.c).
//
// The part is brought up once, at boot, by flash_bring_up (the sequence CI runs on the simulated
// board); alif.Flash, ROMFS and the USB disk then share its XIP set-up and never reset the part
// again.
#include "py/mphal.h"
#include "py/runtime.h"
#include "ospi_flash.h" // the board's ospi_pin_settings
#include "clk.h"        // GetSystemAXIClock
#include ALIF_CMSIS_H

#include "alif_flash_port.h"
#include "alif_lazy.h"
#include "ensemble_clock.h"
#include "flash_bring_up.h"
#include "flash_services.h"
#include "modalif_mp.h"
#include "ospi_regs.h"

#if MICROPY_HW_ENABLE_OSPI

// The board's geometry as mpconfigboard.h gives it, checked where a mistake costs a build rather
// than a board that stops at boot: whole blocks, the filesystem region inside the storage region
// (flash_storage_check runs the same rules on the simulated boards, whose size can be changed).
_Static_assert(MICROPY_HW_FLASH_STORAGE_BASE_ADDR % FLASH_BLOCK_SIZE == 0 &&
                   MICROPY_HW_FLASH_STORAGE_BYTES % FLASH_BLOCK_SIZE == 0 &&
                   MICROPY_HW_FLASH_STORAGE_FS_BYTES % FLASH_BLOCK_SIZE == 0,
               "the flash storage geometry is not whole blocks");
_Static_assert(MICROPY_HW_FLASH_STORAGE_FS_BYTES > 0 &&
                   MICROPY_HW_FLASH_STORAGE_FS_BYTES <= MICROPY_HW_FLASH_STORAGE_BYTES,
               "the flash filesystem region is not inside the storage region");

#ifndef MICROPY_HW_OSPI_SCLK_HZ
// Every board.c in ports/alif gives freq_hz 100 MHz for every part.
#define MICROPY_HW_OSPI_SCLK_HZ (100000000u)
#endif

// DDR sampling delays for the board's traces (ospi_xip_user.h of the board).
#include "ospi_xip_user.h"

static ospi_bus_t ensemble_ospi;
static flash_bus_t ensemble_bus;
static nor_flash_t ensemble_nor;
static flash_storage_t ensemble_storage;
static alif_lazy_t ensemble_lazy;
static char ensemble_message[96];

// Rounded down: the NOR layer's pauses between status reads are fractions of the time already
// waited, under a microsecond at first for a fast part (the EM064LX's writes), and a status read
// through the controller takes about that itself; rounded up, each would cost a microsecond more
// than the part takes.
static void ensemble_delay_ns(void *ctx, uint64_t ns) {
    (void)ctx;
    if (ns >= 1000) {
        mp_hal_delay_us((mp_uint_t)(ns / 1000));
    }
}

// Programs and erases change flash behind the data cache's back.
static void ensemble_invalidate_xip(void *ctx, uint32_t addr, uint32_t len) {
    (void)ctx;
    SCB_InvalidateDCache_by_Addr((void *)(ensemble_storage.xip_base + addr), (int32_t)len);
}

// The pin set-up of ports/alif/ospi_flash.c ospi_flash_init: every OSPI signal on its
// alternate function of the board's OSPI unit, 12 mA, fast edges except chip select, D2 pulled
// up, input enabled on the lines the part drives. Optional pins are NULL in board.c.
static void ensemble_flash_pins(const ospi_pin_settings_t *pins) {
    const struct {
        mp_hal_pin_obj_t pin;
        uint8_t function;
        bool input;
    } signals[] = {
        {pins->pin_cs, MP_HAL_PIN_ALT_OSPI_SS0, false},
        {pins->pin_clk_p, MP_HAL_PIN_ALT_OSPI_SCLK, false},
        {pins->pin_clk_n, MP_HAL_PIN_ALT_OSPI_SCLKN, false},
        {pins->pin_rwds, MP_HAL_PIN_ALT_OSPI_RXDS, true},
        {pins->pin_d0, MP_HAL_PIN_ALT_OSPI_D0, true},
        {pins->pin_d1, MP_HAL_PIN_ALT_OSPI_D1, true},
        {pins->pin_d2, MP_HAL_PIN_ALT_OSPI_D2, true},
        {pins->pin_d3, MP_HAL_PIN_ALT_OSPI_D3, true},
        {pins->pin_d4, MP_HAL_PIN_ALT_OSPI_D4, true},
        {pins->pin_d5, MP_HAL_PIN_ALT_OSPI_D5, true},
        {pins->pin_d6, MP_HAL_PIN_ALT_OSPI_D6, true},
        {pins->pin_d7, MP_HAL_PIN_ALT_OSPI_D7, true},
    };
    for (size_t i = 0; i < MP_ARRAY_SIZE(signals); i++) {
        if (signals[i].pin == NULL) {
            continue;
        }
        bool cs = signals[i].function == MP_HAL_PIN_ALT_OSPI_SS0;
        bool d2 = signals[i].function == MP_HAL_PIN_ALT_OSPI_D2;
        mp_hal_pin_config(
            signals[i].pin, MP_HAL_PIN_MODE_ALT, d2 ? MP_HAL_PIN_PULL_UP : MP_HAL_PIN_PULL_NONE,
            cs ? MP_HAL_PIN_SPEED_LOW : MP_HAL_PIN_SPEED_HIGH, MP_HAL_PIN_DRIVE_12MA,
            MP_HAL_PIN_ALT_MAKE(signals[i].function, pins->peripheral_number), signals[i].input);
    }
}

static int ensemble_flash_bring_up(void) {
    const ospi_pin_settings_t *pins = &ospi_pin_settings;
    bool unit0 = pins->peripheral_number == 0;
    ensemble_flash_pins(pins);
    // A cold part answers its JEDEC ID in 1S whatever firmware ran before (ospi_flash.c: 100 us
    // low, then 1 ms before the first command).
    mp_hal_pin_output(pins->pin_reset);
    mp_hal_pin_low(pins->pin_reset);
    mp_hal_delay_us(100);
    mp_hal_pin_high(pins->pin_reset);
    mp_hal_delay_us(1000);

    flash_bring_up_config_t config = {
        .ospi =
            {
                .regs_base = unit0 ? ALIF_OSPI0_REGS_BASE : ALIF_OSPI1_REGS_BASE,
                .aes_base = unit0 ? ALIF_OSPI0_AES_BASE : ALIF_OSPI1_AES_BASE,
                .ser = 1,
                .axi_clock_hz = GetSystemAXIClock(),
                .rx_sample_delay = OSPI_XIP_RX_SAMPLE_DELAY,
                .ddr_drive_edge = OSPI_XIP_DDR_DRIVE_EDGE,
                .rxds_delay = OSPI_XIP_RXDS_DELAY,
                .now_ns = ensemble_now_ns,
                .delay_ns = ensemble_delay_ns,
                .invalidate_xip = ensemble_invalidate_xip,
                .ctx = &ensemble_ospi,
            },
        .sclk_hz = MICROPY_HW_OSPI_SCLK_HZ,
        .storage =
            {
                .xip_base = (const uint8_t *)(unit0 ? ALIF_OSPI0_XIP_BASE : ALIF_OSPI1_XIP_BASE),
                .base = MICROPY_HW_FLASH_STORAGE_BASE_ADDR,
                .len = MICROPY_HW_FLASH_STORAGE_BYTES,
                .fs_len = MICROPY_HW_FLASH_STORAGE_FS_BYTES,
                .between_steps = alif_mp_between_steps,
            },
    };
    return flash_bring_up(&config, &ensemble_ospi, &ensemble_bus, &ensemble_nor, &ensemble_storage,
                          ensemble_message, sizeof(ensemble_message));
}

int alif_flash_storage_get(flash_storage_t **storage, const char **message) {
    int ret = alif_lazy(&ensemble_lazy, ensemble_flash_bring_up);
    *storage = ret == 0 ? &ensemble_storage : NULL;
    *message = ensemble_message;
    return ret;
}

int ospi_flash_init(void) {
    int ret = alif_lazy(&ensemble_lazy, ensemble_flash_bring_up);
    if (ret != 0) {
        // main.c then stops with its own words only ("ospi_init failed"): say why first, on the
        // console its panic writes to.
        mp_hal_stdout_tx_str(ensemble_message);
        mp_hal_stdout_tx_str("\r\n");
    }
    return ret;
}

void ospi_flash_sleep(void) {
    flash_storage_t *storage;
    const char *message;
    if (alif_flash_storage_get(&storage, &message) == 0) {
        nor_flash_power_down(storage->nor);
    }
}

#endif // MICROPY_HW_ENABLE_OSPI
