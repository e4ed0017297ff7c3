// SPDX-License-Identifier: MIT
// The flash stack's figures on the simulated boards, every part each board may carry: device
// time against the floor the part model's own table allows for the same work (floor.h), never
// against what the driver parsed, and the same read with stock MicroPython's settings.
//
//   bench [--quick] [JSON]
// prints each figure beside its goal and its reference and writes them to JSON
// (build/bench.json); --quick does the same work on smaller spans, for the emulated Cortex-M55,
// whose simulated figures must equal the host's.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alif_errno.h"
#include "flash_services.h"
#include "measure.h"
#include "sim_random.h"
#include "stock_read.h"

#define KIB (1024u)
#define MIB (1024u * 1024u)

// Simple-form writes of 16 blocks a call: the unit the fills use.
#define FILL_CALL (16u * FLASH_BLOCK_SIZE)

// The burst an XIP read comes in on the Alif port. Stock MicroPython maps the OSPI XIP windows
// Normal Non-cacheable (ports/alif/mpu.c, MP_MPU_REGION_OSPI0_XIP with
// MP_MPU_ATTR_NORMAL_NON_CACHEABLE), so no cache line fill gathers them, and the port's memcpy
// (shared/libc/string0.c, which both stock and this module's readblocks use; built -O2 for the
// Cortex-M55 it is a loop of one 32-bit LDR a word) makes one 4-byte AXI read a word. The
// controller's continuous-transfer mode (XIP_CTRL CONT_XFER_EN, set by stock and by this driver)
// may chain sequential reads on silicon; the model charges every burst its command, address and
// dummy cycles, so these are the figures without chaining.
#define PORT_XIP_BURST (4u)
// Beside it, a 32-byte burst: the Cortex-M55's data cache line (CMSIS cachel1_armv7.h, which
// core_cm55.h includes: __SCB_DCACHE_LINE_SIZE 32), what a cacheable window would fetch at a time
// (the figure).
#define LINE_XIP_BURST (32u)

// What stock answers to GET_MIN_PREPARE for a flash segment: MICROPY_HW_FLASH_BLOCK_SIZE_BYTES,
// 4096 (ports/alif/vfs_rom_ioctl.c).
#define STOCK_MIN_PREPARE (4096u)

// The goals (issue 16).
#define GOAL_RATIO (1.02)
#define GOAL_BUS_BYTES (1.01)
#define GOAL_ERASE_8MIB (0.35)
// Not the issue's: status reads keep the bus at most a tenth of the time the part works, so that
// polling's cost in bus traffic (and the CPU that makes it) stays small beside the work, while the
// end is still seen within a 64th of the time taken. Stock polls back to back, near all of it.
#define GOAL_POLL_SHARE (0.10)

typedef struct {
    size_t fill; // 0: the board's whole filesystem region
    size_t poll, romfs, rewrite, xip;
} spans_t;

static const spans_t full_spans = {0, 1 * MIB, 8 * MIB, 8 * MIB, 1 * MIB};
static const spans_t quick_spans = {512 * KIB, 128 * KIB, 1 * MIB, 1 * MIB, 64 * KIB};

// Each board with every part it may carry (sim/boards.c), the usual one first.
typedef struct {
    const char *board, *part;
    uint32_t storage_len; // 0: the board's
} bench_case_t;

static const bench_case_t cases[] = {
    {"ALIF_ENSEMBLE", "IS25WX512", 0},
    {"OPENMV_AE3", "MX25UM25645G", 0},
    {"OPENMV_AE3", "IS25WX256", 0},
    // The EM064LX holds 8 MiB, less than the board's storage region (README).
    {"OPENMV_AE3", "EM064LX", 8 * MIB},
};
#define CASES (sizeof(cases) / sizeof(cases[0]))

// The timings polling is measured under: every operation at its typical time, at the model's
// lower bound, at the datasheet maximum, and drawn between the two.
static const sim_nor_timing_t poll_timings[] = {SIM_NOR_TIMING_TYPICAL, SIM_NOR_TIMING_FAST,
                                                SIM_NOR_TIMING_SLOW, SIM_NOR_TIMING_DRAWN};
static const char *const poll_timing_names[] = {"typical", "fast", "slow", "drawn"};
#define POLL_TIMINGS (4)

typedef struct {
    const bench_case_t *c;
    bool mram;
    size_t fill_len;
    bench_work_t blank, over, same;
    bench_work_t poll[POLL_TIMINGS];
    uint64_t rewrite_big_ns, rewrite_small_ns;
    double rewrite_floor;
    bool romfs;
    bench_work_t deploy, deploy_stock;
    uint8_t dummies, floor_dummies, stock_dummies;
    uint64_t xip_ns[2], xip_floor_ns[2], stock_ns[2]; // by burst: the port's, a cache line
    bool stock, stock_in_datasheet, stock_reads_right;
} part_result_t;

static void die(const char *what) {
    fprintf(stderr, "bench: %s\n", what);
    exit(1);
}

static uint8_t *random_bytes(size_t len, uint32_t seed) {
    uint8_t *buf = malloc(len);
    if (buf == NULL) {
        die("out of memory");
    }
    sim_random_fill(buf, len, &seed);
    return buf;
}

static double ratio(uint64_t a, uint64_t b) {
    return b ? (double)a / (double)b : 0.0;
}

static void open_board(sim_board_t *sb, const bench_case_t *c, const char *json_path) {
    char image[4096], err[256];
    snprintf(image, sizeof(image), "%s.%s.img", json_path, c->part);
    unlink(image);
    sim_board_config_t config = {.board = c->board,
                                 .part = c->part,
                                 .image_path = image,
                                 .storage_len = c->storage_len,
                                 .timing = SIM_NOR_TIMING_TYPICAL};
    if (sim_board_open(sb, &config, err, sizeof(err)) != 0) {
        die(err);
    }
    unlink(image); // needed only while mapped
}

static flash_region_t region_at(sim_board_t *sb, int64_t start, int64_t len) {
    flash_region_t r;
    char err[256];
    if (flash_region_init(&r, &sb->storage, start, len, err, sizeof(err)) != 0) {
        die(err);
    }
    return r;
}

// The fills at typical times: onto blank flash, over other data, the same data again; then
// polling under each timing, over other data.
static void measure_writes(sim_board_t *sb, const spans_t *spans, part_result_t *r) {
    flash_region_t fs =
        spans->fill ? region_at(sb, 0, (int64_t)spans->fill) : region_at(sb, -1, -1);
    r->fill_len = fs.len;
    uint8_t *first = random_bytes(fs.len, 1), *second = random_bytes(fs.len, 2);
    bench_fill(sb, &fs, first, FILL_CALL, &r->blank);
    bench_fill(sb, &fs, second, FILL_CALL, &r->over);
    bench_fill(sb, &fs, second, FILL_CALL, &r->same);
    free(first);
    free(second);
    r->poll[0] = r->over;
    flash_region_t poll = region_at(sb, 0, (int64_t)spans->poll);
    for (unsigned t = 1; t < POLL_TIMINGS; t++) {
        sim_nor_set_timing(sb->model, poll_timings[t], 7 + t);
        uint8_t *data = random_bytes(poll.len, 10 + t);
        bench_fill(sb, &poll, data, FILL_CALL, &r->poll[t]);
        free(data);
    }
    sim_nor_set_timing(sb->model, SIM_NOR_TIMING_TYPICAL, 0);
}

// A rewrite of written flash with the driver's erase units against 4 KiB ones, and the floor
// ratio the part's table allows for the two.
static void measure_rewrite(sim_board_t *sb, const spans_t *spans, part_result_t *r) {
    uint32_t len = (uint32_t)spans->rewrite;
    // Above the filesystem region where the part holds it, else from its start.
    uint32_t addr = sb->part->size >= 2 * 8 * MIB ? 8 * MIB : 0;
    uint8_t *a = random_bytes(len, 3), *b = random_bytes(len, 4);
    bench_floor_t floor = bench_floor_for(sb);
    uint64_t floor_big = bench_floor_rewrite(&floor, addr, a, b, len, len).ns;
    floor.only[0] = true; // the smallest type, 4 KiB on every part (sim_nor.h: smallest first)
    uint64_t floor_small = bench_floor_rewrite(&floor, addr, a, b, len, len).ns;
    r->rewrite_floor = ratio(floor_big, floor_small);
    // Written flash to start from, as a tool would leave it.
    memcpy(sb->image.rw + addr, a, len);
    r->rewrite_big_ns = bench_rewrite_ns(sb, addr, len, b, true);
    memcpy(sb->image.rw + addr, a, len);
    r->rewrite_small_ns = bench_rewrite_ns(sb, addr, len, b, false);
    free(a);
    free(b);
}

// mpremote's deploy of an image over an earlier one, with the driver's GET_MIN_PREPARE and with
// stock's.
static void measure_romfs(sim_board_t *sb, const spans_t *spans, part_result_t *r) {
    flash_region_t segment;
    r->romfs =
        flash_romfs_init(&segment, &sb->storage, sb->board->romfs_base, sb->board->romfs_len) == 0;
    if (!r->romfs) {
        return; // no segment fits in this part
    }
    uint8_t *earlier = random_bytes(spans->romfs, 5), *image = random_bytes(spans->romfs, 6);
    uint8_t *at = sb->image.rw + sb->storage.base + segment.start;
    memcpy(at, earlier, spans->romfs);
    bench_romfs_deploy(sb, &segment, image, spans->romfs, flash_romfs_min_prepare(&segment),
                       &r->deploy);
    memcpy(at, earlier, spans->romfs);
    bench_romfs_deploy(sb, &segment, image, spans->romfs, STOCK_MIN_PREPARE, &r->deploy_stock);
    free(earlier);
    free(image);
}

// XIP reads in the port's burst and in cache lines: the driver's set-up, the floor, and stock's
// set-up on a part of its own holding the same bytes.
static void measure_reads(sim_board_t *sb, const spans_t *spans, part_result_t *r) {
    static const size_t bursts[2] = {PORT_XIP_BURST, LINE_XIP_BURST};
    size_t len = spans->xip;
    uint8_t *buf = malloc(len);
    const uint8_t *content = sb->storage.xip_base + sb->storage.base;
    bench_floor_t floor = bench_floor_for(sb);
    bench_stock_t stock;
    r->dummies = sb->nor.read_dummy_cycles;
    r->floor_dummies = bench_floor_read_dummies(&floor);
    r->stock = bench_stock_open(&stock, sb->part, SIM_BUS_CLOCK_HZ, content, len) == 0;
    r->stock_reads_right = r->stock;
    if (r->stock) {
        r->stock_dummies = stock.read_dummy_cycles;
        r->stock_in_datasheet =
            sim_nor_read_max_hz(sb->part, stock.read_dummy_cycles, false) >= SIM_BUS_CLOCK_HZ;
    }
    for (int i = 0; i < 2 && buf != NULL; i++) {
        if (bench_xip_read(sb->controller, sb->model, sb->storage.base, buf, len, bursts[i],
                           &r->xip_ns[i]) != 0 ||
            memcmp(buf, content, len) != 0) {
            die("the XIP window does not read what the flash holds");
        }
        r->xip_floor_ns[i] = bench_floor_read_ns(&floor, len, bursts[i]);
        if (r->stock) {
            if (bench_xip_read(stock.controller, stock.model, 0, buf, len, bursts[i],
                               &r->stock_ns[i]) != 0) {
                die("stock's XIP set-up does not run");
            }
            r->stock_reads_right = r->stock_reads_right && memcmp(buf, content, len) == 0;
        }
    }
    if (buf == NULL) {
        die("out of memory");
    }
    if (r->stock) {
        bench_stock_close(&stock);
    }
    free(buf);
}

static void measure_part(const bench_case_t *c, const spans_t *spans, const char *json_path,
                         part_result_t *r) {
    sim_board_t sb;
    open_board(&sb, c, json_path);
    *r = (part_result_t){.c = c, .mram = sb.part->mram};
    measure_writes(&sb, spans, r);
    measure_rewrite(&sb, spans, r);
    measure_romfs(&sb, spans, r);
    measure_reads(&sb, spans, r);
    sim_board_close(&sb);
}

// The figures of one part.
typedef struct {
    double write_time, bus_bytes;
    bool blank_worse; // the fill onto blank flash gave write_time, not the one over other data
    double poll[POLL_TIMINGS], reads_per_op[POLL_TIMINGS], poll_bytes[POLL_TIMINGS];
    double poll_share[POLL_TIMINGS];
    double blank_share; // the same share in the fill onto blank flash: programs alone
    double rewrite;
    double romfs, romfs_stock;
    double xip, xip_line, vs_stock, vs_stock_line;
} figures_t;

static figures_t figures_of(const part_result_t *r) {
    figures_t f = {0};
    double blank = ratio(r->blank.device_ns, r->blank.floor.ns);
    double over = ratio(r->over.device_ns, r->over.floor.ns);
    f.write_time = blank > over ? blank : over;
    f.blank_worse = blank > over;
    double blank_bytes = ratio(r->blank.array_bytes, r->blank.floor.data_bytes);
    double over_bytes = ratio(r->over.array_bytes, r->over.floor.data_bytes);
    f.bus_bytes = blank_bytes > over_bytes ? blank_bytes : over_bytes;
    for (unsigned t = 0; t < POLL_TIMINGS; t++) {
        const bench_work_t *w = &r->poll[t];
        f.poll[t] = ratio(w->device_ns, bench_poll_reference_ns(w));
        f.reads_per_op[t] = ratio(w->status_reads, w->busy_ops);
        f.poll_bytes[t] = ratio(w->register_read_bytes, w->floor.data_bytes);
        f.poll_share[t] = ratio(w->status_ns, w->device_ns);
    }
    f.blank_share = ratio(r->blank.status_ns, r->blank.device_ns);
    f.rewrite = ratio(r->rewrite_big_ns, r->rewrite_small_ns);
    if (r->romfs) {
        f.romfs = ratio(r->deploy.device_ns, r->deploy.floor.ns);
        f.romfs_stock = ratio(r->deploy_stock.device_ns, r->deploy_stock.floor.ns);
    }
    f.xip = ratio(r->xip_ns[0], r->xip_floor_ns[0]);
    f.xip_line = ratio(r->xip_ns[1], r->xip_floor_ns[1]);
    f.vs_stock = ratio(r->stock_ns[0], r->xip_ns[0]);
    f.vs_stock_line = ratio(r->stock_ns[1], r->xip_ns[1]);
    return f;
}

static const char *fill_name(bool blank) {
    return blank ? "fill onto blank flash" : "fill over other data";
}

static double fmax_of(double a, double b) {
    return a > b ? a : b;
}

static unsigned worst_of(const double *v, unsigned n) {
    unsigned w = 0;
    for (unsigned i = 1; i < n; i++) {
        w = v[i] > v[w] ? i : w;
    }
    return w;
}

static void print_parts(const part_result_t *results, const figures_t *figs, const spans_t *spans) {
    printf("Every board's parts, device time in the model's virtual clock, at %u MHz 8D-8D-8D; "
           "floors from the part model's own table at typical times\n",
           (unsigned)(SIM_BUS_CLOCK_HZ / 1000000));
    printf("\nsimple-form fill, %u KiB calls          device       floor   ratio  erases  floor "
           "erases  array B/floor B  reads/op  bus share\n",
           FILL_CALL / KIB);
    for (size_t i = 0; i < CASES; i++) {
        const part_result_t *r = &results[i];
        const bench_work_t *w[3] = {&r->blank, &r->over, &r->same};
        const char *what[3] = {"onto blank", "over other data", "same data again"};
        for (int k = 0; k < 3; k++) {
            printf("%-13s %5u KiB %-15s %9.3f s %9.3f s %7.4f %7llu %12llu %16.4f %9.1f %10.4f\n",
                   r->c->part, (unsigned)(r->fill_len / KIB), what[k], w[k]->device_ns / 1e9,
                   w[k]->floor.ns / 1e9, ratio(w[k]->device_ns, w[k]->floor.ns),
                   (unsigned long long)w[k]->erases, (unsigned long long)w[k]->floor.erases,
                   ratio(w[k]->array_bytes, w[k]->floor.data_bytes),
                   ratio(w[k]->status_reads, w[k]->busy_ops),
                   ratio(w[k]->status_ns, w[k]->device_ns));
        }
    }
    printf("\npolling, a fill over other data (%u KiB; typical: the fill above): device time over\n"
           "the drawn durations plus the bus time the commands need\n"
           "part          timing       device  reference   ratio  reads/op  read B/B  bus share\n",
           (unsigned)(spans->poll / KIB));
    for (size_t i = 0; i < CASES; i++) {
        for (unsigned t = 0; t < POLL_TIMINGS; t++) {
            const bench_work_t *w = &results[i].poll[t];
            printf("%-13s %-8s %8.3f s %8.3f s %7.4f %9.1f %9.4f %10.4f\n", results[i].c->part,
                   poll_timing_names[t], w->device_ns / 1e9, bench_poll_reference_ns(w) / 1e9,
                   figs[i].poll[t], figs[i].reads_per_op[t], figs[i].poll_bytes[t],
                   figs[i].poll_share[t]);
        }
    }
    printf("\nrewrite of %u MiB of written flash, the driver's erase units against 4 KiB ones\n",
           (unsigned)(spans->rewrite / MIB));
    for (size_t i = 0; i < CASES; i++) {
        const part_result_t *r = &results[i];
        printf("%-13s big units %8.3f s, 4 KiB units %8.3f s, ratio %.4f (floor %.4f)\n",
               r->c->part, r->rewrite_big_ns / 1e9, r->rewrite_small_ns / 1e9, figs[i].rewrite,
               r->rewrite_floor);
    }
    printf("\nmpremote romfs deploy of %u MiB over an earlier image          device       floor   "
           "ratio  erases  floor erases\n",
           (unsigned)(spans->romfs / MIB));
    for (size_t i = 0; i < CASES; i++) {
        const part_result_t *r = &results[i];
        if (!r->romfs) {
            printf("%-13s no ROMFS segment of the board fits in this part\n", r->c->part);
            continue;
        }
        const bench_work_t *w[2] = {&r->deploy, &r->deploy_stock};
        const char *what[2] = {"the driver's", "stock's 4096"};
        for (int k = 0; k < 2; k++) {
            printf("%-13s GET_MIN_PREPARE %-20s %9.3f s %9.3f s %7.4f %7llu %13llu\n", r->c->part,
                   what[k], w[k]->device_ns / 1e9, w[k]->floor.ns / 1e9,
                   ratio(w[k]->device_ns, w[k]->floor.ns), (unsigned long long)w[k]->erases,
                   (unsigned long long)w[k]->floor.erases);
        }
    }
    printf("\nXIP read of %u KiB      dummy cycles  %u-byte bursts (the port's)           %u-byte "
           "bursts (a cache line)\n"
           "part          driver floor stock    driver     floor     stock stock/ours    driver   "
           "  floor     stock stock/ours\n",
           (unsigned)(spans->xip / KIB), PORT_XIP_BURST, LINE_XIP_BURST);
    for (size_t i = 0; i < CASES; i++) {
        const part_result_t *r = &results[i];
        printf("%-13s %6u %5u %5u %6.2f ms %6.2f ms %6.2f ms %10.4f %6.2f ms %6.2f ms %6.2f ms "
               "%10.4f%s\n",
               r->c->part, r->dummies, r->floor_dummies, r->stock_dummies, r->xip_ns[0] / 1e6,
               r->xip_floor_ns[0] / 1e6, r->stock_ns[0] / 1e6, figs[i].vs_stock, r->xip_ns[1] / 1e6,
               r->xip_floor_ns[1] / 1e6, r->stock_ns[1] / 1e6, figs[i].vs_stock_line,
               !r->stock_in_datasheet ? "  stock's cycles are below the part's table here"
               : r->stock_reads_right ? ""
                                      : "  stock's set-up reads wrong data");
    }
}

// One figure: its value, its goal, whether it meets it, and what it was measured against.
typedef struct {
    const char *name;
    double value;
    const char *format;
    const char *goal; // NULL: none set
    bool ok;
    char reference[200];
} figure_t;

#define FIGURES (14)

// Appends a figure; the rest of the arguments are printf's, for its reference.
static void add(figure_t *f, size_t *n, const char *name, double value, const char *format,
                const char *goal, bool ok, const char *reference, ...) {
    figure_t *fig = &f[(*n)++];
    *fig = (figure_t){.name = name, .value = value, .format = format, .goal = goal, .ok = ok};
    va_list args;
    va_start(args, reference);
    vsnprintf(fig->reference, sizeof(fig->reference), reference, args);
    va_end(args);
}

static void print_figures(const figure_t *f, size_t n) {
    printf("\n%-24s %9s  %-9s %-7s %s\n", "figure", "value", "goal", "status", "reference");
    for (size_t i = 0; i < n; i++) {
        char value[32];
        snprintf(value, sizeof(value), f[i].format, f[i].value);
        printf("%-24s %9s  %-9s %-7s %s\n", f[i].name, value, f[i].goal ? f[i].goal : "-",
               f[i].goal ? (f[i].ok ? "meets" : "MISSES") : "-", f[i].reference);
    }
}

static int write_json(const char *path, const figure_t *f, size_t n, const part_result_t *results,
                      const figures_t *figs) {
    FILE *json = fopen(path, "w");
    if (json == NULL) {
        fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(json, "{\n");
    for (size_t i = 0; i < n; i++) {
        char value[32];
        snprintf(value, sizeof(value), f[i].format, f[i].value);
        fprintf(json, "  \"%s\": %s,\n", f[i].name, value);
    }
    fprintf(json, "  \"parts\": {\n");
    for (size_t i = 0; i < CASES; i++) {
        const figures_t *g = &figs[i];
        char romfs[16] = "null"; // no segment fits in the part
        if (results[i].romfs) {
            snprintf(romfs, sizeof(romfs), "%.4f", g->romfs);
        }
        fprintf(json,
                "    \"%s\": {\"board\": \"%s\", \"write_time_ratio\": %.4f, "
                "\"bus_bytes_per_byte\": %.4f, \"poll_latency_ratio\": %.4f, "
                "\"erase_8mib_ratio\": %.4f, \"erase_8mib_floor\": %.4f, "
                "\"romfs_deploy_ratio\": %s, \"xip_read_ratio\": %.4f, "
                "\"read_vs_stock\": %.4f}%s\n",
                results[i].c->part, results[i].c->board, g->write_time, g->bus_bytes,
                g->poll[worst_of(g->poll, POLL_TIMINGS)], g->rewrite, results[i].rewrite_floor,
                romfs, g->xip, g->vs_stock, i + 1 < CASES ? "," : "");
    }
    fprintf(json, "  }\n}\n");
    fclose(json);
    return 0;
}

int main(int argc, char **argv) {
    const spans_t *spans = &full_spans;
    int arg = 1;
    if (arg < argc && strcmp(argv[arg], "--quick") == 0) {
        spans = &quick_spans;
        arg++;
    }
    const char *json_path = arg < argc ? argv[arg] : "build/bench.json";
    static part_result_t results[CASES];
    figures_t figs[CASES];
    for (size_t i = 0; i < CASES; i++) {
        measure_part(&cases[i], spans, json_path, &results[i]);
        figs[i] = figures_of(&results[i]);
    }
    print_parts(results, figs, spans);

    // The worst part of each figure. Write time and array traffic are figures of NOR flash: the
    // MRAM needs no erase and takes a write of any length, which the driver's NOR semantics do
    // not use, so it is shown apart. Where a part has no ROMFS segment or stock has no settings
    // for it, it has no say in those figures.
    size_t nor = 0, mram = 0, poll = 0, share = 0, rewrite = 0, romfs = 0, xip = 0, stock = CASES;
    unsigned poll_t = 0;
    double poll_share = 0;
    const char *share_what = "";
    unsigned long long same_erases = 0;
    double bus_bytes = 0, reads_per_op = 0, poll_bytes = 0;
    for (size_t i = 0; i < CASES; i++) {
        const part_result_t *r = &results[i];
        const figures_t *g = &figs[i];
        same_erases += r->same.erases;
        unsigned t = worst_of(g->poll, POLL_TIMINGS);
        if (g->poll[t] > figs[poll].poll[poll_t]) {
            poll = i;
            poll_t = t;
        }
        reads_per_op =
            fmax_of(reads_per_op, g->reads_per_op[worst_of(g->reads_per_op, POLL_TIMINGS)]);
        poll_bytes = fmax_of(poll_bytes, g->poll_bytes[worst_of(g->poll_bytes, POLL_TIMINGS)]);
        xip = g->xip > figs[xip].xip ? i : xip;
        if (r->stock && r->stock_in_datasheet &&
            (stock == CASES || g->vs_stock < figs[stock].vs_stock)) {
            stock = i;
        }
        if (r->romfs && g->romfs > figs[romfs].romfs) {
            romfs = i;
        }
        if (r->mram) {
            mram = i;
            continue;
        }
        nor = g->write_time > figs[nor].write_time ? i : nor;
        bus_bytes = fmax_of(bus_bytes, g->bus_bytes);
        unsigned s = worst_of(g->poll_share, POLL_TIMINGS);
        double this_share = fmax_of(g->poll_share[s], g->blank_share);
        if (this_share > poll_share) {
            poll_share = this_share;
            share = i;
            share_what = g->blank_share > g->poll_share[s] ? "the fill onto blank flash"
                                                           : poll_timing_names[s];
        }
        rewrite = g->rewrite > figs[rewrite].rewrite ? i : rewrite;
    }
    figure_t f[FIGURES];
    size_t n = 0;
    const part_result_t *r = &results[nor];
    const bench_work_t *w = figs[nor].blank_worse ? &r->blank : &r->over;
    add(f, &n, "write_time_ratio", figs[nor].write_time, "%.4f", "<= 1.02",
        figs[nor].write_time <= GOAL_RATIO,
        "%.3f s over the model's floor %.3f s, %s, %s (worst NOR part)", w->device_ns / 1e9,
        w->floor.ns / 1e9, r->c->part, fill_name(figs[nor].blank_worse));
    add(f, &n, "write_time_ratio_mram", figs[mram].write_time, "%.4f", NULL, true,
        "%s, %s: the floor writes a call's changed bytes in one command; the driver writes "
        "each changed page in its own",
        results[mram].c->part, fill_name(figs[mram].blank_worse));
    add(f, &n, "rewrite_erases", (double)same_erases, "%.0f", "0", same_erases == 0,
        "erases for data the flash already holds, every part");
    add(f, &n, "bus_bytes_per_byte", bus_bytes, "%.4f", "<= 1.01", bus_bytes <= GOAL_BUS_BYTES,
        "data-phase bytes of array commands (status and flag reads apart) over the bytes "
        "the floor programs, worst NOR part");
    add(f, &n, "bus_bytes_per_byte_mram", figs[mram].bus_bytes, "%.4f", NULL, true,
        "the same on the %s", results[mram].c->part);
    add(f, &n, "poll_latency_ratio", figs[poll].poll[poll_t], "%.4f", "<= 1.02",
        figs[poll].poll[poll_t] <= GOAL_RATIO,
        "over the drawn durations plus the commands' bus time, %s at %s times (worst of "
        "every part and timing)",
        results[poll].c->part, poll_timing_names[poll_t]);
    add(f, &n, "poll_reads_per_op", reads_per_op, "%.1f", NULL, true,
        "status reads per program or erase, worst part and timing");
    add(f, &n, "poll_bytes_per_byte", poll_bytes, "%.4f", NULL, true,
        "status and flag read bytes (every phase) per byte programmed, worst part and "
        "timing");
    add(f, &n, "poll_bus_share", poll_share, "%.4f", "<= 0.10", poll_share <= GOAL_POLL_SHARE,
        "status reads' bus time over the device time, %s, %s (worst NOR part and fill)",
        results[share].c->part, share_what);
    const part_result_t *e = &results[rewrite];
    add(f, &n, "erase_8mib_ratio", figs[rewrite].rewrite, "%.4f", "<= 0.35",
        figs[rewrite].rewrite <= GOAL_ERASE_8MIB ||
            figs[rewrite].rewrite <= e->rewrite_floor * GOAL_RATIO,
        "or within 2%% of the floor the part's table allows, %.4f (%s, worst NOR part)",
        e->rewrite_floor, e->c->part);
    add(f, &n, "erase_8mib_floor", e->rewrite_floor, "%.4f", NULL, true,
        "the model's best erase units over 4 KiB ones, with the same page programs, %s",
        e->c->part);
    add(f, &n, "romfs_deploy_ratio", figs[romfs].romfs, "%.4f", "<= 1.02",
        figs[romfs].romfs <= GOAL_RATIO,
        "over the floor with the part's best erase units, %s; with stock's GET_MIN_PREPARE "
        "%.4f",
        results[romfs].c->part, figs[romfs].romfs_stock);
    add(f, &n, "xip_read_ratio", figs[xip].xip, "%.4f", "<= 1.02", figs[xip].xip <= GOAL_RATIO,
        "over the part's fewest dummy cycles at the clock, %u-byte bursts, %s (%.4f in "
        "%u-byte ones)",
        PORT_XIP_BURST, results[xip].c->part, figs[xip].xip_line, LINE_XIP_BURST);
    if (stock == CASES) {
        die("stock has settings for none of the parts");
    }
    add(f, &n, "read_vs_stock", figs[stock].vs_stock, "%.4f", ">= 1.00",
        figs[stock].vs_stock >= 1.0,
        "stock's read time over the driver's, %s, worst part where stock's dummy cycles are "
        "within the part's table",
        results[stock].c->part);
    print_figures(f, n);
    int ret = write_json(json_path, f, n, results, figs);
    printf("written to %s\n", json_path);
    return ret;
}
