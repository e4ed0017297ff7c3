// SPDX-License-Identifier: MIT
// The port's ROMFS and USB disk services on the simulated board: their range checks (nothing
// touched on a refusal), and what alif.Flash sees of their writes.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#include "alif_flash_port.h"
#include "flash_bring_up.h"
#include "flash_services.h"

#define BS FLASH_BLOCK_SIZE
#define MIB (1024 * 1024)

typedef struct {
    sim_board_t sb;
    flash_region_t romfs; // the board's ROMFS segment on the flash
    flash_msc_t msc;      // the USB disk: the filesystem region
    uint8_t *before;      // the whole part, to see that a refusal touched nothing
} fixture_t;

static int open_board(void **state, const char *board) {
    fixture_t *f = test_calloc(1, sizeof(*f));
    test_board_open(&f->sb, board, NULL, "services");
    const alif_board_t *b = f->sb.board;
    assert_int_equal(flash_romfs_init(&f->romfs, &f->sb.storage, b->romfs_base, b->romfs_len), 0);
    assert_int_equal(flash_msc_init(&f->msc, &f->sb.storage), 0);
    f->before = test_malloc(f->sb.part->size);
    *state = f;
    return 0;
}

static int setup_ensemble(void **state) {
    return open_board(state, "ALIF_ENSEMBLE");
}

static int setup_ae3(void **state) {
    return open_board(state, "OPENMV_AE3");
}

static int teardown(void **state) {
    fixture_t *f = *state;
    test_free(f->before);
    sim_board_close(&f->sb);
    test_free(f);
    return 0;
}

static void fill(uint8_t *buf, size_t len, uint32_t seed) {
    sim_random_fill(buf, len, &seed);
}

// Remembers the part's contents and counters, for expect_untouched.
static void snapshot(fixture_t *f) {
    memcpy(f->before, f->sb.image.ro, f->sb.part->size);
    sim_nor_reset_stats(f->sb.model);
    f->sb.between_steps = 0;
}

static void expect_untouched(fixture_t *f) {
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    assert_int_equal(s->programs, 0);
    assert_int_equal(s->erases, 0);
    assert_memory_equal(f->before, f->sb.image.ro, f->sb.part->size);
}

static void test_segment_must_be_blocks_past_the_filesystem(void **state) {
    fixture_t *f = *state;
    const flash_storage_t *st = &f->sb.storage;
    flash_region_t r;
    // The board's own segment: the rest of the storage region after the filesystem.
    assert_int_equal(f->romfs.start, st->fs_len);
    assert_int_equal(f->romfs.start + f->romfs.len, st->len);
    // Over the user's files, past the part, or not on a block boundary: a misconfigured board.
    assert_int_equal(flash_romfs_init(&r, st, st->fs_len - BS, 2 * BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_init(&r, st, 0, BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_init(&r, st, st->len - BS, 2 * BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_init(&r, st, st->fs_len + 512, BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_init(&r, st, st->fs_len, 0), -ALIF_EINVAL);
    // Below a storage region that starts past the flash's start: never the region from its start
    // (an offset of -1 is the constructor's default), never one that wraps.
    flash_storage_t moved = *st;
    moved.base = 1 * MIB;
    moved.len -= 1 * MIB;
    assert_int_equal(flash_romfs_init(&r, &moved, moved.base - 1, BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_init(&r, &moved, moved.base - BS, BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_init(&r, &moved, 0, BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_init(&r, &moved, moved.base + moved.fs_len, BS), 0);
    assert_int_equal(r.start, moved.fs_len);
}

static void test_romfs_image_reads_back_through_the_flash_view(void **state) {
    fixture_t *f = *state;
    enum { LEN = 3 * BS + 100 };
    static uint8_t image[LEN];
    fill(image, sizeof(image), 11);
    snapshot(f);
    assert_int_equal(flash_romfs_prepare(&f->romfs, 0, LEN), FLASH_ROMFS_MIN_WRITE);
    // 16 KiB at the segment's start: no erase unit bigger than 4 KiB fits, and one event step
    // after the run.
    assert_int_equal(sim_nor_stats(f->sb.model)->erases, 4);
    assert_int_equal(f->sb.between_steps, 1);
    // mpremote writes the image in chunks.
    for (size_t at = 0; at < LEN; at += 1000) {
        size_t n = LEN - at < 1000 ? LEN - at : 1000;
        assert_int_equal(flash_romfs_write(&f->romfs, (int64_t)at, image + at, n, NULL), 0);
    }
    assert_int_equal(f->sb.between_steps, 1 + (LEN + 999) / 1000);

    // alif.Flash(start=<segment>)'s memoryview, and the flash array itself, hold the image.
    flash_region_t view;
    char err[160];
    assert_int_equal(
        flash_region_init(&view, &f->sb.storage, f->romfs.start, f->romfs.len, err, sizeof(err)),
        0);
    assert_memory_equal(flash_region_xip(&view), image, LEN);
    assert_memory_equal(f->sb.image.ro + f->sb.storage.base + f->romfs.start, image, LEN);
    // Nothing before the segment moved.
    assert_memory_equal(f->before, f->sb.image.ro, f->romfs.start);
}

static void test_romfs_prepare_uses_big_erases_with_events_between(void **state) {
    fixture_t *f = *state;
    enum { LEN = 512 * 1024 };
    assert_int_equal(f->romfs.start % (128 * 1024), 0);
    assert_int_equal(flash_romfs_prepare(&f->romfs, 0, LEN), FLASH_ROMFS_MIN_WRITE);
    // 64 KiB or larger units (every supported NOR part has one), not 128 sector erases; and
    // events after each 128 KiB at the most.
    assert_in_range(sim_nor_stats(f->sb.model)->erases, 1, LEN / (64 * 1024));
    assert_int_equal(f->sb.between_steps, LEN / (128 * 1024));
    for (size_t i = 0; i < LEN; i++) {
        assert_int_equal(f->sb.image.ro[f->sb.storage.base + f->romfs.start + i], 0xff);
    }
}

// mpremote's romfs deploy prepares min(32 KiB, what is left) rounded up to GET_MIN_PREPARE: the
// part's largest erase unit (IS25WX 128 KiB, MX25UM 64 KiB, their datasheets' erase tables), so
// that each of its prepares is one erase of that unit. Its loop, run here, erases 1 MiB in 8 or
// 16 erases, where 4 KiB made it 32 KiB prepares of 8 and 1 erases.
static void test_romfs_min_prepare_lets_mpremote_reach_the_big_units(void **state) {
    fixture_t *f = *state;
    uint32_t unit = flash_romfs_min_prepare(&f->romfs);
    bool issi = strncmp(f->sb.part->name, "IS25WX", 6) == 0;
    assert_int_equal(unit, issi ? 128 * 1024 : 64 * 1024);
    const uint32_t image_len = 1 * MIB + 100;
    for (uint32_t offset = 0; offset < image_len;) {
        uint32_t remain = image_len - offset < 32768 ? image_len - offset : 32768;
        uint32_t prepare = (remain + unit - 1) / unit * unit;
        assert_int_equal(flash_romfs_prepare(&f->romfs, offset, prepare), FLASH_ROMFS_MIN_WRITE);
        offset += prepare;
    }
    assert_int_equal(sim_nor_stats(f->sb.model)->erases, (1 * MIB) / unit + 1);
}

static void test_romfs_prepare_blanks_only_the_blocks_asked_for(void **state) {
    fixture_t *f = *state;
    static uint8_t data[4 * BS];
    memset(data, 0, sizeof(data));
    assert_int_equal(flash_romfs_write(&f->romfs, 0, data, sizeof(data), NULL), 0);
    // From the middle of block 1 to the middle of block 2: blocks 1 and 2 go, 0 and 3 stay.
    assert_int_equal(flash_romfs_prepare(&f->romfs, BS + 10, BS), FLASH_ROMFS_MIN_WRITE);
    const uint8_t *seg = flash_region_xip(&f->romfs);
    assert_int_equal(seg[BS - 1], 0x00);
    assert_int_equal(seg[BS], 0xff);
    assert_int_equal(seg[3 * BS - 1], 0xff);
    assert_int_equal(seg[3 * BS], 0x00);
}

static void test_romfs_refuses_ranges_outside_its_segment(void **state) {
    fixture_t *f = *state;
    uint8_t data[16];
    memset(data, 0, sizeof(data));
    int64_t len = f->romfs.len;
    snapshot(f);
    // The stock port erases below the segment, into the filesystem, for a negative offset.
    assert_int_equal(flash_romfs_prepare(&f->romfs, -BS, BS), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_prepare(&f->romfs, -1, 1), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_prepare(&f->romfs, 0, -1), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_prepare(&f->romfs, 0, len + 1), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_prepare(&f->romfs, len, 1), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_prepare(&f->romfs, INT64_MAX, INT64_MAX), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_prepare(&f->romfs, 1, INT64_MAX), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_write(&f->romfs, -16, data, sizeof(data), NULL), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_write(&f->romfs, len - 8, data, sizeof(data), NULL), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_write(&f->romfs, INT64_MIN, data, sizeof(data), NULL),
                     -ALIF_EINVAL);
    expect_untouched(f);
    // The very end is still inside.
    assert_int_equal(flash_romfs_prepare(&f->romfs, len - 1, 1), FLASH_ROMFS_MIN_WRITE);
    assert_int_equal(flash_romfs_prepare(&f->romfs, len, 0), FLASH_ROMFS_MIN_WRITE);
    assert_int_equal(flash_romfs_write(&f->romfs, len - 16, data, sizeof(data), NULL), 0);
}

// vfs.rom_ioctl(2, id, 10, 0) once erased the block holding offset 10: a prepare of nothing must
// touch nothing, at any offset inside the segment, aligned or not, up to its very end.
static void test_romfs_zero_length_prepare_touches_nothing(void **state) {
    fixture_t *f = *state;
    static uint8_t data[2 * BS];
    memset(data, 0, sizeof(data));
    assert_int_equal(flash_romfs_write(&f->romfs, 0, data, sizeof(data), NULL), 0);
    int64_t len = f->romfs.len;
    const int64_t offsets[] = {0, 10, BS - 1, BS, BS + 10, len - 1, len};
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        snapshot(f);
        assert_int_equal(flash_romfs_prepare(&f->romfs, offsets[i], 0), FLASH_ROMFS_MIN_WRITE);
        expect_untouched(f);
    }
    // Still refused outside the segment.
    assert_int_equal(flash_romfs_prepare(&f->romfs, len + 1, 0), -ALIF_EINVAL);
    assert_int_equal(flash_romfs_prepare(&f->romfs, -1, 0), -ALIF_EINVAL);
}

// Writes the host's blocks [lba, lba + len / BS) in pieces of the given size, as TinyUSB hands a
// WRITE10 over when its buffer is smaller than the transfer: lba and offset from the bytes done.
static void msc_write_in_pieces(fixture_t *f, uint32_t lba, const uint8_t *data, uint32_t len,
                                uint32_t piece) {
    for (uint32_t at = 0; at < len; at += piece) {
        uint32_t n = len - at < piece ? len - at : piece;
        assert_int_equal(flash_msc_write(&f->msc, lba + at / BS, at % BS, data + at, n), n);
    }
}

// A transfer that is not whole blocks, or a piece that crosses into the next block, once left that
// next block unerased (old & new) and still returned success.
static void test_msc_pieces_that_are_not_whole_blocks(void **state) {
    fixture_t *f = *state;
    static uint8_t zeros[4 * BS], data[4 * BS], in[4 * BS];
    memset(zeros, 0, sizeof(zeros));
    fill(data, sizeof(data), 21);
    const uint32_t pieces[] = {3000, 6144, 512 + BS, BS - 1};
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        uint32_t lba = 16 + 8 * (uint32_t)i;
        assert_int_equal(flash_msc_write(&f->msc, lba, 0, zeros, sizeof(zeros)), sizeof(zeros));
        msc_write_in_pieces(f, lba, data, sizeof(data), pieces[i]);
        assert_int_equal(flash_msc_read(&f->msc, lba, 0, in, sizeof(in)), sizeof(in));
        if (memcmp(in, data, sizeof(data)) != 0) {
            fail_msg("pieces of %u bytes did not leave the host's blocks", (unsigned)pieces[i]);
        }
    }
}

static void test_msc_disk_is_the_filesystem_region(void **state) {
    fixture_t *f = *state;
    uint32_t blocks = flash_msc_block_count(&f->msc);
    assert_int_equal(blocks, f->sb.board->fs_len / BS);
    static uint8_t out[2 * BS], in[2 * BS];
    fill(out, sizeof(out), 5);
    snapshot(f);
    assert_int_equal(flash_msc_write(&f->msc, blocks - 2, 0, out, sizeof(out)), sizeof(out));
    assert_int_equal(flash_msc_read(&f->msc, blocks - 2, 0, in, sizeof(in)), sizeof(in));
    assert_memory_equal(in, out, sizeof(out));
    // alif.Flash() sees what the host wrote, where stock firmware would.
    assert_memory_equal(f->sb.image.ro + f->sb.storage.base + (blocks - 2) * BS, out, sizeof(out));
    // TinyUSB's calls come from inside the port's event handling: no nested event step.
    assert_int_equal(f->sb.between_steps, 0);
}

static void test_msc_write_outside_the_disk_is_refused_and_touches_nothing(void **state) {
    fixture_t *f = *state;
    uint32_t blocks = flash_msc_block_count(&f->msc);
    static uint8_t data[2 * BS];
    memset(data, 0, sizeof(data));
    snapshot(f);
    // The stock port writes past the filesystem, into ROMFS, for any LBA the host sends.
    assert_int_equal(flash_msc_write(&f->msc, blocks, 0, data, BS), -ALIF_EINVAL);
    assert_int_equal(flash_msc_write(&f->msc, blocks - 1, 0, data, 2 * BS), -ALIF_EINVAL);
    assert_int_equal(flash_msc_write(&f->msc, UINT32_MAX, 0, data, BS), -ALIF_EINVAL);
    assert_int_equal(flash_msc_write(&f->msc, blocks, 0, data, 512), -ALIF_EINVAL);
    assert_int_equal(flash_msc_write(&f->msc, blocks - 1, BS - 256, data, 512), -ALIF_EINVAL);
    assert_int_equal(flash_msc_write(&f->msc, UINT32_MAX, UINT32_MAX, data, 512), -ALIF_EINVAL);
    uint8_t in[BS];
    assert_int_equal(flash_msc_read(&f->msc, blocks, 0, in, BS), -ALIF_EINVAL);
    assert_int_equal(flash_msc_read(&f->msc, UINT32_MAX, 0, in, BS), -ALIF_EINVAL);
    expect_untouched(f);
}

static void test_msc_pieces_of_a_block(void **state) {
    fixture_t *f = *state;
    static uint8_t old[BS], block[BS], in[BS];
    memset(old, 0, sizeof(old));
    fill(block, sizeof(block), 9);
    assert_int_equal(flash_msc_write(&f->msc, 7, 0, old, BS), BS);
    // A small TinyUSB buffer: the piece at offset 0 erases the block, the others program.
    for (uint32_t at = 0; at < BS; at += 512) {
        assert_int_equal(flash_msc_write(&f->msc, 7, at, block + at, 512), 512);
    }
    assert_int_equal(flash_msc_read(&f->msc, 7, 0, in, BS), BS);
    assert_memory_equal(in, block, BS);
    assert_int_equal(flash_msc_read(&f->msc, 7, 512, in, 512), 512);
    assert_memory_equal(in, block + 512, 512);
}

// A failed erase or program reaches the host as an error, never as the bytes done: for the piece
// that blanks its block (and then programs nothing), for a later piece, and for whole blocks.
static void test_msc_write_reports_a_failed_erase_or_program(void **state) {
    fixture_t *f = *state;
    static uint8_t zeros[2 * BS], data[2 * BS];
    memset(zeros, 0, sizeof(zeros));
    fill(data, sizeof(data), 17);
    assert_int_equal(flash_msc_write(&f->msc, 7, 0, zeros, sizeof(zeros)), sizeof(zeros));
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    sim_nor_reset_stats(f->sb.model);
    sim_nor_fail_nth(f->sb.model, 1); // the erase of block 7
    assert_int_equal(flash_msc_write(&f->msc, 7, 0, data, 512), -ALIF_EIO);
    assert_int_equal(s->erases, 1);
    assert_int_equal(s->programs, 0);
    sim_nor_fail_nth(f->sb.model, 2); // the piece's program, after its block's erase
    assert_int_equal(flash_msc_write(&f->msc, 7, 0, data, 512), -ALIF_EIO);
    sim_nor_fail_nth(f->sb.model, 1); // a piece past the block's start only programs
    assert_int_equal(flash_msc_write(&f->msc, 7, 512, data + 512, 512), -ALIF_EIO);
    sim_nor_fail_nth(f->sb.model, 1); // the erase of the two whole blocks of zeros
    assert_int_equal(flash_msc_write(&f->msc, 7, 0, data, sizeof(data)), -ALIF_EIO);
    sim_nor_fail_nth(f->sb.model, 0);
    assert_int_equal(flash_msc_write(&f->msc, 7, 0, data, sizeof(data)), sizeof(data));
    assert_memory_equal(f->sb.image.ro + f->sb.storage.base + 7 * BS, data, sizeof(data));
}

static void test_sleep_sends_deep_power_down(void **state) {
    fixture_t *f = *state;
    snapshot(f);
    assert_int_equal(nor_flash_power_down(&f->sb.nor), 0);
    const sim_nor_stats_t *s = sim_nor_stats(f->sb.model);
    assert_int_equal(s->commands[0xb9], 1);
    assert_int_equal(s->protocol_errors, 0);
}

static void test_platform_sets_between_steps_once_for_every_user(void **state) {
    (void)state;
    setenv("ALIF_FLASH_IMAGE", test_scratch_path("process"), 1);
    flash_storage_t *storage;
    const char *message;
    assert_int_equal(alif_flash_storage_get(&storage, &message), 0);
    assert_non_null(storage->between_steps);
    sim_board_t *sb = sim_board_current();
    assert_ptr_equal(storage->between_steps_ctx, sb);
    flash_region_t fs;
    char err[160];
    assert_int_equal(flash_region_init(&fs, storage, -1, -1, err, sizeof(err)), 0);
    static uint8_t data[2 * BS];
    assert_int_equal(flash_region_writeblocks(&fs, 0, data, sizeof(data), NULL), 0);
    assert_int_equal(sb->between_steps, 2);
    // The simulated board came up as the chip does: probed slowly, then at the board's clock.
    assert_int_equal(sb->ospi.config.sclk_hz, SIM_BUS_CLOCK_HZ);
    unlink(getenv("ALIF_FLASH_IMAGE"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_segment_must_be_blocks_past_the_filesystem,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_segment_must_be_blocks_past_the_filesystem, setup_ae3,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_romfs_image_reads_back_through_the_flash_view,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_image_reads_back_through_the_flash_view,
                                        setup_ae3, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_prepare_uses_big_erases_with_events_between,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_prepare_uses_big_erases_with_events_between,
                                        setup_ae3, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_min_prepare_lets_mpremote_reach_the_big_units,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_min_prepare_lets_mpremote_reach_the_big_units,
                                        setup_ae3, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_prepare_blanks_only_the_blocks_asked_for,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_refuses_ranges_outside_its_segment,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_refuses_ranges_outside_its_segment, setup_ae3,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_romfs_zero_length_prepare_touches_nothing,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_romfs_zero_length_prepare_touches_nothing, setup_ae3,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_msc_pieces_that_are_not_whole_blocks, setup_ensemble,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_msc_pieces_that_are_not_whole_blocks, setup_ae3,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_msc_disk_is_the_filesystem_region, setup_ensemble,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_msc_disk_is_the_filesystem_region, setup_ae3,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_msc_write_outside_the_disk_is_refused_and_touches_nothing, setup_ensemble,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_msc_write_outside_the_disk_is_refused_and_touches_nothing, setup_ae3, teardown),
        cmocka_unit_test_setup_teardown(test_msc_pieces_of_a_block, setup_ae3, teardown),
        cmocka_unit_test_setup_teardown(test_msc_write_reports_a_failed_erase_or_program,
                                        setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_msc_write_reports_a_failed_erase_or_program, setup_ae3,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sleep_sends_deep_power_down, setup_ensemble, teardown),
        cmocka_unit_test_setup_teardown(test_sleep_sends_deep_power_down, setup_ae3, teardown),
        cmocka_unit_test(test_platform_sets_between_steps_once_for_every_user),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
