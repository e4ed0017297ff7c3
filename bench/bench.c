// SPDX-License-Identifier: MIT
// The flash stack's figures on the simulated board, each a ratio against a reference measured
// in the same run: device time against the datasheet minimum for the same work, bus traffic
// against the user's bytes, readblocks against a plain memcpy from the XIP window.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alif_errno.h"
#include "sim_board.h"
#include "sim_random.h"

#define BS FLASH_BLOCK_SIZE
#define BLOCKS_PER_CALL 16

typedef struct {
    const char *name;
    uint64_t device_ns;
    uint64_t minimum_ns;
    uint64_t erases;
    uint64_t bus_bytes;
    uint64_t data_bytes;
    uint64_t user_bytes;
} fill_result_t;

// The bus time of one 8D-8D-8D command with a 4-byte address and `data` bytes, at the model's
// clock: what the datasheet minimum has to pay to move the work at all.
static uint64_t command_bus_ns(const sim_board_t *sb, size_t data) {
    flash_bus_op_t op = flash_op_8d(0, 0);
    flash_op_addr(&op, 4, 0);
    flash_op_data_out(&op, NULL, data);
    return sim_nor_op_bus_ns(sb->model, &op);
}

// The least time any driver could take to turn `old` into `new`: an erase at typical time for
// each block that needs one, a page program at typical time for each page that must change,
// and the bus time of those commands alone.
static uint64_t datasheet_minimum_ns(const sim_board_t *sb, const uint8_t *old, const uint8_t *new,
                                     size_t len) {
    const sfdp_params_t *part = &sb->nor.params;
    uint64_t sector_erase_typ_us = part->erase[0].typ_us;
    uint64_t ns = 0;
    uint8_t blank[NOR_PAGE_SIZE];
    memset(blank, 0xff, sizeof(blank));
    for (size_t block = 0; block < len; block += BS) {
        bool erase = false;
        for (size_t i = block; i < block + BS && !erase; i++) {
            erase = (old[i] & new[i]) != new[i];
        }
        if (erase) {
            ns += sector_erase_typ_us * 1000ull + command_bus_ns(sb, 0);
        }
        for (size_t page = block; page < block + BS; page += NOR_PAGE_SIZE) {
            const uint8_t *before = erase ? blank : old + page;
            if (memcmp(before, new + page, NOR_PAGE_SIZE) != 0) {
                ns += part->page_program_typ_us * 1000ull + command_bus_ns(sb, NOR_PAGE_SIZE);
            }
        }
    }
    return ns;
}

static fill_result_t fill(sim_board_t *sb, const flash_region_t *fs, const char *name,
                          const uint8_t *data) {
    static uint8_t *old;
    old = realloc(old, fs->len);
    memcpy(old, flash_region_xip(fs), fs->len);
    fill_result_t r = {.name = name, .user_bytes = fs->len};
    r.minimum_ns = datasheet_minimum_ns(sb, old, data, fs->len);
    sim_nor_reset_stats(sb->model);
    uint64_t t0 = sim_nor_now_ns(sb->model);
    for (uint32_t block = 0; block < fs->len / BS; block += BLOCKS_PER_CALL) {
        int ret = flash_region_writeblocks(fs, block, data + (size_t)block * BS,
                                           BLOCKS_PER_CALL * BS, NULL);
        if (ret != 0) {
            fprintf(stderr, "bench: writeblocks(%u) failed: %d\n", (unsigned)block, ret);
            exit(1);
        }
    }
    const sim_nor_stats_t *s = sim_nor_stats(sb->model);
    r.device_ns = sim_nor_now_ns(sb->model) - t0;
    r.erases = s->erases;
    r.bus_bytes = s->bus_bytes;
    r.data_bytes = s->data_bytes;
    if (memcmp(flash_region_xip(fs), data, fs->len) != 0) {
        fprintf(stderr, "bench: the region does not hold what was written\n");
        exit(1);
    }
    return r;
}

static double seconds_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Best of several rounds, interleaved, so that both sides see the same machine state.
static double read_vs_memcpy(const flash_region_t *fs, uint8_t *dest) {
    double best_read = 1e9, best_memcpy = 1e9;
    for (int round = 0; round < 7; round++) {
        double t0 = seconds_now();
        if (flash_region_readblocks(fs, 0, dest, fs->len) != 0) {
            exit(1);
        }
        double t1 = seconds_now();
        memcpy(dest, flash_region_xip(fs), fs->len);
        double t2 = seconds_now();
        best_read = t1 - t0 < best_read ? t1 - t0 : best_read;
        best_memcpy = t2 - t1 < best_memcpy ? t2 - t1 : best_memcpy;
    }
    return best_memcpy / best_read; // throughput of readblocks over that of memcpy
}

static void print_fill(const fill_result_t *r) {
    if (r->minimum_ns == 0) {
        printf("%-34s %9.3f s %9.3f s %7s %7llu %8s %8s\n", r->name, r->device_ns / 1e9, 0.0, "-",
               (unsigned long long)r->erases, "-", "-");
        return;
    }
    printf("%-34s %9.3f s %9.3f s %7.4f %7llu %8.4f %8.4f\n", r->name, r->device_ns / 1e9,
           r->minimum_ns / 1e9, (double)r->device_ns / r->minimum_ns, (unsigned long long)r->erases,
           (double)r->data_bytes / r->user_bytes, (double)r->bus_bytes / r->user_bytes);
}

// Device time to make `len` bytes of written flash at addr hold new data: erased with
// nor_flash_erase's units (big) or 4 KiB at a time (the stock port's way), then programmed.
static uint64_t rewrite_ns(sim_board_t *sb, uint32_t addr, uint32_t len, const uint8_t *data,
                           bool big) {
    uint64_t t0 = sim_nor_now_ns(sb->model);
    for (uint32_t at = addr; at < addr + len; at += big ? len : NOR_SECTOR_SIZE) {
        if (nor_flash_erase(&sb->nor, at, big ? len : NOR_SECTOR_SIZE) != 0) {
            exit(1);
        }
    }
    if (nor_flash_program(&sb->nor, addr, data, len) != 0) {
        exit(1);
    }
    return sim_nor_now_ns(sb->model) - t0;
}

// The ratio of the two over 8 MiB on one part, and the floor its SFDP typical times allow.
static double erase_8mib_ratio(const char *board, const char *part, double *floor) {
    const uint32_t len = 8u << 20, addr = 8u << 20;
    char image[4096], err[256];
    snprintf(image, sizeof(image), "build/bench-erase-%s.img", part);
    unlink(image);
    sim_board_t sb;
    sim_board_config_t config = {.board = board, .part = part, .image_path = image};
    if (sim_board_open(&sb, &config, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    unlink(image);
    uint8_t *a = malloc(len), *b = malloc(len);
    sim_random_fill(a, len, &(uint32_t){3});
    sim_random_fill(b, len, &(uint32_t){4});
    rewrite_ns(&sb, addr, len, a, true); // written flash to start from
    uint64_t big = rewrite_ns(&sb, addr, len, b, true);
    rewrite_ns(&sb, addr, len, a, true);
    uint64_t small = rewrite_ns(&sb, addr, len, b, false);
    // The floor: the largest erase type's typical time for each of its units, against 4 KiB
    // units at theirs, with the same page programs on both sides.
    const sfdp_params_t *p = &sb.nor.params;
    unsigned largest = 0;
    for (unsigned i = 0; i < SFDP_ERASE_TYPES; i++) {
        largest = p->erase[i].size_shift > p->erase[largest].size_shift ? i : largest;
    }
    double program = (double)(len / NOR_PAGE_SIZE) * p->page_program_typ_us;
    *floor = ((len >> p->erase[largest].size_shift) * (double)p->erase[largest].typ_us + program) /
             ((len / NOR_SECTOR_SIZE) * (double)p->erase[0].typ_us + program);
    printf(
        "8 MiB rewrite on %-13s big units %8.3f s, 4 KiB units %8.3f s, ratio %.4f (floor %.4f)\n",
        part, big / 1e9, small / 1e9, (double)big / small, *floor);
    sim_board_close(&sb);
    free(a);
    free(b);
    return (double)big / small;
}

int main(int argc, char **argv) {
    const char *json_path = argc > 1 ? argv[1] : "build/bench.json";
    char image[4096];
    snprintf(image, sizeof(image), "%s.img", json_path);
    unlink(image);
    sim_board_t sb;
    char err[256];
    sim_board_config_t config = {.board = "ALIF_ENSEMBLE", .image_path = image};
    if (sim_board_open(&sb, &config, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    unlink(image);
    flash_region_t fs;
    flash_region_init(&fs, &sb.storage, -1, -1, err, sizeof(err));
    uint8_t *first = malloc(fs.len), *second = malloc(fs.len), *dest = malloc(fs.len);
    sim_random_fill(first, fs.len, &(uint32_t){1});
    sim_random_fill(second, fs.len, &(uint32_t){2});

    printf("flash %s on %s, filesystem region %u MiB, bus %u MHz 8D-8D-8D\n", sb.nor.part->name,
           sb.board->name, (unsigned)(fs.len >> 20), (unsigned)(SIM_BUS_CLOCK_HZ / 1000000));
    printf("%-34s %11s %11s %7s %7s %8s %8s\n", "simple-form fill of the region", "device",
           "minimum", "ratio", "erases", "data/B", "all/B");
    fill_result_t blank = fill(&sb, &fs, "onto blank flash", first);
    fill_result_t over = fill(&sb, &fs, "over other data (erase + program)", second);
    fill_result_t same = fill(&sb, &fs, "the same data again", second);
    print_fill(&blank);
    print_fill(&over);
    print_fill(&same);

    double read_ratio = read_vs_memcpy(&fs, dest);
    printf("readblocks throughput / memcpy from the XIP view: %.3f\n", read_ratio);

    // The worse of the boards' flash parts.
    double floor_issi, floor_mx;
    double ratio_issi = erase_8mib_ratio("ALIF_ENSEMBLE", "IS25WX512", &floor_issi);
    double ratio_mx = erase_8mib_ratio("OPENMV_AE3", "MX25UM25645G", &floor_mx);
    bool mx_worse = ratio_mx > ratio_issi;
    double erase_ratio = mx_worse ? ratio_mx : ratio_issi;
    double erase_floor = mx_worse ? floor_mx : floor_issi;

    // The goals' figures: the worse of the two fills that do work, and traffic in data phases
    // (the bytes the bus carries; command and address framing is in the device time).
    double blank_ratio = (double)blank.device_ns / blank.minimum_ns;
    double over_ratio = (double)over.device_ns / over.minimum_ns;
    double write_time_ratio = blank_ratio > over_ratio ? blank_ratio : over_ratio;
    double bus_blank = (double)blank.data_bytes / blank.user_bytes;
    double bus_over = (double)over.data_bytes / over.user_bytes;
    double bus_bytes_per_byte = bus_blank > bus_over ? bus_blank : bus_over;

    FILE *json = fopen(json_path, "w");
    if (json == NULL) {
        fprintf(stderr, "bench: cannot write %s: %s\n", json_path, strerror(errno));
        return 1;
    }
    fprintf(json,
            "{\n  \"write_time_ratio\": %.4f,\n  \"rewrite_erases\": %llu,\n"
            "  \"bus_bytes_per_byte\": %.4f,\n  \"read_vs_memcpy\": %.3f,\n"
            "  \"erase_8mib_ratio\": %.4f,\n  \"erase_8mib_floor\": %.4f\n}\n",
            write_time_ratio, (unsigned long long)same.erases, bus_bytes_per_byte, read_ratio,
            erase_ratio, erase_floor);
    fclose(json);
    printf("\nwrite_time_ratio   %.4f (goal <= 1.02)\nrewrite_erases     %llu (goal 0)\n"
           "bus_bytes_per_byte %.4f (goal <= 1.01)\nread_vs_memcpy     %.3f (goal >= 0.9)\n"
           "erase_8mib_ratio   %.4f (goal <= 0.35, or the floor the part's times allow: %.4f)\n"
           "written to %s\n",
           write_time_ratio, (unsigned long long)same.erases, bus_bytes_per_byte, read_ratio,
           erase_ratio, erase_floor, json_path);
    sim_board_close(&sb);
    free(first);
    free(second);
    free(dest);
    return 0;
}
