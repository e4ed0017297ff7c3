// SPDX-License-Identifier: MIT
// What a platform provides for alif.info(): the SoC's one channel to the SE. The host simulator
// provides it in sim/sim_se.c; on the target, the port's MHU glue.
#ifndef ALIF_SE_PORT_H
#define ALIF_SE_PORT_H

#include "se_client.h"

// 0 with *mailbox set, or a negative errno with *message saying why there is no channel. The
// same mailbox every time once it exists.
int alif_se_mailbox_get(const se_mailbox_t **mailbox, const char **message);

#endif // ALIF_SE_PORT_H
