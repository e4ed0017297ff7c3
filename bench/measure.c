// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "flash_services.h"
#include "measure.h"

// The register reads the driver makes around a program or erase, told apart from array traffic
// by opcode: Read Status Register 05h on every part (IS25WX Table 8.1, EMxxLX Table 21, ST's BSP
// mx25uw25645g.h), and the registers that report a failed program or erase, the flag status
// register 70h (IS25WX Table 6.4, EMxxLX Table 9) and the Macronix security register 2Bh (ST's
// BSP mx25uw25645g.h RDSCUR).
#define OP_READ_STATUS (0x05)
#define OP_READ_FLAG_STATUS (0x70)
#define OP_READ_SECURITY (0x2b)

// mpremote's deploy loop (commands.py, _do_romfs_deploy): prepares of at most 32 KiB before
// rounding, and chunks of at least 4096 bytes.
#define MPREMOTE_PREPARE_STEP (32768u)
#define MPREMOTE_CHUNK (4096u)

// The one piece of work being counted: the board, its bus's own exec, and where it started.
static struct {
    sim_board_t *sb;
    bench_work_t *w;
    int (*exec)(void *ctx, const flash_bus_op_t *op);
    uint64_t start_ns;
    uint64_t status_read_ns; // the bus time of the last status read
} tap;

static void die(const char *what, int ret) {
    fprintf(stderr, "bench: %s failed: %d\n", what, ret);
    exit(1);
}

static int tap_exec(void *ctx, const flash_bus_op_t *op) {
    bench_work_t *w = tap.w;
    const sim_nor_stats_t *stats = sim_nor_stats(tap.sb->model);
    uint64_t t0 = sim_nor_now_ns(tap.sb->model), busy0 = stats->busy_ns, ops0 = stats->busy_ops;
    int ret = tap.exec(ctx, op);
    uint64_t ns = sim_nor_now_ns(tap.sb->model) - t0, drawn = stats->busy_ns - busy0;
    if (stats->busy_ops != ops0 && drawn < tap.status_read_ns) {
        // Shorter than a status read: the read that sees it end ends that much after it.
        w->end_read_ns += tap.status_read_ns - drawn;
    }
    uint8_t opcode = (uint8_t)(op->octal_ddr ? op->cmd.opcode >> 8 : op->cmd.opcode);
    bool read = !op->data.to_flash && op->data.nbytes > 0;
    bool status = read && opcode == OP_READ_STATUS;
    bool flags = read && (opcode == OP_READ_FLAG_STATUS || opcode == OP_READ_SECURITY);
    if (status || flags) {
        w->register_read_bytes += (op->octal_ddr ? 2u : 1u) + op->addr.nbytes + op->data.nbytes;
    } else {
        w->array_bytes += op->data.nbytes;
    }
    if (status) {
        w->status_reads++;
        w->status_ns += ns;
        tap.status_read_ns = ns;
    } else {
        w->other_ns += ns;
    }
    return ret;
}

void bench_work_begin(sim_board_t *sb, bench_work_t *w) {
    *w = (bench_work_t){0};
    sim_nor_reset_stats(sb->model);
    tap.sb = sb;
    tap.w = w;
    tap.exec = sb->bus.exec;
    tap.start_ns = sim_nor_now_ns(sb->model);
    sb->bus.exec = tap_exec;
}

void bench_work_end(sim_board_t *sb, bench_work_t *w) {
    sb->bus.exec = tap.exec;
    tap.sb = NULL;
    const sim_nor_stats_t *s = sim_nor_stats(sb->model);
    w->device_ns = sim_nor_now_ns(sb->model) - tap.start_ns;
    w->busy_ns = s->busy_ns;
    w->busy_ops = s->busy_ops;
    w->erases = s->erases;
    w->programs = s->programs;
}

bench_floor_t bench_floor_for(const sim_board_t *sb) {
    return (bench_floor_t){.part = sb->part, .model = sb->model, .timing = SIM_NOR_TIMING_TYPICAL};
}

static uint8_t *copy_of(const uint8_t *src, size_t len) {
    uint8_t *copy = malloc(len);
    if (copy == NULL) {
        die("malloc", -ALIF_ENOMEM);
    }
    memcpy(copy, src, len);
    return copy;
}

static void check_holds(const uint8_t *flash, const uint8_t *data, size_t len) {
    if (memcmp(flash, data, len) != 0) {
        fprintf(stderr, "bench: the flash does not hold what was written\n");
        exit(1);
    }
}

void bench_fill(sim_board_t *sb, const flash_region_t *region, const uint8_t *data, size_t call_len,
                bench_work_t *w) {
    uint8_t *old = copy_of(flash_region_xip(region), region->len);
    bench_floor_t floor = bench_floor_for(sb);
    bench_floor_result_t reference = bench_floor_rewrite(
        &floor, region->storage->base + region->start, old, data, region->len, call_len);
    free(old);
    bench_work_begin(sb, w);
    for (size_t at = 0; at < region->len; at += call_len) {
        size_t n = region->len - at < call_len ? region->len - at : call_len;
        int ret = flash_region_writeblocks(region, at / FLASH_BLOCK_SIZE, data + at, n, NULL);
        if (ret != 0) {
            die("writeblocks", ret);
        }
    }
    bench_work_end(sb, w);
    w->floor = reference;
    check_holds(flash_region_xip(region), data, region->len);
}

uint64_t bench_poll_reference_ns(const bench_work_t *w) {
    uint64_t needed = w->status_reads < w->busy_ops ? w->status_reads : w->busy_ops;
    uint64_t each = w->status_reads ? w->status_ns / w->status_reads : 0;
    return w->busy_ns + w->other_ns + needed * each + w->end_read_ns;
}

void bench_romfs_deploy(sim_board_t *sb, const flash_region_t *segment, const uint8_t *image,
                        size_t len, uint32_t min_prepare, bench_work_t *w) {
    uint8_t *old = copy_of(flash_region_xip(segment), len);
    bench_floor_t floor = bench_floor_for(sb);
    bench_floor_result_t reference =
        bench_floor_rewrite(&floor, segment->storage->base + segment->start, old, image, len, len);
    free(old);
    bench_work_begin(sb, w);
    // rom_block_size is GET_MIN_PREPARE, or the segment's size where that is not positive.
    size_t block = min_prepare > 0 ? min_prepare : segment->len;
    int min_write = 0;
    if (block < segment->len) {
        for (size_t offset = 0; offset < len;) {
            size_t remain =
                len - offset < MPREMOTE_PREPARE_STEP ? len - offset : MPREMOTE_PREPARE_STEP;
            size_t prepare = (remain + block - 1) / block * block;
            min_write = flash_romfs_prepare(segment, (int64_t)offset, (int64_t)prepare);
            if (min_write < 0) {
                die("ROMFS prepare", min_write);
            }
            offset += prepare;
        }
    } else {
        min_write = flash_romfs_prepare(segment, 0, (int64_t)len);
        if (min_write < 0) {
            die("ROMFS prepare", min_write);
        }
    }
    size_t chunk = (size_t)min_write > MPREMOTE_CHUNK ? (size_t)min_write : MPREMOTE_CHUNK;
    uint8_t *buf = malloc(chunk);
    if (buf == NULL) {
        die("malloc", -ALIF_ENOMEM);
    }
    for (size_t offset = 0; offset < len; offset += chunk) {
        size_t n = len - offset < chunk ? len - offset : chunk;
        memcpy(buf, image + offset, n);
        memset(buf + n, 0, chunk - n);
        int ret = flash_romfs_write(segment, (int64_t)offset, buf, chunk, NULL);
        if (ret != 0) {
            die("ROMFS write", ret);
        }
    }
    free(buf);
    bench_work_end(sb, w);
    w->floor = reference;
    check_holds(flash_region_xip(segment), image, len);
}

uint64_t bench_rewrite_ns(sim_board_t *sb, uint32_t addr, uint32_t len, const uint8_t *data,
                          bool big) {
    uint64_t t0 = sim_nor_now_ns(sb->model);
    for (uint32_t at = addr; at < addr + len; at += big ? len : NOR_SECTOR_SIZE) {
        int ret = nor_flash_erase(&sb->nor, at, big ? len : NOR_SECTOR_SIZE);
        if (ret != 0) {
            die("erase", ret);
        }
    }
    int ret = nor_flash_program(&sb->nor, addr, data, len);
    if (ret != 0) {
        die("program", ret);
    }
    check_holds(sb->storage.xip_base + addr, data, len);
    return sim_nor_now_ns(sb->model) - t0;
}

int bench_xip_read(sim_ospi_t *controller, sim_nor_t *model, uint32_t addr, uint8_t *buf,
                   size_t len, size_t burst, uint64_t *ns) {
    uint64_t t0 = sim_nor_now_ns(model);
    for (size_t at = 0; at < len; at += burst) {
        size_t n = len - at < burst ? len - at : burst;
        int ret = sim_ospi_xip_read(controller, addr + (uint32_t)at, buf + at, n);
        if (ret != 0) {
            return ret;
        }
    }
    *ns = sim_nor_now_ns(model) - t0;
    return 0;
}
