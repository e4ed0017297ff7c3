// SPDX-License-Identifier: MIT
// A part driven the way stock MicroPython drives it (1c3c2011: ports/alif/ospi_flash.c,
// ospi_ext.c, ospi_flash_settings.h and the boards' ospi_flash_settings tables): a part model of
// its own, switched to 8D-8D-8D by stock's register writes, behind a controller model whose XIP
// engine holds stock's settings. The benchmark times the same XIP read with stock's dummy cycles
// and framing beside the driver's; the stock-port oracle (tests/c/test_stock_port.c) checks the
// models against what stock firmware reads and programs on the boards today.
#ifndef ALIF_BENCH_STOCK_READ_H
#define ALIF_BENCH_STOCK_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_nor.h"
#include "sim_ospi.h"

// One part's row of stock's settings, each field named after stock's own.
typedef struct {
    const char *part;
    bool macronix; // .flash_init: ospi_flash_mx_init's mode switch, not ospi_flash_issi_init's
    bool rxds;
    bool bswap16;
    uint16_t write_en;
    uint16_t read_command;
    uint16_t write_command;
    uint32_t inst_len;     // .inst_len, as the controller's INST_L code
    uint32_t xip_dfs_bits; // .xip_data_len
    uint8_t read_dummy_cycles;
} bench_stock_settings_t;

typedef struct {
    const sim_nor_part_t *part;
    const bench_stock_settings_t *set;
    uint8_t read_dummy_cycles; // stock's, from its board table
    uint8_t *mem;
    sim_nor_t *model;
    sim_ospi_t *controller;
} bench_stock_t;

// Brings the part up at clock_hz as stock does, holding content in its first len bytes (the rest
// erased), and leaves the controller in XIP. 0, or -ALIF_ENODEV when stock has no settings for the
// part, -ALIF_ENOMEM, or the part model's error for a command of stock's mode switch.
int bench_stock_open(bench_stock_t *s, const sim_nor_part_t *part, uint32_t clock_hz,
                     const uint8_t *content, size_t len);
void bench_stock_close(bench_stock_t *s);

// Stock's XIP entry, again (after bench_stock_write_page, which leaves XIP).
void bench_stock_xip_enter(const bench_stock_t *s);

// Stock's page program of len bytes at addr, then time past any page program. 0, or -ALIF_EINVAL
// (nothing sent) unless len is a multiple of 4 and at most 256, the pages of every part here.
int bench_stock_write_page(const bench_stock_t *s, uint32_t addr, const uint8_t *src, size_t len);

#endif // ALIF_BENCH_STOCK_READ_H
