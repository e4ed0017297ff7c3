// SPDX-License-Identifier: MIT
// Thousands of random calls, valid and not, through the region layer on the simulated part (some
// writing from a view of the flash itself), each checked against a plain in-memory reference
// written from API.md's rules alone; then the whole image against the reference, which catches any
// byte touched outside the call's range.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define BS FLASH_BLOCK_SIZE
#define CALLS 6000

typedef struct {
    int64_t start, len; // in the storage region
} ref_region_t;

// API.md's range rule, reasoned apart from the code under test: any one term larger than the
// region (at most 4 GiB) already puts the range past its end, and once each term is at most
// that, the sum fits an int64_t with room to spare on every target.
static bool ref_in_range(const ref_region_t *r, int64_t block, int64_t offset, size_t len) {
    if (block < 0 || offset < 0 || block > r->len || offset > r->len || len > (uint64_t)r->len) {
        return false;
    }
    return block * BS + offset + (int64_t)len <= r->len;
}

static int64_t pick_int(uint32_t *rng, int64_t lo, int64_t hi) {
    switch (sim_random(rng) % 50) {
        case 0:
            return INT64_MAX;
        case 1:
            return INT64_MIN;
        case 2:
            return INT64_MAX / BS;
        default:
            return lo + (int64_t)(sim_random(rng) % (uint64_t)(hi - lo + 1));
    }
}

static size_t pick_len(uint32_t *rng, bool simple) {
    uint32_t r = sim_random(rng) % 20;
    if (simple) {
        return r == 0 ? BS + 1 : r == 1 ? 100 : (size_t)(r % 4) * BS;
    }
    return r == 0 ? 3 * BS + sim_random(rng) % 300 : sim_random(rng) % 700;
}

// Data that exercises every path: random, blank, a copy of what is there, or only cleared bits.
static void pick_data(uint32_t *rng, uint8_t *buf, size_t len, const uint8_t *current) {
    switch (current == NULL ? 4 : sim_random(rng) % 5) {
        case 0:
            memset(buf, 0xff, len);
            break;
        case 1:
            memcpy(buf, current, len);
            break;
        case 2:
            for (size_t i = 0; i < len; i++) {
                buf[i] = current[i] & (uint8_t)sim_random(rng);
            }
            break;
        default:
            sim_random_fill(buf, len, rng);
    }
}

static void run(const char *board, const char *part, uint32_t seed) {
    sim_board_t sb;
    test_board_open(&sb, board, part, "differential");
    const flash_storage_t *storage = &sb.storage;
    size_t size = sb.part->size;
    uint8_t *ref = malloc(size);
    memcpy(ref, sb.image.ro, size);
    static uint8_t buf[4 * BS + 1024], got[4 * BS + 1024];
    uint32_t rng = seed;
    unsigned ok_calls = 0, rejected_calls = 0;

    for (int call = 0; call < CALLS; call++) {
        // Half the calls on the singleton, half on small regions anywhere, so edges are hit.
        ref_region_t rr;
        flash_region_t region;
        char err[160];
        if (sim_random(&rng) % 2) {
            rr = (ref_region_t){0, storage->fs_len};
            assert_int_equal(flash_region_init(&region, storage, -1, -1, err, sizeof(err)), 0);
        } else {
            int64_t blocks = storage->len / BS;
            int64_t first = (int64_t)(sim_random(&rng) % (uint64_t)blocks);
            int64_t count = 1 + (int64_t)(sim_random(&rng) % 8);
            if (first + count > blocks) {
                count = blocks - first;
            }
            rr = (ref_region_t){first * BS, count * BS};
            assert_int_equal(
                flash_region_init(&region, storage, rr.start, rr.len, err, sizeof(err)), 0);
        }
        int64_t nblocks = rr.len / BS;
        int64_t block = pick_int(&rng, -2, nblocks + 1);
        int64_t offset = pick_int(&rng, -2, 2 * BS + 300);
        uint8_t *ref_region = ref + storage->base + rr.start;
        int op = (int)(sim_random(&rng) % 5);
        bool simple = op == 0 || op == 2;
        size_t len = pick_len(&rng, simple);
        if (simple) {
            offset = 0;
        }
        bool valid = ref_in_range(&rr, block, offset, len) && (!simple || len % BS == 0);
        size_t pos = valid ? (size_t)(block * BS + offset) : 0;
        int ret;
        switch (op) {
            case 0:
            case 1:
                memset(got, 0x5a, len);
                ret = simple ? flash_region_readblocks(&region, block, got, len)
                             : flash_region_readblocks_ext(&region, block, offset, got, len);
                if (valid && ret == 0) {
                    assert_memory_equal(got, ref_region + pos, len);
                }
                break;
            case 2:
            case 3:
                pick_data(&rng, buf, len, valid ? ref_region + pos : NULL);
                const uint8_t *src = buf;
                if (sim_random(&rng) % 4 == 0) {
                    // A view of the flash itself, mostly overlapping the destination: the result
                    // must be as if it had been copied first, which is what buf then holds.
                    int64_t at = (int64_t)(storage->base + rr.start + pos) +
                                 (int64_t)(sim_random(&rng) % (2 * len + 1)) - (int64_t)len;
                    at = at < 0 ? 0 : at > (int64_t)(size - len) ? (int64_t)(size - len) : at;
                    memcpy(buf, ref + at, len);
                    src = sb.image.ro + at;
                }
                // As the bindings do: a block of RAM lent only for a source in the flash.
                static uint8_t bounce_block[BS];
                uint8_t *bounce =
                    flash_region_source_in_flash(&region, src, len) ? bounce_block : NULL;
                ret = simple
                          ? flash_region_writeblocks(&region, block, src, len, bounce)
                          : flash_region_writeblocks_ext(&region, block, offset, src, len, bounce);
                if (valid) {
                    for (size_t i = 0; i < len; i++) {
                        ref_region[pos + i] = simple ? buf[i] : ref_region[pos + i] & buf[i];
                    }
                }
                break;
            default: {
                int64_t result;
                assert_true(flash_region_ioctl(&region, 6, block, &result));
                ret = (int)result;
                valid = block >= 0 && block < nblocks;
                if (valid) {
                    memset(ref_region + block * BS, 0xff, BS);
                }
            }
        }
        if (ret != (valid ? 0 : -ALIF_EINVAL)) {
            fail_msg("call %d (op %d, region %lld+%lld, block %lld, offset %lld, len %zu): got %d",
                     call, op, (long long)rr.start, (long long)rr.len, (long long)block,
                     (long long)offset, len, ret);
        }
        valid ? ok_calls++ : rejected_calls++;
    }
    assert_memory_equal(sb.image.ro, ref, size);
    assert_int_equal(sim_nor_stats(sb.model)->protocol_errors, 0);
    assert_int_equal(sim_nor_stats(sb.model)->ignored, 0);
    // Both kinds of call were exercised in earnest.
    assert_true(ok_calls > CALLS / 3);
    assert_true(rejected_calls > CALLS / 10);
    free(ref);
    sim_board_close(&sb);
}

static void test_random_calls_on_issi(void **state) {
    (void)state;
    run("ALIF_ENSEMBLE", NULL, 0x12345678);
}

static void test_random_calls_on_macronix(void **state) {
    (void)state;
    run("OPENMV_AE3", NULL, 0x9e3779b9);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_calls_on_issi),
        cmocka_unit_test(test_random_calls_on_macronix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
