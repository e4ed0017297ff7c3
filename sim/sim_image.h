// SPDX-License-Identifier: MIT
// The simulated flash contents: a file mapped twice, read-write for the part model and
// read-only as the XIP window, so that the window is zero-copy, always current, and faults on a
// stray write as the real window would not let it land.
//
// A board has one flash, so one process owns an image at a time: the file stays locked while
// it is mapped, and a second process gets an error naming the first. A process forked from the
// owner inherits the mapping but not the ownership (sim_image_claim). A new image appears under
// its name only once it is whole and erased, so no process ever maps a half-made one, and a
// process that dies while making it leaves nothing behind.
#ifndef ALIF_SIM_IMAGE_H
#define ALIF_SIM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *rw;
    const uint8_t *ro;
    size_t size;
    int fd;            // holds the lock while the image is open
    long fd_pid;       // the process whose own descriptor fd is (a forked one inherits it)
    long owner;        // the process that holds the lock (0 where there are no processes)
    char *path;        // for a forked process to take the image over (sim_image_claim)
    uint64_t dev, ino; // the file mapped, so that a takeover takes that very file
} sim_image_t;

// Opens path (creating missing parent directories, and the file: whole on disk and erased, all
// 0xff); a file shorter than size grows with erased bytes. 0, or a negative host errno with the
// reason in err: -EBUSY when another process (or this one) holds the image, -ENOSPC when the
// disk cannot hold it (nothing is left behind then).
int sim_image_open(sim_image_t *image, const char *path, size_t size, char *err, size_t err_len);
void sim_image_close(sim_image_t *image);

// 0 when the calling process owns the open image. A process forked from the owner shares the
// owner's lock and mapping without owning them: it gets -EBUSY naming the owner, with the reason
// in err, until the owner has ended, when the image becomes its own.
int sim_image_claim(sim_image_t *image, char *err, size_t err_len);

#endif // ALIF_SIM_IMAGE_H
