// SPDX-License-Identifier: MIT
// The benchmark's references come from the part model, never from the driver: a driver that
// misreads a time in its part's SFDP must fail a figure, not carry the floor along with it; the
// floor is the datasheet's arithmetic; and the figures the benchmark prints can fail.
#include <stdlib.h>
#include <string.h>

#include "flash_services.h"
#include "support.h"
#include "../../bench/measure.h"

#define KIB (1024u)
#define REGION (256u * KIB)
#define CALL (64u * KIB)
#define GOAL (1.02)

static double ratio(uint64_t a, uint64_t b) {
    return (double)a / (double)b;
}

static uint8_t *random_bytes(size_t len, uint32_t seed) {
    uint8_t *buf = malloc(len);
    assert_non_null(buf);
    sim_random_fill(buf, len, &seed);
    return buf;
}

static flash_region_t region_of(sim_board_t *sb, uint32_t len) {
    flash_region_t r;
    char err[128];
    assert_int_equal(flash_region_init(&r, &sb->storage, 0, len, err, sizeof(err)), 0);
    return r;
}

// Every program and erase time the driver holds, times factor: a parts table or a parser that
// misreads them. The driver reads status from a fraction of the typical time on, so a small factor
// costs nothing; the factors below put its first read past the operation's end.
static void misread_times(nor_flash_t *nor, uint32_t factor) {
    nor->params.page_program_typ_us *= factor;
    nor->params.page_program_max_us *= factor;
    for (unsigned i = 0; i < NOR_ERASE_TYPES; i++) {
        nor->params.erase[i].typ_us *= factor;
        nor->params.erase[i].max_us *= factor;
    }
}

// A fill over other data at the part's typical times: its device time over the model's floor.
static double write_time_ratio(sim_board_t *sb, uint32_t seed, bench_floor_result_t *floor) {
    flash_region_t r = region_of(sb, REGION);
    uint8_t *data = random_bytes(REGION, seed);
    bench_work_t w;
    bench_fill(sb, &r, data, CALL, &w);
    free(data);
    *floor = w.floor;
    return ratio(w.device_ns, w.floor.ns);
}

static void test_misread_sfdp_time_fails_write_time_ratio(void **state) {
    (void)state;
    static const char *const parts[] = {"IS25WX512", "MX25UM25645G"};
    static const char *const boards[] = {"ALIF_ENSEMBLE", "OPENMV_AE3"};
    for (int i = 0; i < 2; i++) {
        sim_board_t sb;
        test_board_open(&sb, boards[i], parts[i], "bench-floors");
        sim_nor_set_timing(sb.model, SIM_NOR_TIMING_TYPICAL, 0);
        bench_floor_result_t right_floor, wrong_floor;
        write_time_ratio(&sb, 1, &right_floor); // written flash to start from
        double right = write_time_ratio(&sb, 2, &right_floor);
        misread_times(&sb.nor, 16);
        double wrong = write_time_ratio(&sb, 3, &wrong_floor);
        assert_true(right <= GOAL);
        assert_true(wrong > GOAL);
        // The floor did not follow the driver's misreading.
        assert_int_equal(wrong_floor.ns, right_floor.ns);
        sim_board_close(&sb);
    }
}

// A part at its lower bound (half the typical time): the driver must see the end within the
// goal, and a driver that waits longer before its first read, as one that misreads the typical
// time does, fails the poll figure.
static void test_misread_sfdp_time_fails_poll_latency(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "bench-floors");
    flash_region_t r = region_of(&sb, REGION);
    sim_nor_set_timing(sb.model, SIM_NOR_TIMING_FAST, 0);
    double figures[2];
    for (int k = 0; k < 2; k++) {
        if (k == 1) {
            misread_times(&sb.nor, 8);
        }
        uint8_t *data = random_bytes(REGION, 4 + k);
        bench_work_t w;
        bench_fill(&sb, &r, data, CALL, &w);
        free(data);
        figures[k] = ratio(w.device_ns, bench_poll_reference_ns(&w));
    }
    assert_true(figures[0] <= GOAL);
    assert_true(figures[1] > GOAL);
    sim_board_close(&sb);
}

// IS25WX Table 9.3: 4 KiB erase 80 ms, 32 KiB 130 ms, 128 KiB 280 ms, page program 150 us
// typical. At 100 MHz in 8D-8D-8D an erase command is 3 clocks (command 1, 4-byte address 2),
// 30 ns; a page program 3 + 128 clocks, 1310 ns.
static void test_floor_is_the_datasheet_arithmetic(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "bench-floors");
    uint8_t *old = random_bytes(REGION, 6), *new = random_bytes(REGION, 7);
    const uint64_t page = 150000 + 1310, pages = REGION / 256;
    bench_floor_t floor = bench_floor_for(&sb);
    uint32_t at = 16u * 1024 * KIB; // aligned to 128 KiB
    bench_floor_result_t r = bench_floor_rewrite(&floor, at, old, new, REGION, REGION);
    assert_int_equal(r.ns, 2 * (280000000ull + 30) + pages * page);
    assert_int_equal(r.erases, 2);
    assert_int_equal(r.programs, pages);
    r = bench_floor_rewrite(&floor, at, old, new, REGION, CALL);
    assert_int_equal(r.ns, 8 * (130000000ull + 30) + pages * page);
    floor.only[0] = true;
    r = bench_floor_rewrite(&floor, at, old, new, REGION, REGION);
    assert_int_equal(r.ns, 64 * (80000000ull + 30) + pages * page);
    // Bits that only fall need no erase; pages that hold the same bytes need no program.
    memcpy(old, new, REGION);
    for (size_t i = 0; i < REGION; i += 4096) {
        old[i] = 0xff;
        new[i] = 0x5a;
    }
    floor.only[0] = false;
    r = bench_floor_rewrite(&floor, at, old, new, REGION, CALL);
    assert_int_equal(r.ns, (REGION / 4096) * page);
    assert_int_equal(r.erases, 0);
    // And the times the driver holds do not enter into it.
    misread_times(&sb.nor, 2);
    assert_int_equal(bench_floor_rewrite(&floor, at, old, new, REGION, CALL).ns, r.ns);
    free(old);
    free(new);
    sim_board_close(&sb);
}

// mpremote's deploy with the driver's GET_MIN_PREPARE meets the goal; with stock's 4096 it
// prepares 32 KiB at a time, which no 128 KiB erase covers, and fails it.
static void test_romfs_deploy_figure_fails_with_stock_min_prepare(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "bench-floors");
    sim_nor_set_timing(sb.model, SIM_NOR_TIMING_TYPICAL, 0);
    const uint32_t len = 2 * REGION;
    flash_region_t segment;
    assert_int_equal(flash_romfs_init(&segment, &sb.storage, sb.board->romfs_base, len), 0);
    uint8_t *earlier = random_bytes(len, 8), *image = random_bytes(len, 9);
    uint8_t *at = sb.image.rw + sb.storage.base + segment.start;
    bench_work_t w;
    memcpy(at, earlier, len); // an earlier image, as a programmer left it
    bench_romfs_deploy(&sb, &segment, image, len, flash_romfs_min_prepare(&segment), &w);
    assert_true(ratio(w.device_ns, w.floor.ns) <= GOAL);
    assert_int_equal(w.erases, w.floor.erases);
    memcpy(at, earlier, len);
    bench_romfs_deploy(&sb, &segment, image, len, 4096, &w);
    assert_true(ratio(w.device_ns, w.floor.ns) > GOAL);
    free(earlier);
    free(image);
    sim_board_close(&sb);
}

// The driver's XIP read costs the part's fewest dummy cycles; an engine set up with 16, as the
// IS25WX's reset default would have it, fails the figure.
static void test_xip_read_figure_fails_with_more_dummy_cycles(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "bench-floors");
    bench_floor_t floor = bench_floor_for(&sb);
    uint8_t *buf = malloc(16 * KIB);
    assert_non_null(buf);
    uint64_t ns;
    assert_int_equal(bench_xip_read(sb.controller, sb.model, 0, buf, 16 * KIB, 4, &ns), 0);
    assert_true(ratio(ns, bench_floor_read_ns(&floor, 16 * KIB, 4)) <= GOAL);
    flash_bus_op_t op = nor_flash_read_op(&sb.nor);
    op.dummy.ncycles = 16;
    assert_int_equal(ospi_bus_xip_enable(&sb.ospi, &op), 0);
    assert_int_equal(bench_xip_read(sb.controller, sb.model, 0, buf, 16 * KIB, 4, &ns), 0);
    assert_true(ratio(ns, bench_floor_read_ns(&floor, 16 * KIB, 4)) > GOAL);
    free(buf);
    sim_board_close(&sb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_misread_sfdp_time_fails_write_time_ratio),
        cmocka_unit_test(test_misread_sfdp_time_fails_poll_latency),
        cmocka_unit_test(test_floor_is_the_datasheet_arithmetic),
        cmocka_unit_test(test_romfs_deploy_figure_fails_with_stock_min_prepare),
        cmocka_unit_test(test_xip_read_figure_fails_with_more_dummy_cycles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
