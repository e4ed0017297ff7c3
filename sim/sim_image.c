// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_image.h"

static int make_parent_dirs(const char *path) {
    char dir[4096];
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

int sim_image_open(sim_image_t *image, const char *path, size_t size, char *err, size_t err_len) {
    *image = (sim_image_t){0};
    int ret = make_parent_dirs(path);
    int fd = ret == 0 ? open(path, O_RDWR | O_CREAT, 0600) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        ret = ret != 0 ? ret : -errno;
        snprintf(err, err_len, "cannot open flash image %s: %s", path, strerror(-ret));
        if (fd >= 0) {
            close(fd);
        }
        return ret;
    }
    size_t old_size = (size_t)st.st_size;
    if (old_size < size && ftruncate(fd, (off_t)size) != 0) {
        ret = -errno;
        snprintf(err, err_len, "cannot grow flash image %s: %s", path, strerror(errno));
        close(fd);
        return ret;
    }
    uint8_t *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const uint8_t *ro = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (rw == MAP_FAILED || ro == MAP_FAILED) {
        ret = -errno;
        snprintf(err, err_len, "cannot map flash image %s: %s", path, strerror(errno));
        if (rw != MAP_FAILED) {
            munmap(rw, size);
        }
        if (ro != MAP_FAILED) {
            munmap((void *)ro, size);
        }
        return ret;
    }
    if (old_size < size) {
        // A new part comes erased from the factory.
        memset(rw + old_size, 0xff, size - old_size);
    }
    *image = (sim_image_t){.rw = rw, .ro = ro, .size = size};
    return 0;
}

void sim_image_close(sim_image_t *image) {
    if (image->rw != NULL) {
        munmap(image->rw, image->size);
        munmap((void *)image->ro, image->size);
    }
    *image = (sim_image_t){0};
}
