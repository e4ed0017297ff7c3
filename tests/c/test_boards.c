// SPDX-License-Identifier: MIT
// The simulated boards' records: each part a board may carry is one the driver finds, and the
// board comes up on it unless the part is smaller than the board's storage region.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

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
        sim_board_config_t config = {
            .board = name, .part = part, .image_path = test_scratch_path("boards")};
        char err[256] = "";
        int ret = sim_board_open(&sb, &config, err, sizeof(err));
        unlink(config.image_path);
        if (model->size >= board->storage_base + board->storage_len) {
            assert_int_equal(ret, 0);
        } else {
            // A misconfigured pairing is refused with both sizes, never wrapped around.
            assert_int_equal(ret, -ALIF_EINVAL);
            assert_non_null(strstr(err, part));
        }
        assert_non_null(sb.nor.part);
        assert_string_equal(sb.nor.part->name, part);
        sim_board_close(&sb);
    }
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
