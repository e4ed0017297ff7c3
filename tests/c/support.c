// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

const char *test_scratch_path(const char *name) {
    static char path[4096];
    const char *dir = getenv("ALIF_TEST_TMPDIR");
    snprintf(path, sizeof(path), "%s/%d-%s.img", dir && *dir ? dir : "/tmp", (int)getpid(), name);
    unlink(path);
    return path;
}

size_t test_fixture_hex(const char *name, uint8_t *buf, size_t buf_len) {
    // Found from this file's own path, which the build gives absolute on the host and relative
    // to the repository's root, QEMU's working directory, for the Cortex-M55.
    char path[4096];
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    snprintf(path, sizeof(path), "%.*s/../fixtures/%s", slash ? (int)(slash - here) : 1,
             slash ? here : ".", name);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fail_msg("no fixture %s", path);
    }
    char line[256];
    size_t len = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        for (const char *c = line; line[0] != '#' && c[0] && c[1] && c[0] != '\n'; c += 2) {
            unsigned byte;
            if (sscanf(c, "%2x", &byte) != 1 || len == buf_len) {
                fclose(f);
                fail_msg("fixture %s: not hex, or longer than %lu", path, (unsigned long)buf_len);
            }
            buf[len++] = (uint8_t)byte;
        }
    }
    fclose(f);
    return len;
}

void test_board_open(sim_board_t *sb, const char *board, const char *part, const char *image_name) {
    char err[256] = "";
    sim_board_config_t config = {
        .board = board,
        .part = part,
        .image_path = test_scratch_path(image_name),
    };
    int ret = sim_board_open(sb, &config, err, sizeof(err));
    if (ret != 0) {
        fail_msg("board %s did not come up: %d %s", board, ret, err);
    }
    // The scratch file is only needed while mapped.
    unlink(config.image_path);
}
