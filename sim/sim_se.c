#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alif_se_port.h"
#include "sim_se.h"

// Where the packet buffer sits in the SE's view of memory; any fixed address will do, as long
// as the reply names the same one.
#define SIM_SE_PACKET_GLOBAL (0x20000000u)

typedef struct {
    const char *board;
    const char *part_number;
    uint32_t revision_id;
    uint8_t serial[8];
    uint8_t lcs;
    uint8_t mfg_data[6]; // x, y, wafer | fab << 7, year, week, lot
    const char *banner;
} board_record_t;

static const board_record_t boards[] = {
    {"ALIF_ENSEMBLE", "AE722F80F55D5XX", 0x0000b400, {0x4d, 0x1e, 0x07, 0x93, 0x22, 0x5c, 0xa1, 0x08},
        1, {23, 41, 7 | 0x80, 24, 17, 0x5a}, "SES B4 v1.107.0 (simulated)"},
    {"OPENMV_AE3", "AE302F80F55D5AE", 0x0000a600, {0x3a, 0x90, 0x11, 0xc4, 0x7e, 0x02, 0x5f, 0x31},
        5, {88, 12, 19, 25, 6, 0xc3}, "SES A6 v1.107.0 (simulated)"},
};

static int sim_se_send(void *ctx, uint32_t message);
static int sim_se_receive(void *ctx, uint32_t *message, uint64_t timeout_ns);

// Bytes that look like keys and settings, the same every run.
static void fill_pattern(uint8_t *out, size_t len, uint32_t seed) {
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1664525u + 1013904223u;
        out[i] = (uint8_t)(seed >> 24);
    }
}

static int parse_serial(const char *hex, uint8_t serial[8]) {
    if (strlen(hex) != 16) {
        return -EINVAL;
    }
    for (int i = 0; i < 8; i++) {
        char byte[3] = {hex[2 * i], hex[2 * i + 1], '\0'};
        char *end;
        serial[i] = (uint8_t)strtoul(byte, &end, 16);
        if (*end != '\0') {
            return -EINVAL;
        }
    }
    return 0;
}

static int parse_fault(const char *name, sim_se_fault_t *fault) {
    static const char *const names[] = {"", "timeout", "error", "malformed"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(name ? name : "", names[i]) == 0) {
            *fault = (sim_se_fault_t)i;
            return 0;
        }
    }
    return -EINVAL;
}

int sim_se_open(sim_se_t *se, const sim_se_config_t *config, char *err, size_t err_len) {
    memset(se, 0, sizeof(*se));
    const board_record_t *board = NULL;
    for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
        if (strcmp(boards[i].board, config->board) == 0) {
            board = &boards[i];
        }
    }
    if (board == NULL) {
        snprintf(err, err_len, "the simulated SE knows no board %s", config->board);
        return -EINVAL;
    }
    if (parse_fault(config->fault, &se->fault) != 0) {
        snprintf(err, err_len, "ALIF_SIM_SE_FAULT must be timeout, error or malformed, not %s",
            config->fault);
        return -EINVAL;
    }
    se_device_data_packet_t *r = &se->record;
    r->revision_id = board->revision_id;
    const char *pn = config->part_number ? config->part_number : board->part_number;
    memcpy(r->alif_pn, pn, strnlen(pn, sizeof(r->alif_pn)));
    memcpy(r->serial, board->serial, sizeof(r->serial));
    if (config->serial_hex && parse_serial(config->serial_hex, r->serial) != 0) {
        snprintf(err, err_len, "ALIF_SIM_SE_SERIAL must be 16 hex digits, not %s", config->serial_hex);
        return -EINVAL;
    }
    r->lcs = config->lcs >= 0 ? (uint8_t)config->lcs : board->lcs;
    memcpy(r->version, "\x01\x06\x6b\x00", 4);
    fill_pattern(r->hbk0, sizeof(r->hbk0), board->revision_id + 1);
    fill_pattern(r->hbk1, sizeof(r->hbk1), board->revision_id + 2);
    fill_pattern(r->hbk_fw, sizeof(r->hbk_fw), board->revision_id + 3);
    fill_pattern(r->config, sizeof(r->config), board->revision_id + 4);
    fill_pattern(r->dcu, sizeof(r->dcu), board->revision_id + 5);
    memcpy(r->mfg_data, board->mfg_data, sizeof(board->mfg_data));
    snprintf(se->revision, sizeof(se->revision), "%s",
        config->revision ? config->revision : board->banner);
    se->mailbox = (se_mailbox_t){
        .packet = se->packet,
        .packet_size = sizeof(se->packet),
        .packet_global = SIM_SE_PACKET_GLOBAL,
        .send = sim_se_send,
        .receive = sim_se_receive,
        .ctx = se,
    };
    return 0;
}

void sim_se_config_from_env(sim_se_config_t *config) {
    const char *board = getenv("ALIF_BOARD");
    const char *lcs = getenv("ALIF_SIM_SE_LCS");
    *config = (sim_se_config_t){
        .board = board && *board ? board : "ALIF_ENSEMBLE",
        .fault = getenv("ALIF_SIM_SE_FAULT"),
        .part_number = getenv("ALIF_SIM_SE_PN"),
        .serial_hex = getenv("ALIF_SIM_SE_SERIAL"),
        .revision = getenv("ALIF_SIM_SE_REVISION"),
        .lcs = lcs ? atoi(lcs) : -1,
    };
}

// The SE's side: answer what the packet asks, in place.
static void serve(sim_se_t *se) {
    se_header_t *header = (se_header_t *)se->packet;
    uint16_t service = header->service_id;
    size_t size;
    if (service == SE_SERVICE_FIRMWARE_VERSION) {
        se_revision_packet_t *p = (se_revision_packet_t *)se->packet;
        p->revision_length = (uint32_t)strlen(se->revision);
        memcpy(p->revision, se->revision, p->revision_length);
        size = sizeof(*p);
    } else if (service == SE_SERVICE_DEVICE_REVISION_DATA) {
        memcpy(se->packet, &se->record, sizeof(se->record));
        header->service_id = service;
        size = sizeof(se->record);
    } else {
        header->error_code = SE_RESP_UNKNOWN_COMMAND;
        return;
    }
    uint32_t service_code = se->fault == SIM_SE_FAULT_ERROR ? SE_SERVICE_FAIL : SE_SERVICE_SUCCESS;
    memcpy((uint8_t *)se->packet + size - sizeof(service_code), &service_code,
        sizeof(service_code));
    header->error_code = SE_REQ_SUCCESS;
    if (se->fault == SIM_SE_FAULT_MALFORMED) {
        header->service_id ^= 0x5a5a;
    }
}

static int sim_se_send(void *ctx, uint32_t message) {
    sim_se_t *se = ctx;
    se->requests++;
    if (message != SIM_SE_PACKET_GLOBAL) {
        return -EIO; // nothing the SE can read there: it never acknowledges
    }
    serve(se);
    se->reply_pending = se->fault != SIM_SE_FAULT_TIMEOUT;
    se->reply = message;
    return 0;
}

static int sim_se_receive(void *ctx, uint32_t *message, uint64_t timeout_ns) {
    sim_se_t *se = ctx;
    if (!se->reply_pending) {
        se->now_ns += timeout_ns; // waited the whole time-out, in virtual time
        return -ETIMEDOUT;
    }
    se->reply_pending = false;
    *message = se->reply;
    return 0;
}

static sim_se_t current_se;
static int current_status = 1; // 1 until the first call
static char current_message[160];

int alif_se_mailbox_get(const se_mailbox_t **mailbox, const char **message) {
    if (current_status == 1) {
        sim_se_config_t config;
        sim_se_config_from_env(&config);
        current_status = sim_se_open(&current_se, &config, current_message, sizeof(current_message));
    }
    *mailbox = current_status == 0 ? &current_se.mailbox : NULL;
    *message = current_message;
    return current_status;
}
