// SPDX-License-Identifier: MIT
// A part read the way stock MicroPython reads it (1c3c2011: ports/alif/ospi_flash.c,
// ospi_ext.c, ospi_flash_settings.h and the boards' ospi_flash_settings tables), so that the
// benchmark can time the same XIP read with stock's dummy cycles and framing beside the driver's:
// a part model of its own, switched to 8D-8D-8D by stock's register writes, behind a controller
// model whose XIP engine holds stock's settings.
#ifndef ALIF_BENCH_STOCK_READ_H
#define ALIF_BENCH_STOCK_READ_H

#include <stddef.h>
#include <stdint.h>

#include "sim_nor.h"
#include "sim_ospi.h"

typedef struct {
    const sim_nor_part_t *part;
    uint8_t read_dummy_cycles; // stock's, from its board table
    uint8_t *mem;
    sim_nor_t *model;
    sim_ospi_t *controller;
} bench_stock_t;

// Brings the part up at clock_hz as stock does, holding content in its first len bytes (the rest
// erased). 0, or -ALIF_ENODEV when stock has no settings for the part, -ALIF_ENOMEM.
int bench_stock_open(bench_stock_t *s, const sim_nor_part_t *part, uint32_t clock_hz,
                     const uint8_t *content, size_t len);
void bench_stock_close(bench_stock_t *s);

#endif // ALIF_BENCH_STOCK_READ_H
