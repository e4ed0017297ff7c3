// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support.h"

const char *test_scratch_path(const char *name) {
    static char path[4096];
    const char *dir = getenv("ALIF_TEST_TMPDIR");
    snprintf(path, sizeof(path), "%s/%d-%s.img", dir && *dir ? dir : "/tmp", (int)getpid(), name);
    unlink(path);
    return path;
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
