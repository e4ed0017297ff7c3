// SPDX-License-Identifier: MIT
// The NOR flash layer against the part model: bring-up on every part, framing, write-enable,
// page splitting, DDR padding, time-outs, the cache hook.
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "flash_bring_up.h"
#include "ospi_regs.h"
#include "reg_access.h"
#include "support.h"

#define MIB (1024 * 1024)

// A bus that passes through to the part model, but can drop every command with one opcode
// (0: none), fail, and records the cache-invalidation calls.
typedef struct {
    flash_bus_t inner;
    flash_bus_t outer;
    uint8_t drop_opcode;
    uint8_t fail_after_opcode; // passed to the part, then reported failed (0: none)
    int fail_with;
    uint32_t invalidated_addr[64];
    uint32_t invalidated_len[64];
    int invalidations;
} spy_bus_t;

static int spy_exec(void *ctx, const flash_bus_op_t *op) {
    spy_bus_t *spy = ctx;
    if (spy->fail_with != 0) {
        return spy->fail_with;
    }
    if (spy->drop_opcode != 0 && (op->cmd.opcode >> (op->octal_ddr ? 8 : 0)) == spy->drop_opcode) {
        return 0;
    }
    int ret = spy->inner.exec(spy->inner.ctx, op);
    if (spy->fail_after_opcode != 0 &&
        (op->cmd.opcode >> (op->octal_ddr ? 8 : 0)) == spy->fail_after_opcode) {
        return -ALIF_EIO;
    }
    return ret;
}

static uint64_t spy_now(void *ctx) {
    spy_bus_t *spy = ctx;
    return spy->inner.now_ns(spy->inner.ctx);
}

static void spy_delay(void *ctx, uint64_t ns) {
    spy_bus_t *spy = ctx;
    spy->inner.delay_ns(spy->inner.ctx, ns);
}

static void spy_invalidate(void *ctx, uint32_t addr, uint32_t len) {
    spy_bus_t *spy = ctx;
    if (spy->invalidations < 64) {
        spy->invalidated_addr[spy->invalidations] = addr;
        spy->invalidated_len[spy->invalidations] = len;
    }
    spy->invalidations++;
}

typedef struct {
    sim_board_t sb;
    spy_bus_t spy;
    nor_flash_t nor; // a second driver instance, over the spy
} fixture_t;

static void fixture_open(fixture_t *f, const char *board, const char *part) {
    test_board_open(&f->sb, board, part, "nor");
    f->spy = (spy_bus_t){.inner = f->sb.bus};
    f->spy.outer = (flash_bus_t){
        .exec = spy_exec,
        .now_ns = spy_now,
        .delay_ns = spy_delay,
        .invalidate_xip = spy_invalidate,
        .ctx = &f->spy,
    };
    // Bring-up again through the spy, from power-on.
    sim_nor_power_on(f->sb.model);
    assert_int_equal(nor_flash_init(&f->nor, &f->spy.outer, SIM_BUS_CLOCK_HZ), 0);
    sim_nor_reset_stats(f->sb.model);
}

static int setup(void **state) {
    fixture_t *f = test_calloc(1, sizeof(*f));
    fixture_open(f, "ALIF_ENSEMBLE", NULL);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    sim_board_close(&f->sb);
    test_free(f);
    return 0;
}

static void open_part(sim_board_t *sb, const char *board, const char *part, uint32_t storage) {
    char err[256] = "";
    sim_board_config_t config = {.board = board,
                                 .part = part,
                                 .image_path = test_scratch_path(part),
                                 .storage_len = storage};
    if (sim_board_open(sb, &config, err, sizeof(err)) != 0) {
        fail_msg("%s on %s did not come up: %s", part, board, err);
    }
    unlink(config.image_path);
}

// Runs the board's bring-up again on sb's controller and part, at sclk_hz, into sb itself: what
// the platform does at boot.
static int bring_up_again(sim_board_t *sb, uint32_t sclk_hz, char *err, size_t err_len) {
    flash_bring_up_config_t config = {
        .ospi = sb->ospi.config,
        .sclk_hz = sclk_hz,
        .storage = sb->storage,
    };
    sim_nor_power_on(sb->model);
    return flash_bring_up(&config, &sb->ospi, &sb->bus, &sb->nor, &sb->storage, err, err_len);
}

static void test_every_part_comes_up_in_octal_ddr(void **state) {
    (void)state;
    struct {
        const char *board, *part;
        uint32_t id;
        uint8_t mode_switch_opcode;
    } cases[] = {
        {"ALIF_ENSEMBLE", "IS25WX512", 0x9d5b1a, 0x81},
        {"OPENMV_AE3", "IS25WX256", 0x9d5b19, 0x81},
        {"OPENMV_AE3", "MX25UM25645G", 0xc28039, 0x72},
        {"OPENMV_AE3", "EM064LX", 0x6bbb17, 0x81},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sim_board_t sb;
        open_part(&sb, cases[i].board, cases[i].part,
                  strcmp(cases[i].part, "EM064LX") == 0 ? 8 * MIB : 0);
        const sim_nor_stats_t *s = sim_nor_stats(sb.model);
        assert_true(sb.nor.octal_ddr);
        assert_int_equal(sb.nor.jedec_id, cases[i].id);
        assert_string_equal(sb.nor.part->name, cases[i].part);
        // Dummy cycles, then the mode: two register writes, each after its own write-enable.
        assert_int_equal(s->commands[cases[i].mode_switch_opcode], 2);
        assert_int_equal(s->commands[0x06], 2);
        // Once in 1S, then in 8D at the probe clock and again at the board's.
        assert_int_equal(s->commands[0x9f], 3);
        // SFDP where the part has one; the EM064LX has none, so is not asked.
        assert_true(strcmp(cases[i].part, "EM064LX") == 0 ? s->commands[0x5a] == 0
                                                          : s->commands[0x5a] > 0);
        assert_int_equal(s->ignored, 0);
        assert_int_equal(s->protocol_errors, 0);
        // And it works there: a program and a read by command.
        uint8_t out[5] = {1, 2, 3, 4, 5}, in[5] = {0};
        assert_int_equal(nor_flash_program(&sb.nor, 1001, out, 5), 0);
        assert_int_equal(nor_flash_read(&sb.nor, 1001, in, 5), 0);
        assert_memory_equal(in, out, 5);
        assert_int_equal(s->ignored, 0);
        assert_int_equal(s->protocol_errors, 0);
        sim_board_close(&sb);
    }
}

static void test_program_splits_at_pages_and_pads_odd_edges(void **state) {
    fixture_t *f = *state;
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    uint8_t out[700];
    uint32_t seed = 5;
    sim_random_fill(out, sizeof(out), &seed);
    out[0] |= 1; // keep the first byte from being 0xff-skipped by chance
    // From 3 bytes before a page end, odd start and odd end: four pages touched.
    uint32_t addr = 0x10000 + 253;
    assert_int_equal(nor_flash_program(&f->nor, addr, out, sizeof(out)), 0);
    assert_int_equal(s->programs, 4);
    assert_int_equal(s->commands[0xc2], 4);
    assert_int_equal(s->commands[0x06], 4); // one write-enable per program
    assert_int_equal(s->protocol_errors, 0);
    assert_memory_equal(f->sb.image.ro + addr, out, sizeof(out));
    assert_int_equal(f->sb.image.ro[addr - 1], 0xff);
    assert_int_equal(f->sb.image.ro[addr + sizeof(out)], 0xff);
    // Data on the bus: the user's bytes plus one pad byte at each odd edge, and the status and
    // flag reads (two bytes each in 8D), nothing more.
    uint64_t register_bytes = 2 * (s->commands[0x05] + s->commands[0x70]);
    assert_int_equal(s->data_bytes - register_bytes, sizeof(out) + 2);
    assert_int_equal(s->commands[0x70], 4); // each program's result checked

    uint8_t in[701];
    assert_int_equal(nor_flash_read(&f->nor, addr - 1, in, sizeof(in)), 0);
    assert_int_equal(in[0], 0xff);
    assert_memory_equal(in + 1, out, sizeof(out));
    assert_int_equal(s->protocol_errors, 0);
}

static void test_all_erased_chunks_are_not_programmed(void **state) {
    fixture_t *f = *state;
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    uint8_t blank[512];
    memset(blank, 0xff, sizeof(blank));
    blank[300] = 0x00;
    assert_int_equal(nor_flash_program(&f->nor, 0, blank, sizeof(blank)), 0);
    assert_int_equal(s->programs, 1); // only the page holding byte 300
    assert_int_equal(f->sb.image.ro[300], 0x00);
}

static void test_erase_sets_sector_to_ff(void **state) {
    fixture_t *f = *state;
    uint8_t zeros[NOR_SECTOR_SIZE + 2];
    memset(zeros, 0, sizeof(zeros));
    assert_int_equal(nor_flash_program(&f->nor, NOR_SECTOR_SIZE - 1, zeros, sizeof(zeros)), 0);
    assert_int_equal(nor_flash_erase(&f->nor, NOR_SECTOR_SIZE, NOR_SECTOR_SIZE), 0);
    const uint8_t *img = f->sb.image.ro;
    assert_int_equal(img[NOR_SECTOR_SIZE - 1], 0x00);
    for (size_t i = NOR_SECTOR_SIZE; i < 2 * NOR_SECTOR_SIZE; i++) {
        assert_int_equal(img[i], 0xff);
    }
    assert_int_equal(img[2 * NOR_SECTOR_SIZE], 0x00);
    assert_int_equal(sim_nor_stats(f->sb.model)->erases_per_sector[1], 1);
}

static void test_erase_range_blanks_exactly_its_sectors(void **state) {
    fixture_t *f = *state;
    uint8_t zeros[NOR_SECTOR_SIZE] = {0};
    for (uint32_t s = 0; s < 6; s++) {
        assert_int_equal(nor_flash_program(&f->nor, s * NOR_SECTOR_SIZE, zeros, sizeof(zeros)), 0);
    }
    assert_int_equal(nor_flash_erase(&f->nor, NOR_SECTOR_SIZE, 4 * NOR_SECTOR_SIZE), 0);
    const uint8_t *flash = f->sb.image.ro;
    for (uint32_t i = 0; i < 6 * NOR_SECTOR_SIZE; i++) {
        bool inside = i >= NOR_SECTOR_SIZE && i < 5 * NOR_SECTOR_SIZE;
        assert_int_equal(flash[i], inside ? 0xff : 0x00);
    }
    // A range that is not whole sectors is refused before anything is erased.
    uint64_t erases = sim_nor_stats(f->sb.model)->erases;
    assert_int_equal(nor_flash_erase(&f->nor, 100, NOR_SECTOR_SIZE), -ALIF_EINVAL);
    assert_int_equal(nor_flash_erase(&f->nor, 0, 100), -ALIF_EINVAL);
    assert_int_equal(sim_nor_stats(f->sb.model)->erases, erases);
}

static void test_write_enable_that_does_not_take_is_eio(void **state) {
    fixture_t *f = *state;
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    f->spy.drop_opcode = 0x06; // write-enable
    uint8_t out[4] = {0, 0, 0, 0};
    assert_int_equal(nor_flash_program(&f->nor, 0, out, 4), -ALIF_EIO);
    assert_int_equal(nor_flash_erase(&f->nor, 0, NOR_SECTOR_SIZE), -ALIF_EIO);
    assert_int_equal(s->programs + s->erases, 0);
    assert_int_equal(s->commands[0xc2] + s->commands[0x21], 0); // never even sent
    assert_int_equal(f->sb.image.ro[0], 0xff);
}

static void test_bus_errors_pass_through(void **state) {
    fixture_t *f = *state;
    f->spy.fail_with = -ALIF_EIO;
    uint8_t b[2] = {0, 0};
    assert_int_equal(nor_flash_program(&f->nor, 0, b, 2), -ALIF_EIO);
    assert_int_equal(nor_flash_erase(&f->nor, 0, NOR_SECTOR_SIZE), -ALIF_EIO);
    assert_int_equal(nor_flash_read(&f->nor, 0, b, 2), -ALIF_EIO);
    f->spy.fail_with = -ALIF_ETIMEDOUT;
    assert_int_equal(nor_flash_read(&f->nor, 0, b, 2), -ALIF_ETIMEDOUT);
}

// The 4 KiB erase and page program times the driver took from SFDP.
typedef struct {
    uint32_t sector_erase_typ_us, sector_erase_max_us, page_program_typ_us, page_program_max_us;
} times_t;

static times_t times_of(const nor_flash_t *nor) {
    return (times_t){nor->params.erase[0].typ_us, nor->params.erase[0].max_us,
                     nor->params.page_program_typ_us, nor->params.page_program_max_us};
}

static void test_busy_past_datasheet_maximum_times_out(void **state) {
    fixture_t *f = *state;
    times_t t = times_of(&f->nor), *part = &t;
    // Just inside the maximum: slow, but fine.
    sim_nor_set_op_time_ns(f->sb.model, (uint64_t)part->sector_erase_max_us * 1000 - 100000);
    uint64_t t0 = sim_nor_now_ns(f->sb.model);
    assert_int_equal(nor_flash_erase(&f->nor, 0, NOR_SECTOR_SIZE), 0);
    // Stuck far longer than the maximum: given up at the maximum, not at the stuck time, and
    // without hammering the bus meanwhile.
    sim_nor_set_op_time_ns(f->sb.model, 3600ull * 1000000000ull);
    t0 = sim_nor_now_ns(f->sb.model);
    uint64_t status_reads = sim_nor_stats(f->sb.model)->commands[0x05];
    assert_int_equal(nor_flash_erase(&f->nor, NOR_SECTOR_SIZE, NOR_SECTOR_SIZE), -ALIF_ETIMEDOUT);
    uint64_t waited = sim_nor_now_ns(f->sb.model) - t0;
    assert_true(waited > (uint64_t)part->sector_erase_max_us * 1000);
    assert_true(waited < (uint64_t)part->sector_erase_max_us * 1000 * 11 / 10);
    // From a third of the typical time, pauses of 1/64 of the time waited: about
    // ln(3 max / typ) / ln(1 + 1/64) status reads.
    uint64_t polls = sim_nor_stats(f->sb.model)->commands[0x05] - status_reads;
    double waits = 3.0 * part->sector_erase_max_us / part->sector_erase_typ_us;
    uint64_t max_polls = 4;
    for (double at = 1; at < waits; at *= 1 + 1.0 / 64) {
        max_polls++;
    }
    assert_true(polls <= max_polls);

    sim_nor_set_op_time_ns(f->sb.model, (uint64_t)part->page_program_max_us * 1000 * 2);
    uint8_t b[2] = {0, 0};
    assert_int_equal(nor_flash_program(&f->nor, 0x40000, b, 2), -ALIF_ETIMEDOUT);
}

// One time-out must not doom the next call: the part may still be finishing the slow
// operation, and the next program or erase gets its own bounded wait (issue 10, item 2).
static void test_after_a_time_out_the_next_call_waits_afresh(void **state) {
    fixture_t *f = *state;
    times_t t = times_of(&f->nor), *part = &t;
    uint64_t max_ns = (uint64_t)part->sector_erase_max_us * 1000;
    // Slow enough to time out once, then to finish within one more maximum.
    sim_nor_set_op_time_ns(f->sb.model, max_ns * 3 / 2);
    assert_int_equal(nor_flash_erase(&f->nor, 0, NOR_SECTOR_SIZE), -ALIF_ETIMEDOUT);
    sim_nor_set_op_time_ns(f->sb.model, 0);
    uint64_t t0 = sim_nor_now_ns(f->sb.model);
    assert_int_equal(nor_flash_erase(&f->nor, NOR_SECTOR_SIZE, NOR_SECTOR_SIZE), 0);
    assert_true(sim_nor_now_ns(f->sb.model) - t0 < max_ns);
    assert_int_equal(sim_nor_stats(f->sb.model)->erases, 2);
}

// Polling follows the part, whatever it takes between its bounds: a fast part, a typical one
// and a slow one are each seen to finish within 1/64 of what they took (plus the bus time of the
// commands), with status reads that grow only with the logarithm of the time.
static void test_polling_follows_the_part(void **state) {
    fixture_t *f = *state;
    static const sim_nor_timing_t timings[] = {SIM_NOR_TIMING_FAST, SIM_NOR_TIMING_TYPICAL,
                                               SIM_NOR_TIMING_SLOW, SIM_NOR_TIMING_DRAWN};
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    uint8_t pages[8 * NOR_PAGE_SIZE];
    memset(pages, 0x11, sizeof(pages));
    for (size_t k = 0; k < sizeof(timings) / sizeof(timings[0]); k++) {
        sim_nor_set_timing(f->sb.model, timings[k], 7);
        assert_int_equal(nor_flash_erase(&f->nor, 0x100000, 32 * 1024), 0);
        sim_nor_reset_stats(f->sb.model);
        uint64_t t0 = sim_nor_now_ns(f->sb.model);
        assert_int_equal(nor_flash_program(&f->nor, 0x100000, pages, sizeof(pages)), 0);
        assert_int_equal(nor_flash_erase(&f->nor, 0x100000, 32 * 1024), 0);
        uint64_t took = sim_nor_now_ns(f->sb.model) - t0;
        assert_int_equal(s->busy_ops, 9);
        // The bus time of the commands themselves: a few microseconds all told at 100 MHz.
        uint64_t allowance = s->busy_ns / 64 + 9 * 20000;
        if (took > s->busy_ns + allowance) {
            fail_msg("timing %d: took %llu ns for %llu ns of work", (int)timings[k],
                     (unsigned long long)took, (unsigned long long)s->busy_ns);
        }
        assert_true(s->commands[0x05] <= 9 * 250);
        assert_int_equal(s->ignored, 0);
    }
}

static void test_cache_hook_sees_every_change(void **state) {
    fixture_t *f = *state;
    uint8_t out[300];
    memset(out, 0, sizeof(out));
    assert_int_equal(nor_flash_program(&f->nor, 0x2001, out, sizeof(out)), 0);
    assert_int_equal(nor_flash_erase(&f->nor, 0x3000, NOR_SECTOR_SIZE), 0);
    assert_int_equal(f->spy.invalidations, 3);
    // Each program covers at least its bytes (padding included), the erase its sector.
    assert_true(f->spy.invalidated_addr[0] <= 0x2001);
    assert_true(f->spy.invalidated_addr[0] + f->spy.invalidated_len[0] >= 0x2100);
    assert_true(f->spy.invalidated_addr[1] <= 0x2100);
    assert_true(f->spy.invalidated_addr[1] + f->spy.invalidated_len[1] >= 0x2001 + 300);
    assert_int_equal(f->spy.invalidated_addr[2], 0x3000);
    assert_int_equal(f->spy.invalidated_len[2], NOR_SECTOR_SIZE);
}

static void test_unknown_id_is_enodev_with_the_id(void **state) {
    (void)state;
    sim_board_t sb;
    char err[200];
    sim_board_config_t config = {
        .board = "ALIF_ENSEMBLE", .part = "IS25WX128", .image_path = test_scratch_path("unk")};
    assert_int_equal(sim_board_open(&sb, &config, err, sizeof(err)), -ALIF_ENODEV);
    assert_int_equal(sb.nor.jedec_id, 0x9d5b18);
    assert_null(sb.nor.part);
    assert_string_equal(err, "flash part not recognised: JEDEC ID 9d 5b 18");
    // Nothing was attempted beyond reading the ID.
    const sim_nor_stats_t *s = sim_nor_stats(sb.model);
    assert_int_equal(s->commands[0x9f], 1);
    assert_int_equal(s->commands[0x06] + s->commands[0x81] + s->commands[0x72], 0);
    sim_board_close(&sb);
}

// Issue 8, problem 1, at the driver: on the Macronix part what the driver programs lands in the
// array in 1S order, and a 1S-written image reads natural through readblocks' path and XIP.
static void test_array_is_in_1s_order_on_every_part(void **state) {
    (void)state;
    const char *parts[] = {"MX25UM25645G", "IS25WX256", "EM064LX"};
    for (int k = 0; k < 3; k++) {
        sim_board_t sb;
        open_part(&sb, "OPENMV_AE3", parts[k], k == 2 ? 8 * MIB : 0);
        uint32_t seed = 3;
        uint8_t out[1000], in[1000];
        sim_random_fill(out, sizeof(out), &seed);
        assert_int_equal(nor_flash_program(&sb.nor, 0x3001, out, sizeof(out)), 0);
        assert_memory_equal(sb.image.ro + 0x3001, out, sizeof(out));
        // A 1S tool's image, placed in the array.
        sim_random_fill(sb.image.rw + 0x8000, sizeof(out), &seed);
        assert_int_equal(nor_flash_read(&sb.nor, 0x8001, in, sizeof(in) - 1), 0);
        assert_memory_equal(in, sb.image.ro + 0x8001, sizeof(in) - 1);
        assert_int_equal(sim_ospi_xip_read(sb.controller, 0x8000, in, sizeof(in)), 0);
        assert_memory_equal(in, sb.image.ro + 0x8000, sizeof(in));
        assert_int_equal(sim_nor_stats(sb.model)->protocol_errors, 0);
        sim_board_close(&sb);
    }
}

// Issue 8, problem 3: a Macronix page program may take up to its SFDP maximum (about 1.5 ms),
// not 750 us.
static void test_macronix_page_program_maximum_is_sfdps(void **state) {
    (void)state;
    sim_board_t sb;
    open_part(&sb, "OPENMV_AE3", "MX25UM25645G", 0);
    const sim_nor_part_t *model = sim_nor_part_by_name("MX25UM25645G");
    assert_int_equal(sb.nor.params.page_program_max_us, model->page_program.max_ns / 1000);
    sim_nor_set_op_time_ns(sb.model, 1400000);
    uint8_t b[2] = {0, 0};
    assert_int_equal(nor_flash_program(&sb.nor, 0, b, 2), 0);
    sim_board_close(&sb);
}

// Array reads (and so XIP) are sampled on DQS with the fewest dummy cycles each part's datasheet
// gives for the clock (IS25WX Table 6.7: 10 to 105 MHz, 20 to 200; MX25UM25645G's xSPI profile:
// 10 at 100 MHz, 20 at 200; EMxxLX Table 17: 7 to 100 MHz, 13 to 200), and what they read is
// right at both clocks the simulated controller gives: the part model answers a read with too
// few cycles for its clock with wrong data, so a wrong table entry fails here.
static void test_reads_use_the_fewest_dummy_cycles_the_clock_allows(void **state) {
    (void)state;
    static const struct {
        const char *board, *part;
        uint8_t at_100, at_200;
    } cases[] = {{"ALIF_ENSEMBLE", "IS25WX512", 10, 20},
                 {"OPENMV_AE3", "MX25UM25645G", 10, 20},
                 {"OPENMV_AE3", "EM064LX", 7, 13}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (uint32_t mhz = 100; mhz <= 200; mhz += 100) {
            sim_board_t sb;
            open_part(&sb, cases[i].board, cases[i].part,
                      strcmp(cases[i].part, "EM064LX") ? 0 : 8 * MIB);
            char err[200] = "";
            assert_int_equal(bring_up_again(&sb, mhz * 1000000u, err, sizeof(err)), 0);
            flash_bus_op_t op = nor_flash_read_op(&sb.nor);
            assert_true(op.data.dqs);
            assert_int_equal(op.dummy.ncycles, mhz == 100 ? cases[i].at_100 : cases[i].at_200);
            uint32_t xip_ctrl = reg_read32(sim_ospi_regs_base(sb.controller) + OSPI_XIP_CTRL);
            assert_true(xip_ctrl & OSPI_XIP_CTRL_RXDS_EN);
            uint8_t out[64], in[64];
            sim_random_fill(out, sizeof(out), &(uint32_t){mhz});
            assert_int_equal(nor_flash_program(&sb.nor, 0x4000, out, sizeof(out)), 0);
            assert_int_equal(nor_flash_read(&sb.nor, 0x4000, in, sizeof(in)), 0);
            assert_memory_equal(in, out, sizeof(out));
            assert_int_equal(sim_ospi_xip_read(sb.controller, 0x4000, in, sizeof(in)), 0);
            assert_memory_equal(in, out, sizeof(out));
            sim_board_close(&sb);
        }
    }
}

// A part whose SFDP disagrees with the parts table is refused, naming both values.
// An IS25WX512 whose SFDP says 2 MiB less than the parts table: BFPT DWORD 2, the density in
// bits less one, with bit 24 flipped.
static void open_part_with_sfdp_2_mib_short(sim_board_t *sb) {
    open_part(sb, "ALIF_ENSEMBLE", "IS25WX512", 0);
    size_t len;
    uint8_t *sfdp = sim_nor_sfdp(sb->model, &len);
    uint32_t bfpt = sfdp[12] | sfdp[13] << 8 | sfdp[14] << 16;
    sfdp[bfpt + 4 + 3] ^= 0x01;
}

static void test_sfdp_disagreeing_with_the_table_is_an_error(void **state) {
    (void)state;
    sim_board_t sb;
    open_part_with_sfdp_2_mib_short(&sb);
    sim_nor_power_on(sb.model);
    nor_flash_t nor;
    assert_int_equal(nor_flash_init(&nor, &sb.bus, SIM_BUS_CLOCK_HZ), -ALIF_EIO);
    assert_string_equal(nor.refusal.what, "SFDP size");
    assert_int_equal(nor.refusal.expected, 64 * MIB);
    assert_int_equal(nor.refusal.found, 62 * MIB);
    sim_board_close(&sb);
}

// What the user sees of that: the error names the field and both values.
static void test_bring_up_names_both_values_sfdp_and_table_give(void **state) {
    (void)state;
    sim_board_t sb;
    open_part_with_sfdp_2_mib_short(&sb);
    char err[160] = "";
    assert_int_equal(bring_up_again(&sb, SIM_BUS_CLOCK_HZ, err, sizeof(err)), -ALIF_EIO);
    assert_string_equal(err, "flash part IS25WX512: SFDP size 65011712 (0x3e00000), expected "
                             "67108864 (0x4000000)");
    sim_board_close(&sb);
}

// Every part's table ends at 200 MHz: a board clocked past it is refused at bring-up, naming
// both clocks, rather than reading garbage.
static void test_clock_too_fast_for_the_dummy_cycles_is_refused(void **state) {
    (void)state;
    static const char *const parts[][2] = {
        {"ALIF_ENSEMBLE", "IS25WX512"}, {"OPENMV_AE3", "MX25UM25645G"}, {"OPENMV_AE3", "EM064LX"}};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        sim_board_t sb;
        open_part(&sb, parts[i][0], parts[i][1], strcmp(parts[i][1], "EM064LX") ? 0 : 8 * MIB);
        sim_nor_power_on(sb.model);
        sim_nor_reset_stats(sb.model);
        nor_flash_t nor;
        assert_int_equal(nor_flash_init(&nor, &sb.bus, 250000000), -ALIF_EINVAL);
        assert_int_equal(nor.refusal.found, 250);
        assert_int_equal(nor.refusal.expected, 200);
        // Nothing was switched: the part is still in 1S-1S-1S, as after reset.
        assert_int_equal(
            sim_nor_stats(sb.model)->commands[0x81] + sim_nor_stats(sb.model)->commands[0x72], 0);
        sim_board_close(&sb);
    }
}

// Erases use the largest SFDP erase type that fits each aligned piece, 4 KiB at the edges.
static void test_erase_uses_the_largest_unit_that_fits(void **state) {
    (void)state;
    struct {
        const char *board, *part;
        uint32_t big, tail_erases;
    } cases[] = {{"OPENMV_AE3", "MX25UM25645G", 64 * 1024, 14},
                 {"ALIF_ENSEMBLE", "IS25WX512", 128 * 1024, 3 + 6}};
    for (int k = 0; k < 2; k++) {
        sim_board_t sb;
        open_part(&sb, cases[k].board, cases[k].part, 0);
        uint32_t big = cases[k].big, start = big - 2 * NOR_SECTOR_SIZE, len = 3 * big;
        memset(sb.image.rw, 0, 5 * big);
        assert_int_equal(nor_flash_erase(&sb.nor, start, len), 0);
        for (uint32_t i = 0; i < 5 * big; i++) {
            assert_int_equal(sb.image.ro[i], i >= start && i < start + len ? 0xff : 0x00);
        }
        // Two 4 KiB at the front, two big ones, then the tail of big - 8 KiB: on the IS25WX three
        // 32 KiB and six 4 KiB, on the MX25UM fourteen 4 KiB.
        assert_int_equal(sim_nor_stats(sb.model)->erases, 2 + 2 + cases[k].tail_erases);
        sim_board_close(&sb);
    }
}

// MRAM keeps NOR semantics (a program leaves old & new), and erases with the part's own erase
// commands (EMxxLX section 13), which set the bytes to FFh.
static void test_mram_keeps_nor_semantics(void **state) {
    (void)state;
    sim_board_t sb;
    open_part(&sb, "OPENMV_AE3", "EM064LX", 8 * MIB);
    uint8_t a[3] = {0x0f, 0x3c, 0xff}, b[3] = {0xf1, 0x0f, 0x00};
    assert_int_equal(nor_flash_program(&sb.nor, 0x101, a, 3), 0);
    assert_int_equal(nor_flash_program(&sb.nor, 0x101, b, 3), 0);
    uint8_t want[3] = {0x01, 0x0c, 0x00};
    assert_memory_equal(sb.image.ro + 0x101, want, 3);
    assert_int_equal(nor_flash_erase(&sb.nor, 0, 2 * NOR_SECTOR_SIZE), 0);
    for (uint32_t i = 0; i < 2 * NOR_SECTOR_SIZE; i++) {
        assert_int_equal(sb.image.ro[i], 0xff);
    }
    assert_int_equal(sim_nor_stats(sb.model)->erases, 2);
    sim_board_close(&sb);
}

// nor_flash_store on MRAM leaves exactly what it is sent, 1 bits over 0 bits included, and for
// whole even spans sends it straight, with no array read; an odd edge keeps its neighbour byte.
// On NOR flash it is a program.
static void test_store_on_mram_overwrites(void **state) {
    (void)state;
    sim_board_t sb;
    open_part(&sb, "OPENMV_AE3", "EM064LX", 8 * MIB);
    uint8_t zeros[NOR_PAGE_SIZE + 2] = {0}, ones[NOR_PAGE_SIZE + 2];
    memset(ones, 0xff, sizeof(ones));
    ones[5] = 0x5a;
    assert_int_equal(nor_flash_program(&sb.nor, 0x1000, zeros, sizeof(zeros)), 0);
    sim_nor_reset_stats(sb.model);
    assert_int_equal(nor_flash_store(&sb.nor, 0x1000, ones, sizeof(ones)), 0);
    assert_memory_equal(sb.image.ro + 0x1000, ones, sizeof(ones));
    assert_int_equal(sim_nor_stats(sb.model)->commands[0xfd], 0); // no 8D array read
    assert_int_equal(sim_nor_stats(sb.model)->erases, 0);
    assert_int_equal(nor_flash_store(&sb.nor, 0x1001, zeros, 1), 0);
    assert_int_equal(sb.image.ro[0x1000], 0xff);
    assert_int_equal(sb.image.ro[0x1001], 0x00);
    assert_int_equal(sb.image.ro[0x1002], 0xff);
    sim_board_close(&sb);

    open_part(&sb, "OPENMV_AE3", "MX25UM25645G", 0);
    assert_int_equal(nor_flash_program(&sb.nor, 0x1000, zeros, 4), 0);
    assert_int_equal(nor_flash_store(&sb.nor, 0x1000, ones, 4), 0);
    assert_memory_equal(sb.image.ro + 0x1000, zeros, 4); // NOR programs only clear bits
    sim_board_close(&sb);
}

// The EM064LX's programs keep WEL set (EMxxLX v3.2 section 11), which the status read that saw
// one end shows: the next needs no write-enable and no read to check it. NOR parts clear WEL at
// each end, so each program has its own; and after a failure the EM064LX's is sent anew.
static void test_write_enable_only_where_wel_was_not_seen_set(void **state) {
    (void)state;
    static const struct {
        const char *board, *part;
        uint32_t storage;
        uint64_t write_enables;
    } cases[] = {{"OPENMV_AE3", "EM064LX", 8 * MIB, 1}, {"OPENMV_AE3", "IS25WX256", 0, 3}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sim_board_t sb;
        open_part(&sb, cases[i].board, cases[i].part, cases[i].storage);
        uint8_t out[3 * NOR_PAGE_SIZE];
        memset(out, 0x42, sizeof(out));
        sim_nor_reset_stats(sb.model);
        assert_int_equal(nor_flash_program(&sb.nor, 0x2000, out, sizeof(out)), 0);
        assert_int_equal(sim_nor_stats(sb.model)->commands[0x06], cases[i].write_enables);
        assert_memory_equal(sb.image.ro + 0x2000, out, sizeof(out));
        sim_nor_fail_nth(sb.model, 1);
        assert_int_equal(nor_flash_program(&sb.nor, 0x3000, out, 2), -ALIF_EIO);
        sim_nor_reset_stats(sb.model);
        assert_int_equal(nor_flash_program(&sb.nor, 0x4000, out, 2), 0);
        assert_int_equal(sim_nor_stats(sb.model)->commands[0x06], 1);
        sim_board_close(&sb);
    }
}

// A change the bus reports failed may still have reached the part, which is then busy: on the
// EM064LX, whose writes keep WEL, the next change must not take the WEL seen before it as still
// good, but check write-enable and busy anew, or it is sent while the part erases and ignored.
static void test_a_change_the_bus_failed_is_waited_for_on_mram(void **state) {
    (void)state;
    fixture_t *f = test_calloc(1, sizeof(*f));
    fixture_open(f, "OPENMV_AE3", "EM064LX");
    uint8_t out[4] = {1, 2, 3, 4};
    assert_int_equal(nor_flash_program(&f->nor, 0x1000, out, sizeof(out)), 0);
    sim_nor_set_op_time_ns(f->sb.model, 50000); // the erase below runs a while
    f->spy.fail_after_opcode = 0x21;            // 4 KiB erase: it reaches the part
    assert_int_equal(nor_flash_erase(&f->nor, 0x2000, NOR_SECTOR_SIZE), -ALIF_EIO);
    f->spy.fail_after_opcode = 0;
    assert_int_equal(nor_flash_program(&f->nor, 0x3000, out, sizeof(out)), 0);
    assert_memory_equal(f->sb.image.ro + 0x3000, out, sizeof(out));
    sim_board_close(&f->sb);
    test_free(f);
}

// The parts on each board, with the storage each needs here (the EM064LX holds 8 MiB).
static const struct {
    const char *board, *part;
    uint32_t storage;
} every_part[] = {{"ALIF_ENSEMBLE", "IS25WX512", 0},
                  {"OPENMV_AE3", "IS25WX256", 0},
                  {"OPENMV_AE3", "MX25UM25645G", 0},
                  {"OPENMV_AE3", "EM064LX", 8 * MIB}};
#define EVERY_PART (sizeof(every_part) / sizeof(every_part[0]))

// Issue 15, problem 3: a program or erase the part reports failed (ISSI and Everspin flag status
// register, Macronix security register) is -EIO, never 0, and the next one starts clean.
static void test_a_failed_program_or_erase_is_eio(void **state) {
    (void)state;
    for (size_t i = 0; i < EVERY_PART; i++) {
        sim_board_t sb;
        open_part(&sb, every_part[i].board, every_part[i].part, every_part[i].storage);
        uint8_t out[300];
        memset(out, 0x42, sizeof(out));
        sim_nor_fail_nth(sb.model, 2); // the second page of this program
        assert_int_equal(nor_flash_program(&sb.nor, 0x20000, out, sizeof(out)), -ALIF_EIO);
        assert_int_equal(nor_flash_program(&sb.nor, 0x30000, out, sizeof(out)), 0);
        assert_memory_equal(sb.image.ro + 0x30000, out, sizeof(out));
        sim_nor_fail_nth(sb.model, 1);
        assert_int_equal(nor_flash_erase(&sb.nor, 0x30000, NOR_SECTOR_SIZE), -ALIF_EIO);
        assert_int_equal(nor_flash_erase(&sb.nor, 0x30000, NOR_SECTOR_SIZE), 0);
        assert_int_equal(sb.image.ro[0x30000], 0xff);
        sim_nor_fail_range(sb.model, 0x40000, NOR_SECTOR_SIZE);
        assert_int_equal(nor_flash_program(&sb.nor, 0x40000 + 10, out, 2), -ALIF_EIO);
        assert_int_equal(nor_flash_erase(&sb.nor, 0x40000, NOR_SECTOR_SIZE), -ALIF_EIO);
        sim_board_close(&sb);
    }
}

// Block protection: a protected area refuses program and erase, which is -EIO; bring-up finds
// protection a tool left set and clears it (Write Status Register), as Linux does at probe.
static void test_block_protection_is_eio_and_cleared_at_bring_up(void **state) {
    (void)state;
    for (size_t i = 0; i < EVERY_PART; i++) {
        sim_board_t sb;
        open_part(&sb, every_part[i].board, every_part[i].part, every_part[i].storage);
        // Every BP bit set: the whole part protected, in every part's layout.
        sim_nor_set_protection(sb.model, 0x3c);
        uint8_t out[4] = {1, 2, 3, 4};
        assert_int_equal(nor_flash_program(&sb.nor, 0x1000, out, 4), -ALIF_EIO);
        assert_int_equal(nor_flash_erase(&sb.nor, 0x1000, NOR_SECTOR_SIZE), -ALIF_EIO);
        assert_int_equal(sb.image.ro[0x1000], 0xff);
        char err[200] = "";
        assert_int_equal(bring_up_again(&sb, SIM_BUS_CLOCK_HZ, err, sizeof(err)), 0);
        assert_true(sim_nor_stats(sb.model)->commands[0x01] >= 1);
        assert_int_equal(nor_flash_program(&sb.nor, 0x1000, out, 4), 0);
        assert_memory_equal(sb.image.ro + 0x1000, out, 4);
        sim_board_close(&sb);
    }
}

// Protection that will not clear (Write Status Register ignored, as with its write disable held
// by WP#) and ECC that will not turn off refuse the part, naming the register's value and the
// bits wanted.
static void test_protection_or_ecc_that_stays_refuses_the_part(void **state) {
    fixture_t *f = *state;
    static const struct {
        uint8_t protection; // status bits set as a tool left them
        bool ecc;
        uint8_t dropped; // the register write the part ignores
        const char *what;
        uint8_t bits; // the bits of the value found that show it
        uint32_t found, expected;
    } cases[] = {
        {0x3c, false, 0x01, "protection stays set: status", 0x7c, 0x3c, 0}, // Write Status
        {0, true, 0x81, "ECC stays on: config", 0x01, 0, 1}, // Write Volatile Configuration
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sim_nor_set_protection(f->sb.model, cases[i].protection);
        sim_nor_set_ecc(f->sb.model, cases[i].ecc);
        sim_nor_power_on(f->sb.model);
        f->spy.drop_opcode = cases[i].dropped;
        assert_int_equal(nor_flash_init(&f->nor, &f->spy.outer, SIM_BUS_CLOCK_HZ), -ALIF_EIO);
        assert_string_equal(f->nor.refusal.what, cases[i].what);
        assert_int_equal(f->nor.refusal.found & cases[i].bits, cases[i].found);
        assert_int_equal(f->nor.refusal.expected, cases[i].expected);
    }
}

// Issue 15, problem 7: with the IS25WX's on-die ECC on, a second program of a 16-byte chunk is
// aborted; bring-up turns ECC off in the volatile register, so the NOR semantics the block
// device promises (each byte old & new, any number of programs) hold.
static void test_ecc_left_on_is_turned_off_at_bring_up(void **state) {
    (void)state;
    sim_board_t sb;
    open_part(&sb, "OPENMV_AE3", "IS25WX256", 0);
    sim_nor_set_ecc(sb.model, true);
    char err[200] = "";
    assert_int_equal(bring_up_again(&sb, SIM_BUS_CLOCK_HZ, err, sizeof(err)), 0);
    uint8_t a[2] = {0xf0, 0x3f}, b[2] = {0x3c, 0xcf}, want[2] = {0x30, 0x0f};
    assert_int_equal(nor_flash_program(&sb.nor, 0x5000, a, 2), 0);
    assert_int_equal(nor_flash_program(&sb.nor, 0x5000, b, 2), 0);
    assert_memory_equal(sb.image.ro + 0x5000, want, 2);
    sim_board_close(&sb);
}

// Issue 15, problem 5: the part busy with an operation nobody recorded (a command that reached
// it, then its caller never saw it return) is waited for, up to the part's longest maximum,
// instead of failing every later call at once.
static void test_busy_with_nothing_pending_is_waited_for(void **state) {
    fixture_t *f = *state;
    flash_bus_op_t wren = flash_op_8d(0x06, 0x06);
    flash_bus_op_t erase = flash_op_8d(0xdc, 0xdc);
    flash_op_addr(&erase, 4, 0x80000);
    assert_int_equal(f->sb.bus.exec(f->sb.bus.ctx, &wren), 0);
    assert_int_equal(f->sb.bus.exec(f->sb.bus.ctx, &erase), 0);
    uint8_t out[2] = {0, 0};
    assert_int_equal(nor_flash_program(&f->nor, 0x1000, out, 2), 0);
    assert_int_equal(sim_nor_stats(f->sb.model)->erases, 1);
    assert_int_equal(f->sb.image.ro[0x1000], 0);
}

// Issue 15, problem 9: a board whose traces fail at its own clock answers its ID at the slow
// probe and garbage at speed: refused at bring-up, before XIP is set up, naming what it read.
static void test_a_part_that_fails_at_the_board_clock_is_refused(void **state) {
    (void)state;
    sim_board_t sb;
    open_part(&sb, "ALIF_ENSEMBLE", "IS25WX512", 0);
    sim_nor_set_fault_above_hz(sb.model, 50000000);
    char err[200] = "";
    assert_int_equal(bring_up_again(&sb, SIM_BUS_CLOCK_HZ, err, sizeof(err)), -ALIF_EIO);
    assert_non_null(strstr(err, "flash part IS25WX512: 8D JEDEC ID"));
    assert_non_null(strstr(err, "expected 10312474 (0x9d5b1a)"));
    // And at a clock it can take, the same board comes up.
    assert_int_equal(bring_up_again(&sb, SIM_BUS_CLOCK_HZ / 2, err, sizeof(err)), 0);
    sim_board_close(&sb);
}

// Where a parameter table of this ID lives in the part model's SFDP, by its header.
static uint8_t *sfdp_table(sim_board_t *sb, uint16_t id) {
    size_t len;
    uint8_t *sfdp = sim_nor_sfdp(sb->model, &len);
    for (unsigned i = 0; i <= sfdp[6]; i++) {
        const uint8_t *h = sfdp + 8 + 8 * i;
        if ((h[0] | h[7] << 8) == id) {
            return sfdp + (h[4] | h[5] << 8 | h[6] << 16);
        }
    }
    fail_msg("no SFDP table %04x", id);
    return NULL;
}

static void expect_refused(sim_board_t *sb, const char *message) {
    char err[200] = "";
    assert_int_equal(bring_up_again(sb, SIM_BUS_CLOCK_HZ, err, sizeof(err)), -ALIF_EIO);
    assert_string_equal(err, message);
}

// Issue 15, problem 6: SFDP that contradicts what the parts table knows is refused naming both
// (a 4 KiB type given the 64 KiB opcode would make every block erase erase its 15 neighbours; a
// flipped byte-swap bit would store everything swapped); SFDP that does not say something falls
// back to the table (a missing 4-byte opcode, a BFPT without DWORD 18, as Linux's per-part
// fixups for these Macronix parts do); an unusable table is named as such.
static void test_sfdp_is_checked_against_the_table(void **state) {
    (void)state;
    sim_board_t sb;
    open_part(&sb, "OPENMV_AE3", "MX25UM25645G", 0);
    uint8_t *bait = sfdp_table(&sb, 0xff84), *bfpt = sfdp_table(&sb, 0xff00);
    bait[4] = 0xdc; // 4BAIT DWORD 2: erase type 1 (4 KiB) now says DCh
    expect_refused(&sb, "flash part MX25UM25645G: SFDP erase opcode 220 (0xdc), expected 33 "
                        "(0x21)");
    bait[4] = 0x21;
    bfpt[4 * 17 + 3] ^= 0x80; // DWORD 18 bit 31: no byte swap
    expect_refused(&sb, "flash part MX25UM25645G: SFDP 8D framing (4 said, 2 swap, 1 invert) 5 "
                        "(0x5), expected 7 (0x7)");
    bfpt[4 * 17 + 3] ^= 0x80;
    // xSPI profile DWORD 5 bits 11:7, the 100 MHz dummy cycles (JESD251; Linux sfdp.c
    // PROFILE1_DWORD5_DUMMY_100MHZ): 12 where the dump says 10.
    uint8_t *profile = sfdp_table(&sb, 0xff05);
    uint32_t dw5 = profile[16] | profile[17] << 8;
    dw5 = (dw5 & ~(0x1fu << 7)) | 12u << 7;
    profile[16] = (uint8_t)dw5;
    profile[17] = (uint8_t)(dw5 >> 8);
    expect_refused(&sb, "flash part MX25UM25645G: SFDP read dummy cycles 12 (0xc), expected 10 "
                        "(0xa)");
    dw5 = (dw5 & ~(0x1fu << 7)) | 10u << 7;
    profile[16] = (uint8_t)dw5;
    profile[17] = (uint8_t)(dw5 >> 8);
    bait[0] &= ~0x02; // 4BAIT DWORD 1 bit 9: no 4-byte opcode for type 1
    size_t len;
    uint8_t *sfdp = sim_nor_sfdp(sb.model, &len);
    sfdp[8 + 3] = 16; // the BFPT header's length: 16 DWORDs, no DWORD 18
    char err[200] = "";
    assert_int_equal(bring_up_again(&sb, SIM_BUS_CLOCK_HZ, err, sizeof(err)), 0);
    assert_true(sb.nor.params.swap16);
    assert_true(sb.nor.params.cmd_ext_invert);
    uint8_t out[6] = {1, 2, 3, 4, 5, 6};
    assert_int_equal(nor_flash_program(&sb.nor, 0x7001, out, sizeof(out)), 0);
    assert_memory_equal(sb.image.ro + 0x7001, out, sizeof(out));
    assert_int_equal(nor_flash_erase(&sb.nor, 0x7000, NOR_SECTOR_SIZE), 0);
    assert_int_equal(sim_nor_stats(sb.model)->erases_per_sector[8], 0); // 0x8000: untouched
    assert_int_equal(sb.image.ro[0x7001], 0xff);
    sfdp[0] = 'X';
    expect_refused(&sb, "flash part MX25UM25645G: unusable SFDP: no signature");
    sim_board_close(&sb);
}

// Issue 15, problem 4: parts as fast and as slow as their datasheets allow both work: nothing
// times out on a slow part, and the slow part's erases are waited for.
static void test_fast_and_slow_parts_work(void **state) {
    (void)state;
    static const sim_nor_timing_t timings[] = {SIM_NOR_TIMING_FAST, SIM_NOR_TIMING_SLOW};
    for (size_t i = 0; i < EVERY_PART; i++) {
        for (size_t k = 0; k < 2; k++) {
            sim_board_t sb;
            open_part(&sb, every_part[i].board, every_part[i].part, every_part[i].storage);
            sim_nor_set_timing(sb.model, timings[k], 3);
            static uint8_t out[3 * NOR_SECTOR_SIZE];
            memset(out, 0x5a, sizeof(out));
            assert_int_equal(nor_flash_program(&sb.nor, 0x10000, out, sizeof(out)), 0);
            assert_int_equal(nor_flash_erase(&sb.nor, 0, 128 * 1024), 0);
            assert_int_equal(sb.image.ro[0x10000], 0xff);
            assert_int_equal(nor_flash_program(&sb.nor, 0x10000, out, sizeof(out)), 0);
            assert_memory_equal(sb.image.ro + 0x10000, out, sizeof(out));
            sim_board_close(&sb);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_part_comes_up_in_octal_ddr),
        cmocka_unit_test_setup_teardown(test_program_splits_at_pages_and_pads_odd_edges, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_all_erased_chunks_are_not_programmed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_sets_sector_to_ff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_range_blanks_exactly_its_sectors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_write_enable_that_does_not_take_is_eio, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bus_errors_pass_through, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy_past_datasheet_maximum_times_out, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_after_a_time_out_the_next_call_waits_afresh, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_polling_follows_the_part, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_hook_sees_every_change, setup, teardown),
        cmocka_unit_test(test_unknown_id_is_enodev_with_the_id),
        cmocka_unit_test(test_array_is_in_1s_order_on_every_part),
        cmocka_unit_test(test_macronix_page_program_maximum_is_sfdps),
        cmocka_unit_test(test_reads_use_the_fewest_dummy_cycles_the_clock_allows),
        cmocka_unit_test(test_sfdp_disagreeing_with_the_table_is_an_error),
        cmocka_unit_test(test_bring_up_names_both_values_sfdp_and_table_give),
        cmocka_unit_test(test_clock_too_fast_for_the_dummy_cycles_is_refused),
        cmocka_unit_test(test_erase_uses_the_largest_unit_that_fits),
        cmocka_unit_test(test_mram_keeps_nor_semantics),
        cmocka_unit_test(test_store_on_mram_overwrites),
        cmocka_unit_test(test_write_enable_only_where_wel_was_not_seen_set),
        cmocka_unit_test(test_a_change_the_bus_failed_is_waited_for_on_mram),
        cmocka_unit_test(test_a_failed_program_or_erase_is_eio),
        cmocka_unit_test(test_block_protection_is_eio_and_cleared_at_bring_up),
        cmocka_unit_test(test_ecc_left_on_is_turned_off_at_bring_up),
        cmocka_unit_test_setup_teardown(test_protection_or_ecc_that_stays_refuses_the_part, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_busy_with_nothing_pending_is_waited_for, setup,
                                        teardown),
        cmocka_unit_test(test_a_part_that_fails_at_the_board_clock_is_refused),
        cmocka_unit_test(test_sfdp_is_checked_against_the_table),
        cmocka_unit_test(test_fast_and_slow_parts_work),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
