// SPDX-License-Identifier: MIT
// A simulated Secure Enclave behind the same mailbox as the real one. It serves the request it
// finds in the shared packet buffer the way the SE does, answers the services alif.info() uses
// with a realistic record for the board, and misbehaves on demand. Time is virtual: waiting for
// a reply that never comes advances the clock by the time-out instead of sleeping.
//
// The process's SE (alif_se_mailbox_get, in sim_se_port.c) is configured from the environment:
//   ALIF_BOARD            ALIF_ENSEMBLE (default) or OPENMV_AE3
//   ALIF_SIM_SE_FAULT     timeout (never answers), error (answers with SERVICE_FAIL),
//                         malformed (answers with a header naming another service)
//   ALIF_SIM_SE_PN        the part number, at most 16 printable characters
//   ALIF_SIM_SE_SERIAL    the serial number, 16 hex digits, first byte first
//   ALIF_SIM_SE_LCS       the lifecycle state, 0 to 255 (0 CM, 1 DM, 5 SE, 7 RMA)
//   ALIF_SIM_SE_REVISION  the SE firmware banner, at most 80 characters
// Unset or empty means the board's own value.
#ifndef ALIF_SIM_SE_H
#define ALIF_SIM_SE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "se_client.h"

// How long the simulated SE takes to answer a request, in virtual time.
#define SIM_SE_REPLY_NS (40 * 1000u)

typedef enum {
    SIM_SE_FAULT_NONE,
    SIM_SE_FAULT_TIMEOUT,
    SIM_SE_FAULT_ERROR,
    SIM_SE_FAULT_MALFORMED,
} sim_se_fault_t;

// Each field as its environment variable above; NULL or "" for the board's own.
typedef struct {
    const char *board;
    const char *fault;
    const char *part_number;
    const char *serial;
    const char *lcs;
    const char *revision;
} sim_se_config_t;

typedef struct {
    uint32_t packet[64]; // the shared buffer, word-aligned as the SE wants it
    se_mailbox_t mailbox;
    sim_se_fault_t fault;
    se_device_data_t record;
    char revision[SE_REVISION_MAX + 1];
    bool reply_pending;
    uint32_t reply;
    uint64_t reply_at_ns;
    uint64_t now_ns;   // virtual time
    unsigned requests; // messages the SE acknowledged
} sim_se_t;

// 0, or -ALIF_EINVAL with the reason in err (unknown board or fault, an override out of range).
int sim_se_open(sim_se_t *se, const sim_se_config_t *config, char *err, size_t err_len);

void sim_se_config_from_env(sim_se_config_t *config);

// The SE's side of a doorbell, for a mailbox model in front of it: whether it takes this
// message (it does when it names the shared buffer), and the reply once it is due on the
// virtual clock.
bool sim_se_take(sim_se_t *se, uint32_t message);
bool sim_se_reply_ready(sim_se_t *se, uint32_t *message);

#endif // ALIF_SIM_SE_H
