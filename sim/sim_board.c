// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "alif_flash_port.h"
#include "alif_lazy.h"
#include "flash_bring_up.h"
#include "sim_board.h"

// Counts the platform's between-steps calls, so that tests see where a port would handle events.
static void sim_board_between_steps(void *ctx) {
    ((sim_board_t *)ctx)->between_steps++;
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
    sim_nor_bus(sb->model, &sb->part_bus);
    sb->controller = sim_ospi_new(sb->model);
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
        sim_nor_free(sb->model);
    }
    sim_image_close(&sb->image);
    *sb = (sim_board_t){0};
}

void sim_board_config_from_env(sim_board_config_t *config, char *path_buf, size_t path_len) {
    const char *image = getenv("ALIF_FLASH_IMAGE");
    const char *storage_bytes = getenv("ALIF_SIM_STORAGE_BYTES");
    *config = (sim_board_config_t){
        .board = alif_board_name_from_env(),
        .part = getenv("ALIF_SIM_FLASH"),
        .storage_len = storage_bytes ? (uint32_t)strtoul(storage_bytes, NULL, 0) : 0,
    };
    if (image && *image) {
        snprintf(path_buf, path_len, "%s", image);
    } else {
        // One image per user and board, where caches belong, so that runs persist like a
        // device and boards do not overwrite each other.
        const char *cache = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        if (cache && *cache) {
            snprintf(path_buf, path_len, "%s/alif-sim/%s.img", cache, config->board);
        } else {
            snprintf(path_buf, path_len, "%s/.cache/alif-sim/%s.img", home ? home : ".",
                     config->board);
        }
    }
    config->image_path = path_buf;
}

static sim_board_t current_board;
static alif_lazy_t current_lazy;
static char current_message[256];

static int open_current_board(void) {
    sim_board_config_t config;
    static char path[4096];
    sim_board_config_from_env(&config, path, sizeof(path));
    return sim_board_open(&current_board, &config, current_message, sizeof(current_message));
}

sim_board_t *sim_board_current(void) {
    return current_lazy.done && current_lazy.status == 0 ? &current_board : NULL;
}

int alif_flash_storage_get(flash_storage_t **storage, const char **message) {
    int ret = alif_lazy(&current_lazy, open_current_board);
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
