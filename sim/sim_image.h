// SPDX-License-Identifier: MIT
// The simulated flash contents: a file mapped twice, read-write for the part model and
// read-only as the XIP window, so that the window is zero-copy, always current, and faults on a
// stray write as the real window would not let it land.
//
// A board has one flash, so one process owns an image at a time: the file stays locked while
// it is mapped, and a second process gets an error naming the first. A new image appears under
// its name only once it is whole and erased, so no process ever maps a half-made one.
#ifndef ALIF_SIM_IMAGE_H
#define ALIF_SIM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *rw;
    const uint8_t *ro;
    size_t size;
    int fd; // holds the lock while the image is open
} sim_image_t;

// Opens path (creating missing parent directories, and the file: whole on disk and erased, all
// 0xff); a file shorter than size grows with erased bytes. 0, or a negative host errno with the
// reason in err: -EBUSY when another process holds the image, -ENOSPC when the disk cannot hold
// it (nothing is left behind then).
int sim_image_open(sim_image_t *image, const char *path, size_t size, char *err, size_t err_len);
void sim_image_close(sim_image_t *image);

#endif // ALIF_SIM_IMAGE_H
