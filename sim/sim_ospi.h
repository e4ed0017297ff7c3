// SPDX-License-Identifier: MIT
// A register model of Ensemble's OSPI controller (DW_apb_ssi in octal DDR, with its AES/XIP
// block) with a flash part model on its chip select, so that ensemble/ospi_bus.c runs in CI as it
// runs on silicon.
//
// What it enforces, as the controller does:
// - CTRLR0, CTRLR1, SPI_CTRLR0, BAUDR and the XIP registers only take writes while SSIENR is 0;
//   DR only while it is 1; disabling empties both FIFOs;
// - a transfer starts when SER is written with the TX FIFO holding frames, and takes the FIFO
//   as it is then: a command pushed after SER is another transfer;
// - the FIFOs hold 256 frames; a push past that is lost, and so are received frames that find
//   the RX FIFO full unless clock stretching is on;
// - a plain SPI byte stream is cut into phases by the part, as a real part does; an enhanced
//   transfer is framed by SPI_CTRLR0 (16-bit DDR instruction, address length, wait cycles);
// - the XIP window reads with XIP_CTRL's framing and XIP_INCR_INST, and only while XIP is
//   enabled in the AES block and CTRLR0 holds a frame format the XIP engine can run;
// - the part is clocked at the SCLK that BAUDR divides from the controller's input clock.
#ifndef ALIF_SIM_OSPI_H
#define ALIF_SIM_OSPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_nor.h"

typedef struct {
    uint64_t transfers;      // transactions handed to the part
    uint64_t ignored_writes; // register writes the controller dropped (locked or disabled)
    uint64_t fifo_overflows; // frames lost at either FIFO
    uint64_t unsupported;    // framings the model does not know (and the driver must not use)
} sim_ospi_stats_t;

typedef struct sim_ospi sim_ospi_t;

// Claims a free pair of register windows (OSPI0's own addresses when they are free) for a
// controller with this part on its chip select, whose input clock (ssi_clk, which BAUDR divides
// into SCLK) is input_clock_hz.
sim_ospi_t *sim_ospi_new(sim_nor_t *nor, uint32_t input_clock_hz);
void sim_ospi_free(sim_ospi_t *ospi);

uintptr_t sim_ospi_regs_base(const sim_ospi_t *ospi);
uintptr_t sim_ospi_aes_base(const sim_ospi_t *ospi);
const sim_ospi_stats_t *sim_ospi_stats(const sim_ospi_t *ospi);

// A read of the XIP window as the XIP engine makes it; -ALIF_EIO when the engine is not set up to
// run (the read would fault or return garbage on silicon).
int sim_ospi_xip_read(sim_ospi_t *ospi, uint32_t addr, uint8_t *buf, size_t len);

// A controller whose transfers never finish, to test the driver's time-outs.
void sim_ospi_set_stuck(sim_ospi_t *ospi, bool stuck);

#endif // ALIF_SIM_OSPI_H
