// SPDX-License-Identifier: MIT
// The image file under the simulated board: one owner at a time, whole and erased before anyone
// maps it, grown with erased bytes, no temporary file left, no path cut short. Host only: the
// M55 build keeps its image in RAM (sim/ram/).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define SIZE (256 * 1024)

static bool all_erased(const uint8_t *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (p[i] != 0xff) {
            return false;
        }
    }
    return true;
}

// Both image kinds, file and RAM: a new part comes erased, and the XIP view shows the part's
// writes.
static void test_new_image_is_erased_and_views_agree(void **state) {
    (void)state;
    char err[512];
    const char *path = test_scratch_path("new");
    sim_image_t image;
    assert_int_equal(sim_image_open(&image, path, SIZE, err, sizeof(err)), 0);
    assert_true(all_erased(image.ro, SIZE));
    image.rw[SIZE - 1] = 0x00;
    assert_int_equal(image.ro[SIZE - 1], 0x00);
    sim_image_close(&image);
    unlink(path);
}

#if defined(__linux__)
#include <dirent.h>

// Counts the entries of the image's directory whose name starts with the image's.
static unsigned siblings(const char *path) {
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    assert_non_null(slash);
    *slash = '\0';
    const char *base = slash + 1;
    DIR *d = opendir(dir);
    assert_non_null(d);
    unsigned n = 0;
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        n += strncmp(e->d_name, base, strlen(base)) == 0;
    }
    closedir(d);
    return n;
}
#endif

static void test_one_owner_and_whole_images(void **state) {
    (void)state;
#if !defined(__linux__)
    skip();
#else
    char path[4096], err[512];
    snprintf(path, sizeof(path), "%s", test_scratch_path("owned"));
    sim_image_t a, b;
    assert_int_equal(sim_image_open(&a, path, SIZE, err, sizeof(err)), 0);
    assert_true(all_erased(a.ro, SIZE));
    assert_int_equal(siblings(path), 1); // the image, and no temporary file beside it
    a.rw[100] = 0x42;

    // A second open, here from the same process, is refused and says who holds the image.
    char pid[32];
    snprintf(pid, sizeof(pid), "%ld", (long)getpid());
    assert_int_equal(sim_image_open(&b, path, SIZE, err, sizeof(err)), -EBUSY);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, pid));
    assert_null(b.rw);

    sim_image_close(&a);
    assert_int_equal(sim_image_open(&b, path, SIZE, err, sizeof(err)), 0);
    assert_int_equal(b.ro[100], 0x42);
    sim_image_close(&b);

    // An image made for a smaller part grows with erased bytes and keeps what it held.
    assert_int_equal(sim_image_open(&b, path, 2 * SIZE, err, sizeof(err)), 0);
    assert_int_equal(b.ro[100], 0x42);
    assert_true(all_erased(b.ro + SIZE, SIZE));
    sim_image_close(&b);
    unlink(path);
#endif
}

static void test_path_too_long_for_the_temporary_name(void **state) {
    (void)state;
#if !defined(__linux__)
    skip();
#else
    // A name of 255 bytes is as long as a name may be: the temporary name beside it cannot be
    // made, and nothing is created.
    char path[4096], err[512];
    const char *dir = test_scratch_path("unused");
    snprintf(path, sizeof(path), "%.*s/", (int)(strrchr(dir, '/') - dir), dir);
    size_t at = strlen(path);
    memset(path + at, 'n', 255);
    path[at + 255] = '\0';
    sim_image_t image;
    int ret = sim_image_open(&image, path, SIZE, err, sizeof(err));
    assert_int_equal(ret, -ENAMETOOLONG);
    assert_non_null(strstr(err, "cannot open flash image"));
    assert_int_equal(access(path, F_OK), -1);
#endif
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_image_is_erased_and_views_agree),
        cmocka_unit_test(test_one_owner_and_whole_images),
        cmocka_unit_test(test_path_too_long_for_the_temporary_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
