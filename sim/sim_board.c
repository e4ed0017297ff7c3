// SPDX-License-Identifier: MIT
// madvise, which POSIX alone does not declare (posix_madvise's DONTNEED is a no-op in glibc).
#define _DEFAULT_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __unix__
#include <sys/mman.h>
#endif

#include "alif_errno.h"
#include "alif_flash_port.h"
#include "alif_lazy.h"
#include "flash_bring_up.h"
#include "sim_board.h"

// The longest path Linux's open() takes (PATH_MAX); a longer one must be refused, not cut.
#define IMAGE_PATH_MAX (4096)

static sim_between_steps_hook_t between_steps_hook;
static void *between_steps_hook_ctx;

void sim_board_set_between_steps_hook(sim_between_steps_hook_t hook, void *ctx) {
    between_steps_hook = hook;
    between_steps_hook_ctx = ctx;
}

// Counts the platform's between-steps calls, so that tests see where a port handles events, and
// hands each to the binding's hook, as the chip's platform hands them to the port.
static void sim_board_between_steps(void *ctx) {
    sim_board_t *sb = ctx;
    sb->between_steps++;
    if (between_steps_hook != NULL) {
        between_steps_hook(between_steps_hook_ctx, sb->between_steps);
    }
}

// The XIP window follows what the part can answer: on silicon a read of it while the part is
// busy or asleep gets nothing the part drives. On the host the window is the image mapped
// read-only, page-aligned by mmap, so it is taken away whole (PROT_NONE) and a read crashes; the
// RAM image of the M55 build has no MMU to do this with. Its page table entries are dropped
// first (the data stays in the page cache): changing the protection of a populated 64 MiB
// window on every program costs far more than the program itself, and a reader refaults only
// what it reads.
static void sim_board_xip_readable(void *ctx, bool readable) {
#ifdef __unix__
    sim_board_t *sb = ctx;
    void *window = (void *)sb->image.ro;
    if ((!readable && madvise(window, sb->image.size, MADV_DONTNEED) != 0) ||
        mprotect(window, sb->image.size, readable ? PROT_READ : PROT_NONE) != 0) {
        abort(); // a window left readable would hide the very bug this is for
    }
#else
    (void)ctx;
    (void)readable;
#endif
}

int sim_board_open(sim_board_t *sb, const sim_board_config_t *config, char *err, size_t err_len) {
    *sb = (sim_board_t){0};
    sb->board = alif_board_find(config->board);
    if (sb->board == NULL) {
        snprintf(err, err_len, "unknown board %s (ALIF_ENSEMBLE or OPENMV_AE3)", config->board);
        return -ALIF_EINVAL;
    }
    const char *part_name = config->part ? config->part : sb->board->parts[0];
    sb->part = sim_nor_part_by_name(part_name);
    if (sb->part == NULL) {
        snprintf(err, err_len, "the simulator has no flash part %s", part_name);
        return -ALIF_EINVAL;
    }
    int ret = sim_image_open(&sb->image, config->image_path, sb->part->size, err, err_len);
    if (ret != 0) {
        return ret;
    }
    sb->model = sim_nor_new(sb->part, sb->image.rw, SIM_BUS_CLOCK_HZ);
    if (sb->model == NULL) {
        sim_board_close(sb);
        snprintf(err, err_len, "out of memory");
        return -ALIF_ENOMEM;
    }
    sim_nor_set_timing(sb->model, config->timing, config->seed);
    sim_nor_on_readable(sb->model, sim_board_xip_readable, sb);
    sim_nor_bus(sb->model, &sb->part_bus);
    sb->controller = sim_ospi_new(sb->model, SIM_AXI_CLOCK_HZ);
    if (sb->controller == NULL) {
        sim_board_close(sb);
        snprintf(err, err_len, "out of memory");
        return -ALIF_ENOMEM;
    }
    // The part model starts as a part does out of reset, so the silicon's sequence follows.
    flash_bring_up_config_t bring_up = {
        .ospi =
            {
                .regs_base = sim_ospi_regs_base(sb->controller),
                .aes_base = sim_ospi_aes_base(sb->controller),
                .ser = 1,
                .axi_clock_hz = SIM_AXI_CLOCK_HZ,
                .now_ns = sb->part_bus.now_ns,
                .delay_ns = sb->part_bus.delay_ns,
                .ctx = sb->part_bus.ctx,
            },
        .sclk_hz = SIM_BUS_CLOCK_HZ,
        .storage =
            {
                .xip_base = sb->image.ro,
                .base = sb->board->storage_base,
                .len = config->storage_len ? config->storage_len : sb->board->storage_len,
                .fs_len = sb->board->fs_len,
                .between_steps = sim_board_between_steps,
                .between_steps_ctx = sb,
            },
    };
    return flash_bring_up(&bring_up, &sb->ospi, &sb->bus, &sb->nor, &sb->storage, err, err_len);
}

void sim_board_close(sim_board_t *sb) {
    sim_ospi_free(sb->controller);
    if (sb->model != NULL) {
        sim_nor_on_readable(sb->model, NULL, NULL);
        sim_nor_free(sb->model);
    }
    sim_image_close(&sb->image);
    *sb = (sim_board_t){0};
}

// Every knob's value is taken whole or refused with a message naming the variable: a value
// half understood would run a different board from the one asked for.
static int knob_error(char *err, size_t err_len, const char *name, const char *value,
                      const char *rule) {
    snprintf(err, err_len, "%s='%s': %s", name, value, rule);
    return -ALIF_EINVAL;
}

// A whole decimal number in [min, max], nothing before or after it.
static bool parse_decimal(const char *text, uint64_t min, uint64_t max, uint64_t *value) {
    uint64_t v = 0;
    if (*text == '\0') {
        return false;
    }
    for (const char *c = text; *c != '\0'; c++) {
        if (*c < '0' || *c > '9' || v > (max - (uint64_t)(*c - '0')) / 10) {
            return false;
        }
        v = v * 10 + (uint64_t)(*c - '0');
    }
    *value = v;
    return v >= min;
}

int sim_board_config_from_env(sim_board_config_t *config, char *path_buf, size_t path_len,
                              char *err, size_t err_len) {
    const char *image = getenv("ALIF_FLASH_IMAGE");
    const char *part = getenv("ALIF_SIM_FLASH");
    const char *storage_bytes = getenv("ALIF_SIM_STORAGE_BYTES");
    const char *power_cut = getenv("ALIF_SIM_POWER_CUT");
    const char *timing = getenv("ALIF_SIM_TIMING");
    const char *seed = getenv("ALIF_SIM_SEED");
    *config = (sim_board_config_t){.board = alif_board_name_from_env(), .part = part};
    if (alif_board_find(config->board) == NULL) {
        return knob_error(err, err_len, "ALIF_BOARD", config->board,
                          "not a board (ALIF_ENSEMBLE or OPENMV_AE3)");
    }
    if (part != NULL && sim_nor_part_by_name(part) == NULL) {
        return knob_error(err, err_len, "ALIF_SIM_FLASH", part, "the simulator has no such part");
    }
    uint64_t value;
    if (storage_bytes != NULL) {
        if (!parse_decimal(storage_bytes, FLASH_BLOCK_SIZE, UINT32_MAX, &value) ||
            value % FLASH_BLOCK_SIZE != 0) {
            return knob_error(err, err_len, "ALIF_SIM_STORAGE_BYTES", storage_bytes,
                              "not a decimal multiple of 4096 below 4 GiB");
        }
        config->storage_len = (uint32_t)value;
    }
    if (power_cut != NULL) {
        if (!parse_decimal(power_cut, 1, UINT_MAX, &value)) {
            return knob_error(err, err_len, "ALIF_SIM_POWER_CUT", power_cut,
                              "not a decimal count of programs and erases, 1 or more");
        }
        config->power_cut_at = (unsigned)value;
    }
    if (timing != NULL) {
        static const char *const names[] = {"drawn", "typical", "fast", "slow"};
        static const sim_nor_timing_t timings[] = {SIM_NOR_TIMING_DRAWN, SIM_NOR_TIMING_TYPICAL,
                                                   SIM_NOR_TIMING_FAST, SIM_NOR_TIMING_SLOW};
        size_t i = 0;
        while (i < 4 && strcmp(timing, names[i]) != 0) {
            i++;
        }
        if (i == 4) {
            return knob_error(err, err_len, "ALIF_SIM_TIMING", timing,
                              "not drawn, typical, fast or slow");
        }
        config->timing = timings[i];
    }
    if (seed != NULL) {
        if (!parse_decimal(seed, 0, UINT32_MAX, &value)) {
            return knob_error(err, err_len, "ALIF_SIM_SEED", seed,
                              "not a decimal number below 4294967296");
        }
        config->seed = (uint32_t)value;
    }
    int written;
    if (image != NULL) {
        if (*image == '\0') {
            return knob_error(err, err_len, "ALIF_FLASH_IMAGE", image, "empty");
        }
        written = snprintf(path_buf, path_len, "%s", image);
    } else {
        // One image per user and board, where caches belong, so that runs persist like a
        // device and boards do not overwrite each other. The XDG Base Directory Specification
        // ignores a relative XDG_CACHE_HOME; a HOME that is not absolute names no home at all
        // (empty, it would put the cache at /.cache), so it is refused, not guessed at.
        const char *cache = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        if (cache && *cache == '/') {
            written = snprintf(path_buf, path_len, "%s/alif-sim/%s.img", cache, config->board);
        } else if (home && *home == '/') {
            written =
                snprintf(path_buf, path_len, "%s/.cache/alif-sim/%s.img", home, config->board);
        } else {
            return knob_error(err, err_len, "HOME", home ? home : "",
                              "not an absolute path, nor is XDG_CACHE_HOME: set ALIF_FLASH_IMAGE "
                              "to name the flash image");
        }
    }
    if (written < 0 || (size_t)written >= path_len) {
        // Cut short, the path would name another file, perhaps someone's image.
        snprintf(err, err_len, "%s: flash image path of %d bytes is longer than %lu",
                 image != NULL ? "ALIF_FLASH_IMAGE" : "XDG_CACHE_HOME or HOME", written,
                 (unsigned long)path_len - 1);
        return -ENAMETOOLONG;
    }
    config->image_path = path_buf;
    return 0;
}

// ALIF_SIM_POWER_CUT: the part loses power as the nth program or erase starts, which the model
// leaves part done; the process then ends at once, as a board stops, with
// SIM_POWER_CUT_EXIT_STATUS and nothing flushed or cleaned up. The image keeps what the part held.
static sim_board_t *power_cut_board;
static int (*power_cut_exec)(void *ctx, const flash_bus_op_t *op);

static int exec_until_power_cut(void *ctx, const flash_bus_op_t *op) {
    int ret = power_cut_exec(ctx, op);
    if (!sim_nor_powered(power_cut_board->model)) {
        static const char said[] = "alif sim: power cut (ALIF_SIM_POWER_CUT)\n";
        if (write(STDERR_FILENO, said, sizeof(said) - 1) < 0) {
            // The board stops whether or not anyone heard.
        }
        _exit(SIM_POWER_CUT_EXIT_STATUS);
    }
    return ret;
}

void sim_board_arm_power_cut(sim_board_t *sb, unsigned nth) {
    power_cut_board = sb;
    power_cut_exec = sb->bus.exec;
    sb->bus.exec = exec_until_power_cut;
    // Each cut point cuts the same way on every run, so that a failure can be replayed.
    sim_nor_cut_power_at(sb->model, nth, nth * 2654435761u);
}

static sim_board_t current_board;
static alif_lazy_t current_lazy;
static char current_message[IMAGE_PATH_MAX + 256]; // room for the image path

// A process forked from the image's owner shares the owner's mapping: every command it sends is
// refused (EBUSY) until the image is its own (sim_image_claim), so that two processes never
// program one flash.
static int (*owner_exec)(void *ctx, const flash_bus_op_t *op);

static int exec_as_owner(void *ctx, const flash_bus_op_t *op) {
    int ret = sim_image_claim(&current_board.image, current_message, sizeof(current_message));
    return ret != 0 ? ret : owner_exec(ctx, op);
}

static int open_current_board(void) {
    sim_board_config_t config;
    static char path[IMAGE_PATH_MAX];
    int ret = sim_board_config_from_env(&config, path, sizeof(path), current_message,
                                        sizeof(current_message));
    if (ret == 0) {
        ret = sim_board_open(&current_board, &config, current_message, sizeof(current_message));
    }
    if (ret == 0) {
        owner_exec = current_board.bus.exec;
        current_board.bus.exec = exec_as_owner;
    }
    if (ret == 0 && config.power_cut_at != 0) {
        sim_board_arm_power_cut(&current_board, config.power_cut_at);
    }
    return ret;
}

sim_board_t *sim_board_current(void) {
    return current_lazy.done && current_lazy.status == 0 ? &current_board : NULL;
}

int alif_flash_storage_get(flash_storage_t **storage, const char **message) {
    int ret = alif_lazy(&current_lazy, open_current_board);
    if (ret == 0) {
        ret = sim_image_claim(&current_board.image, current_message, sizeof(current_message));
    }
    *storage = ret == 0 ? &current_board.storage : NULL;
    *message = current_message;
    return ret;
}

size_t sim_board_counters(sim_counter_t out[SIM_COUNTERS]) {
    sim_board_t *sb = sim_board_current();
    if (sb == NULL) {
        return 0;
    }
    const sim_nor_stats_t *s = sim_nor_stats(sb->model);
    unsigned long long commands = 0;
    for (int i = 0; i < 256; i++) {
        commands += s->commands[i];
    }
    sim_counter_t counters[SIM_COUNTERS] = {
        {"board", sb->board->name, 0},
        {"flash", sb->part->name, 0},
        {"jedec_id", NULL, sb->nor.jedec_id},
        {"commands", NULL, commands},
        {"bus_bytes", NULL, s->bus_bytes},
        {"programs", NULL, s->programs},
        {"erases", NULL, s->erases},
        {"ignored", NULL, s->ignored},
        {"protocol_errors", NULL, s->protocol_errors},
        {"device_ns", NULL, sim_nor_now_ns(sb->model)},
    };
    memcpy(out, counters, sizeof(counters));
    return SIM_COUNTERS;
}
