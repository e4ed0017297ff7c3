// SPDX-License-Identifier: MIT
// The stock port as an oracle. Stock MicroPython runs on these boards today with its own
// settings (ports/alif/ospi_flash_settings.h, boards/*/board.c) and data written by 1S tools
// reads right there. Driving the controller and part models with exactly those settings, a
// 1S-written image must read natural through XIP, and what the stock sequence programs must
// land in 1S order. If this fails, the models are wrong, not the stock port.
#include <stdlib.h>
#include <string.h>

#include "ospi_regs.h"
#include "reg_access.h"
#include "support.h"

// One row of the stock port's settings table for a part.
typedef struct {
    const char *part;
    bool macronix;
    uint16_t read_command, write_command, write_en;
    uint32_t inst_len; // SPI_CTRLR0/XIP_CTRL INST_L code
    uint32_t xip_dfs_bits;
    bool bswap16;
    uint8_t read_dummy_cycles; // boards/OPENMV_AE3/board.c
    // The clock this oracle runs the part at: stock's 100 MHz (board.c freq_hz), except where
    // stock's dummy cycles are below the part's datasheet there: the IS25WX's 9 are good to
    // 95 MHz (datasheet Table 6.7), so at 100 MHz the model rightly answers late.
    uint32_t clock_hz;
} stock_t;

static const stock_t stock[] = {
    {"MX25UM25645G", true, 0xee11, 0x12ed, 0x06f9, OSPI_INST_L_16_BITS, 16, true, 10, 100000000},
    {"IS25WX256", false, 0xfd, 0xc2, 0x06, OSPI_INST_L_8_BITS, 8, false, 9, 95000000},
    {"EM064LX", false, 0xfd, 0xc2, 0x06, OSPI_INST_L_8_BITS, 8, false, 7, 100000000},
};

typedef struct {
    uint8_t *mem;
    sim_nor_t *nor;
    flash_bus_t part;
    sim_ospi_t *ospi;
    uintptr_t regs;
} rig_t;

static void wr(const rig_t *r, uint32_t offset, uint32_t value) {
    reg_write32(r->regs + offset, value);
}

static void part_1s(rig_t *r, flash_bus_op_t op) {
    assert_int_equal(r->part.exec(r->part.ctx, &op), 0);
}

// ospi_flash_issi_init / ospi_flash_mx_init: 1S write-enable, then the dummy cycles, then the
// mode, each a volatile register write (sent here straight to the part: the stock port's
// full-duplex SPI transfer is not what this test is about).
static void stock_enter_octal(rig_t *r, const stock_t *s) {
    uint8_t values[2] = {s->macronix ? (uint8_t)((20 - s->read_dummy_cycles) / 2)
                                     : s->read_dummy_cycles,
                         s->macronix ? 0x02 : 0xe7};
    uint32_t addrs[2] = {s->macronix ? 0x300u : 1u, 0};
    for (int i = 0; i < 2; i++) {
        part_1s(r, flash_op_1s(0x06));
        flash_bus_op_t op = flash_op_1s(s->macronix ? 0x72 : 0x81);
        flash_op_addr(&op, s->macronix ? 4 : 3, addrs[i]);
        flash_op_data_out(&op, &values[i], 1);
        part_1s(r, op);
    }
}

static uint32_t spi_ctrlr0(const stock_t *s, uint32_t addr_l) {
    return OSPI_TRANS_TYPE_ALL_IN_FRF << OSPI_SPI_CTRLR0_TRANS_TYPE_SHIFT |
           OSPI_SPI_CTRLR0_SPI_DDR_EN | s->inst_len << OSPI_SPI_CTRLR0_INST_L_SHIFT |
           addr_l << OSPI_SPI_CTRLR0_ADDR_L_SHIFT |
           (s->inst_len == OSPI_INST_L_16_BITS ? OSPI_SPI_CTRLR0_INST_DDR_EN : 0) |
           (s->macronix ? OSPI_SPI_CTRLR0_SPI_RXDS_EN : 0);
}

// ospi_setup_write_ext, then the pushes and SER: a transmit-only octal transfer.
static void stock_send(const rig_t *r, const stock_t *s, uint32_t dfs_bits, uint32_t addr_l,
                       const uint32_t *frames, size_t count) {
    wr(r, OSPI_SER, 0);
    wr(r, OSPI_SSIENR, 0);
    wr(r, OSPI_CTRLR0,
       OSPI_CTRLR0_IS_MST | OSPI_SPI_FRF_OCTAL << OSPI_CTRLR0_SPI_FRF_SHIFT |
           OSPI_TMOD_TX_ONLY << OSPI_CTRLR0_TMOD_SHIFT | OSPI_CTRLR0_DFS(dfs_bits));
    wr(r, OSPI_CTRLR1, 0);
    wr(r, OSPI_SPI_CTRLR0, spi_ctrlr0(s, addr_l));
    wr(r, OSPI_SSIENR, 1);
    for (size_t i = 0; i < count; i++) {
        wr(r, OSPI_DR, frames[i]);
    }
    wr(r, OSPI_SER, 1);
}

// ospi_xip_enter_ext with the part's read command, frame size and dummy cycles.
static void stock_xip_enter(const rig_t *r, const stock_t *s) {
    wr(r, OSPI_SER, 0);
    wr(r, OSPI_SSIENR, 0);
    wr(r, OSPI_CTRLR0,
       OSPI_CTRLR0_IS_MST | OSPI_SPI_FRF_OCTAL << OSPI_CTRLR0_SPI_FRF_SHIFT |
           OSPI_TMOD_RX_ONLY << OSPI_CTRLR0_TMOD_SHIFT | OSPI_CTRLR0_DFS(s->xip_dfs_bits));
    wr(r, OSPI_XIP_CTRL,
       OSPI_SPI_FRF_OCTAL << OSPI_XIP_CTRL_FRF_SHIFT |
           OSPI_TRANS_TYPE_ALL_IN_FRF << OSPI_XIP_CTRL_TRANS_TYPE_SHIFT |
           8u << OSPI_XIP_CTRL_ADDR_L_SHIFT | s->inst_len << OSPI_XIP_CTRL_INST_L_SHIFT |
           (uint32_t)s->read_dummy_cycles << OSPI_XIP_CTRL_WAIT_CYCLES_SHIFT |
           OSPI_XIP_CTRL_DFS_HC | OSPI_XIP_CTRL_DDR_EN | OSPI_XIP_CTRL_RXDS_EN |
           OSPI_XIP_CTRL_INST_EN | OSPI_XIP_CTRL_CONT_XFER_EN | OSPI_XIP_CTRL_RXDS_SIG_EN |
           (s->inst_len == OSPI_INST_L_16_BITS ? OSPI_XIP_CTRL_INST_DDR_EN : 0));
    wr(r, OSPI_XIP_MODE_BITS, 0);
    wr(r, OSPI_XIP_INCR_INST, s->read_command);
    wr(r, OSPI_XIP_WRAP_INST, s->read_command);
    wr(r, OSPI_XIP_SER, 1);
    wr(r, OSPI_XIP_CNT_TIME_OUT, OSPI_XIP_CNT_TIME_OUT_CLOCKS);
    wr(r, OSPI_SSIENR, 1);
    reg_write32(sim_ospi_aes_base(r->ospi) + OSPI_AES_CONTROL, OSPI_AES_CONTROL_XIP_EN);
}

static uint32_t ror16(uint32_t w) {
    return w >> 16 | w << 16;
}

static uint32_t rev(uint32_t w) {
    return w >> 24 | (w >> 8 & 0xff00) | (w << 8 & 0xff0000) | w << 24;
}

// ospi_flash_write_page: write-enable, then 32-bit frames of the source read as little-endian
// words, __ROR(w, 16) for bswap16 parts and __REV(w) for the others.
static void stock_write_page(rig_t *r, const stock_t *s, uint32_t addr, const uint8_t *src,
                             size_t len) {
    uint32_t frames[2 + 64];
    frames[0] = s->write_en;
    stock_send(r, s, 8, 0, frames, 1);
    frames[0] = s->write_command;
    frames[1] = addr;
    for (size_t i = 0; i < len / 4; i++) {
        uint32_t w = src[4 * i] | src[4 * i + 1] << 8 | src[4 * i + 2] << 16 |
                     (uint32_t)src[4 * i + 3] << 24;
        frames[2 + i] = s->bswap16 ? ror16(w) : rev(w);
    }
    stock_send(r, s, 32, 8, frames, 2 + len / 4);
    r->part.delay_ns(r->part.ctx, 10000000); // past any page program
}

static void test_stock_settings_read_and_write_1s_order(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof(stock) / sizeof(stock[0]); k++) {
        const stock_t *s = &stock[k];
        const sim_nor_part_t *p = sim_nor_part_by_name(s->part);
        rig_t r = {.mem = malloc(p->size)};
        memset(r.mem, 0xff, p->size);
        // An image as a programmer or a 1S tool leaves it: the bytes in their own order.
        uint32_t seed = 11;
        uint8_t image[1024];
        sim_random_fill(image, sizeof(image), &seed);
        memcpy(r.mem + 0x1000, image, sizeof(image));
        r.nor = sim_nor_new(p, r.mem, 100000000);
        sim_nor_bus(r.nor, &r.part);
        r.ospi = sim_ospi_new(r.nor, 400000000);
        r.regs = sim_ospi_regs_base(r.ospi);
        sim_nor_set_clock_hz(r.nor, s->clock_hz);
        stock_enter_octal(&r, s);
        stock_xip_enter(&r, s);
        uint8_t window[1024];
        assert_int_equal(sim_ospi_xip_read(r.ospi, 0x1000, window, sizeof(window)), 0);
        assert_memory_equal(window, image, sizeof(image));
        // What the stock port programs lands in 1S order, and reads back natural.
        uint8_t page[256];
        sim_random_fill(page, sizeof(page), &seed);
        stock_write_page(&r, s, 0x2000, page, sizeof(page));
        assert_memory_equal(r.mem + 0x2000, page, sizeof(page));
        stock_xip_enter(&r, s);
        assert_int_equal(sim_ospi_xip_read(r.ospi, 0x2000, window, sizeof(page)), 0);
        assert_memory_equal(window, page, sizeof(page));
        assert_int_equal(sim_nor_stats(r.nor)->protocol_errors, 0);
        assert_int_equal(sim_ospi_stats(r.ospi)->unsupported, 0);
        if (s->clock_hz < 100000000) {
            // Stock's own clock, past what its dummy cycles allow: the part answers late.
            sim_nor_set_clock_hz(r.nor, 100000000);
            assert_int_equal(sim_ospi_xip_read(r.ospi, 0x2000, window, sizeof(page)), 0);
            assert_memory_not_equal(window, page, sizeof(page));
        }
        sim_ospi_free(r.ospi);
        sim_nor_free(r.nor);
        free(r.mem);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stock_settings_read_and_write_1s_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
