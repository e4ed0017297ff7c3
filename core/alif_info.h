// SPDX-License-Identifier: MIT
// alif.info(): what the SE says about this SoC, as readable lines and then the raw device data
// record as a hex dump. Everything is asked for before anything is printed, so a failure prints
// nothing half-done. Both bindings print through the same callback, so the text is the same in
// MicroPython and CPython.
#ifndef ALIF_INFO_H
#define ALIF_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "se_client.h"

// Receives the text one whole line at a time, each ending in '\n'.
typedef void (*alif_print_t)(void *ctx, const char *text);

typedef struct {
    char se_revision[SE_REVISION_MAX + 1];
    se_device_data_t device;
    uint8_t unique_id[8];
} alif_info_t;

// What the bindings call. 0 once everything is printed, or a negative errno with a message
// naming the service that failed in err (always NUL-terminated) and nothing printed.
int alif_info(const se_mailbox_t *mailbox, alif_print_t print, void *ctx, char *err,
              size_t err_len);

// The two halves of alif_info(): ask the SE, then print what it said.
int alif_info_gather(const se_mailbox_t *mailbox, alif_info_t *info, se_error_t *error);
void alif_info_print(const alif_info_t *info, alif_print_t print, void *ctx);

// "CM (chip manufacture)", "DM (device manufacture)", "SE (secure enabled)",
// "RMA (return merchandise)", or NULL for a state without a name.
const char *alif_lcs_name(uint8_t lcs);

// The SoC revision's name in Alif's tools ("B4" for 0x0000b400), or NULL for a value they do not
// name.
const char *alif_soc_revision_name(uint32_t revision_id);

#endif // ALIF_INFO_H
