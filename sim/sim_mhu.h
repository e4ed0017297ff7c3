// SPDX-License-Identifier: MIT
// A register model of the MHUv2 frame pair between an application core and the SE, with the
// simulated SE on the far side, so that ensemble/se_mhu.c runs in CI as on silicon.
//
// What it enforces, as the MHU does: a channel write without access granted is dropped; the SE
// clears the sender channel when it takes a message and leaves it set when it does not; its
// reply appears in the receiver channel when due on the SE's virtual clock and stays until
// cleared.
#ifndef ALIF_SIM_MHU_H
#define ALIF_SIM_MHU_H

#include <stdint.h>

#include "se_mhu.h"
#include "sim_se.h"

typedef struct {
    uint64_t messages;       // channel writes the SE saw
    uint64_t dropped_writes; // channel writes made without access
} sim_mhu_stats_t;

typedef struct sim_mhu sim_mhu_t;

// Claims a free pair of frames (the SESS pair's own addresses when free) in front of se.
sim_mhu_t *sim_mhu_new(sim_se_t *se);
void sim_mhu_free(sim_mhu_t *mhu);

// A driver configuration for this pair, with the SE's virtual clock as its clock.
void sim_mhu_driver_config(sim_mhu_t *mhu, se_mhu_t *driver);
const sim_mhu_stats_t *sim_mhu_stats(const sim_mhu_t *mhu);
// Whether the receiver channel still holds a reply nobody cleared.
uint32_t sim_mhu_reply_pending(const sim_mhu_t *mhu);
// Whether the sender frame's access request is still held.
bool sim_mhu_access_held(const sim_mhu_t *mhu);

#endif // ALIF_SIM_MHU_H
