// SPDX-License-Identifier: MIT
// se_mailbox_t over the MHUv2 doorbell pair to the Secure Enclave, by polling: the message goes
// into the sender channel once the SE grants access, counts as taken when the SE clears it, and
// the reply is the value the SE sets in the receiver channel. Every register access goes
// through reg_access.h.
#ifndef ALIF_SE_MHU_H
#define ALIF_SE_MHU_H

#include <stdint.h>

#include "se_client.h"

// How long the SE may take to grant access and to take a message.
#define SE_MHU_HANDSHAKE_TIMEOUT_NS (10 * 1000 * 1000ull)

typedef struct {
    uintptr_t tx_base; // MHU_SESS_TX_BASE
    uintptr_t rx_base; // MHU_SESS_RX_BASE
    uint32_t channel;
    uint64_t (*now_ns)(void *ctx);
    void (*delay_ns)(void *ctx, uint64_t ns); // a pause between polls
    void *ctx;
} se_mhu_t;

// Fills *mailbox with this MHU pair and the shared packet buffer.
void se_mhu_mailbox(se_mhu_t *mhu, void *packet, size_t packet_size, uint32_t packet_global,
                    se_mailbox_t *mailbox);

#endif // ALIF_SE_MHU_H
