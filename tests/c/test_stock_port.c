// SPDX-License-Identifier: MIT
// The stock port as an oracle. Stock MicroPython runs on these boards today with its own
// settings (ports/alif/ospi_flash_settings.h, boards/*/board.c) and data written by 1S tools
// reads right there. Driving the controller and part models with exactly those settings, a
// 1S-written image must read natural through XIP, and what the stock sequence programs must
// land in 1S order. If this fails, the models are wrong, not the stock port. Stock's settings and
// sequences are the benchmark's (bench/stock_read.c), so that both run the very same stock.
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "../../bench/stock_read.h"

// The parts this oracle runs, each at stock's 100 MHz (board.c freq_hz), except where stock's
// dummy cycles are below the part's datasheet there: the IS25WX's 9 are good to 95 MHz (datasheet
// Table 6.7), so at 100 MHz the model rightly answers late.
static const struct {
    const char *part;
    uint32_t clock_hz;
} oracle[] = {
    {"MX25UM25645G", 100000000},
    {"IS25WX256", 95000000},
    {"EM064LX", 100000000},
};

static void test_stock_settings_read_and_write_1s_order(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof(oracle) / sizeof(oracle[0]); k++) {
        const sim_nor_part_t *p = sim_nor_part_by_name(oracle[k].part);
        // An image as a programmer or a 1S tool leaves it: the bytes in their own order.
        uint32_t seed = 11;
        uint8_t image[1024];
        sim_random_fill(image, sizeof(image), &seed);
        uint8_t *content = malloc(0x1000 + sizeof(image));
        assert_non_null(content);
        memset(content, 0xff, 0x1000);
        memcpy(content + 0x1000, image, sizeof(image));
        bench_stock_t s;
        assert_int_equal(
            bench_stock_open(&s, p, oracle[k].clock_hz, content, 0x1000 + sizeof(image)), 0);
        free(content);
        uint8_t window[1024];
        assert_int_equal(sim_ospi_xip_read(s.controller, 0x1000, window, sizeof(window)), 0);
        assert_memory_equal(window, image, sizeof(image));
        // What the stock port programs lands in 1S order, and reads back natural.
        uint8_t page[256];
        sim_random_fill(page, sizeof(page), &seed);
        assert_int_equal(bench_stock_write_page(&s, 0x2000, page, sizeof(page)), 0);
        assert_memory_equal(s.mem + 0x2000, page, sizeof(page));
        bench_stock_xip_enter(&s);
        assert_int_equal(sim_ospi_xip_read(s.controller, 0x2000, window, sizeof(page)), 0);
        assert_memory_equal(window, page, sizeof(page));
        assert_int_equal(sim_nor_stats(s.model)->protocol_errors, 0);
        assert_int_equal(sim_ospi_stats(s.controller)->unsupported, 0);
        if (oracle[k].clock_hz < 100000000) {
            // Stock's own clock, past what its dummy cycles allow: the part answers late.
            sim_nor_set_clock_hz(s.model, 100000000);
            assert_int_equal(sim_ospi_xip_read(s.controller, 0x2000, window, sizeof(page)), 0);
            assert_memory_not_equal(window, page, sizeof(page));
        }
        bench_stock_close(&s);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stock_settings_read_and_write_1s_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
