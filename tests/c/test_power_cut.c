// Power cut at every program and erase of every kind of write: the simple form from RAM (random
// blocks, and a FAT filesystem changed by mtools), the simple form from a view of the flash that
// overlaps its destination from below and from above, and the extended form from RAM and from
// such views. What each cut may leave is the README's rule ("Power cuts"), kept in one place
// here (check_cut_state); every cut point is checked against it, and against nothing outside the
// write moving, and the board comes back up and writes again.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define BS FLASH_BLOCK_SIZE
// The erase runs of a simple-form write end at multiples of this (core/flash_region.c).
#define ERASE_RUN (128u * 1024u)

static bool all_bytes(const uint8_t *p, size_t len, uint8_t value) {
    for (size_t i = 0; i < len; i++) {
        if (p[i] != value) {
            return false;
        }
    }
    return true;
}

// The kinds of write, by the order in which they change their destination.
typedef enum {
    // Simple form, the source in RAM or a view apart from the destination: blocks first to last;
    // the blocks of each erase run (consecutive blocks that need erasing, up to an ERASE_RUN
    // boundary) are erased together, then programmed one by one.
    SIMPLE,
    // Simple form from a view of the flash that overlaps the destination from above (the source
    // further on): block by block, first to last, each erased (if need be) and programmed alone.
    SIMPLE_FROM_ABOVE,
    // The same from below: block by block, last to first, as memmove copies.
    SIMPLE_FROM_BELOW,
    // Extended form (never erases), from RAM, a view apart, or a view overlapping from above:
    // page by page, first to last.
    EXTENDED,
    // Extended form from a view overlapping from below: the destination's blocks last to first,
    // the pages inside each first to last.
    EXTENDED_FROM_BELOW,
} write_kind_t;

static bool is_simple(write_kind_t kind) {
    return kind == SIMPLE || kind == SIMPLE_FROM_ABOVE || kind == SIMPLE_FROM_BELOW;
}

typedef struct {
    size_t at, len; // in the destination
} unit_t;

#define UNITS_MAX 1024

// The destination (flash address addr, len bytes) cut into the units a cut can catch part way
// (a simple form's blocks, an extended form's pieces of a page), in the order the write takes
// them.
static size_t write_units(write_kind_t kind, uint32_t addr, size_t len, unit_t *units) {
    size_t n = 0;
    size_t grain = is_simple(kind) ? BS : NOR_PAGE_SIZE;
    for (size_t at = 0; at < len;) {
        size_t piece = grain - (addr + at) % grain;
        piece = piece < len - at ? piece : len - at;
        assert_true(n < UNITS_MAX);
        units[n++] = (unit_t){at, piece};
        at += piece;
    }
    if (kind == SIMPLE_FROM_BELOW || kind == EXTENDED_FROM_BELOW) {
        // Blocks of the destination last to first; the units inside a block keep their order.
        unit_t *reversed = malloc(n * sizeof(unit_t));
        assert_non_null(reversed);
        size_t out = 0, end = n;
        while (end > 0) {
            size_t start = end - 1;
            while (start > 0 &&
                   (addr + units[start - 1].at) / BS == (addr + units[end - 1].at) / BS) {
                start--;
            }
            for (size_t u = start; u < end; u++) {
                reversed[out++] = units[u];
            }
            end = start;
        }
        memcpy(units, reversed, n * sizeof(unit_t));
        free(reversed);
    }
    return n;
}

static bool needs_erase(const uint8_t *old, const uint8_t *new, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if ((old[i] & new[i]) != new[i]) {
            return true;
        }
    }
    return false;
}

// A unit the cut fell in. Simple form: each byte part erased from old (erase sets bits) or part
// programmed towards new (programming clears them). Extended form: each byte between old and
// old & new (only bits that new clears have been cleared).
static void assert_caught(write_kind_t kind, const uint8_t *now, const uint8_t *old,
                          const uint8_t *new, const unit_t *u) {
    for (size_t i = u->at; i < u->at + u->len; i++) {
        bool ok = is_simple(kind) ? (now[i] & old[i]) == old[i] || (now[i] & new[i]) == new[i]
                                  : (now[i] & ~old[i]) == 0 && ((old[i] & new[i]) & ~now[i]) == 0;
        if (!ok) {
            fail_msg("byte %u of the destination is %02x: not between %02x and %02x", (unsigned)i,
                     now[i], old[i], new[i]);
        }
    }
}

// THE RULE: what a write of len bytes at flash address addr, from old to new, may leave when
// the power is cut part way (now); returns how many units, in write order, hold what the whole
// write gives them. Those come first; every later unit holds its old bytes, except one unit that
// the cut caught part way, and, in the simple form from RAM, blocks that needed erasing in the
// erase run the cut fell in, which may be blank (erased, not yet programmed).
static size_t check_cut_state(write_kind_t kind, uint32_t addr, const uint8_t *now,
                              const uint8_t *old, const uint8_t *new, size_t len) {
    static unit_t units[UNITS_MAX];
    size_t n = write_units(kind, addr, len, units);
    static uint8_t done[64 * BS];
    assert_true(len <= sizeof(done));
    for (size_t i = 0; i < len; i++) {
        done[i] = is_simple(kind) ? new[i] : old[i] & new[i];
    }
    size_t first = 0;
    while (first < n &&
           memcmp(now + units[first].at, done + units[first].at, units[first].len) == 0) {
        first++;
    }
    assert_true(first < n); // the cut fell inside the write
    size_t caught = n;
    uint32_t run = (addr + (uint32_t)units[first].at) / ERASE_RUN;
    for (size_t k = first; k < n; k++) {
        const unit_t *u = &units[k];
        if (memcmp(now + u->at, old + u->at, u->len) == 0) {
            continue;
        }
        if (kind == SIMPLE && all_bytes(now + u->at, u->len, 0xff) &&
            needs_erase(old + u->at, new + u->at, u->len) && (addr + u->at) / ERASE_RUN == run) {
            continue;
        }
        if (caught != n) {
            fail_msg("units at %u and %u of the destination both caught part way",
                     (unsigned)units[caught].at, (unsigned)u->at);
        }
        caught = k;
        assert_caught(kind, now, old, new, u);
    }
    return first;
}

typedef struct {
    write_kind_t kind;
    int64_t block, offset; // the destination in the region; offset < 0: the simple form
    size_t len;
    int64_t src_at; // the source: a view of the region at this byte, or (-1) RAM
} cut_write_t;

static int do_write(const flash_region_t *region, const cut_write_t *w, const uint8_t *src) {
    // As the bindings do: a block of RAM lent for a source in the flash.
    static uint8_t bounce_block[BS];
    uint8_t *bounce = flash_region_source_in_flash(region, src, w->len) ? bounce_block : NULL;
    return w->offset < 0
               ? flash_region_writeblocks(region, w->block, src, w->len, bounce)
               : flash_region_writeblocks_ext(region, w->block, w->offset, src, w->len, bounce);
}

// Lays before (span bytes from the storage region's start) on the flash, then makes the write
// with the power cut at its 1st, 2nd, ... program or erase until it completes uncut, laying
// before down again for each; checks every state against the rule and that nothing in
// [0, span) outside the write changed. RAM sources are ram; a view's bytes are before's.
// Returns the number of cut points tried.
static unsigned cut_everywhere(sim_board_t *sb, const flash_region_t *region, const cut_write_t *w,
                               const uint8_t *before, const uint8_t *ram, size_t span) {
    const uint8_t *img = sb->image.ro + sb->storage.base;
    char err[160];
    flash_region_t whole;
    assert_int_equal(flash_region_init(&whole, &sb->storage, 0, (int64_t)span, err, sizeof(err)),
                     0);
    size_t dst = region->start + (size_t)w->block * BS + (size_t)(w->offset < 0 ? 0 : w->offset);
    uint32_t addr = sb->storage.base + (uint32_t)dst;
    const uint8_t *old = before + dst;
    const uint8_t *new = w->src_at < 0 ? ram : before + region->start + w->src_at;
    const uint8_t *src = w->src_at < 0 ? ram : img + region->start + w->src_at;
    size_t leading = 0;
    unsigned nth;
    for (nth = 1;; nth++) {
        assert_int_equal(flash_region_writeblocks(&whole, 0, before, span, NULL), 0);
        assert_memory_equal(img, before, span);
        sim_nor_cut_power_at(sb->model, nth, nth * 2654435761u);
        int ret = do_write(region, w, src);
        if (sim_nor_powered(sb->model)) {
            sim_nor_cut_power_at(sb->model, 0, 0);
            assert_int_equal(ret, 0);
            static uint8_t done[64 * BS];
            for (size_t i = 0; i < w->len; i++) {
                done[i] = w->offset < 0 ? new[i] : old[i] & new[i];
            }
            assert_memory_equal(img + dst, done, w->len);
            break;
        }
        assert_true(ret == -ALIF_ETIMEDOUT || ret == -ALIF_EIO);
        sim_nor_power_on(sb->model);
        assert_int_equal(nor_flash_init(&sb->nor, &sb->bus, SIM_BUS_CLOCK_HZ), 0);

        size_t now_done = check_cut_state(w->kind, addr, img + dst, old, new, w->len);
        assert_true(now_done >= leading); // a later cut never finds less written
        leading = now_done;
        assert_memory_equal(img, before, dst);
        assert_memory_equal(img + dst + w->len, before + dst + w->len, span - dst - w->len);
    }
    return nth - 1;
}

static void test_cut_at_every_operation(void **state) {
    (void)state;
    enum { BLOCKS = 3, SPAN = 8 * BS };
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "powercut");
    char err[160];
    flash_region_t fs;
    assert_int_equal(flash_region_init(&fs, &sb.storage, -1, -1, err, sizeof(err)), 0);
    static uint8_t before[SPAN], new_data[BLOCKS * BS];
    uint32_t rng = 1;
    sim_random_fill(before, sizeof(before), &rng);
    sim_random_fill(new_data, sizeof(new_data), &rng);
    memset(before + BLOCKS * BS, 0x00, BS); // the block after the write
    cut_write_t w = {SIMPLE, 0, -1, sizeof(new_data), -1};
    unsigned cuts = cut_everywhere(&sb, &fs, &w, before, new_data, SPAN);
    // Random data needs every block erased and every page programmed.
    assert_int_equal(cuts, BLOCKS * (1 + BS / NOR_PAGE_SIZE));
    sim_board_close(&sb);
}

// A simple-form write longer than an erase run, over data that needs erasing: the blocks a cut
// leaves blank never reach past the run under way. Each block holds one page of data, so that
// the many cut points cost few programs.
static void test_cut_across_erase_runs(void **state) {
    (void)state;
    enum { BLOCKS = 40, SPAN = 48 * BS };
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "powercut-runs");
    char err[160];
    flash_region_t region;
    assert_int_equal(flash_region_init(&region, &sb.storage, 0, SPAN, err, sizeof(err)), 0);
    static uint8_t before[SPAN], new_data[BLOCKS * BS];
    memset(before, 0xff, sizeof(before));
    memset(new_data, 0xff, sizeof(new_data));
    uint32_t rng = 11;
    for (size_t b = 0; b < SPAN / BS; b++) {
        sim_random_fill(before + b * BS, NOR_PAGE_SIZE, &rng);
    }
    for (size_t b = 0; b < BLOCKS; b++) {
        sim_random_fill(new_data + b * BS, NOR_PAGE_SIZE, &rng);
    }
    // From block 4: the write crosses the run boundary at block 32 (128 KiB).
    cut_write_t w = {SIMPLE, 4, -1, sizeof(new_data), -1};
    unsigned cuts = cut_everywhere(&sb, &region, &w, before, new_data, SPAN);
    print_message("across erase runs: %u cut points\n", cuts);
    assert_true(cuts > BLOCKS); // a program a block, and the erases
    sim_board_close(&sb);
}

// Each kind of write from a view of the flash, and the extended form from RAM: every cut point
// keeps to the rule.
static void test_cut_every_kind_of_write(void **state) {
    (void)state;
    enum { SPAN = 16 * BS };
    static const struct {
        const char *what;
        cut_write_t w;
    } writes[] = {
        // 4 blocks to block 6, from a view starting 1 block and 300 bytes below / above it.
        {"simple, view overlapping from below", {SIMPLE_FROM_BELOW, 6, -1, 4 * BS, 5 * BS - 300}},
        {"simple, view overlapping from above", {SIMPLE_FROM_ABOVE, 6, -1, 4 * BS, 7 * BS + 300}},
        {"simple, view apart", {SIMPLE, 6, -1, 3 * BS, 11 * BS + 300}},
        // 2 blocks and a bit, from 100 bytes into block 6.
        {"extended, from RAM", {EXTENDED, 6, 100, 2 * BS + 700, -1}},
        {"extended, view overlapping from below",
         {EXTENDED_FROM_BELOW, 6, 100, 2 * BS + 700, 5 * BS + 40}},
        {"extended, view overlapping from above", {EXTENDED, 6, 100, 2 * BS + 700, 7 * BS + 900}},
    };
    static uint8_t before[SPAN], ram[4 * BS];
    uint32_t rng = 21;
    sim_random_fill(before, sizeof(before), &rng);
    sim_random_fill(ram, sizeof(ram), &rng);
    for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
        sim_board_t sb;
        test_board_open(&sb, "OPENMV_AE3", NULL, "powercut-kinds");
        char err[160];
        flash_region_t region;
        assert_int_equal(flash_region_init(&region, &sb.storage, 0, SPAN, err, sizeof(err)), 0);
        unsigned cuts = cut_everywhere(&sb, &region, &writes[i].w, before, ram, SPAN);
        print_message("%s: %u cut points\n", writes[i].what, cuts);
        assert_true(cuts > 10);
        sim_board_close(&sb);
    }
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

// Where a suite that could not run a test exits, so that CTest reports it skipped
// (CMakeLists.txt, SKIP_RETURN_CODE), never passed.
#define SKIPPED_EXIT_STATUS (77)
static bool host_tools_skipped;

// mkfs.fat (dosfstools) and mtools, looked for in /usr/sbin and /sbin too: Debian installs
// mkfs.fat there, off a normal user's PATH. Missing, the test is skipped, unless the caller
// (make test, which installs them) said they must be there: then it fails.
static bool host_tools_found(void) {
    const char *path = getenv("PATH");
    char with_sbin[8192];
    snprintf(with_sbin, sizeof(with_sbin), "%s:/usr/sbin:/sbin", path ? path : "/usr/bin:/bin");
    setenv("PATH", with_sbin, 1);
    if (system("command -v mkfs.fat >/dev/null && command -v mcopy >/dev/null") == 0) {
        return true;
    }
    if (getenv("ALIF_TEST_REQUIRE_TOOLS") != NULL) {
        fail_msg("mkfs.fat (dosfstools) or mcopy (mtools) not found, and ALIF_TEST_REQUIRE_TOOLS "
                 "is set");
    }
    print_message("skipped: mkfs.fat (Debian package dosfstools) or mcopy (mtools) not found\n");
    host_tools_skipped = true;
    return false;
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
    if (!host_tools_found()) {
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

    // The FAT image goes to block 2 of the region, 16 blocks into the storage region.
    memcpy(around + (16 + 2) * BS, old_fs, FAT_BLOCKS * BS);
    cut_write_t w = {SIMPLE, 2, -1, FAT_BLOCKS * BS, -1};
    unsigned cuts = cut_everywhere(&sb, &region, &w, around, new_fs, sizeof(around));
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
        cmocka_unit_test(test_cut_across_erase_runs),
        cmocka_unit_test(test_cut_every_kind_of_write),
        cmocka_unit_test(test_fat_image_cut_at_every_operation),
        cmocka_unit_test(test_unpowered_part_fails_bring_up),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
#if defined(__linux__)
    return failed != 0 ? failed : host_tools_skipped ? SKIPPED_EXIT_STATUS : 0;
#else
    return failed; // the FAT test is the host's by design (README, "On the Cortex-M55")
#endif
}
