// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "alif_se_port.h"
#include "boards.h"
#include "sim_se.h"

// Where the packet buffer sits in the SE's view of memory. Any address will do, as long as the
// SE reads the packet there and the reply names the same one.
#define SIM_SE_PACKET_GLOBAL (0x58800000u)

// A knob is set when the variable exists: an empty value is a bad value, not the default.
static bool is_set(const char *value) {
    return value != NULL;
}

// Printable ASCII only: what the SE's own strings hold, and what a message can show.
static bool printable(const char *text, size_t min_len, size_t max_len) {
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (text[i] < 0x20 || text[i] > 0x7e) {
            return false;
        }
    }
    return len >= min_len && len <= max_len;
}

// Key material and settings: bytes that look random and are the same every run.
static void fill_pattern(uint8_t *out, size_t len, uint32_t *state) {
    for (size_t i = 0; i < len; i++) {
        *state = *state * 1664525u + 1013904223u;
        out[i] = (uint8_t)(*state >> 24);
    }
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int parse_serial(const char *text, uint8_t serial[8]) {
    if (strlen(text) != 16) {
        return -ALIF_EINVAL;
    }
    for (int i = 0; i < 8; i++) {
        int high = hex_digit(text[2 * i]), low = hex_digit(text[2 * i + 1]);
        if (high < 0 || low < 0) {
            return -ALIF_EINVAL;
        }
        serial[i] = (uint8_t)(high << 4 | low);
    }
    return 0;
}

// Decimal digits only: no sign, space or base prefix, which strtoul would take ("010" octal).
static int parse_lcs(const char *text, uint8_t *lcs) {
    unsigned value = 0;
    size_t len = strlen(text);
    if (len == 0 || len > 3) {
        return -ALIF_EINVAL;
    }
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return -ALIF_EINVAL;
        }
        value = value * 10 + (unsigned)(text[i] - '0');
    }
    if (value > 0xff) {
        return -ALIF_EINVAL;
    }
    *lcs = (uint8_t)value;
    return 0;
}

static int parse_part_number(const char *text, uint8_t pn[16]) {
    if (!printable(text, 1, 16)) {
        return -ALIF_EINVAL;
    }
    memset(pn, 0, 16);
    memcpy(pn, text, strlen(text));
    return 0;
}

static int parse_fault(const char *name, sim_se_fault_t *fault) {
    static const struct {
        const char *name;
        sim_se_fault_t fault;
    } faults[] = {
        {"timeout", SIM_SE_FAULT_TIMEOUT},
        {"error", SIM_SE_FAULT_ERROR},
        {"malformed", SIM_SE_FAULT_MALFORMED},
    };
    *fault = SIM_SE_FAULT_NONE;
    if (!is_set(name)) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
        if (strcmp(name, faults[i].name) == 0) {
            *fault = faults[i].fault;
            return 0;
        }
    }
    return -ALIF_EINVAL;
}

static void fill_record(se_device_data_t *r, const alif_board_se_t *board) {
    *r = (se_device_data_t){.revision_id = board->revision_id, .lcs = board->lcs};
    memcpy(r->version, "\x01\x06\x6b\x00", sizeof(r->version));
    memcpy(r->alif_pn, board->part_number, strlen(board->part_number));
    uint32_t state = board->revision_id;
    fill_pattern(r->hbk0, sizeof(r->hbk0), &state);
    fill_pattern(r->hbk1, sizeof(r->hbk1), &state);
    fill_pattern(r->hbk_fw, sizeof(r->hbk_fw), &state);
    fill_pattern(r->config, sizeof(r->config), &state);
    fill_pattern(r->dcu, sizeof(r->dcu), &state);
    // The manufacturing data as the SE firmware lays it out; the rest of its 32 bytes is unused.
    r->mfg_data[0] = board->year;
    r->mfg_data[1] = (uint8_t)(board->wafer | board->fab << 7);
    r->mfg_data[2] = board->y;
    r->mfg_data[3] = board->x;
    r->mfg_data[6] = board->lot;
    r->mfg_data[7] = board->week;
    memcpy(r->serial, board->serial, sizeof(r->serial));
}

static int sim_se_send(void *ctx, uint32_t message);
static int sim_se_wait_reply(void *ctx, uint32_t *message, uint64_t timeout_ns);

int sim_se_open(sim_se_t *se, const sim_se_config_t *config, char *err, size_t err_len) {
    memset(se, 0, sizeof(*se));
    // The one rule for ALIF_BOARD (alif_board_name_from_env): unset or empty is the default.
    const char *board_name =
        config->board != NULL && *config->board != '\0' ? config->board : "ALIF_ENSEMBLE";
    const alif_board_t *found = alif_board_find(board_name);
    if (found == NULL) {
        snprintf(err, err_len, "ALIF_BOARD must be ALIF_ENSEMBLE or OPENMV_AE3, not %s",
                 board_name);
        return -ALIF_EINVAL;
    }
    const alif_board_se_t *board = &found->se;
    if (parse_fault(config->fault, &se->fault) != 0) {
        snprintf(err, err_len, "ALIF_SIM_SE_FAULT must be timeout, error or malformed, not %s",
                 config->fault);
        return -ALIF_EINVAL;
    }
    fill_record(&se->record, board);
    if (is_set(config->part_number) &&
        parse_part_number(config->part_number, se->record.alif_pn) != 0) {
        snprintf(err, err_len, "ALIF_SIM_SE_PN must be 1 to 16 printable characters, not %s",
                 config->part_number);
        return -ALIF_EINVAL;
    }
    if (is_set(config->serial) && parse_serial(config->serial, se->record.serial) != 0) {
        snprintf(err, err_len, "ALIF_SIM_SE_SERIAL must be 16 hex digits, not %s", config->serial);
        return -ALIF_EINVAL;
    }
    if (is_set(config->lcs) && parse_lcs(config->lcs, &se->record.lcs) != 0) {
        snprintf(err, err_len, "ALIF_SIM_SE_LCS must be a decimal number from 0 to 255, not %s",
                 config->lcs);
        return -ALIF_EINVAL;
    }
    const char *banner = is_set(config->revision) ? config->revision : board->banner;
    if (!printable(banner, 1, SE_REVISION_MAX)) {
        snprintf(err, err_len, "ALIF_SIM_SE_REVISION must be 1 to %d printable characters",
                 SE_REVISION_MAX);
        return -ALIF_EINVAL;
    }
    strcpy(se->revision, banner);
    se->mailbox = (se_mailbox_t){
        .packet = se->packet,
        .packet_size = sizeof(se->packet),
        .packet_global = SIM_SE_PACKET_GLOBAL,
        .send = sim_se_send,
        .wait_reply = sim_se_wait_reply,
        .ctx = se,
    };
    return 0;
}

void sim_se_config_from_env(sim_se_config_t *config) {
    *config = (sim_se_config_t){
        .board = alif_board_name_from_env(),
        .fault = getenv("ALIF_SIM_SE_FAULT"),
        .part_number = getenv("ALIF_SIM_SE_PN"),
        .serial = getenv("ALIF_SIM_SE_SERIAL"),
        .lcs = getenv("ALIF_SIM_SE_LCS"),
        .revision = getenv("ALIF_SIM_SE_REVISION"),
    };
}

// The SE's side of one request: read the packet, answer in place. The error_code that ends each
// packet is where the service's result goes.
static void serve(sim_se_t *se) {
    uint8_t *shared = (uint8_t *)se->packet;
    se_header_t header;
    memcpy(&header, shared, sizeof(header));
    uint16_t asked = header.service_id;
    uint32_t result = se->fault == SIM_SE_FAULT_ERROR ? SE_SERVICE_FAIL : SE_SERVICE_SUCCESS;
    if (asked == SE_SERVICE_GET_SE_REVISION) {
        se_revision_packet_t p;
        memcpy(&p, shared, sizeof(p));
        if (result == SE_SERVICE_SUCCESS) {
            p.revision_length = (uint32_t)strlen(se->revision);
            memcpy(p.revision, se->revision, p.revision_length);
        }
        p.error_code = result;
        memcpy(shared, &p, sizeof(p));
    } else if (asked == SE_SERVICE_GET_DEVICE_DATA) {
        se_device_data_packet_t p;
        memcpy(&p, shared, sizeof(p));
        if (result == SE_SERVICE_SUCCESS) {
            p.data = se->record;
        }
        p.error_code = result;
        memcpy(shared, &p, sizeof(p));
    } else {
        header.error_code = SE_RESP_UNKNOWN_COMMAND;
    }
    if (se->fault == SIM_SE_FAULT_MALFORMED) {
        header.service_id = (uint16_t)~asked;
    }
    memcpy(shared + offsetof(se_header_t, service_id), &header.service_id,
           sizeof(header.service_id));
    memcpy(shared + offsetof(se_header_t, error_code), &header.error_code,
           sizeof(header.error_code));
}

bool sim_se_take(sim_se_t *se, uint32_t message) {
    if (message != SIM_SE_PACKET_GLOBAL) {
        return false; // nothing the SE can read there, so it never takes the message
    }
    se->requests++;
    if (se->fault == SIM_SE_FAULT_TIMEOUT) {
        return true;
    }
    serve(se);
    se->reply_pending = true;
    se->reply = message;
    se->reply_at_ns = se->now_ns + SIM_SE_REPLY_NS;
    return true;
}

bool sim_se_reply_ready(sim_se_t *se, uint32_t *message) {
    if (!se->reply_pending || se->now_ns < se->reply_at_ns) {
        return false;
    }
    se->reply_pending = false;
    *message = se->reply;
    return true;
}

static int sim_se_send(void *ctx, uint32_t message) {
    return sim_se_take(ctx, message) ? 0 : -ALIF_EIO;
}

static int sim_se_wait_reply(void *ctx, uint32_t *message, uint64_t timeout_ns) {
    sim_se_t *se = ctx;
    if (!se->reply_pending || se->reply_at_ns > se->now_ns + timeout_ns) {
        se->now_ns += timeout_ns;
        return -ALIF_ETIMEDOUT;
    }
    if (se->now_ns < se->reply_at_ns) {
        se->now_ns = se->reply_at_ns;
    }
    return sim_se_reply_ready(se, message) ? 0 : -ALIF_ETIMEDOUT;
}
