// SPDX-License-Identifier: MIT
// The simulated board: a flash part model over an image file, on the chip select of a register
// model of the OSPI controller, driven by the target's own controller driver, with the NOR
// layer on top and the board's storage geometry. One of these stands for the board a process runs
// on (from the environment); tests open as many as they like, each on its own image file.
#ifndef ALIF_SIM_BOARD_H
#define ALIF_SIM_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "boards.h"
#include "flash_region.h"
#include "ospi_bus.h"
#include "sim_image.h"
#include "sim_nor.h"
#include "sim_ospi.h"

// The OSPI clock the port runs the flash at once it is in octal DDR mode, and the controller's
// input clock it is divided from.
#define SIM_BUS_CLOCK_HZ (100000000u)
#define SIM_AXI_CLOCK_HZ (400000000u)

typedef struct {
    const alif_board_t *board;
    const sim_nor_part_t *part;
    sim_image_t image; // the part's contents; image.ro is the XIP window
    sim_nor_t *model;
    flash_bus_t part_bus; // straight to the part: its clock
    sim_ospi_t *controller;
    ospi_bus_t ospi;
    flash_bus_t bus; // through the controller: what the NOR layer uses
    nor_flash_t nor;
    flash_storage_t storage;
    unsigned between_steps; // calls of the platform's between-steps hook, for tests
} sim_board_t;

typedef struct {
    const char *board;       // "ALIF_ENSEMBLE", "OPENMV_AE3"
    const char *part;        // NULL: the board's usual part; else a sim_nor part name
    const char *image_path;  // created, erased (all 0xff), when missing
    uint32_t storage_len;    // 0: the board's; else a misconfigured board for tests
    unsigned power_cut_at;   // 0: none; else ALIF_SIM_POWER_CUT (see sim_board_arm_power_cut)
    sim_nor_timing_t timing; // ALIF_SIM_TIMING: how the part's operation times are chosen
    uint32_t seed;           // ALIF_SIM_SEED: the seed they are drawn from (0: the model's own)
} sim_board_config_t;

// How a process whose board lost power ends: no Python exception, no cleanup, as a board stops.
#define SIM_POWER_CUT_EXIT_STATUS (86)

// Brings the board up as the firmware does at boot: maps the image, powers the part, and runs
// the chip's own sequence (ensemble/flash_bring_up.c). The XIP window (image.ro) cannot be read
// while the part cannot answer a read (busy, in deep power-down, without power): on the host it
// is then mapped PROT_NONE, so a read of it crashes whoever makes it. 0, or a negative errno with
// the reason in err; on -ALIF_ENODEV and the size check the board stays open (sim_board_close it)
// so tests can look.
int sim_board_open(sim_board_t *sb, const sim_board_config_t *config, char *err, size_t err_len);
void sim_board_close(sim_board_t *sb);

// What a binding does between the long steps of a call, after the board has counted the step
// (step: the count so far): the port's own between-steps, and for tests the events that arrive
// during a call (a Ctrl-C, a scheduled callback). One for the process, for every board; NULL for
// none.
typedef void (*sim_between_steps_hook_t)(void *ctx, unsigned step);
void sim_board_set_between_steps_hook(sim_between_steps_hook_t hook, void *ctx);

// Reads ALIF_BOARD (default ALIF_ENSEMBLE, also when empty, as for the SE), ALIF_FLASH_IMAGE
// (default: a per-user file named in the README), ALIF_SIM_FLASH (a part name, to try another
// part), ALIF_SIM_STORAGE_BYTES, ALIF_SIM_POWER_CUT, ALIF_SIM_TIMING (drawn, typical, fast or
// slow) and ALIF_SIM_SEED (a decimal below 2^32). 0, or a negative errno with a message
// naming the variable in err: -ALIF_EINVAL for a value that is not exactly one the README allows
// (an empty one included), -ENAMETOOLONG for an image path that does not fit path_buf.
int sim_board_config_from_env(sim_board_config_t *config, char *path_buf, size_t path_len,
                              char *err, size_t err_len);

// Makes the part lose power as the nth program or erase from now starts (left part done), and
// the process then end with SIM_POWER_CUT_EXIT_STATUS, as a board would stop: no error is
// returned to anyone. For the board this process runs on only (it takes over sb->bus).
void sim_board_arm_power_cut(sim_board_t *sb, unsigned nth);

// The board this process runs on, opened from the environment on first call; NULL before then
// or when opening failed.
sim_board_t *sim_board_current(void);

// alif._sim_counters(), built once for both bindings: the board, the part, and what the part has
// seen. Each entry is a string (text set) or a number.
typedef struct {
    const char *name;
    const char *text;
    unsigned long long value;
} sim_counter_t;
#define SIM_COUNTERS (10)

// Fills out with the current board's counters and returns how many; 0 when no board is up.
size_t sim_board_counters(sim_counter_t out[SIM_COUNTERS]);

#endif // ALIF_SIM_BOARD_H
