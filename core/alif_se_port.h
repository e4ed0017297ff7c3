// SPDX-License-Identifier: MIT
// What a platform provides for alif.info(): the SoC's one channel to the SE, as a mailbox that
// se_client.c fills and checks. The host provides it in sim/sim_se_port.c (ensemble/se_mhu.c over
// the MHU model and the simulated SE); the chip in alif_port/ensemble_se.c, over the port's own
// SE services and Alif's services library, the channel's one driver there.
#ifndef ALIF_SE_PORT_H
#define ALIF_SE_PORT_H

#include <stdio.h>

#include "alif_info.h"
#include "se_client.h"

// 0 with *mailbox set, or a negative errno with *message saying why there is no channel. The
// same mailbox every time once it exists.
int alif_se_mailbox_get(const se_mailbox_t **mailbox, const char **message);

// alif.info() on this channel: what both bindings call, so that they only convert. As
// alif_info(), with err saying why when there is no channel. Inline, so that it links wherever
// the binding links the platform.
static inline int alif_info_run(alif_print_t print, void *ctx, char *err, size_t err_len) {
    const se_mailbox_t *mailbox;
    const char *message;
    int ret = alif_se_mailbox_get(&mailbox, &message);
    if (ret != 0) {
        snprintf(err, err_len, "%s", message);
        return ret;
    }
    return alif_info(mailbox, print, ctx, err, err_len);
}

#endif // ALIF_SE_PORT_H
