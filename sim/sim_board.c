// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "alif_flash_port.h"
#include "sim_board.h"

static const char *usual_part_for_board(const char *board_name) {
    return strcmp(board_name, "OPENMV_AE3") == 0 ? "MX25UM25645G" : "IS25WX512";
}

int sim_board_open(sim_board_t *sb, const sim_board_config_t *config, char *err, size_t err_len) {
    *sb = (sim_board_t){0};
    sb->board = alif_board_find(config->board);
    if (sb->board == NULL) {
        snprintf(err, err_len, "unknown board %s (ALIF_ENSEMBLE or OPENMV_AE3)", config->board);
        return -ALIF_EINVAL;
    }
    const char *part_name = config->part ? config->part : usual_part_for_board(config->board);
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
    ospi_bus_config_t ospi_config = {
        .regs_base = sim_ospi_regs_base(sb->controller),
        .aes_base = sim_ospi_aes_base(sb->controller),
        .ser = 1,
        .axi_clock_hz = SIM_AXI_CLOCK_HZ,
        .sclk_hz = SIM_BUS_CLOCK_HZ,
        .now_ns = sb->part_bus.now_ns,
        .delay_ns = sb->part_bus.delay_ns,
        .ctx = sb->part_bus.ctx,
    };
    ospi_bus_init(&sb->ospi, &ospi_config, &sb->bus);
    sb->storage = (flash_storage_t){
        .nor = &sb->nor,
        .xip_base = sb->image.ro,
        .base = sb->board->storage_base,
        .len = config->storage_len ? config->storage_len : sb->board->storage_len,
        .fs_len = sb->board->fs_len,
    };
    ret = nor_flash_init(&sb->nor, &sb->bus);
    if (ret == -ALIF_ENODEV) {
        uint32_t id = sb->nor.jedec_id;
        snprintf(err, err_len, "flash part not recognised: JEDEC ID %02x %02x %02x",
                 (unsigned)(id >> 16) & 0xff, (unsigned)(id >> 8) & 0xff, (unsigned)id & 0xff);
        return ret;
    } else if (ret != 0) {
        snprintf(err, err_len, "flash part did not start: %s", strerror(-ret));
        return ret;
    }
    flash_bus_op_t read_op = nor_flash_read_op(&sb->nor);
    ret = ospi_bus_xip_enable(&sb->ospi, &read_op);
    if (ret != 0) {
        snprintf(err, err_len, "the XIP engine cannot run the part's read: %s", strerror(-ret));
        return ret;
    }
    return flash_storage_check(&sb->storage, err, err_len);
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
    const char *board = getenv("ALIF_BOARD");
    const char *image = getenv("ALIF_FLASH_IMAGE");
    const char *storage_bytes = getenv("ALIF_SIM_STORAGE_BYTES");
    *config = (sim_board_config_t){
        .board = board && *board ? board : "ALIF_ENSEMBLE",
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
static int current_status = 1; // 1 until the first call opens the board
static char current_message[256];

sim_board_t *sim_board_current(void) {
    return current_status == 0 ? &current_board : NULL;
}

int alif_flash_storage_get(flash_storage_t **storage, const char **message) {
    if (current_status == 1) {
        sim_board_config_t config;
        static char path[4096];
        sim_board_config_from_env(&config, path, sizeof(path));
        current_status =
            sim_board_open(&current_board, &config, current_message, sizeof(current_message));
    }
    *storage = current_status == 0 ? &current_board.storage : NULL;
    *message = current_message;
    return current_status;
}
