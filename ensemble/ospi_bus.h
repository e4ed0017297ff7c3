// SPDX-License-Identifier: MIT
// flash_bus_t on Ensemble's OSPI controller (DW_apb_ssi with octal DDR and XIP).
//
// 1S-1S-1S transactions go out as standard SPI bytes; 8D-8D-8D ones in the controller's
// enhanced mode, where it frames the instruction, address and wait cycles itself. After each
// transaction the controller is handed back to the XIP engine, so the XIP window keeps working
// between commands. Every register access goes through reg_access.h.
#ifndef ALIF_OSPI_BUS_H
#define ALIF_OSPI_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "flash_bus.h"

typedef struct {
    uintptr_t regs_base;   // ALIF_OSPI0_REGS_BASE or ALIF_OSPI1_REGS_BASE
    uintptr_t aes_base;    // the AES block of the same instance
    uint32_t ser;          // the slave-select bit the flash hangs on
    uint32_t axi_clock_hz; // the controller's input clock
    uint32_t sclk_hz;      // the flash clock wanted; rounded down to what the divider gives
    // Board timing for DDR sampling (the port's ospi_xip_user.h).
    uint8_t rx_sample_delay;
    uint8_t ddr_drive_edge;
    uint8_t rxds_delay;
    // The platform's clock and cache maintenance, passed through to flash_bus_t.
    uint64_t (*now_ns)(void *ctx);
    void (*delay_ns)(void *ctx, uint64_t ns);
    void (*invalidate_xip)(void *ctx, uint32_t addr, uint32_t len);
    void *ctx;
} ospi_bus_config_t;

typedef struct {
    ospi_bus_config_t config;
    uint32_t xip_ctrlr0; // what CTRLR0 must hold for the XIP engine to run; 0 while XIP is off
} ospi_bus_t;

// Disables XIP, sets the clock and the sampling delays, and fills *bus with this controller.
void ospi_bus_init(ospi_bus_t *ospi, const ospi_bus_config_t *config, flash_bus_t *bus);

// Changes the flash clock, e.g. from a slow probe clock to the part's rated one.
void ospi_bus_set_clock(ospi_bus_t *ospi, uint32_t sclk_hz);

// Lets reads of the XIP window run read_op's command (its address and data are ignored):
// an 8D-8D-8D read. -ALIF_EINVAL for a framing the XIP engine cannot do.
int ospi_bus_xip_enable(ospi_bus_t *ospi, const flash_bus_op_t *read_op);

#endif // ALIF_OSPI_BUS_H
