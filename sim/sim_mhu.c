// SPDX-License-Identifier: MIT
#include <stdbool.h>
#include <stdlib.h>

#include "mhu_regs.h"
#include "sim_mhu.h"
#include "sim_regs.h"

#define MAX_INSTANCES (16)
#define INSTANCE_STRIDE (0x20000u)

struct sim_mhu {
    sim_se_t *se;
    uintptr_t tx_base, rx_base;
    bool access_requested;
    uint32_t tx_status; // the sender channel the SE reads
    uint32_t rx_status; // the receiver channel the SE writes
    sim_mhu_stats_t stats;
};

static uint32_t tx_read(void *ctx, uint32_t offset) {
    const sim_mhu_t *m = ctx;
    switch (offset) {
        case MHU_SE_CHANNEL *MHU_CHANNEL_STRIDE + MHU_TX_CH_ST:
            return m->tx_status;
        case MHU_TX_ACCESS_REQUEST:
        case MHU_TX_ACCESS_READY:
            return m->access_requested ? MHU_ACCESS_BIT : 0; // the SE grants at once
        default:
            return 0;
    }
}

static void tx_write(void *ctx, uint32_t offset, uint32_t value) {
    sim_mhu_t *m = ctx;
    if (offset == MHU_TX_ACCESS_REQUEST) {
        m->access_requested = value & MHU_ACCESS_BIT;
    } else if (offset == MHU_SE_CHANNEL * MHU_CHANNEL_STRIDE + MHU_TX_CH_SET) {
        if (!m->access_requested) {
            m->stats.dropped_writes++;
            return;
        }
        m->stats.messages++;
        m->tx_status |= value;
        if (sim_se_take(m->se, m->tx_status)) {
            m->tx_status = 0;
        }
    }
}

static uint32_t rx_read(void *ctx, uint32_t offset) {
    sim_mhu_t *m = ctx;
    if (offset != MHU_SE_CHANNEL * MHU_CHANNEL_STRIDE + MHU_RX_CH_ST) {
        return 0;
    }
    uint32_t reply;
    if (m->rx_status == 0 && sim_se_reply_ready(m->se, &reply)) {
        m->rx_status = reply;
    }
    return m->rx_status;
}

static void rx_write(void *ctx, uint32_t offset, uint32_t value) {
    sim_mhu_t *m = ctx;
    if (offset == MHU_SE_CHANNEL * MHU_CHANNEL_STRIDE + MHU_RX_CH_CLR) {
        m->rx_status &= ~value;
    }
}

sim_mhu_t *sim_mhu_new(sim_se_t *se) {
    sim_mhu_t *m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    for (unsigned k = 0; k < MAX_INSTANCES && m->tx_base == 0; k++) {
        uintptr_t tx = MHU_SESS_TX_BASE + k * INSTANCE_STRIDE;
        if (!sim_regs_mapped(tx)) {
            m->tx_base = tx;
            m->rx_base = MHU_SESS_RX_BASE + k * INSTANCE_STRIDE;
        }
    }
    if (m->tx_base == 0) {
        free(m);
        return NULL;
    }
    m->se = se;
    sim_regs_map(m->tx_base, MHU_FRAME_SIZE, tx_read, tx_write, m);
    sim_regs_map(m->rx_base, MHU_FRAME_SIZE, rx_read, rx_write, m);
    return m;
}

void sim_mhu_free(sim_mhu_t *m) {
    if (m != NULL) {
        sim_regs_unmap(m->tx_base);
        sim_regs_unmap(m->rx_base);
        free(m);
    }
}

static uint64_t se_clock_now(void *ctx) {
    const sim_se_t *se = ctx;
    return se->now_ns;
}

static void se_clock_delay(void *ctx, uint64_t ns) {
    sim_se_t *se = ctx;
    se->now_ns += ns;
}

void sim_mhu_driver_config(sim_mhu_t *m, se_mhu_t *driver) {
    *driver = (se_mhu_t){
        .tx_base = m->tx_base,
        .rx_base = m->rx_base,
        .channel = MHU_SE_CHANNEL,
        .now_ns = se_clock_now,
        .delay_ns = se_clock_delay,
        .ctx = m->se,
    };
}

const sim_mhu_stats_t *sim_mhu_stats(const sim_mhu_t *m) {
    return &m->stats;
}

uint32_t sim_mhu_reply_pending(const sim_mhu_t *m) {
    return m->rx_status;
}

bool sim_mhu_access_held(const sim_mhu_t *m) {
    return m->access_requested;
}
