// SPDX-License-Identifier: MIT
// flock is BSD and O_TMPFILE and linkat's AT_ flags are Linux, not POSIX: glibc declares them
// with _GNU_SOURCE.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim_image.h"

static int make_parent_dirs(const char *path) {
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
        return -ENAMETOOLONG;
    }
    for (char *slash = strchr(dir + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            return -errno;
        }
        *slash = '/';
    }
    return 0;
}

// Makes [from, to) of the file real blocks holding 0xff, as a new part comes from the factory.
// Real blocks, not a sparse hole filled through the mapping: a disk that cannot hold them says
// so here (ENOSPC) instead of killing the process with SIGBUS at some later write.
static int fill_erased(int fd, off_t from, off_t to) {
    int ret = posix_fallocate(fd, from, to - from);
    if (ret != 0) {
        return -ret;
    }
    static uint8_t erased[64 * 1024];
    memset(erased, 0xff, sizeof(erased));
    for (off_t at = from; at < to;) {
        size_t n = (size_t)(to - at) < sizeof(erased) ? (size_t)(to - at) : sizeof(erased);
        ssize_t done = pwrite(fd, erased, n, at);
        if (done < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        at += done;
    }
    return 0;
}

// The directory that holds path ("." for a bare name).
static int parent_dir(const char *path, char *dir, size_t len) {
    const char *slash = strrchr(path, '/');
    int n = slash == NULL
                ? snprintf(dir, len, ".")
                : snprintf(dir, len, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

// Where a filesystem has no unnamed files, the image is made under this name in its directory:
// short whatever the image's name (which may be as long as a name may be), and the maker's
// process ID in it, so that the next maker can tell a dead process's leftover from work under way.
#define TEMP_PREFIX ".alif-sim-"
#define TEMP_SUFFIX ".new"

// Removes the leftovers of makers that died part way (killed, or a power cut of the host).
static void remove_dead_makers_temps(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        return;
    }
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        char *end;
        if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0) {
            continue;
        }
        long pid = strtol(e->d_name + strlen(TEMP_PREFIX), &end, 10);
        if (pid > 0 && strcmp(end, TEMP_SUFFIX) == 0 && kill((pid_t)pid, 0) != 0 &&
            errno == ESRCH) {
            unlinkat(dirfd(d), e->d_name, 0);
        }
    }
    closedir(d);
}

// Opens the file a new image is made in; named[0] is '\0' when it has no name. An unnamed file
// (O_TMPFILE) is dropped by the kernel if this process dies before naming it. A named one is
// created, never opened: whatever already has the name (a planted link, a dead maker's file of the
// same process ID) is never followed or written; its name is removed and the file made anew.
static int open_temp(const char *dir, char *named, size_t named_len) {
    named[0] = '\0';
#if defined(O_TMPFILE) && !defined(SIM_IMAGE_NAMED_TEMP)
    // Naming an unnamed file takes /proc (give_name), which a chroot may lack.
    if (access("/proc/self/fd", X_OK) == 0) {
        int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        // How a filesystem without unnamed files answers (open(2), O_TMPFILE).
        if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) {
            return fd >= 0 ? fd : -errno;
        }
    }
#endif
    remove_dead_makers_temps(dir);
    int n = snprintf(named, named_len, "%s/" TEMP_PREFIX "%ld" TEMP_SUFFIX, dir, (long)getpid());
    if (n < 0 || (size_t)n >= named_len) {
        named[0] = '\0';
        return -ENAMETOOLONG;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = open(named, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST) {
            return fd >= 0 ? fd : -errno;
        }
        unlink(named); // removes the name only, never what a link points to
    }
    named[0] = '\0';
    return -EEXIST;
}

// Gives the finished file the image's name with link, which refuses to replace: -EEXIST when
// another process made the image meanwhile.
static int give_name(int fd, const char *named, const char *path) {
    if (named[0] != '\0') {
        int ret = link(named, path) == 0 ? 0 : -errno;
        unlink(named);
        return ret;
    }
    // An unnamed file is linked through /proc, as open(2) shows for O_TMPFILE: linkat with
    // AT_EMPTY_PATH would do without /proc, but needs CAP_DAC_READ_SEARCH.
    char self[64];
    snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, self, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 ? 0 : -errno;
}

// Creates a whole erased image and only then gives it its name. If another process made the
// image meanwhile, that one stays (it may already hold writes) and this one is dropped.
static int create_image(const char *path, size_t size) {
    char dir[PATH_MAX], named[PATH_MAX];
    int ret = parent_dir(path, dir, sizeof(dir));
    int fd = ret == 0 ? open_temp(dir, named, sizeof(named)) : ret;
    if (fd < 0) {
        return fd;
    }
    ret = fill_erased(fd, 0, (off_t)size);
    if (ret == 0 && fsync(fd) != 0) {
        ret = -errno;
    }
    if (ret == 0) {
        ret = give_name(fd, named, path);
        ret = ret == -EEXIST ? 0 : ret;
    } else if (named[0] != '\0') {
        unlink(named);
    }
    close(fd);
    return ret;
}

// The images open in this process, by file: flock does not say who holds a lock, and a process
// never sees its own POSIX locks, so without this a second open here could not tell itself from
// another process. Kept by process ID, since a forked child inherits the table but not the images.
#define OPEN_HERE_MAX 64
static struct {
    uint64_t dev, ino;
    long pid;
} open_here[OPEN_HERE_MAX];

static int open_here_find(uint64_t dev, uint64_t ino) {
    for (int i = 0; i < OPEN_HERE_MAX; i++) {
        if (open_here[i].pid != 0 && open_here[i].dev == dev && open_here[i].ino == ino) {
            return i;
        }
    }
    return -1;
}

// Records (pid != 0) or forgets (pid == 0) that this process holds the file; a full table only
// costs the "this process" wording of a later message.
static void open_here_set(uint64_t dev, uint64_t ino, long pid) {
    int i = open_here_find(dev, ino);
    for (int free = 0; i < 0 && pid != 0 && free < OPEN_HERE_MAX; free++) {
        i = open_here[free].pid == 0 ? free : -1;
    }
    if (i >= 0) {
        open_here[i].dev = dev;
        open_here[i].ino = ino;
        open_here[i].pid = pid;
    }
}

// The exclusive flock is the lock; a POSIX read lock beside it only lets a second process learn
// who holds the image, since flock locks do not tell.
static int lock_image(int fd, const char *path, char *err, size_t err_len) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        struct flock owner = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
        fcntl(fd, F_SETLK, &owner);
        return 0;
    }
    if (errno != EWOULDBLOCK) {
        int ret = -errno;
        snprintf(err, err_len, "cannot lock flash image %s: %s", path, strerror(errno));
        return ret;
    }
    struct stat st;
    int here = fstat(fd, &st) == 0 ? open_here_find(st.st_dev, st.st_ino) : -1;
    if (here >= 0 && open_here[here].pid == (long)getpid()) {
        snprintf(err, err_len, "flash image %s is already open in this process (%ld)", path,
                 open_here[here].pid);
        return -EBUSY;
    }
    // The owner takes its read lock just after its flock: a moment lets it be named.
    for (int tries = 0; tries < 20; tries++) {
        struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        if (fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK) {
            snprintf(err, err_len,
                     "flash image %s is in use by process %ld (one process owns an image at a "
                     "time)",
                     path, (long)probe.l_pid);
            return -EBUSY;
        }
        nanosleep(&(struct timespec){.tv_nsec = 5 * 1000 * 1000}, NULL);
    }
    snprintf(err, err_len,
             "flash image %s is in use by another process (one process owns an image at a time)",
             path);
    return -EBUSY;
}

// Opens the image whole, creating it when missing; the file descriptor, or a negative errno.
static int open_whole(const char *path, size_t size) {
    for (;;) {
        int fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd >= 0 || errno != ENOENT) {
            return fd >= 0 ? fd : -errno;
        }
        int ret = create_image(path, size);
        if (ret != 0) {
            return ret;
        }
    }
}

int sim_image_open(sim_image_t *image, const char *path, size_t size, char *err, size_t err_len) {
    *image = (sim_image_t){.fd = -1};
    int ret = make_parent_dirs(path);
    int fd = ret == 0 ? open_whole(path, size) : ret;
    if (fd < 0) {
        snprintf(err, err_len, "cannot open flash image %s: %s", path, strerror(-fd));
        return fd;
    }
    ret = lock_image(fd, path, err, err_len);
    struct stat st;
    if (ret == 0 && fstat(fd, &st) != 0) {
        ret = -errno;
        snprintf(err, err_len, "cannot open flash image %s: %s", path, strerror(errno));
    }
    if (ret == 0 && (size_t)st.st_size < size) {
        // An image made for a smaller part: the rest of the array is new, hence erased. On
        // failure the file goes back to what it was.
        ret = fill_erased(fd, st.st_size, (off_t)size);
        if (ret != 0) {
            snprintf(err, err_len, "cannot grow flash image %s: %s", path, strerror(-ret));
            if (ftruncate(fd, st.st_size) != 0) {
                // Nothing more to do: the error above is the one to report.
            }
        }
    }
    char *path_copy = ret == 0 ? strdup(path) : NULL;
    if (ret == 0 && path_copy == NULL) {
        ret = -ENOMEM;
        snprintf(err, err_len, "cannot open flash image %s: %s", path, strerror(ENOMEM));
    }
    uint8_t *rw = MAP_FAILED;
    const uint8_t *ro = MAP_FAILED;
    if (ret == 0) {
        rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ro = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
        if (rw == MAP_FAILED || ro == MAP_FAILED) {
            ret = -errno;
            snprintf(err, err_len, "cannot map flash image %s: %s", path, strerror(errno));
        }
    }
    if (ret != 0) {
        if (rw != MAP_FAILED) {
            munmap(rw, size);
        }
        if (ro != MAP_FAILED) {
            munmap((void *)ro, size);
        }
        free(path_copy);
        close(fd);
        return ret;
    }
    *image = (sim_image_t){.rw = rw,
                           .ro = ro,
                           .size = size,
                           .fd = fd,
                           .fd_pid = (long)getpid(),
                           .owner = (long)getpid(),
                           .path = path_copy,
                           .dev = st.st_dev,
                           .ino = st.st_ino};
    open_here_set(image->dev, image->ino, image->owner);
    return 0;
}

void sim_image_close(sim_image_t *image) {
    if (image->rw != NULL) {
        munmap(image->rw, image->size);
        munmap((void *)image->ro, image->size);
        close(image->fd); // and with it the lock, once no forked process shares it

        open_here_set(image->dev, image->ino, 0);
        free(image->path);
    }
    *image = (sim_image_t){.fd = -1};
}

// In a process forked from the owner, the descriptor and the mappings it inherited share the
// owner's open file, and with it the owner's flock, which they would keep alive after the owner
// has ended. Both are replaced by this process's own, on the same file and at the same
// addresses, so that every pointer into the image stays valid.
static int reopen_here(sim_image_t *image, char *err, size_t err_len) {
    int fd = open(image->path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int ret = -errno;
        snprintf(err, err_len, "cannot open flash image %s: %s", image->path, strerror(errno));
        return ret;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_dev != image->dev || st.st_ino != image->ino) {
        close(fd);
        snprintf(err, err_len, "flash image %s is no longer the file this process has mapped",
                 image->path);
        return -EBUSY;
    }
    if (mmap(image->rw, image->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) ==
            MAP_FAILED ||
        mmap((void *)image->ro, image->size, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) ==
            MAP_FAILED) {
        int ret = -errno;
        snprintf(err, err_len, "cannot map flash image %s: %s", image->path, strerror(errno));
        close(fd);
        return ret;
    }
    close(image->fd);
    image->fd = fd;
    image->fd_pid = (long)getpid();
    return 0;
}

int sim_image_claim(sim_image_t *image, char *err, size_t err_len) {
    long self = (long)getpid();
    if (image->owner == self) {
        return 0;
    }
    int ret = image->fd_pid == self ? 0 : reopen_here(image, err, err_len);
    if (ret == 0) {
        ret = lock_image(image->fd, image->path, err, err_len);
    }
    if (ret == 0) {
        image->owner = self;
        open_here_set(image->dev, image->ino, self);
    }
    return ret;
}
