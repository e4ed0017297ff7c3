// SPDX-License-Identifier: MIT
// The OSPI controller driver against the controller's register model: bring-up, framing of
// each phase, FIFO limits, clock stretching, the XIP engine, time-outs, and the clock divider.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ospi_regs.h"
#include "reg_access.h"
#include "support.h"

static const struct {
    const char *board, *part;
} boards[] = {
    {"ALIF_ENSEMBLE", "IS25WX512"},
    {"OPENMV_AE3", "MX25UM25645G"},
    {"OPENMV_AE3", "IS25WX256"},
};

#define BOARD_COUNT (sizeof(boards) / sizeof(boards[0]))

static void assert_controller_clean(const sim_board_t *sb) {
    const sim_ospi_stats_t *s = sim_ospi_stats(sb->controller);
    assert_int_equal(s->ignored_writes, 0);
    assert_int_equal(s->fifo_overflows, 0);
    assert_int_equal(s->unsupported, 0);
    assert_int_equal(sim_nor_stats(sb->model)->protocol_errors, 0);
}

// Bring-up goes through the registers only: 1S probe, mode switch, 8D ID check, XIP set up.
static void test_bring_up_through_registers(void **state) {
    (void)state;
    for (size_t i = 0; i < BOARD_COUNT; i++) {
        sim_board_t sb;
        test_board_open(&sb, boards[i].board, boards[i].part, "bringup");
        assert_non_null(sb.nor.part);
        assert_true(sb.nor.octal_ddr);
        assert_true(sim_ospi_stats(sb.controller)->transfers >= 7);
        assert_controller_clean(&sb);
        sim_board_close(&sb);
    }
}

// The XIP engine, as the driver leaves it after every command, reads the bytes written.
static void test_xip_engine_reads_what_was_written(void **state) {
    (void)state;
    for (size_t i = 0; i < BOARD_COUNT; i++) {
        sim_board_t sb;
        test_board_open(&sb, boards[i].board, boards[i].part, "xip");
        uint32_t seed = 7 + (uint32_t)i;
        uint8_t data[6000], back[6000];
        sim_random_fill(data, sizeof(data), &seed);
        assert_int_equal(nor_flash_program(&sb.nor, 4097, data, sizeof(data)), 0);
        assert_int_equal(sim_ospi_xip_read(sb.controller, 4097, back, sizeof(data)), 0);
        assert_memory_equal(back, data, sizeof(data));
        assert_int_equal(nor_flash_erase(&sb.nor, 4096, NOR_SECTOR_SIZE), 0);
        assert_int_equal(sim_ospi_xip_read(sb.controller, 4096, back, 4096), 0);
        for (size_t j = 0; j < 4096; j++) {
            assert_int_equal(back[j], 0xff);
        }
        assert_int_equal(sim_ospi_xip_read(sb.controller, 8192, back, 1000), 0);
        assert_memory_equal(back, data + 4095, 1000);
        assert_controller_clean(&sb);
        sim_board_close(&sb);
    }
}

// Without ospi_bus_xip_enable the window is dead; with a read framed otherwise than the part is
// set up for, it shows wrong data.
static void test_xip_engine_needs_the_parts_read(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "xipneeds");
    uint8_t byte;
    flash_bus_op_t read_op = nor_flash_read_op(&sb.nor);
    ospi_bus_t fresh;
    flash_bus_t bus;
    ospi_bus_init(&fresh, &sb.ospi.config, &bus);
    assert_int_equal(sim_ospi_xip_read(sb.controller, 0, &byte, 1), -ALIF_EIO);
    // Two dummy cycles fewer than the part is set up for: it answers, but the controller samples
    // its data two cycles early, so the window shows wrong bytes.
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, window[8];
    assert_int_equal(nor_flash_program(&sb.nor, 0, data, sizeof(data)), 0);
    read_op.dummy.ncycles -= 2;
    assert_int_equal(ospi_bus_xip_enable(&fresh, &read_op), 0);
    assert_int_equal(sim_ospi_xip_read(sb.controller, 0, window, sizeof(window)), 0);
    assert_memory_not_equal(window, data, sizeof(data));
    read_op = nor_flash_read_op(&sb.nor);
    assert_int_equal(ospi_bus_xip_enable(&fresh, &read_op), 0);
    assert_int_equal(sim_ospi_xip_read(sb.controller, 0, window, sizeof(window)), 0);
    assert_memory_equal(window, data, sizeof(data));
    // Only octal DDR reads with a 4-byte address can run from the window.
    read_op.addr.nbytes = 3;
    assert_int_equal(ospi_bus_xip_enable(&fresh, &read_op), -ALIF_EINVAL);
    sim_board_close(&sb);
}

// An 8D command read samples on the part's data strobe when the op asks for it, and only then.
static void test_command_reads_follow_the_strobe(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "strobe");
    uintptr_t regs = sim_ospi_regs_base(sb.controller);
    uint8_t buf[4];
    flash_bus_op_t op = nor_flash_read_op(&sb.nor);
    assert_true(op.data.dqs);
    flash_op_data_in(&op, buf, sizeof(buf));
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), 0);
    // SPI_CTRLR0 keeps what the transfer set: the XIP engine frames its reads from XIP_CTRL.
    assert_true(reg_read32(regs + OSPI_SPI_CTRLR0) & OSPI_SPI_CTRLR0_SPI_RXDS_EN);
    op.data.dqs = false;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), 0);
    assert_false(reg_read32(regs + OSPI_SPI_CTRLR0) & OSPI_SPI_CTRLR0_SPI_RXDS_EN);
    // A write never samples, whatever the op says.
    op.data.dqs = true;
    flash_op_data_out(&op, buf, 0);
    op.addr.nbytes = 0;
    op.dummy.ncycles = 0;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), 0);
    assert_false(reg_read32(regs + OSPI_SPI_CTRLR0) & OSPI_SPI_CTRLR0_SPI_RXDS_EN);
    sim_board_close(&sb);
}

// Reads longer than the RX FIFO and than CTRLR1 can count come back whole: the clock is held
// while the FIFO is full, and the driver splits past 65536 frames.
static void test_long_and_odd_reads(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "longread");
    const size_t len = 300 * 1024 + 3;
    uint8_t *data = malloc(len), *back = malloc(len);
    assert_non_null(data);
    assert_non_null(back);
    uint32_t seed = 99;
    sim_random_fill(data, len, &seed);
    assert_int_equal(nor_flash_program(&sb.nor, 1, data, len), 0);
    assert_int_equal(nor_flash_read(&sb.nor, 1, back, len), 0);
    assert_memory_equal(back, data, len);
    // Two bytes more than 128 KiB go in 16-bit frames, more than CTRLR1 counts, though they fit
    // it in 32-bit ones; nor_flash_read makes such a read from an even address.
    flash_bus_op_t op = nor_flash_read_op(&sb.nor);
    flash_op_addr(&op, 4, 2);
    flash_op_data_in(&op, back, 131074);
    memset(back, 0, 131074);
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), 0);
    assert_memory_equal(back, data + 1, 131074);
    memset(back, 0, 131074);
    assert_int_equal(nor_flash_read(&sb.nor, 2, back, 131074), 0);
    assert_memory_equal(back, data + 1, 131074);
    for (size_t n = 1; n <= 9; n++) {
        memset(back, 0, n);
        assert_int_equal(nor_flash_read(&sb.nor, 1 + (uint32_t)n, back, n), 0);
        assert_memory_equal(back, data + n, n);
    }
    assert_controller_clean(&sb);
    free(data);
    free(back);
    sim_board_close(&sb);
}

// Every program length lands exactly, whatever frame size the driver picks for it.
static void test_program_lengths_and_frames(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "OPENMV_AE3", NULL, "frames");
    uint32_t seed = 5;
    uint32_t addr = 0;
    for (size_t n = 1; n <= 260; n++) {
        uint8_t data[260], back[260];
        sim_random_fill(data, n, &seed);
        data[0] &= 0xfe; // never all 0xff, so nothing is skipped
        assert_int_equal(nor_flash_program(&sb.nor, addr, data, n), 0);
        assert_memory_equal(sb.image.ro + addr, data, n);
        assert_int_equal(sim_ospi_xip_read(sb.controller, addr, back, n), 0);
        assert_memory_equal(back, data, n);
        addr += (uint32_t)n + 1;
    }
    assert_controller_clean(&sb);
    sim_board_close(&sb);
}

// A controller that never finishes a transfer gives -ALIF_ETIMEDOUT, on the virtual clock.
static void test_stuck_controller_times_out(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "stuck");
    uint8_t byte = 0;
    sim_ospi_set_stuck(sb.controller, true);
    uint64_t t0 = sim_nor_now_ns(sb.model);
    assert_int_equal(nor_flash_erase(&sb.nor, 0, NOR_SECTOR_SIZE), -ALIF_ETIMEDOUT);
    assert_int_equal(nor_flash_read(&sb.nor, 0, &byte, 1), -ALIF_ETIMEDOUT);
    assert_true(sim_nor_now_ns(sb.model) - t0 >= 2 * 50000000ull);
    assert_int_equal(sim_nor_stats(sb.model)->erases, 0);
    sim_ospi_set_stuck(sb.controller, false);
    assert_int_equal(nor_flash_erase(&sb.nor, 0, NOR_SECTOR_SIZE), 0);
    sim_board_close(&sb);
}

// What the controller cannot frame is refused before anything reaches the bus.
static void test_unframeable_ops_are_refused(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "refuse");
    uint64_t transfers = sim_ospi_stats(sb.controller)->transfers;
    uint8_t buf[300] = {0};

    flash_bus_op_t op = nor_flash_read_op(&sb.nor);
    op.dummy.ncycles = 32; // WAIT_CYCLES has five bits
    op.data.nbytes = 2;
    op.data.buf.in = buf;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), -ALIF_EINVAL);

    op = flash_op_1s(0x0b);
    op.dummy.ncycles = 4; // plain SPI sends dummy cycles as whole bytes
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), -ALIF_EINVAL);

    op = flash_op_1s(0x02);
    op.addr.nbytes = 3;
    op.data.to_flash = true;
    op.data.nbytes = 256; // 1 + 3 + 256 frames overflow the TX FIFO
    op.data.buf.out = buf;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), -ALIF_EINVAL);

    op = flash_op_1s(0x03);
    op.addr.nbytes = 5;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), -ALIF_EINVAL);

    op = flash_op_1s(0x5a);
    op.addr.nbytes = 3;
    op.dummy.ncycles = 8;
    op.data.nbytes = OSPI_FIFO_DEPTH + 1; // a 1S read the RX FIFO cannot hold
    op.data.buf.in = buf;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), -ALIF_EINVAL);

    op = nor_flash_read_op(&sb.nor);
    op.data.swap16 = true;
    op.data.nbytes = 3; // half a swapped pair
    op.data.buf.in = buf;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), -ALIF_EINVAL);

    // Past CTRLR1's 65536 frames only a read from an address can be split.
    size_t long_len = 4 * 65536 + 4;
    uint8_t *long_buf = malloc(long_len);
    assert_non_null(long_buf);
    op = nor_flash_read_op(&sb.nor);
    op.addr.nbytes = 0;
    op.dummy.ncycles = 0;
    op.data.nbytes = long_len;
    op.data.buf.in = long_buf;
    assert_int_equal(sb.bus.exec(sb.bus.ctx, &op), -ALIF_EINVAL);
    free(long_buf);

    assert_int_equal(sim_ospi_stats(sb.controller)->transfers, transfers);
    // And the XIP engine still runs after each refusal.
    assert_int_equal(sim_ospi_xip_read(sb.controller, 0, buf, 2), 0);
    sim_board_close(&sb);
}

// The model holds the driver to the controller's rules: configuration only while disabled.
static void test_model_drops_writes_while_enabled(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "locked");
    uintptr_t regs = sim_ospi_regs_base(sb.controller);
    assert_int_equal(reg_read32(regs + OSPI_SSIENR), 1); // XIP keeps it enabled
    uint32_t ctrlr0 = reg_read32(regs + OSPI_CTRLR0);
    reg_write32(regs + OSPI_CTRLR0, 0);
    assert_int_equal(reg_read32(regs + OSPI_CTRLR0), ctrlr0);
    assert_int_equal(sim_ospi_stats(sb.controller)->ignored_writes, 1);
    reg_write32(regs + OSPI_SSIENR, 0);
    reg_write32(regs + OSPI_DR, 0x9f);
    assert_int_equal(reg_read32(regs + OSPI_TXFLR), 0);
    assert_int_equal(sim_ospi_stats(sb.controller)->ignored_writes, 2);
    sim_board_close(&sb);
}

// The divider is even, at least 2, and never gives a clock above the one asked for.
static void test_clock_divider(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "baud");
    uintptr_t regs = sim_ospi_regs_base(sb.controller);
    assert_int_equal(reg_read32(regs + OSPI_BAUDR), 4); // 400 MHz / 100 MHz
    static const struct {
        uint32_t want_hz, divider, got_hz;
    } cases[] = {
        {100000, 4000, 100000},    {30000000, 14, 28571428},  {45000000, 10, 40000000},
        {133000000, 4, 100000000}, {400000000, 2, 200000000}, {1000000000, 2, 200000000},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ospi_bus_set_clock(&sb.ospi, cases[i].want_hz);
        assert_int_equal(reg_read32(regs + OSPI_BAUDR), cases[i].divider);
        assert_int_equal(sb.ospi.config.sclk_hz, cases[i].got_hz);
    }
    // Changing the clock leaves the XIP engine running.
    uint8_t buf[2];
    assert_int_equal(sim_ospi_xip_read(sb.controller, 0, buf, 2), 0);
    assert_int_equal(sim_ospi_stats(sb.controller)->ignored_writes, 0);
    sim_board_close(&sb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bring_up_through_registers),
        cmocka_unit_test(test_xip_engine_reads_what_was_written),
        cmocka_unit_test(test_xip_engine_needs_the_parts_read),
        cmocka_unit_test(test_command_reads_follow_the_strobe),
        cmocka_unit_test(test_long_and_odd_reads),
        cmocka_unit_test(test_program_lengths_and_frames),
        cmocka_unit_test(test_stuck_controller_times_out),
        cmocka_unit_test(test_unframeable_ops_are_refused),
        cmocka_unit_test(test_model_drops_writes_while_enabled),
        cmocka_unit_test(test_clock_divider),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
