// What a platform provides for alif.info(): the one SE channel of the SoC. sim/sim_se.c provides
// it on the host; the Alif port's MHU glue on the target.
#ifndef ALIF_SE_PORT_H
#define ALIF_SE_PORT_H

#include "se_services.h"

// 0 and *mailbox set, or a negative errno with *message saying why.
int alif_se_mailbox_get(const se_mailbox_t **mailbox, const char **message);

#endif // ALIF_SE_PORT_H
