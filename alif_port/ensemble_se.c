// SPDX-License-Identifier: MIT
// alif_se_port.h on the Ensemble: the SESS MHU pair through ensemble/se_mhu.c.
//
// The port's own SE services library owns the same channel and answers its interrupts. While
// alif.info() talks to the SE, both MHU interrupts are held off, so that the reply waits in the
// receiver channel for this driver instead of being taken by the port's handler.
#include "alif_errno.h"

#include "py/mphal.h"
#include "system_utils.h" // LocalToGlobal
#include ALIF_CMSIS_H

#include "alif_lazy.h"
#include "alif_se_port.h"
#include "ensemble_clock.h"
#include "mhu_regs.h"
#include "se_mhu.h"

// The SE reads and writes requests in place; the port keeps its own buffer the same way.
static uint32_t ensemble_packet[64];
static se_mhu_t ensemble_mhu;
static se_mailbox_t ensemble_mhu_mailbox;
static se_mailbox_t ensemble_mailbox;
static alif_lazy_t ensemble_lazy;

static void ensemble_delay_ns(void *ctx, uint64_t ns) {
    (void)ctx;
    (void)ns; // the MHU answers in microseconds: polling flat out costs nothing here
}

static void hold_off_port_handlers(bool hold) {
    if (hold) {
        NVIC_DisableIRQ(MHU_SESS_S_RX_IRQ_IRQn);
        NVIC_DisableIRQ(MHU_SESS_S_TX_IRQ_IRQn);
    } else {
        NVIC_ClearPendingIRQ(MHU_SESS_S_RX_IRQ_IRQn);
        NVIC_ClearPendingIRQ(MHU_SESS_S_TX_IRQ_IRQn);
        NVIC_EnableIRQ(MHU_SESS_S_RX_IRQ_IRQn);
        NVIC_EnableIRQ(MHU_SESS_S_TX_IRQ_IRQn);
    }
}

static int ensemble_send(void *ctx, uint32_t message) {
    (void)ctx;
    hold_off_port_handlers(true);
    int ret = ensemble_mhu_mailbox.send(ensemble_mhu_mailbox.ctx, message);
    if (ret != 0) {
        hold_off_port_handlers(false);
    }
    return ret;
}

static int ensemble_wait_reply(void *ctx, uint32_t *message, uint64_t timeout_ns) {
    (void)ctx;
    int ret = ensemble_mhu_mailbox.wait_reply(ensemble_mhu_mailbox.ctx, message, timeout_ns);
    hold_off_port_handlers(false);
    return ret;
}

static int ensemble_se_set_up(void) {
    ensemble_mhu = (se_mhu_t){
        .tx_base = MHU_SESS_TX_BASE,
        .rx_base = MHU_SESS_RX_BASE,
        .channel = MHU_SE_CHANNEL,
        .now_ns = ensemble_now_ns,
        .delay_ns = ensemble_delay_ns,
    };
    se_mhu_mailbox(&ensemble_mhu, ensemble_packet, sizeof(ensemble_packet),
                   LocalToGlobal(ensemble_packet), &ensemble_mhu_mailbox);
    ensemble_mailbox = ensemble_mhu_mailbox;
    ensemble_mailbox.send = ensemble_send;
    ensemble_mailbox.wait_reply = ensemble_wait_reply;
    return 0;
}

int alif_se_mailbox_get(const se_mailbox_t **mailbox, const char **message) {
    int ret = alif_lazy(&ensemble_lazy, ensemble_se_set_up);
    *mailbox = &ensemble_mailbox;
    *message = "";
    return ret;
}
