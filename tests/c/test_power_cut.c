// SPDX-License-Identifier: MIT
// Power cut at every program and erase of a multi-block simple-form write: what was written
// before the cut stays written, what was not yet reached keeps its old bytes, only the one
// operation under way is left partly done, and the board comes back up and writes again.
#include <errno.h>
#include <string.h>

#include "support.h"

#define BS FLASH_BLOCK_SIZE
#define BLOCKS 3
#define PAGES_PER_BLOCK (BS / NOR_PAGE_SIZE)
#define OPS_PER_BLOCK (1 + PAGES_PER_BLOCK) // an erase, then every page

static bool all_bytes(const uint8_t *p, size_t len, uint8_t value) {
    for (size_t i = 0; i < len; i++) {
        if (p[i] != value) {
            return false;
        }
    }
    return true;
}

// Partly erased: only bits set since `before`, some but not all of those the erase would set.
static void assert_partly_erased(const uint8_t *now, const uint8_t *before, size_t len) {
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(now[i] & before[i], before[i]);
    }
    assert_memory_not_equal(now, before, len);
    assert_false(all_bytes(now, len, 0xff));
}

// Partly programmed from blank: only bits cleared that `target` clears, some but not all.
static void assert_partly_programmed(const uint8_t *now, const uint8_t *target, size_t len) {
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(now[i] & target[i], target[i]);
    }
    assert_memory_not_equal(now, target, len);
    assert_false(all_bytes(now, len, 0xff));
}

static void cut_at(unsigned nth) {
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "powercut");
    char err[160];
    flash_region_t fs;
    assert_int_equal(flash_region_init(&fs, &sb.storage, -1, -1, err, sizeof(err)), 0);
    static uint8_t old_data[BLOCKS * BS], new_data[BLOCKS * BS], after[BS];
    uint32_t rng = nth;
    sim_random_fill(old_data, sizeof(old_data), &rng);
    sim_random_fill(new_data, sizeof(new_data), &rng);
    assert_int_equal(flash_region_writeblocks(&fs, 0, old_data, sizeof(old_data)), 0);
    memset(after, 0x00, BS);
    assert_int_equal(flash_region_writeblocks(&fs, BLOCKS, after, BS), 0);

    sim_nor_cut_power_at(sb.model, nth, nth * 2654435761u);
    int ret = flash_region_writeblocks(&fs, 0, new_data, sizeof(new_data));
    assert_true(ret == -ALIF_ETIMEDOUT || ret == -ALIF_EIO);
    assert_false(sim_nor_powered(sb.model));

    sim_nor_power_on(sb.model);
    assert_int_equal(nor_flash_init(&sb.nor, &sb.bus), 0);

    unsigned cut_block = (nth - 1) / OPS_PER_BLOCK;
    unsigned cut_op = (nth - 1) % OPS_PER_BLOCK; // 0: the erase; k: page k - 1
    const uint8_t *img = sb.image.ro;
    for (unsigned b = 0; b < BLOCKS; b++) {
        const uint8_t *now = img + b * BS;
        if (b < cut_block) {
            assert_memory_equal(now, new_data + b * BS, BS);
        } else if (b > cut_block) {
            assert_memory_equal(now, old_data + b * BS, BS);
        } else if (cut_op == 0) {
            assert_partly_erased(now, old_data + b * BS, BS);
        } else {
            unsigned page = cut_op - 1;
            size_t done = page * NOR_PAGE_SIZE;
            assert_memory_equal(now, new_data + b * BS, done);
            assert_partly_programmed(now + done, new_data + b * BS + done, NOR_PAGE_SIZE);
            assert_true(all_bytes(now + done + NOR_PAGE_SIZE, BS - done - NOR_PAGE_SIZE, 0xff));
        }
    }
    assert_memory_equal(img + BLOCKS * BS, after, BS); // the neighbour never moved

    // Back up, the same write goes through and lands whole.
    assert_int_equal(flash_region_writeblocks(&fs, 0, new_data, sizeof(new_data)), 0);
    assert_memory_equal(img, new_data, sizeof(new_data));
    sim_board_close(&sb);
}

static void test_cut_at_every_operation(void **state) {
    (void)state;
    for (unsigned nth = 1; nth <= BLOCKS * OPS_PER_BLOCK; nth++) {
        cut_at(nth);
    }
}

static void test_unpowered_part_fails_bring_up(void **state) {
    (void)state;
    sim_board_t sb;
    test_board_open(&sb, "OPENMV_AE3", NULL, "unpowered");
    sim_nor_cut_power_at(sb.model, 1, 1);
    char err[160];
    flash_region_t fs;
    flash_region_init(&fs, &sb.storage, -1, -1, err, sizeof(err));
    int64_t result;
    flash_region_ioctl(&fs, 6, 0, &result); // the erase that loses power
    assert_true(result == -ALIF_ETIMEDOUT || result == -ALIF_EIO);
    // A dead part answers 0xff to everything: no part has ID ff ff ff.
    nor_flash_t nor;
    assert_int_equal(nor_flash_init(&nor, &sb.bus), -ALIF_ENODEV);
    assert_int_equal(nor.jedec_id, 0xffffff);
    sim_board_close(&sb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_at_every_operation),
        cmocka_unit_test(test_unpowered_part_fails_bring_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
