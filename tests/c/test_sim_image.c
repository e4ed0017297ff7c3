// SPDX-License-Identifier: MIT
// The image file under the simulated board: one owner at a time, whole and erased before anyone
// maps it, grown with erased bytes, no temporary file left, no path cut short. Host only: the
// M55 build keeps its image in RAM (sim/ram/).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>

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

static void test_one_owner_and_whole_images(void **state) {
    (void)state;
    char path[4096], err[512];
    snprintf(path, sizeof(path), "%s", test_scratch_path("owned"));
    sim_image_t a, b;
    assert_int_equal(sim_image_open(&a, path, SIZE, err, sizeof(err)), 0);
    assert_true(all_erased(a.ro, SIZE));
    assert_int_equal(siblings(path), 1); // the image, and no temporary file beside it
    a.rw[100] = 0x42;

    // A second open, here from the same process, is refused and says who holds the image.
    char pid[64];
    snprintf(pid, sizeof(pid), "this process (%ld)", (long)getpid());
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
}

// A fresh directory of the scratch area for one test, with nothing in it.
static const char *scratch_dir(const char *name) {
    static char dir[4096];
    const char *any = test_scratch_path(name);
    snprintf(dir, sizeof(dir), "%.*s.d", (int)(strlen(any) - strlen(".img")), any);
    char cmd[2 * 4096 + 64];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

// The text f gives, up to 4 KiB, until the next call; f is closed with done.
static const char *text_of(FILE *f, int (*done)(FILE *)) {
    static char text[4096];
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    done(f);
    return text;
}

// The names in dir, sorted, joined by spaces.
static const char *listing(const char *dir) {
    char cmd[4096 + 64];
    snprintf(cmd, sizeof(cmd), "ls -A '%s' | tr '\\n' ' '", dir);
    return text_of(popen(cmd, "r"), pclose);
}

static void test_name_as_long_as_a_name_may_be(void **state) {
    (void)state;
    // 255 bytes is NAME_MAX on Linux filesystems: a temporary name made by adding to it could not
    // be made, and a legal image name was refused.
    char path[4096], err[512], name[256];
    memset(name, 'n', 255);
    name[255] = '\0';
    const char *dir = scratch_dir("longname");
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    sim_image_t image;
    assert_int_equal(sim_image_open(&image, path, SIZE, err, sizeof(err)), 0);
    assert_true(all_erased(image.ro, SIZE));
    sim_image_close(&image);
    char want[300];
    snprintf(want, sizeof(want), "%s ", name);
    assert_string_equal(listing(dir), want);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *read_file(const char *path) {
    return text_of(fopen(path, "r"), fclose);
}

static void test_planted_link_at_a_temporary_name_is_not_followed(void **state) {
    (void)state;
    // Someone who can write the image's directory plants links where a maker might put its
    // temporary file, at names it can guess (the process ID is no secret), to a file of the
    // victim's. Making the image must neither follow them nor write the victim's file.
    const char *dir = scratch_dir("planted");
    char path[4096], victim[4096], link_at[4200], err[512];
    snprintf(path, sizeof(path), "%s/board.img", dir);
    snprintf(victim, sizeof(victim), "%s.victim", dir);
    write_file(victim, "victim");
    snprintf(link_at, sizeof(link_at), "%s.%ld.new", path, (long)getpid());
    assert_int_equal(symlink(victim, link_at), 0);
    snprintf(link_at, sizeof(link_at), "%s/.alif-sim-%ld.new", dir, (long)getpid());
    assert_int_equal(symlink(victim, link_at), 0);
    sim_image_t image;
    assert_int_equal(sim_image_open(&image, path, SIZE, err, sizeof(err)), 0);
    assert_true(all_erased(image.ro, SIZE));
    sim_image_close(&image);
    assert_string_equal(read_file(victim), "victim");
    unlink(victim);
}

static void test_maker_killed_part_way_leaves_nothing(void **state) {
    (void)state;
    // A process killed while it makes an image (here by the file size limit, SIGXFSZ, part way
    // through the fill) leaves no half-made file behind once another image is made there.
    const char *dir = scratch_dir("killed");
    char path[4096], other[4096], err[512];
    snprintf(path, sizeof(path), "%s/killed.img", dir);
    snprintf(other, sizeof(other), "%s/other.img", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit limit = {.rlim_cur = SIZE / 2, .rlim_max = SIZE / 2};
        signal(SIGXFSZ, SIG_DFL);
        setrlimit(RLIMIT_FSIZE, &limit);
        sim_image_t image;
        sim_image_open(&image, path, SIZE, err, sizeof(err));
        _exit(0); // not reached: the limit kills the process
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ);
    sim_image_t image;
    assert_int_equal(sim_image_open(&image, other, SIZE, err, sizeof(err)), 0);
    sim_image_close(&image);
    assert_string_equal(listing(dir), "other.img ");
}

// A forked child and the two pipes it talks over: it tells the parent one byte, then waits for
// the parent's word to go on.
typedef struct {
    pid_t pid;
    int up[2], down[2];
} child_t;

// Forks; true in the child.
static bool child_fork(child_t *c) {
    assert_int_equal(pipe(c->up), 0);
    assert_int_equal(pipe(c->down), 0);
    c->pid = fork();
    assert_true(c->pid >= 0);
    if (c->pid == 0) {
        close(c->down[1]); // so that the wait below ends if the test does
        return true;
    }
    return false;
}

// In the child: tells the parent what, then waits for its word.
static void child_tell_and_wait(const child_t *c, char what) {
    (void)!write(c->up[1], &what, 1);
    (void)!read(c->down[0], &what, 1);
}

// In the parent: what the child told.
static char child_told(const child_t *c) {
    char what = 0;
    assert_int_equal(read(c->up[0], &what, 1), 1);
    return what;
}

// In the parent: lets the child go on and waits for its end; its wait status.
static int child_release(const child_t *c) {
    char go = 0;
    (void)!write(c->down[1], &go, 1);
    int status;
    assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
    close(c->up[0]);
    close(c->up[1]);
    close(c->down[0]);
    close(c->down[1]);
    return status;
}

static void test_refused_process_is_never_named_as_owner(void **state) {
    (void)state;
    // The owner holds the flock before it takes the read lock that names it: a process refused
    // in between must not name itself, or anyone, as the owner.
    char path[4096], err[512], self[64];
    snprintf(path, sizeof(path), "%s", test_scratch_path("between"));
    sim_image_t image;
    assert_int_equal(sim_image_open(&image, path, SIZE, err, sizeof(err)), 0);
    sim_image_close(&image);
    child_t child;
    if (child_fork(&child)) {
        int fd = open(path, O_RDWR);
        child_tell_and_wait(&child, flock(fd, LOCK_EX | LOCK_NB) == 0 ? 'y' : 'n');
        _exit(0);
    }
    assert_int_equal(child_told(&child), 'y');
    assert_int_equal(sim_image_open(&image, path, SIZE, err, sizeof(err)), -EBUSY);
    snprintf(self, sizeof(self), "process %ld", (long)getpid());
    assert_null(strstr(err, self));
    assert_non_null(strstr(err, "another process"));
    child_release(&child);
    unlink(path);
}

static void test_forked_process_owns_the_image_only_once_the_owner_has_ended(void **state) {
    (void)state;
    char path[4096], err[512], owner[64];
    snprintf(path, sizeof(path), "%s", test_scratch_path("forked"));
    sim_image_t image;
    assert_int_equal(sim_image_open(&image, path, SIZE, err, sizeof(err)), 0);
    assert_int_equal(sim_image_claim(&image, err, sizeof(err)), 0);
    snprintf(owner, sizeof(owner), "process %ld", (long)getpid());
    child_t child;
    if (child_fork(&child)) {
        // Refused, naming the owner; then, once the owner has let go, its own.
        bool refused =
            sim_image_claim(&image, err, sizeof(err)) == -EBUSY && strstr(err, owner) != NULL;
        child_tell_and_wait(&child, refused ? 'y' : 'n');
        int ret = sim_image_claim(&image, err, sizeof(err));
        if (ret == 0) {
            image.rw[7] = 0x07;
        }
        _exit(ret == 0 && sim_image_claim(&image, err, sizeof(err)) == 0 ? 0 : 1);
    }
    assert_int_equal(child_told(&child), 'y');
    // The owner keeps its image while the forked process is refused.
    sim_image_t again;
    assert_int_equal(sim_image_claim(&image, err, sizeof(err)), 0);
    sim_image_close(&image);
    int status = child_release(&child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(sim_image_open(&again, path, SIZE, err, sizeof(err)), 0);
    assert_int_equal(again.ro[7], 0x07);
    sim_image_close(&again);
    unlink(path);
}

#else
// The image file is the host's (sim/sim_image.c); here it is RAM (sim/ram/sim_image_ram.c).
static void test_image_file_needs_a_host(void **state) {
    (void)state;
    skip();
}
#endif

// Sets or (NULL) unsets an environment variable.
static void set_env(const char *name, const char *value) {
    if (value != NULL) {
        setenv(name, value, 1);
    } else {
        unsetenv(name);
    }
}

// The image's default place, from HOME and XDG_CACHE_HOME: a relative XDG_CACHE_HOME is ignored
// (XDG Base Directory Specification), and a HOME that is not an absolute path is refused, never
// turned into /.cache or a path relative to wherever the process runs.
static void test_default_place_of_the_image(void **state) {
    (void)state;
    const char *image = getenv("ALIF_FLASH_IMAGE");
    char saved_image[4096];
    snprintf(saved_image, sizeof(saved_image), "%s", image ? image : "");
    unsetenv("ALIF_FLASH_IMAGE");
    static const struct {
        const char *home, *cache, *path;
    } cases[] = {
        {"/home/u", NULL, "/home/u/.cache/alif-sim/ALIF_ENSEMBLE.img"},
        {"/home/u", "", "/home/u/.cache/alif-sim/ALIF_ENSEMBLE.img"},
        {"/home/u", "/c", "/c/alif-sim/ALIF_ENSEMBLE.img"},
        {"/home/u", "rel/cache", "/home/u/.cache/alif-sim/ALIF_ENSEMBLE.img"},
        {"", "/c", "/c/alif-sim/ALIF_ENSEMBLE.img"},
        {"", NULL, NULL},
        {NULL, NULL, NULL},
        {"home/u", NULL, NULL},
        {"", "rel/cache", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        set_env("HOME", cases[i].home);
        set_env("XDG_CACHE_HOME", cases[i].cache);
        sim_board_config_t config;
        char path[4096], err[512] = "";
        int ret = sim_board_config_from_env(&config, path, sizeof(path), err, sizeof(err));
        if (cases[i].path != NULL) {
            assert_int_equal(ret, 0);
            assert_string_equal(config.image_path, cases[i].path);
        } else {
            assert_int_equal(ret, -ALIF_EINVAL);
            assert_non_null(strstr(err, "HOME"));
            assert_non_null(strstr(err, "ALIF_FLASH_IMAGE"));
        }
    }
    if (image != NULL) {
        setenv("ALIF_FLASH_IMAGE", saved_image, 1);
    }
}
int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_image_is_erased_and_views_agree),
#if defined(__linux__)
        cmocka_unit_test(test_one_owner_and_whole_images),
        cmocka_unit_test(test_name_as_long_as_a_name_may_be),
        cmocka_unit_test(test_planted_link_at_a_temporary_name_is_not_followed),
        cmocka_unit_test(test_maker_killed_part_way_leaves_nothing),
        cmocka_unit_test(test_refused_process_is_never_named_as_owner),
        cmocka_unit_test(test_forked_process_owns_the_image_only_once_the_owner_has_ended),
#else
        cmocka_unit_test(test_image_file_needs_a_host),
#endif
        cmocka_unit_test(test_default_place_of_the_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
