// SPDX-License-Identifier: MIT
// Power cut at every program and erase of a multi-block simple-form write, for random blocks and
// for a FAT filesystem changed by mtools: the blocks before the cut hold their new bytes, those
// after it their old ones (or are blank, where the erase of the run the cut fell in had already
// run), only the one block under way is part way, nothing outside the write moved, and the board
// comes back up and writes again.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define BS FLASH_BLOCK_SIZE

static bool all_bytes(const uint8_t *p, size_t len, uint8_t value) {
    for (size_t i = 0; i < len; i++) {
        if (p[i] != value) {
            return false;
        }
    }
    return true;
}

static bool blank_allowed(const uint8_t *old, const uint8_t *new) {
    for (size_t i = 0; i < BS; i++) {
        if ((old[i] & new[i]) != new[i]) {
            return true; // needed an erase, so may be caught between erase and program
        }
    }
    return false;
}

// A block the cut fell in: each byte either on its way up from old (erase sets bits) or on its
// way down to new (program clears them).
static void assert_between(const uint8_t *now, const uint8_t *old, const uint8_t *new, size_t b) {
    for (size_t i = 0; i < BS; i++) {
        if ((now[i] & old[i]) != old[i] && (now[i] & new[i]) != new[i]) {
            fail_msg("block %u byte %u is %02x: neither part-erased from %02x nor part-programmed "
                     "to %02x",
                     (unsigned)b, (unsigned)i, now[i], old[i], new[i]);
        }
    }
}

// Checks what a cut write of len bytes from old to new left in now; returns how many leading
// blocks already hold new. Past those, each block is old, or blank where it needed an erase (the
// run it belongs to was erased before being programmed), except for at most one block that the
// cut caught part way.
static size_t check_cut_state(const uint8_t *now, const uint8_t *old, const uint8_t *new,
                              size_t len) {
    size_t blocks = len / BS, first = 0;
    while (first < blocks && memcmp(now + first * BS, new + first *BS, BS) == 0) {
        first++;
    }
    assert_true(first < blocks); // the cut fell inside the write
    size_t caught = blocks;
    for (size_t b = first; b < blocks; b++) {
        const uint8_t *n = now + b * BS, *o = old + b * BS, *w = new + b *BS;
        if (memcmp(n, o, BS) == 0 || (all_bytes(n, BS, 0xff) && blank_allowed(o, w))) {
            continue;
        }
        if (caught != blocks) {
            fail_msg("blocks %u and %u both caught part way", (unsigned)caught, (unsigned)b);
        }
        caught = b;
        assert_between(n, o, w, b);
    }
    return first;
}

// Writes old, then new with power cut at the 1st, 2nd, ... program or erase until the write
// completes uncut; checks every state and that nothing in [0, span) outside the write changed.
// Returns the number of cut points tried.
static unsigned cut_everywhere(sim_board_t *sb, const flash_region_t *region, int64_t block,
                               const uint8_t *old, const uint8_t *new, size_t len, size_t span) {
    const uint8_t *img = sb->image.ro;
    size_t dst = sb->storage.base + region->start + (size_t)block * BS;
    assert_int_equal(flash_region_writeblocks(region, block, old, len, NULL), 0);
    uint8_t *reference = malloc(span);
    assert_non_null(reference);
    memcpy(reference, img, span);
    size_t leading_new = 0;
    unsigned nth;
    for (nth = 1;; nth++) {
        sim_nor_cut_power_at(sb->model, nth, nth * 2654435761u);
        int ret = flash_region_writeblocks(region, block, new, len, NULL);
        if (sim_nor_powered(sb->model)) {
            sim_nor_cut_power_at(sb->model, 0, 0);
            assert_int_equal(ret, 0);
            assert_memory_equal(img + dst, new, len);
            break;
        }
        assert_true(ret == -ALIF_ETIMEDOUT || ret == -ALIF_EIO);
        sim_nor_power_on(sb->model);
        assert_int_equal(nor_flash_init(&sb->nor, &sb->bus, SIM_BUS_CLOCK_HZ), 0);

        size_t now_new = check_cut_state(img + dst, old, new, len);
        assert_true(now_new >= leading_new); // a later cut never finds less written
        leading_new = now_new;
        assert_memory_equal(img, reference, dst);
        assert_memory_equal(img + dst + len, reference + dst + len, span - dst - len);

        // Back up, the old contents go back whole for the next cut point.
        assert_int_equal(flash_region_writeblocks(region, block, old, len, NULL), 0);
        assert_memory_equal(img + dst, old, len);
    }
    free(reference);
    return nth - 1;
}

static void test_cut_at_every_operation(void **state) {
    (void)state;
    enum { BLOCKS = 3 };
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "powercut");
    char err[160];
    flash_region_t fs;
    assert_int_equal(flash_region_init(&fs, &sb.storage, -1, -1, err, sizeof(err)), 0);
    static uint8_t old_data[BLOCKS * BS], new_data[BLOCKS * BS], after[BS];
    uint32_t rng = 1;
    sim_random_fill(old_data, sizeof(old_data), &rng);
    sim_random_fill(new_data, sizeof(new_data), &rng);
    memset(after, 0x00, BS);
    assert_int_equal(flash_region_writeblocks(&fs, BLOCKS, after, BS, NULL), 0);
    unsigned cuts = cut_everywhere(&sb, &fs, 0, old_data, new_data, sizeof(old_data), 8 * BS);
    // Random data needs every block erased and every page programmed.
    assert_int_equal(cuts, BLOCKS * (1 + BS / NOR_PAGE_SIZE));
    sim_board_close(&sb);
}

#if defined(__linux__)
// Reads a file into a new buffer of exactly want bytes; fails the test otherwise.
static uint8_t *read_whole(const char *path, size_t want) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(want + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, want + 1, f), want);
    fclose(f);
    return buf;
}

static void write_pattern(const char *path, size_t len, uint32_t seed) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < len; i++) {
        fputc((int)((i * 131 + seed * 17 + (i >> 9)) & 0xff), f);
    }
    fclose(f);
}

static int sh(const char *fmt, const char *a, const char *b) {
    char cmd[3 * 4096];
    snprintf(cmd, sizeof(cmd), fmt, a, b);
    return system(cmd);
}
#endif

// A FAT filesystem made by mkfs.fat, then changed by mtools (a file rewritten, one added, one
// renamed, one removed), written over the old one through the simple form in one call, as a
// host would through USB MSC: every cut point keeps to the rule above. The region is a Flash
// object away from the storage region's start, so that a stray write anywhere near shows.
static void test_fat_image_cut_at_every_operation(void **state) {
    (void)state;
#if !defined(__linux__)
    skip(); // mkfs.fat and mtools are host programs
#else
    enum { FAT_BLOCKS = 64 };
    if (system("command -v mkfs.fat >/dev/null && command -v mcopy >/dev/null") != 0) {
        skip();
    }
    char old_img[4096], new_img[4096], file_a[4096], file_b[4096];
    snprintf(old_img, sizeof(old_img), "%s", test_scratch_path("fat-old"));
    snprintf(new_img, sizeof(new_img), "%s", test_scratch_path("fat-new"));
    snprintf(file_a, sizeof(file_a), "%s", test_scratch_path("fat-a"));
    snprintf(file_b, sizeof(file_b), "%s", test_scratch_path("fat-b"));
    setenv("MTOOLS_SKIP_CHECK", "1", 1);
    assert_int_equal(sh("mkfs.fat -C -S 4096 -s 1 -i 1234abcd '%s' 256 >/dev/null%s", old_img, ""),
                     0);
    write_pattern(file_a, 9000, 1);
    write_pattern(file_b, 5000, 2);
    assert_int_equal(sh("mcopy -i '%s' '%s' ::A.TXT", old_img, file_a), 0);
    assert_int_equal(sh("mcopy -i '%s' '%s' ::GONE.TXT", old_img, file_b), 0);
    assert_int_equal(sh("mcopy -i '%s' '%s' ::OLDNAME.TXT", old_img, file_b), 0);
    assert_int_equal(sh("cp '%s' '%s'", old_img, new_img), 0);
    write_pattern(file_a, 12000, 3);
    write_pattern(file_b, 20000, 4);
    assert_int_equal(sh("mcopy -o -i '%s' '%s' ::A.TXT", new_img, file_a), 0);
    assert_int_equal(sh("mcopy -i '%s' '%s' ::NEW.TXT", new_img, file_b), 0);
    assert_int_equal(sh("mren -i '%s' ::OLDNAME.TXT ::RENAMED.TXT%s", new_img, ""), 0);
    assert_int_equal(sh("mdel -i '%s' ::GONE.TXT%s", new_img, ""), 0);
    uint8_t *old_fs = read_whole(old_img, FAT_BLOCKS * BS);
    uint8_t *new_fs = read_whole(new_img, FAT_BLOCKS * BS);
    unlink(old_img);
    unlink(new_img);
    unlink(file_a);
    unlink(file_b);

    sim_board_t sb;
    test_board_open(&sb, "OPENMV_AE3", NULL, "powercut-fat");
    flash_region_t region;
    char err[160];
    assert_int_equal(flash_region_init(&region, &sb.storage, 16 * BS, FAT_BLOCKS * BS + 8 * BS, err,
                                       sizeof(err)),
                     0);
    // Data all around: before and after the region, and in its tail past the FAT image.
    static uint8_t around[128 * BS];
    uint32_t rng = 5;
    sim_random_fill(around, sizeof(around), &rng);
    flash_region_t whole;
    assert_int_equal(flash_region_init(&whole, &sb.storage, 0, -1, err, sizeof(err)), 0);
    assert_int_equal(flash_region_writeblocks(&whole, 0, around, sizeof(around), NULL), 0);

    unsigned cuts =
        cut_everywhere(&sb, &region, 2, old_fs, new_fs, FAT_BLOCKS * BS, sizeof(around));
    print_message("FAT image: %u cut points\n", cuts);
    assert_true(cuts > 10);
    free(old_fs);
    free(new_fs);
    sim_board_close(&sb);
#endif
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
    assert_int_equal(nor_flash_init(&nor, &sb.bus, SIM_BUS_CLOCK_HZ), -ALIF_ENODEV);
    assert_int_equal(nor.jedec_id, 0xffffff);
    sim_board_close(&sb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_at_every_operation),
        cmocka_unit_test(test_fat_image_cut_at_every_operation),
        cmocka_unit_test(test_unpowered_part_fails_bring_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
