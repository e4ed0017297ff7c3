// SPDX-License-Identifier: MIT
// flock is BSD, not POSIX; glibc declares it with _DEFAULT_SOURCE.
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

// Creates a whole erased image under a name of this process's own, then gives it the image's
// name with link(), which refuses to replace: if another process made the image meanwhile, that
// one stays (it may already hold writes) and this one is dropped.
static int create_image(const char *path, size_t size) {
    char temp[PATH_MAX];
    if (snprintf(temp, sizeof(temp), "%s.%ld.new", path, (long)getpid()) >= (int)sizeof(temp)) {
        return -ENAMETOOLONG;
    }
    int fd = open(temp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return -errno;
    }
    int ret = fill_erased(fd, 0, (off_t)size);
    if (ret == 0 && fsync(fd) != 0) {
        ret = -errno;
    }
    close(fd);
    if (ret == 0 && link(temp, path) != 0 && errno != EEXIST) {
        ret = -errno;
    }
    unlink(temp);
    return ret;
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
    struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK) {
        snprintf(err, err_len,
                 "flash image %s is in use by process %ld (one process owns an image at a time)",
                 path, (long)probe.l_pid);
    } else {
        // No other process's read lock: this process has it open already, or its owner is
        // between its two locks.
        snprintf(err, err_len, "flash image %s is in use by process %ld or another process", path,
                 (long)getpid());
    }
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
        close(fd);
        return ret;
    }
    *image = (sim_image_t){.rw = rw, .ro = ro, .size = size, .fd = fd};
    return 0;
}

void sim_image_close(sim_image_t *image) {
    if (image->rw != NULL) {
        munmap(image->rw, image->size);
        munmap((void *)image->ro, image->size);
        close(image->fd); // and with it the lock
    }
    *image = (sim_image_t){.fd = -1};
}
