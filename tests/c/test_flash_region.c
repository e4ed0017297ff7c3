// SPDX-License-Identifier: MIT
// Every row of API.md that the region layer decides, at the C level, on the simulated board.
#include <errno.h>
#include <string.h>

#include "support.h"

#define BS FLASH_BLOCK_SIZE
#define MIB (1024 * 1024)

typedef struct {
    sim_board_t sb;
    flash_region_t fs;
} fixture_t;

static int setup(void **state) {
    fixture_t *f = test_calloc(1, sizeof(*f));
    test_board_open(&f->sb, "ALIF_ENSEMBLE", NULL, "region");
    char err[160];
    assert_int_equal(flash_region_init(&f->fs, &f->sb.storage, -1, -1, err, sizeof(err)), 0);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture_t *f = *state;
    sim_board_close(&f->sb);
    test_free(f);
    return 0;
}

static const uint8_t *image(fixture_t *f) {
    return f->sb.image.ro;
}

static uint64_t commands(fixture_t *f) {
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    uint64_t n = 0;
    for (int i = 0; i < 256; i++) {
        n += s->commands[i];
    }
    return n;
}

static void test_singleton_covers_filesystem_region(void **state) {
    fixture_t *f = *state;
    assert_true(flash_region_is_singleton_request(-1, -1));
    assert_false(flash_region_is_singleton_request(0, -1));
    assert_false(flash_region_is_singleton_request(-1, 16 * MIB));
    assert_int_equal(f->fs.start, 0);
    assert_int_equal(f->fs.len, 16 * MIB);

    sim_board_t ae3;
    test_board_open(&ae3, "OPENMV_AE3", NULL, "ae3");
    flash_region_t r;
    char err[160];
    assert_int_equal(flash_region_init(&r, &ae3.storage, -1, -1, err, sizeof(err)), 0);
    assert_int_equal(r.len, 8 * MIB);
    assert_string_equal(ae3.nor.part->name, "MX25UM25645G");
    sim_board_close(&ae3);
}

static void test_constructor_defaults_and_limits(void **state) {
    fixture_t *f = *state;
    flash_region_t r;
    char err[160];
    assert_int_equal(flash_region_init(&r, &f->sb.storage, 0, -1, err, sizeof(err)), 0);
    assert_int_equal(r.start, 0);
    assert_int_equal(r.len, 32 * MIB);
    assert_int_equal(flash_region_init(&r, &f->sb.storage, -1, BS, err, sizeof(err)), 0);
    assert_int_equal(r.start, 0);
    assert_int_equal(r.len, BS);
    assert_int_equal(flash_region_init(&r, &f->sb.storage, 32 * MIB - BS, -1, err, sizeof(err)), 0);
    assert_int_equal(r.len, BS);
    assert_int_equal(flash_region_init(&r, &f->sb.storage, BS, 32 * MIB - BS, err, sizeof(err)), 0);
}

// The message starts with the argument's name, and gives the rule: a multiple of the block size in
// an interval, [0, storage length) for start, (0, what is left of it from start] for len.
static void expect_rejected(fixture_t *f, int64_t start, int64_t len, const char *argument,
                            const char *bound) {
    flash_region_t r = {.start = 12345};
    char err[160] = "";
    assert_int_equal(flash_region_init(&r, &f->sb.storage, start, len, err, sizeof(err)),
                     -ALIF_EINVAL);
    assert_int_equal(r.start, 12345); // untouched
    if (strncmp(err, argument, strlen(argument)) != 0 || strstr(err, bound) == NULL) {
        fail_msg("message \"%s\" does not name %s and %s", err, argument, bound);
    }
    assert_non_null(strstr(err, "multiple of 4096"));
}

static void test_constructor_rejects_bad_start_and_len(void **state) {
    fixture_t *f = *state;
    expect_rejected(f, 1, -1, "start", "in [0, 33554432)");
    expect_rejected(f, -2, -1, "start", "in [0, 33554432)");
    expect_rejected(f, -BS, -1, "start", "in [0, 33554432)");
    expect_rejected(f, 32 * MIB, -1, "start", "in [0, 33554432)");
    expect_rejected(f, INT64_MAX, -1, "start", "in [0, 33554432)");
    expect_rejected(f, INT64_MIN, -1, "start", "in [0, 33554432)");
    expect_rejected(f, 0, 0, "len", "in (0, 33554432]");
    expect_rejected(f, 0, -2, "len", "in (0, 33554432]");
    expect_rejected(f, 0, 100, "len", "in (0, 33554432]");
    expect_rejected(f, 0, 32 * MIB + BS, "len", "in (0, 33554432]");
    expect_rejected(f, BS, 32 * MIB, "len", "in (0, 33550336]");
    expect_rejected(f, 0, INT64_MAX, "len", "in (0, 33554432]");
    expect_rejected(f, -1, INT64_MIN, "len", "in (0, 33554432]");
}

static void test_repr(void **state) {
    fixture_t *f = *state;
    char buf[64];
    flash_region_repr(&f->fs, buf, sizeof(buf));
    assert_string_equal(buf, "Flash(start=0, len=16777216)");
    flash_region_t r;
    char err[160];
    flash_region_init(&r, &f->sb.storage, 8192, 4096, err, sizeof(err));
    flash_region_repr(&r, buf, sizeof(buf));
    assert_string_equal(buf, "Flash(start=8192, len=4096)");
}

static void test_simple_write_then_read(void **state) {
    fixture_t *f = *state;
    uint8_t out[2 * BS], in[2 * BS];
    uint32_t seed = 1;
    sim_random_fill(out, sizeof(out), &seed);
    assert_int_equal(flash_region_writeblocks(&f->fs, 3, out, sizeof(out), NULL), 0);
    assert_memory_equal(image(f) + 3 * BS, out, sizeof(out));
    memset(in, 0, sizeof(in));
    assert_int_equal(flash_region_readblocks(&f->fs, 3, in, sizeof(in)), 0);
    assert_memory_equal(in, out, sizeof(in));
    // Neighbours untouched.
    for (size_t i = 0; i < BS; i++) {
        assert_int_equal(image(f)[2 * BS + i], 0xff);
        assert_int_equal(image(f)[5 * BS + i], 0xff);
    }
}

static void test_simple_write_replaces_whatever_was_there(void **state) {
    fixture_t *f = *state;
    uint8_t a[BS], b[BS];
    uint32_t seed = 7;
    sim_random_fill(a, BS, &seed);
    sim_random_fill(b, BS, &seed);
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, a, BS, NULL), 0);
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, b, BS, NULL), 0);
    assert_memory_equal(image(f), b, BS);
}

static void test_simple_write_skips_needless_erase(void **state) {
    fixture_t *f = *state;
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    uint8_t data[BS];
    memset(data, 0xf0, BS);
    assert_int_equal(flash_region_writeblocks(&f->fs, 1, data, BS, NULL), 0);
    assert_int_equal(s->erases, 0); // blank block: programming alone gets there
    uint64_t programs = s->programs;
    assert_int_equal(flash_region_writeblocks(&f->fs, 1, data, BS, NULL), 0);
    assert_int_equal(s->erases, 0); // same data: nothing to do at all
    assert_int_equal(s->programs, programs);
    memset(data, 0x30, BS); // only clears bits of 0xf0
    assert_int_equal(flash_region_writeblocks(&f->fs, 1, data, BS, NULL), 0);
    assert_int_equal(s->erases, 0);
    memset(data, 0x0f, BS); // needs bits back: erase
    assert_int_equal(flash_region_writeblocks(&f->fs, 1, data, BS, NULL), 0);
    assert_int_equal(s->erases, 1);
    assert_int_equal(s->erases_per_sector[1], 1);
    assert_memory_equal(image(f) + BS, data, BS);
}

static void test_extended_read_any_offset_and_length(void **state) {
    fixture_t *f = *state;
    uint8_t out[BS];
    uint32_t seed = 3;
    sim_random_fill(out, BS, &seed);
    assert_int_equal(flash_region_writeblocks(&f->fs, 2, out, BS, NULL), 0);
    uint8_t in[37];
    assert_int_equal(flash_region_readblocks_ext(&f->fs, 2, 1001, in, sizeof(in)), 0);
    assert_memory_equal(in, out + 1001, sizeof(in));
    // An offset past one block reaches into the next, as the address arithmetic says.
    assert_int_equal(flash_region_readblocks_ext(&f->fs, 1, BS + 5, in, 3), 0);
    assert_memory_equal(in, out + 5, 3);
}

static void test_extended_write_is_nor_and_without_erase(void **state) {
    fixture_t *f = *state;
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    uint8_t first[300], second[300];
    memset(first, 0x5a, sizeof(first));
    memset(second, 0x3c, sizeof(second));
    // Odd offset, odd length, crossing a page boundary.
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 4, 201, first, 299, NULL), 0);
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 4, 201, second, 299, NULL), 0);
    assert_int_equal(s->erases, 0);
    const uint8_t *blk = image(f) + 4 * BS;
    assert_int_equal(blk[200], 0xff);
    for (int i = 201; i < 500; i++) {
        assert_int_equal(blk[i], 0x5a & 0x3c);
    }
    assert_int_equal(blk[500], 0xff);
    // Single bytes at odd and even offsets.
    uint8_t one = 0x12;
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 5, 7, &one, 1, NULL), 0);
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 5, 8, &one, 1, NULL), 0);
    assert_int_equal(image(f)[5 * BS + 6], 0xff);
    assert_int_equal(image(f)[5 * BS + 7], 0x12);
    assert_int_equal(image(f)[5 * BS + 8], 0x12);
    assert_int_equal(image(f)[5 * BS + 9], 0xff);
    assert_int_equal(sim_nor_stats(f->sb.model)->protocol_errors, 0);
}

static void test_erase_ioctl_then_extended_write(void **state) {
    fixture_t *f = *state;
    uint8_t data[BS];
    memset(data, 0, BS);
    assert_int_equal(flash_region_writeblocks(&f->fs, 6, data, BS, NULL), 0);
    int64_t result = 99;
    assert_true(flash_region_ioctl(&f->fs, 6, 6, &result));
    assert_int_equal(result, 0);
    for (size_t i = 0; i < BS; i++) {
        assert_int_equal(image(f)[6 * BS + i], 0xff);
    }
    uint8_t abc[3] = {'a', 'b', 'c'};
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 6, 4093, abc, 3, NULL), 0);
    assert_memory_equal(image(f) + 6 * BS + 4093, abc, 3);
}

static void test_ioctl_table(void **state) {
    fixture_t *f = *state;
    int64_t result;
    for (int cmd = 1; cmd <= 3; cmd++) {
        result = 99;
        assert_true(flash_region_ioctl(&f->fs, cmd, 0, &result));
        assert_int_equal(result, 0);
    }
    assert_true(flash_region_ioctl(&f->fs, 4, 0, &result));
    assert_int_equal(result, 16 * MIB / BS);
    assert_true(flash_region_ioctl(&f->fs, 5, 0, &result));
    assert_int_equal(result, 4096);
    assert_false(flash_region_ioctl(&f->fs, 0, 0, &result));
    assert_false(flash_region_ioctl(&f->fs, 7, 0, &result));
    assert_false(flash_region_ioctl(&f->fs, -1, 0, &result));
    assert_false(flash_region_ioctl(&f->fs, INT64_MAX, 0, &result));
    flash_region_t r;
    char err[160];
    flash_region_init(&r, &f->sb.storage, 4 * BS, 3 * BS, err, sizeof(err));
    assert_true(flash_region_ioctl(&r, 4, 0, &result));
    assert_int_equal(result, 3);
}

static void test_erase_outside_region_is_einval_and_touches_nothing(void **state) {
    fixture_t *f = *state;
    flash_region_t r;
    char err[160];
    flash_region_init(&r, &f->sb.storage, 4 * BS, 2 * BS, err, sizeof(err));
    uint8_t data[BS];
    memset(data, 0, BS);
    assert_int_equal(flash_region_writeblocks(&f->fs, 6, data, BS, NULL), 0); // just past r
    assert_int_equal(flash_region_writeblocks(&f->fs, 3, data, BS, NULL), 0); // just before r
    uint64_t before = commands(f);
    int64_t args[] = {-1, 2, 3, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
        int64_t result = 0;
        assert_true(flash_region_ioctl(&r, 6, args[i], &result));
        assert_int_equal(result, -ALIF_EINVAL);
    }
    assert_int_equal(commands(f), before);
    assert_memory_equal(image(f) + 6 * BS, data, BS);
    assert_memory_equal(image(f) + 3 * BS, data, BS);
}

// Every rejected read and write returns -ALIF_EINVAL, issues no flash command and changes no byte.
static void test_rejected_calls_touch_nothing(void **state) {
    fixture_t *f = *state;
    flash_region_t r;
    char err[160];
    flash_region_init(&r, &f->sb.storage, 8 * BS, 2 * BS, err, sizeof(err));
    static uint8_t snapshot[32 * MIB];
    memcpy(snapshot, image(f), sizeof(snapshot));
    uint64_t before = commands(f);
    uint8_t buf[3 * BS];
    memset(buf, 0x00, sizeof(buf));
    uint8_t canary[3 * BS];
    memset(canary, 0x00, sizeof(canary));

    struct {
        int64_t block, offset;
        size_t len;
        bool extended;
    } cases[] = {
        // clang-format off
        {-1, 0, BS, false},
        {INT64_MIN, 0, BS, false},
        {0, 0, 3 * BS, false},     // past the end
        {1, 0, 2 * BS, false},     // past the end
        {2, 0, BS, false},         // block just past the end
        {INT64_MAX, 0, BS, false},
        {0, 0, 100, false},        // not whole blocks
        {0, 0, BS + 1, false},
        {0, -1, 1, true},
        {0, INT64_MIN, 1, true},
        {0, INT64_MAX, 1, true},
        {-1, BS, 1, true},         // negative block even though the sum is inside
        {1, BS - 1, 2, true},      // one byte past the end
        {0, 2 * BS, 1, true},
        {2, 0, 1, true},
        {INT64_MAX / BS, 0, 1, true},
        // clang-format on
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rd = cases[i].extended ? flash_region_readblocks_ext(&r, cases[i].block,
                                                                 cases[i].offset, buf, cases[i].len)
                                   : flash_region_readblocks(&r, cases[i].block, buf, cases[i].len);
        int wr = cases[i].extended
                     ? flash_region_writeblocks_ext(&r, cases[i].block, cases[i].offset, buf,
                                                    cases[i].len, NULL)
                     : flash_region_writeblocks(&r, cases[i].block, buf, cases[i].len, NULL);
        if (rd != -ALIF_EINVAL || wr != -ALIF_EINVAL) {
            fail_msg("case %zu: read %d write %d, want -ALIF_EINVAL", i, rd, wr);
        }
    }
    assert_memory_equal(buf, canary, sizeof(buf));
    assert_int_equal(commands(f), before);
    assert_memory_equal(image(f), snapshot, sizeof(snapshot));
}

static void test_zero_length_inside_region(void **state) {
    fixture_t *f = *state;
    uint64_t before = commands(f);
    uint8_t b = 0;
    assert_int_equal(flash_region_readblocks(&f->fs, 0, &b, 0), 0);
    assert_int_equal(flash_region_writeblocks(&f->fs, 5, &b, 0, NULL), 0);
    assert_int_equal(flash_region_readblocks_ext(&f->fs, 7, 123, &b, 0), 0);
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 7, 123, &b, 0, NULL), 0);
    assert_int_equal(commands(f), before);
}

static void test_region_offsets_and_overlap(void **state) {
    fixture_t *f = *state;
    flash_region_t a, b;
    char err[160];
    flash_region_init(&a, &f->sb.storage, 16 * MIB, 4 * BS, err, sizeof(err)); // past fs region
    flash_region_init(&b, &f->sb.storage, 16 * MIB + 2 * BS, -1, err, sizeof(err));
    uint8_t out[BS], in[BS];
    uint32_t seed = 11;
    sim_random_fill(out, BS, &seed);
    assert_int_equal(flash_region_writeblocks(&a, 3, out, BS, NULL), 0);
    assert_memory_equal(image(f) + 16 * MIB + 3 * BS, out, BS);
    assert_int_equal(flash_region_readblocks(&b, 1, in, BS), 0);
    assert_memory_equal(in, out, BS);
    assert_ptr_equal(flash_region_xip(&b), image(f) + 16 * MIB + 2 * BS);
}

static void test_xip_view_is_current_and_issues_no_command(void **state) {
    fixture_t *f = *state;
    uint64_t before = commands(f);
    const uint8_t *view = flash_region_xip(&f->fs);
    assert_ptr_equal(view, image(f));
    assert_int_equal(view[100], 0xff);
    assert_int_equal(commands(f), before);
    uint8_t data[BS];
    memset(data, 0x42, BS);
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, data, BS, NULL), 0);
    assert_int_equal(view[100], 0x42);
    int64_t result;
    flash_region_ioctl(&f->fs, 6, 0, &result);
    assert_int_equal(view[100], 0xff);
}

static void count_step(void *ctx) {
    (*(int *)ctx)++;
}

static void test_between_steps_hook_runs_per_block(void **state) {
    fixture_t *f = *state;
    int calls_between_steps = 0;
    f->sb.storage.between_steps = count_step;
    f->sb.storage.between_steps_ctx = &calls_between_steps;
    uint8_t data[3 * BS];
    memset(data, 0, sizeof(data));
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, data, sizeof(data), NULL), 0);
    assert_int_equal(calls_between_steps, 3);
}

// Events are handled after every read and every extended-form write too, as the stock port's
// readblocks and writeblocks do: a filesystem scan is many short calls.
static void test_between_steps_hook_runs_after_reads_and_extended_writes(void **state) {
    fixture_t *f = *state;
    int calls_between_steps = 0;
    f->sb.storage.between_steps = count_step;
    f->sb.storage.between_steps_ctx = &calls_between_steps;
    uint8_t data[100] = {0};
    assert_int_equal(flash_region_readblocks_ext(&f->fs, 0, 10, data, sizeof(data)), 0);
    assert_int_equal(calls_between_steps, 1);
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 0, 10, data, sizeof(data), NULL), 0);
    assert_int_equal(calls_between_steps, 2);
    static uint8_t block[BS];
    assert_int_equal(flash_region_readblocks(&f->fs, 1, block, BS), 0);
    assert_int_equal(calls_between_steps, 3);
}

// The only erase a simple-form write does is of the blocks that need it: a blank block between
// two that need erasing is not erased with them.
static void test_simple_write_erases_only_blocks_that_need_it(void **state) {
    fixture_t *f = *state;
    static uint8_t data[4 * BS];
    memset(data, 0x00, sizeof(data));
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, data, BS, NULL), 0);
    assert_int_equal(flash_region_writeblocks(&f->fs, 2, data, 2 * BS, NULL), 0);
    sim_nor_reset_stats(f->sb.model);
    memset(data, 0x5a, sizeof(data));
    unsigned steps_before = f->sb.between_steps;
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, data, sizeof(data), NULL), 0);
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    assert_int_equal(s->erases_per_sector[0], 1);
    assert_int_equal(s->erases_per_sector[1], 0);
    assert_int_equal(s->erases_per_sector[2], 1);
    assert_int_equal(s->erases_per_sector[3], 1);
    assert_memory_equal(image(f), data, sizeof(data));
    // Two erases (block 0, blocks 2-3) and four blocks programmed: a step for each.
    assert_int_equal(f->sb.between_steps - steps_before, 6);
}

// A long run of blocks that need erasing reaches the NOR layer in aligned pieces as large as the
// part's biggest erase unit (128 KiB on the IS25WX512), one call each with a step between them.
static void test_long_write_erases_in_big_units_with_steps_between(void **state) {
    fixture_t *f = *state;
    enum { BLOCKS = 64, FIRST = 32 }; // 256 KiB from a 128 KiB boundary
    static uint8_t data[BLOCKS * BS];
    uint32_t rng = 3;
    sim_random_fill(data, sizeof(data), &rng);
    assert_int_equal(flash_region_writeblocks(&f->fs, FIRST, data, sizeof(data), NULL), 0);
    sim_random_fill(data, sizeof(data), &rng);
    sim_nor_reset_stats(f->sb.model);
    unsigned steps_before = f->sb.between_steps;
    assert_int_equal(flash_region_writeblocks(&f->fs, FIRST, data, sizeof(data), NULL), 0);
    assert_memory_equal(image(f) + FIRST * BS, data, sizeof(data));
    assert_int_equal(sim_nor_stats(f->sb.model)->erases, 2);
    assert_int_equal(f->sb.between_steps - steps_before, 2 + BLOCKS);
}

#define ALIAS_SPAN (8 * BS)

// Fills the first ALIAS_SPAN bytes of the region with pseudo-random data and returns a copy.
static void alias_fill(fixture_t *f, uint32_t *rng, uint8_t *snapshot) {
    sim_random_fill(snapshot, ALIAS_SPAN, rng);
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, snapshot, ALIAS_SPAN, NULL), 0);
    assert_memory_equal(image(f), snapshot, ALIAS_SPAN);
}

// A simple-form write whose source is a view of the flash ends as if the source had been copied
// first, for the source ahead of, behind, or on the destination, at any byte distance.
static void check_simple_alias(fixture_t *f, uint32_t dst_block, uint32_t src_off, uint32_t len,
                               uint32_t *rng) {
    static uint8_t snapshot[ALIAS_SPAN], expected[ALIAS_SPAN];
    alias_fill(f, rng, snapshot);
    memcpy(expected, snapshot, ALIAS_SPAN);
    memcpy(expected + dst_block * BS, snapshot + src_off, len);
    const uint8_t *view = flash_region_xip(&f->fs);
    static uint8_t bounce[BS];
    assert_int_equal(flash_region_writeblocks(&f->fs, dst_block, view + src_off, len, bounce), 0);
    if (memcmp(image(f), expected, ALIAS_SPAN) != 0) {
        fail_msg("simple write of %u bytes to block %u from view offset %u is not a copy",
                 (unsigned)len, (unsigned)dst_block, (unsigned)src_off);
    }
}

static void test_simple_write_from_a_view_of_the_flash(void **state) {
    fixture_t *f = *state;
    uint32_t rng = 7;
    static const uint32_t deltas[] = {0, 1, 100, BS - 1, BS, BS + 100, 2 * BS, 3 * BS - 7, 5 * BS};
    for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
        for (uint32_t blocks = 1; blocks <= 3; blocks++) {
            uint32_t len = blocks * BS, d = deltas[i];
            // Source ahead of the destination (forward), then behind it (backward).
            check_simple_alias(f, 0, d, len, &rng);
            if (d <= 5 * BS) {
                check_simple_alias(f, 5, 5 * BS - d, len, &rng);
            }
        }
    }
    // The cases the issue found: a view of blocks 0-1 onto block 1, and onto block 0 at +100.
    check_simple_alias(f, 1, 0, 2 * BS, &rng);
    check_simple_alias(f, 0, 100, BS, &rng);
}

// Extended form: each destination byte becomes old & source, the source read before any of the
// write landed.
static void test_extended_write_from_a_view_of_the_flash(void **state) {
    fixture_t *f = *state;
    uint32_t rng = 11;
    static uint8_t snapshot[ALIAS_SPAN], expected[ALIAS_SPAN];
    const uint8_t *view = flash_region_xip(&f->fs);
    for (int iteration = 0; iteration < 300; iteration++) {
        alias_fill(f, &rng, snapshot);
        uint32_t r = sim_random(&rng);
        uint32_t len = 1 + r % (3 * BS);
        uint32_t dst = sim_random(&rng) % (ALIAS_SPAN - len);
        // Mostly overlapping, at any distance either way.
        int32_t delta = (int32_t)(sim_random(&rng) % (2 * len + 1)) - (int32_t)len;
        int64_t src = (int64_t)dst + delta;
        if (src < 0 || src + len > ALIAS_SPAN) {
            src = sim_random(&rng) % (ALIAS_SPAN - len);
        }
        memcpy(expected, snapshot, ALIAS_SPAN);
        for (uint32_t i = 0; i < len; i++) {
            expected[dst + i] = snapshot[dst + i] & snapshot[src + i];
        }
        static uint8_t bounce[BS];
        assert_int_equal(
            flash_region_writeblocks_ext(&f->fs, dst / BS, dst % BS, view + src, len, bounce), 0);
        if (memcmp(image(f), expected, ALIAS_SPAN) != 0) {
            fail_msg("extended write of %u bytes to %u from view offset %u is not a copy",
                     (unsigned)len, (unsigned)dst, (unsigned)src);
        }
    }
}

static int erase_block(fixture_t *f, int64_t block) {
    int64_t result;
    assert_true(flash_region_ioctl(&f->fs, 6, block, &result));
    return (int)result;
}

// A source anywhere in the flash, overlapping the destination or not, is read only while the
// part is idle: the XIP window cannot be read while it programs (the model makes the window
// unreadable then, so a read there ends the test). Without a bounce block lent for it, the write
// is refused and nothing changes.
static void test_write_from_a_view_elsewhere_in_the_flash(void **state) {
    fixture_t *f = *state;
    uint32_t rng = 5;
    static uint8_t data[3 * BS], before[3 * BS], bounce[BS];
    sim_random_fill(data, sizeof(data), &rng);
    assert_int_equal(flash_region_writeblocks(&f->fs, 100, data, sizeof(data), NULL), 0);
    const uint8_t *source = flash_region_xip(&f->fs) + 100 * BS;
    memcpy(before, image(f), sizeof(before));
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, source, sizeof(data), NULL), -ALIF_ENOMEM);
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 0, 1, source, 10, NULL), -ALIF_ENOMEM);
    assert_memory_equal(image(f), before, sizeof(before));
    assert_int_equal(flash_region_writeblocks(&f->fs, 0, source, sizeof(data), bounce), 0);
    assert_memory_equal(image(f), data, sizeof(data));
    assert_int_equal(erase_block(f, 3), 0);
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 3, 7, source + 7, BS - 7, bounce), 0);
    assert_memory_equal(image(f) + 3 * BS + 7, data + 7, BS - 7);
}

// A write that times out leaves the part busy; the next readblocks waits for it before it reads
// the XIP window (unreadable while the part is busy), and returns what the flash then holds.
static void test_readblocks_after_a_time_out_waits_for_the_part(void **state) {
    fixture_t *f = *state;
    static uint8_t data[BS], back[BS];
    memset(data, 0x3c, sizeof(data));
    // Blank flash: no erase, so the first page program is what runs too long.
    uint64_t max_ns = (uint64_t)f->sb.nor.params.page_program_max_us * 1000;
    sim_nor_set_op_time_ns(f->sb.model, max_ns * 3 / 2);
    assert_int_equal(flash_region_writeblocks(&f->fs, 9, data, BS, NULL), -ALIF_ETIMEDOUT);
    sim_nor_set_op_time_ns(f->sb.model, 0);
    assert_int_equal(flash_region_readblocks(&f->fs, 9, back, BS), 0);
    // The slow page landed; the write stopped there.
    assert_int_equal(back[0], 0x3c);
    assert_int_equal(back[NOR_PAGE_SIZE], 0xff);
    assert_memory_equal(back, image(f) + 9 * BS, BS);
}

// A write that times out leaves the part busy; the next simple-form write compares with the flash
// through the XIP window (unreadable while the part is busy), so it waits for the part first, and
// so does a write whose source is a view of the flash before it copies the source.
static void test_write_after_a_time_out_waits_for_the_part(void **state) {
    fixture_t *f = *state;
    static uint8_t data[BS], bounce[BS];
    memset(data, 0x3c, sizeof(data));
    uint64_t max_ns = (uint64_t)f->sb.nor.params.page_program_max_us * 1000;
    for (int from_view = 0; from_view < 2; from_view++) {
        sim_nor_set_op_time_ns(f->sb.model, max_ns * 3 / 2);
        assert_int_equal(flash_region_writeblocks(&f->fs, 9 + from_view, data, BS, NULL),
                         -ALIF_ETIMEDOUT);
        sim_nor_set_op_time_ns(f->sb.model, 0);
        const uint8_t *src = from_view ? flash_region_xip(&f->fs) + 20 * BS : data;
        assert_int_equal(flash_region_writeblocks(&f->fs, 12, src, BS, from_view ? bounce : NULL),
                         0);
        assert_memory_equal(image(f) + 12 * BS, src, BS);
    }
    // The extended form from a view copies its source before its first program.
    assert_int_equal(erase_block(f, 13), 0);
    sim_nor_set_op_time_ns(f->sb.model, max_ns * 3 / 2);
    assert_int_equal(flash_region_writeblocks(&f->fs, 11, data, BS, NULL), -ALIF_ETIMEDOUT);
    sim_nor_set_op_time_ns(f->sb.model, 0);
    const uint8_t *view = flash_region_xip(&f->fs) + 20 * BS;
    assert_int_equal(flash_region_writeblocks_ext(&f->fs, 13, 5, view, 100, bounce), 0);
    assert_memory_equal(image(f) + 13 * BS + 5, view, 100);
}

// The portable check the device runs too: the filesystem region inside the storage region, and
// both whole blocks.
static void test_storage_geometry_is_checked(void **state) {
    fixture_t *f = *state;
    flash_storage_t good = f->sb.storage;
    char err[200];
    assert_int_equal(flash_storage_check(&good, err, sizeof(err)), 0);
    struct {
        uint32_t base, len, fs_len;
        const char *says;
    } bad[] = {
        {0, 4096, 16 * MIB, "4096 bytes on IS25WX512"}, // the singleton would reach past it
        {0, 4096, 16 * MIB, "filesystem's 16777216"},
        {0, 5000, 4096, "5000 bytes"},
        {0, 32 * MIB, 4095, "filesystem's 4095"},
        {100, 16 * MIB, 16 * MIB, "base 100"},
        {0, 0, 0, " 0 bytes"},
        {0, 0, 0, "whole 4096-byte blocks"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        flash_storage_t s = good;
        s.base = bad[i].base;
        s.len = bad[i].len;
        s.fs_len = bad[i].fs_len;
        err[0] = '\0';
        assert_int_equal(flash_storage_check(&s, err, sizeof(err)), -ALIF_EINVAL);
        if (strstr(err, bad[i].says) == NULL) {
            fail_msg("case %u: \"%s\" does not say %s", (unsigned)i, err, bad[i].says);
        }
    }
}

// A part smaller than the board's storage region comes up (stock firmware does): the region is
// what the part holds, and nothing past its end is reachable.
static void test_storage_larger_than_part_is_what_the_part_holds(void **state) {
    (void)state;
    sim_board_t sb;
    char err[256] = "";
    sim_board_config_t config = {
        .board = "OPENMV_AE3",
        .image_path = test_scratch_path("small"),
        .storage_len = 64 * MIB,
    };
    assert_int_equal(sim_board_open(&sb, &config, err, sizeof(err)), 0);
    assert_int_equal(sb.storage.len, 32 * MIB);
    flash_region_t r;
    assert_int_equal(flash_region_init(&r, &sb.storage, 32 * MIB, -1, err, sizeof(err)),
                     -ALIF_EINVAL);
    assert_non_null(strstr(err, "33554432"));
    sim_board_close(&sb);
}

// MRAM stores what it is sent (EMxxLX v3.2 section 11): a simple-form write over other data
// sends no erase and reads nothing back through commands, only the changed pages' writes, and
// the blocks hold exactly the new bytes, 1 bits over 0 bits included.
static void test_simple_write_on_mram_neither_erases_nor_reads_back(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "OPENMV_AE3", "EM064LX", "mram");
    char err[128];
    flash_region_t r;
    assert_int_equal(flash_region_init(&r, &sb.storage, 0, 4 * BS, err, sizeof(err)), 0);
    static uint8_t old[2 * BS], new[2 * BS];
    memset(old, 0x00, sizeof(old));
    memcpy(new, old, sizeof(new));
    memset(new + 300, 0xff, 100);  // pages 1 of block 0 ...
    memset(new + BS + 5, 0xa5, 1); // ... and 0 of block 1 change
    assert_int_equal(flash_region_writeblocks(&r, 1, old, sizeof(old), NULL), 0);
    sim_nor_reset_stats(sb.model);
    assert_int_equal(flash_region_writeblocks(&r, 1, new, sizeof(new), NULL), 0);
    assert_memory_equal(sb.image.ro + BS, new, sizeof(new));
    const sim_nor_stats_t *s = sim_nor_stats(sb.model);
    assert_int_equal(s->erases, 0);
    assert_int_equal(s->commands[0xfd], 0); // 8D array read
    assert_int_equal(s->commands[0xc2], 2); // 8D page program: the two pages that changed
    sim_board_close(&sb);
}

static void test_unknown_part_names_its_id(void **state) {
    (void)state;
    sim_board_t sb;
    char err[256] = "";
    sim_board_config_t config = {
        .board = "ALIF_ENSEMBLE",
        .part = "W25Q128",
        .image_path = test_scratch_path("unknown"),
    };
    assert_int_equal(sim_board_open(&sb, &config, err, sizeof(err)), -ALIF_ENODEV);
    assert_non_null(strstr(err, "ef 40 18"));
    sim_board_close(&sb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_singleton_covers_filesystem_region, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constructor_defaults_and_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constructor_rejects_bad_start_and_len, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_repr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_simple_write_then_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_simple_write_replaces_whatever_was_there, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_simple_write_skips_needless_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extended_read_any_offset_and_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extended_write_is_nor_and_without_erase, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_erase_ioctl_then_extended_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ioctl_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_outside_region_is_einval_and_touches_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected_calls_touch_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_length_inside_region, setup, teardown),
        cmocka_unit_test_setup_teardown(test_region_offsets_and_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xip_view_is_current_and_issues_no_command, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_between_steps_hook_runs_per_block, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_between_steps_hook_runs_after_reads_and_extended_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_simple_write_erases_only_blocks_that_need_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_long_write_erases_in_big_units_with_steps_between,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_simple_write_from_a_view_of_the_flash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_readblocks_after_a_time_out_waits_for_the_part, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_write_from_a_view_elsewhere_in_the_flash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_write_after_a_time_out_waits_for_the_part, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_extended_write_from_a_view_of_the_flash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_storage_geometry_is_checked, setup, teardown),
        cmocka_unit_test(test_storage_larger_than_part_is_what_the_part_holds),
        cmocka_unit_test(test_unknown_part_names_its_id),
        cmocka_unit_test(test_simple_write_on_mram_neither_erases_nor_reads_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
