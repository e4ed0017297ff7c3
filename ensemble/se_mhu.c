// SPDX-License-Identifier: MIT
#include <stdbool.h>

#include "alif_errno.h"
#include "mhu_regs.h"
#include "reg_access.h"
#include "se_mhu.h"

#define SE_MHU_POLL_PAUSE_NS (1000u)

static uintptr_t tx_channel(const se_mhu_t *mhu, uint32_t offset) {
    return mhu->tx_base + mhu->channel * MHU_CHANNEL_STRIDE + offset;
}

static uintptr_t rx_channel(const se_mhu_t *mhu, uint32_t offset) {
    return mhu->rx_base + mhu->channel * MHU_CHANNEL_STRIDE + offset;
}

static bool access_ready(const se_mhu_t *mhu) {
    return reg_read32(mhu->tx_base + MHU_TX_ACCESS_READY) & MHU_ACCESS_BIT;
}

static bool message_taken(const se_mhu_t *mhu) {
    return reg_read32(tx_channel(mhu, MHU_TX_CH_ST)) == 0;
}

// Polls until done(mhu), at most timeout_ns on the caller's clock.
static bool poll(const se_mhu_t *mhu, bool (*done)(const se_mhu_t *), uint64_t timeout_ns) {
    uint64_t started = mhu->now_ns(mhu->ctx);
    while (!done(mhu)) {
        if (mhu->now_ns(mhu->ctx) - started > timeout_ns) {
            return false;
        }
        mhu->delay_ns(mhu->ctx, SE_MHU_POLL_PAUSE_NS);
    }
    return true;
}

static int se_mhu_send(void *ctx, uint32_t message) {
    const se_mhu_t *mhu = ctx;
    reg_write32(mhu->tx_base + MHU_TX_ACCESS_REQUEST, MHU_ACCESS_BIT);
    bool taken = poll(mhu, access_ready, SE_MHU_HANDSHAKE_TIMEOUT_NS);
    if (taken) {
        reg_write32(tx_channel(mhu, MHU_TX_CH_SET), message);
        taken = poll(mhu, message_taken, SE_MHU_HANDSHAKE_TIMEOUT_NS);
    }
    // Holding access keeps the SE's side of the frame awake; it is only needed per message.
    reg_write32(mhu->tx_base + MHU_TX_ACCESS_REQUEST, 0);
    return taken ? 0 : -ALIF_EIO;
}

static bool reply_posted(const se_mhu_t *mhu) {
    return reg_read32(rx_channel(mhu, MHU_RX_CH_ST)) != 0;
}

static int se_mhu_wait_reply(void *ctx, uint32_t *message, uint64_t timeout_ns) {
    const se_mhu_t *mhu = ctx;
    if (!poll(mhu, reply_posted, timeout_ns)) {
        return -ALIF_ETIMEDOUT;
    }
    *message = reg_read32(rx_channel(mhu, MHU_RX_CH_ST));
    reg_write32(rx_channel(mhu, MHU_RX_CH_CLR), 0xffffffffu);
    return 0;
}

void se_mhu_mailbox(se_mhu_t *mhu, void *packet, size_t packet_size, uint32_t packet_global,
                    se_mailbox_t *mailbox) {
    *mailbox = (se_mailbox_t){
        .packet = packet,
        .packet_size = packet_size,
        .packet_global = packet_global,
        .send = se_mhu_send,
        .wait_reply = se_mhu_wait_reply,
        .ctx = mhu,
    };
}
