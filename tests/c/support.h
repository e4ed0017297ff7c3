// SPDX-License-Identifier: MIT
// Shared by the C tests: fresh simulated boards on scratch image files.
#ifndef ALIF_TESTS_SUPPORT_H
#define ALIF_TESTS_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "alif_errno.h"
#include "sim_board.h"
#include "sim_random.h"

// A path in the test scratch directory for this name, with no file there yet.
const char *test_scratch_path(const char *name);

// Reads an `xxd -p` dump under tests/fixtures (lines starting with # are its source) into buf;
// returns its length in bytes, failing the test when it is missing or longer than buf_len.
size_t test_fixture_hex(const char *name, uint8_t *buf, size_t buf_len);

// Opens a board on a new erased image; fails the test if it does not come up.
void test_board_open(sim_board_t *sb, const char *board, const char *part, const char *image_name);

#endif // ALIF_TESTS_SUPPORT_H
