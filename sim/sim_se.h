// A simulated Secure Enclave behind the same mailbox as the real one: it reads the request in
// the shared packet buffer, answers the services alif.info() uses with a realistic record for
// the board, and misbehaves on demand.
#ifndef ALIF_SIM_SE_H
#define ALIF_SIM_SE_H

#include <stdbool.h>
#include <stdint.h>

#include "se_services.h"

typedef enum {
    SIM_SE_FAULT_NONE,
    SIM_SE_FAULT_TIMEOUT,   // never answers
    SIM_SE_FAULT_ERROR,     // answers with a service error
    SIM_SE_FAULT_MALFORMED, // answers with a header that does not match the request
} sim_se_fault_t;

typedef struct {
    const char *board;       // ALIF_ENSEMBLE or OPENMV_AE3
    const char *fault;       // NULL, "timeout", "error" or "malformed"
    const char *part_number; // NULL: the board's
    const char *serial_hex;  // 16 hex digits; NULL: the board's
    const char *revision;    // the SE banner; NULL: the board's
    int lcs;                 // -1: the board's
} sim_se_config_t;

typedef struct {
    uint32_t packet[64]; // the shared buffer, word-aligned as the SE wants it
    se_mailbox_t mailbox;
    sim_se_fault_t fault;
    se_device_data_packet_t record;
    char revision[SE_REVISION_MAX + 1];
    bool reply_pending;
    uint32_t reply;
    uint64_t now_ns;    // virtual time spent waiting for replies
    unsigned requests;  // doorbells rung
} sim_se_t;

// 0, or -EINVAL with the reason in err (unknown board, fault or override).
int sim_se_open(sim_se_t *se, const sim_se_config_t *config, char *err, size_t err_len);

// Reads ALIF_BOARD, ALIF_SIM_SE_FAULT, ALIF_SIM_SE_PN, ALIF_SIM_SE_SERIAL, ALIF_SIM_SE_REVISION
// and ALIF_SIM_SE_LCS.
void sim_se_config_from_env(sim_se_config_t *config);

#endif // ALIF_SIM_SE_H
