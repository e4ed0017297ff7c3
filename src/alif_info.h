// alif.info(): what the SE says about this SoC, as readable lines and a hex dump, gathered in
// full before anything is printed so that a failure prints nothing half-done.
#ifndef ALIF_INFO_H
#define ALIF_INFO_H

#include <stddef.h>

#include "se_services.h"

typedef void (*alif_print_t)(void *ctx, const char *text);

// 0, or a negative errno with a message naming the service that failed written to err.
int alif_info(const se_mailbox_t *mailbox, alif_print_t print, void *ctx, char *err,
    size_t err_len);

// The lifecycle state's name ("SE (secure enabled)", ...), or "unknown".
const char *alif_lcs_name(uint8_t lcs);

#endif // ALIF_INFO_H
