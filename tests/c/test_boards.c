// SPDX-License-Identifier: MIT
// The simulated boards' records: each part a board may carry is one the driver finds, and the
// board comes up on it with the board's own geometry, as stock firmware does; a part smaller than
// the storage region serves what fits and refuses the rest, never wrapping onto its start.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#include "flash_services.h"

#define BS FLASH_BLOCK_SIZE
#define MIB (1024u * 1024u)

static void check_board(const char *name) {
    const alif_board_t *board = alif_board_find(name);
    assert_non_null(board);
    assert_non_null(board->parts[0]);
    for (size_t i = 0; i < sizeof(board->parts) / sizeof(board->parts[0]); i++) {
        const char *part = board->parts[i];
        const sim_nor_part_t *model = part != NULL ? sim_nor_part_by_name(part) : NULL;
        if (model == NULL) {
            continue; // not modelled yet: nothing to run it on
        }
        sim_board_t sb;
        test_board_open(&sb, name, part, "boards");
        assert_string_equal(sb.nor.part->name, part);
        uint32_t held = model->size - board->storage_base;
        assert_int_equal(sb.storage.len, held < board->storage_len ? held : board->storage_len);
        sim_board_close(&sb);
    }
}

// The case of issue 17: the 8 MiB EM064LX on OPENMV_AE3, whose mpconfigboard.h gives 32 MiB of
// storage. Stock firmware boots there; so does this one, with the board's own figure.
static void test_em064lx_on_openmv_ae3_boots_and_serves_what_fits(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "OPENMV_AE3", "EM064LX", "em064lx");
    const alif_board_t *b = sb.board;
    const flash_storage_t *st = &sb.storage;
    assert_int_equal(b->storage_len, 32 * MIB);
    assert_int_equal(st->len, 8 * MIB);

    // The filesystem region (8 MiB) fits: the singleton and the USB disk both cover it.
    flash_region_t fs, r;
    char err[200] = "";
    assert_int_equal(flash_region_init(&fs, st, -1, -1, err, sizeof(err)), 0);
    assert_int_equal(fs.len, 8 * MIB);
    static uint8_t data[BS], back[BS];
    memset(data, 0x5a, sizeof(data));
    assert_int_equal(flash_region_writeblocks(&fs, fs.len / BS - 1, data, BS, NULL), 0);
    assert_memory_equal(sb.image.ro + 8 * MIB - BS, data, BS);
    assert_int_equal(flash_region_readblocks(&fs, fs.len / BS - 1, back, BS), 0);
    assert_memory_equal(back, data, BS);
    // Nothing wrapped onto the part's start.
    assert_int_equal(sb.image.ro[0], 0xff);
    flash_msc_t msc;
    assert_int_equal(flash_msc_init(&msc, st), 0);
    assert_int_equal(flash_msc_block_count(&msc), 8 * MIB / BS);

    // Past the part's end: refused, whatever the board's 32 MiB says.
    assert_int_equal(flash_region_init(&r, st, 8 * MIB, -1, err, sizeof(err)), -ALIF_EINVAL);
    assert_non_null(strstr(err, "8388608"));
    assert_int_equal(flash_region_init(&r, st, 0, 8 * MIB + BS, err, sizeof(err)), -ALIF_EINVAL);
    assert_int_equal(flash_region_init(&r, st, 0, -1, err, sizeof(err)), 0);
    assert_int_equal(r.len, 8 * MIB);
    // The board's ROMFS segment (8 MiB on, 24 MiB long) lies wholly past the part.
    assert_int_equal(flash_romfs_init(&r, st, b->romfs_base, b->romfs_len), -ALIF_EINVAL);
    assert_int_equal(sim_nor_stats(sb.model)->erases, 0);
    sim_board_close(&sb);
}

// A filesystem region larger than the part (the E7's 16 MiB over the 8 MiB EM064LX): the board
// still comes up, as stock's does, and the singleton and the USB disk are refused with the sizes,
// while regions inside the part work.
static void test_filesystem_region_past_the_part_is_refused_not_wrapped(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", "EM064LX", "em064lx-e7");
    const flash_storage_t *st = &sb.storage;
    assert_int_equal(st->len, 8 * MIB);
    flash_region_t r;
    char err[200] = "";
    assert_int_equal(flash_region_init(&r, st, -1, -1, err, sizeof(err)), -ALIF_EINVAL);
    assert_non_null(strstr(err, "16777216"));
    assert_non_null(strstr(err, "8388608"));
    assert_non_null(strstr(err, "EM064LX"));
    flash_msc_t msc;
    assert_int_equal(flash_msc_init(&msc, st), -ALIF_EINVAL);
    assert_int_equal(flash_msc_block_count(&msc), 0);
    uint8_t block[BS];
    memset(block, 0, sizeof(block));
    assert_int_equal(flash_msc_write(&msc, 0, 0, block, BS), -ALIF_EINVAL);
    assert_int_equal(flash_msc_read(&msc, 0, 0, block, BS), -ALIF_EINVAL);
    assert_int_equal(flash_region_init(&r, st, 0, 8 * MIB, err, sizeof(err)), 0);
    assert_int_equal(sim_nor_stats(sb.model)->programs, 0);
    sim_board_close(&sb);
}

static void test_every_part_of_every_board_is_found(void **state) {
    (void)state;
    check_board("ALIF_ENSEMBLE");
    check_board("OPENMV_AE3");
}

static void test_the_usual_part_comes_first(void **state) {
    (void)state;
    // The parts the boards ship with: the E7 DevKit's IS25WX512, the AE3's MX25UM25645G.
    assert_string_equal(alif_board_find("ALIF_ENSEMBLE")->parts[0], "IS25WX512");
    assert_string_equal(alif_board_find("OPENMV_AE3")->parts[0], "MX25UM25645G");
    assert_null(alif_board_find("PYBV11"));
}

static void test_one_reader_of_alif_board(void **state) {
    (void)state;
    unsetenv("ALIF_BOARD");
    assert_string_equal(alif_board_name_from_env(), "ALIF_ENSEMBLE");
    setenv("ALIF_BOARD", "", 1);
    assert_string_equal(alif_board_name_from_env(), "ALIF_ENSEMBLE");
    setenv("ALIF_BOARD", "OPENMV_AE3", 1);
    assert_string_equal(alif_board_name_from_env(), "OPENMV_AE3");
    setenv("ALIF_FLASH_IMAGE", test_scratch_path("board"), 1); // no HOME needed (the M55 has none)
    sim_board_config_t config;
    char path[4096], err[256];
    assert_int_equal(sim_board_config_from_env(&config, path, sizeof(path), err, sizeof(err)), 0);
    assert_string_equal(config.board, "OPENMV_AE3");
    unsetenv("ALIF_BOARD");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_part_of_every_board_is_found),
        cmocka_unit_test(test_the_usual_part_comes_first),
        cmocka_unit_test(test_one_reader_of_alif_board),
        cmocka_unit_test(test_em064lx_on_openmv_ae3_boots_and_serves_what_fits),
        cmocka_unit_test(test_filesystem_region_past_the_part_is_refused_not_wrapped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
