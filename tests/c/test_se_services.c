// SPDX-License-Identifier: MIT
// The SE services client against the simulated SE: the packets byte for byte as the SE defines
// them, each service's round trip on each board, and each fault at either level ending in its
// errno, within the time-out, with a message naming the service.
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "alif_errno.h"
#include "alif_se_port.h"
#include "se_client.h"
#include "boards.h"
#include "sim_se.h"

static sim_se_t se;

static void open_se(const char *board, const char *fault) {
    char err[160];
    sim_se_config_t config = {.board = board, .fault = fault};
    int ret = sim_se_open(&se, &config, err, sizeof(err));
    if (ret != 0) {
        fail_msg("simulated SE did not open: %s", err);
    }
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static double seconds_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// A mailbox in front of the simulated SE that records what goes out and can spoil what comes
// back, for the faults the simulated SE does not make by itself.
typedef struct {
    se_mailbox_t mailbox;
    unsigned sends;
    uint32_t sent_message;
    uint8_t sent[sizeof(se.packet)];
    int refuse_send;        // returned by send instead of ringing the SE, when not 0
    unsigned spoil_request; // the request whose reply to spoil, 1 for the first; 0 for none
    void (*spoil)(uint8_t *packet, uint32_t *reply);
} spy_t;

static spy_t spy;

static int spy_send(void *ctx, uint32_t message) {
    spy_t *s = ctx;
    s->sends++;
    s->sent_message = message;
    memcpy(s->sent, se.packet, sizeof(s->sent));
    if (s->refuse_send != 0) {
        return s->refuse_send;
    }
    return se.mailbox.send(se.mailbox.ctx, message);
}

static int spy_wait_reply(void *ctx, uint32_t *message, uint64_t timeout_ns) {
    spy_t *s = ctx;
    int ret = se.mailbox.wait_reply(se.mailbox.ctx, message, timeout_ns);
    if (ret == 0 && s->spoil != NULL && s->sends == s->spoil_request) {
        s->spoil((uint8_t *)se.packet, message);
    }
    return ret;
}

static const se_mailbox_t *open_spy(const char *board) {
    open_se(board, NULL);
    spy = (spy_t){.mailbox = se.mailbox};
    spy.mailbox.send = spy_send;
    spy.mailbox.wait_reply = spy_wait_reply;
    spy.mailbox.ctx = &spy;
    return &spy.mailbox;
}

static void test_header_layout(void **state) {
    (void)state;
    assert_int_equal(sizeof(se_header_t), 8);
    assert_int_equal(offsetof(se_header_t, service_id), 0);
    assert_int_equal(offsetof(se_header_t, flags), 2);
    assert_int_equal(offsetof(se_header_t, error_code), 4);
    assert_int_equal(offsetof(se_header_t, padding), 6);
}

static void test_get_se_revision_packet_layout(void **state) {
    (void)state;
    assert_int_equal(offsetof(se_revision_packet_t, header), 0);
    assert_int_equal(offsetof(se_revision_packet_t, revision_length), 8);
    assert_int_equal(offsetof(se_revision_packet_t, revision), 12);
    assert_int_equal(sizeof(((se_revision_packet_t *)0)->revision), 80);
    assert_int_equal(offsetof(se_revision_packet_t, error_code), 92);
    assert_int_equal(sizeof(se_revision_packet_t), 96);
}

static void test_get_device_data_packet_layout(void **state) {
    (void)state;
    // Offsets in the packet, header included, as the SE writes them.
    const size_t data = offsetof(se_device_data_packet_t, data);
    assert_int_equal(data, 8);
    assert_int_equal(data + offsetof(se_device_data_t, revision_id), 8);
    assert_int_equal(data + offsetof(se_device_data_t, version), 12);
    assert_int_equal(data + offsetof(se_device_data_t, alif_pn), 16);
    assert_int_equal(data + offsetof(se_device_data_t, hbk0), 32);
    assert_int_equal(data + offsetof(se_device_data_t, hbk1), 48);
    assert_int_equal(data + offsetof(se_device_data_t, hbk_fw), 64);
    assert_int_equal(data + offsetof(se_device_data_t, config), 84);
    assert_int_equal(data + offsetof(se_device_data_t, dcu), 88);
    assert_int_equal(data + offsetof(se_device_data_t, mfg_data), 104);
    assert_int_equal(data + offsetof(se_device_data_t, serial), 136);
    assert_int_equal(data + offsetof(se_device_data_t, lcs), 144);
    assert_int_equal(data + offsetof(se_device_data_t, padding), 145);
    assert_int_equal(data + offsetof(se_device_data_t, external_config), 148);
    assert_int_equal(data + offsetof(se_device_data_t, flags2), 164);
    assert_int_equal(offsetof(se_device_data_packet_t, error_code), 168);
    assert_int_equal(sizeof(se_device_data_packet_t), 172);
    assert_int_equal(sizeof(se_device_data_t), 160);
}

static void test_service_ids_and_codes(void **state) {
    (void)state;
    assert_int_equal(SE_SERVICE_GET_SE_REVISION, 103);
    assert_int_equal(SE_SERVICE_GET_DEVICE_DATA, 0xd0);
    assert_int_equal(SE_REQ_SUCCESS, 0x00);
    assert_int_equal(SE_REQ_NOT_ACKNOWLEDGE, 0xff);
    assert_int_equal(SE_REQ_TIMEOUT, 0xfd);
    assert_int_equal(SE_RESP_UNKNOWN_COMMAND, 0xfc);
    assert_int_equal(SE_SERVICE_SUCCESS, 0x000);
    assert_int_equal(SE_SERVICE_FAIL, 0x200);
    assert_int_equal(SE_SERVICE_INVALID_PARAMETER, 0x201);
    assert_string_equal(se_service_name(103), "get SE revision");
    assert_string_equal(se_service_name(208), "get device data");
    assert_string_equal(se_service_name(999), "unknown service");
}

static void test_request_on_the_wire(void **state) {
    (void)state;
    const se_mailbox_t *mailbox = open_spy("ALIF_ENSEMBLE");
    se_device_data_t data;
    assert_int_equal(se_get_device_data(mailbox, &data, NULL), 0);
    assert_int_equal(spy.sends, 1);
    // The message is the packet's global address; the packet is the header, then zeros.
    assert_int_equal(spy.sent_message, se.mailbox.packet_global);
    const uint8_t header[8] = {0xd0, 0x00, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(spy.sent, header, sizeof(header));
    for (size_t i = sizeof(header); i < sizeof(se_device_data_packet_t); i++) {
        assert_int_equal(spy.sent[i], 0);
    }

    char revision[SE_REVISION_MAX + 1];
    assert_int_equal(se_get_revision(mailbox, revision, NULL), 0);
    assert_int_equal(spy.sent[0] | spy.sent[1] << 8, 103);
}

static void test_reply_bytes_where_the_manual_puts_them(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    se_device_data_t data;
    assert_int_equal(se_get_device_data(&se.mailbox, &data, NULL), 0);
    const uint8_t *wire = (const uint8_t *)se.packet;
    assert_int_equal(wire[0] | wire[1] << 8, 208);
    assert_int_equal(wire[4] | wire[5] << 8, SE_REQ_SUCCESS);
    assert_int_equal(le32(wire + 8), 0x0000b400);
    assert_memory_equal(wire + 16, "AE722F80F55D5LS", 16);
    const uint8_t serial[8] = {0x4d, 0x1e, 0x07, 0x93, 0x22, 0x5c, 0xa1, 0x08};
    assert_memory_equal(wire + 136, serial, sizeof(serial));
    assert_int_equal(wire[144], 1);
    assert_int_equal(le32(wire + 168), SE_SERVICE_SUCCESS);
    assert_memory_equal(&data, wire + 8, sizeof(data));

    char revision[SE_REVISION_MAX + 1];
    assert_int_equal(se_get_revision(&se.mailbox, revision, NULL), 0);
    assert_int_equal(le32(wire + 8), strlen("SES B4 v1.107.0 (simulated)"));
    assert_memory_equal(wire + 12, "SES B4", 6);
    assert_int_equal(le32(wire + 92), SE_SERVICE_SUCCESS);
}

static void test_se_revision_round_trip(void **state) {
    (void)state;
    char revision[SE_REVISION_MAX + 1];
    open_se("ALIF_ENSEMBLE", NULL);
    assert_int_equal(se_get_revision(&se.mailbox, revision, NULL), 0);
    assert_string_equal(revision, "SES B4 v1.107.0 (simulated)");
    assert_int_equal(se.requests, 1);
    assert_int_equal(se.now_ns, SIM_SE_REPLY_NS);

    open_se("OPENMV_AE3", NULL);
    assert_int_equal(se_get_revision(&se.mailbox, revision, NULL), 0);
    assert_string_equal(revision, alif_board_find("OPENMV_AE3")->se.banner);

    // The longest banner the SE may send arrives whole.
    char longest[SE_REVISION_MAX + 1];
    memset(longest, 'v', SE_REVISION_MAX);
    longest[SE_REVISION_MAX] = '\0';
    char err[160];
    sim_se_config_t config = {.board = "OPENMV_AE3", .revision = longest};
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), 0);
    assert_int_equal(se_get_revision(&se.mailbox, revision, NULL), 0);
    assert_string_equal(revision, longest);
}

static void test_device_data_round_trip_on_each_board(void **state) {
    (void)state;
    se_device_data_t data;
    open_se("ALIF_ENSEMBLE", NULL);
    assert_int_equal(se_get_device_data(&se.mailbox, &data, NULL), 0);
    assert_int_equal(data.revision_id, 0x0000b400);
    assert_memory_equal(data.alif_pn, "AE722F80F55D5LS\0", 16);
    assert_int_equal(data.lcs, 1);
    const uint8_t mfg[8] = {24, 7 | 0x80, 41, 23, 0, 0, 0x5a, 17};
    assert_memory_equal(data.mfg_data, mfg, sizeof(mfg));
    assert_int_equal(data.external_config[0] | data.flags2, 0);
    assert_memory_equal(&data, &se.record, sizeof(data));

    open_se("OPENMV_AE3", NULL);
    assert_int_equal(se_get_device_data(&se.mailbox, &data, NULL), 0);
    assert_int_equal(data.revision_id, 0x0000b400);
    assert_memory_equal(data.alif_pn, "AE302F80F55D5AE\0", 16);
    const uint8_t serial[8] = {0x3a, 0x90, 0x11, 0xc4, 0x7e, 0x02, 0x5f, 0x31};
    assert_memory_equal(data.serial, serial, sizeof(serial));
    assert_int_equal(data.lcs, 5);
    // The rest of the record is filled, not left blank.
    uint8_t blank[16] = {0};
    assert_memory_not_equal(data.hbk0, blank, sizeof(data.hbk0));
    assert_memory_not_equal(data.dcu, blank, sizeof(data.dcu));
}

static void test_record_overrides(void **state) {
    (void)state;
    char err[160];
    sim_se_config_t config = {
        .board = "OPENMV_AE3",
        .part_number = "AE101F4071542LH",
        .serial = "0011223344556677",
        .lcs = "7",
        .revision = "SES Z9 v2.0.0",
    };
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), 0);
    se_device_data_t data;
    assert_int_equal(se_get_device_data(&se.mailbox, &data, NULL), 0);
    assert_memory_equal(data.alif_pn, "AE101F4071542LH\0", 16);
    const uint8_t serial[8] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    assert_memory_equal(data.serial, serial, sizeof(serial));
    assert_int_equal(data.lcs, 7);
    char revision[SE_REVISION_MAX + 1];
    assert_int_equal(se_get_revision(&se.mailbox, revision, NULL), 0);
    assert_string_equal(revision, "SES Z9 v2.0.0");

    // Unset knobs mean the board's own; an empty ALIF_BOARD is the default board, as everywhere.
    config = (sim_se_config_t){.board = ""};
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), 0);
    assert_int_equal(se_get_device_data(&se.mailbox, &data, NULL), 0);
    assert_memory_equal(data.alif_pn, "AE722F80F55D5LS", 15);
    assert_int_equal(data.lcs, 1);
}

static void test_bad_configuration_is_refused(void **state) {
    (void)state;
    static const struct {
        sim_se_config_t config;
        const char *names;
    } bad[] = {
        {{.board = "PYBOARD"}, "PYBOARD"},
        {{.fault = "sometimes"}, "ALIF_SIM_SE_FAULT"},
        {{.part_number = "AE722F80F55D5XXYZ"}, "ALIF_SIM_SE_PN"},
        {{.part_number = "AE722\tF80"}, "ALIF_SIM_SE_PN"},
        {{.serial = "0011"}, "ALIF_SIM_SE_SERIAL"},
        {{.serial = "00112233445566zz"}, "ALIF_SIM_SE_SERIAL"},
        {{.serial = "+0112233445566 7"}, "ALIF_SIM_SE_SERIAL"},
        {{.lcs = "256"}, "ALIF_SIM_SE_LCS"},
        {{.lcs = "-1"}, "ALIF_SIM_SE_LCS"},
        {{.lcs = "DM"}, "ALIF_SIM_SE_LCS"},
        {{.lcs = "0x7"}, "ALIF_SIM_SE_LCS"},
        {{.lcs = " 5"}, "ALIF_SIM_SE_LCS"},
        {{.lcs = "+5"}, "ALIF_SIM_SE_LCS"},
        {{.lcs = "1000"}, "ALIF_SIM_SE_LCS"},
        {{.board = "PYBOARD"}, "ALIF_BOARD"},
        {{.fault = ""}, "ALIF_SIM_SE_FAULT"},
        {{.part_number = ""}, "ALIF_SIM_SE_PN"},
        {{.serial = ""}, "ALIF_SIM_SE_SERIAL"},
        {{.lcs = ""}, "ALIF_SIM_SE_LCS"},
        {{.revision = ""}, "ALIF_SIM_SE_REVISION"},
        {{.revision = "SES B4 \x01"}, "ALIF_SIM_SE_REVISION"},
        {{.revision = "SES B4 \xff"}, "ALIF_SIM_SE_REVISION"},
        {{.revision = "SES B4 v1.107.0 "
                      "..................................................................."},
         "ALIF_SIM_SE_REVISION"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[160] = "";
        assert_int_equal(sim_se_open(&se, &bad[i].config, err, sizeof(err)), -ALIF_EINVAL);
        assert_non_null(strstr(err, bad[i].names));
    }
}

static void test_device_id64_packs_the_manufacturing_data(void **state) {
    (void)state;
    // Each field alone at its all-ones value lands on its own bits of the 40-bit extension:
    // x y wafer fab year week lot, most significant first. Bits outside the fields count for
    // nothing.
    static const struct {
        uint8_t byte, value;
        uint64_t bits;
    } fields[] = {
        {3, 0x7f, 0x7full << 33}, // x
        {2, 0x7f, 0x7full << 26}, // y
        {1, 0x1f, 0x1full << 21}, // wafer
        {1, 0x80, 0x01ull << 20}, // fab
        {0, 0x3f, 0x3full << 14}, // year
        {7, 0x3f, 0x3full << 8},  // week
        {6, 0xff, 0xffull},       // lot
        {0, 0xc0, 0},
        {1, 0x60, 0},
        {2, 0x80, 0},
        {3, 0x80, 0},
        {4, 0xff, 0},
        {5, 0xff, 0},
        {7, 0xc0, 0},
        {8, 0xff, 0},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        se_device_data_t data = {0};
        data.mfg_data[fields[i].byte] = fields[i].value;
        uint8_t id[8];
        se_device_id64(&data, id);
        for (int b = 0; b < 5; b++) {
            assert_int_equal(id[b], (uint8_t)(fields[i].bits >> (8 * (4 - b))));
        }
        const uint8_t alif_oid[3] = {0x78, 0x59, 0x94};
        assert_memory_equal(id + 5, alif_oid, sizeof(alif_oid));
    }

    // The ALIF_ENSEMBLE record: x 23, y 41, wafer 7, fab 1, year 24, week 17, lot 0x5a.
    open_se("ALIF_ENSEMBLE", NULL);
    uint8_t id[8];
    se_device_id64(&se.record, id);
    const uint8_t expected[8] = {0x2e, 0xa4, 0xf6, 0x11, 0x5a, 0x78, 0x59, 0x94};
    assert_memory_equal(id, expected, sizeof(expected));
}

static void test_timeout_fault_gives_up_at_the_time_out(void **state) {
    (void)state;
    double start = seconds_now();
    open_se("ALIF_ENSEMBLE", "timeout");
    char revision[SE_REVISION_MAX + 1] = "stale";
    se_error_t error;
    assert_int_equal(se_get_revision(&se.mailbox, revision, &error), -ALIF_ETIMEDOUT);
    assert_int_equal(error.fault, SE_FAULT_NO_REPLY);
    assert_int_equal(error.service_id, SE_SERVICE_GET_SE_REVISION);
    assert_string_equal(revision, "");
    // It waited the whole time-out, in the simulated SE's time, and no more.
    assert_int_equal(se.now_ns, SE_SERVICE_TIMEOUT_NS);
    se_device_data_t data;
    memset(&data, 0xaa, sizeof(data));
    assert_int_equal(se_get_device_data(&se.mailbox, &data, &error), -ALIF_ETIMEDOUT);
    assert_int_equal(se.now_ns, 2 * SE_SERVICE_TIMEOUT_NS);
    se_device_data_t blank = {0};
    assert_memory_equal(&data, &blank, sizeof(data));
    assert_true(seconds_now() - start < 1.0);
}

static void test_error_fault_is_a_service_error(void **state) {
    (void)state;
    double start = seconds_now();
    open_se("OPENMV_AE3", "error");
    se_error_t error;
    se_device_data_t data;
    assert_int_equal(se_get_device_data(&se.mailbox, &data, &error), -ALIF_EIO);
    assert_int_equal(error.fault, SE_FAULT_SERVICE);
    assert_int_equal(error.code, SE_SERVICE_FAIL);
    assert_int_equal(error.service_id, SE_SERVICE_GET_DEVICE_DATA);
    assert_int_equal(le32((const uint8_t *)se.packet + 168), SE_SERVICE_FAIL);
    char revision[SE_REVISION_MAX + 1];
    assert_int_equal(se_get_revision(&se.mailbox, revision, &error), -ALIF_EIO);
    assert_int_equal(le32((const uint8_t *)se.packet + 92), SE_SERVICE_FAIL);
    assert_true(seconds_now() - start < 1.0);
}

static void test_malformed_fault_is_eproto(void **state) {
    (void)state;
    double start = seconds_now();
    open_se("ALIF_ENSEMBLE", "malformed");
    se_error_t error;
    se_device_data_t data;
    assert_int_equal(se_get_device_data(&se.mailbox, &data, &error), -ALIF_EIO);
    assert_int_equal(error.fault, SE_FAULT_MALFORMED);
    assert_string_equal(error.detail, "the reply is for another service");
    char revision[SE_REVISION_MAX + 1];
    assert_int_equal(se_get_revision(&se.mailbox, revision, &error), -ALIF_EIO);
    assert_int_equal(error.service_id, SE_SERVICE_GET_SE_REVISION);
    assert_true(seconds_now() - start < 1.0);
}

static void test_unknown_command(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    se_revision_packet_t packet = {0};
    se_error_t error;
    assert_int_equal(se_call(&se.mailbox, 999, &packet.header, sizeof(packet), &error),
                     -ALIF_EOPNOTSUPP);
    assert_int_equal(error.fault, SE_FAULT_TRANSPORT);
    assert_int_equal(error.code, SE_RESP_UNKNOWN_COMMAND);
    assert_int_equal(packet.header.error_code, 0xfc);
}

static void test_not_acknowledged(void **state) {
    (void)state;
    const se_mailbox_t *mailbox = open_spy("ALIF_ENSEMBLE");
    spy.refuse_send = -ALIF_EIO;
    char revision[SE_REVISION_MAX + 1];
    se_error_t error;
    assert_int_equal(se_get_revision(mailbox, revision, &error), -ALIF_EIO);
    assert_int_equal(error.fault, SE_FAULT_NOT_ACKNOWLEDGED);
    assert_int_equal(se.requests, 0);
}

static void set_transport_timeout(uint8_t *packet, uint32_t *reply) {
    (void)reply;
    packet[4] = 0xfd;
}

static void set_transport_not_acknowledged(uint8_t *packet, uint32_t *reply) {
    (void)reply;
    packet[4] = 0xff;
}

static void set_transport_undefined(uint8_t *packet, uint32_t *reply) {
    (void)reply;
    packet[4] = 0x42;
}

static void set_invalid_parameter_in_revision(uint8_t *packet, uint32_t *reply) {
    (void)reply;
    packet[92] = 0x01;
    packet[93] = 0x02;
}

static void set_invalid_parameter_in_device_data(uint8_t *packet, uint32_t *reply) {
    (void)reply;
    packet[168] = 0x01;
    packet[169] = 0x02;
}

static void set_other_service_error(uint8_t *packet, uint32_t *reply) {
    (void)reply;
    packet[170] = 0x01;
}

static void reply_for_another_packet(uint8_t *packet, uint32_t *reply) {
    (void)packet;
    *reply = 0x1234;
}

static void revision_too_long(uint8_t *packet, uint32_t *reply) {
    (void)reply;
    packet[8] = SE_REVISION_MAX + 1;
}

static void test_each_spoiled_reply_is_its_errno(void **state) {
    (void)state;
    static const struct {
        void (*spoil)(uint8_t *packet, uint32_t *reply);
        uint16_t service;
        int err;
        se_fault_t fault;
        uint32_t code;
    } cases[] = {
        {set_transport_timeout, 208, -ALIF_ETIMEDOUT, SE_FAULT_TRANSPORT, 0xfd},
        {set_transport_not_acknowledged, 208, -ALIF_EIO, SE_FAULT_TRANSPORT, 0xff},
        {set_transport_undefined, 103, -ALIF_EIO, SE_FAULT_TRANSPORT, 0x42},
        {set_invalid_parameter_in_revision, 103, -ALIF_EINVAL, SE_FAULT_SERVICE, 0x201},
        {set_invalid_parameter_in_device_data, 208, -ALIF_EINVAL, SE_FAULT_SERVICE, 0x201},
        {set_other_service_error, 208, -ALIF_EIO, SE_FAULT_SERVICE, 0x10000},
        {reply_for_another_packet, 208, -ALIF_EIO, SE_FAULT_MALFORMED, 0x1234},
        {revision_too_long, 103, -ALIF_EIO, SE_FAULT_MALFORMED, 81},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const se_mailbox_t *mailbox = open_spy("ALIF_ENSEMBLE");
        spy.spoil = cases[i].spoil;
        spy.spoil_request = 1;
        se_error_t error;
        int ret;
        if (cases[i].service == SE_SERVICE_GET_SE_REVISION) {
            char revision[SE_REVISION_MAX + 1];
            ret = se_get_revision(mailbox, revision, &error);
            assert_string_equal(revision, "");
        } else {
            se_device_data_t data;
            ret = se_get_device_data(mailbox, &data, &error);
        }
        assert_int_equal(ret, cases[i].err);
        assert_int_equal(error.err, cases[i].err);
        assert_int_equal(error.fault, cases[i].fault);
        assert_int_equal(error.code, cases[i].code);
        assert_int_equal(error.service_id, cases[i].service);
    }
}

static void test_packet_that_does_not_fit_is_never_sent(void **state) {
    (void)state;
    const se_mailbox_t *mailbox = open_spy("ALIF_ENSEMBLE");
    spy.mailbox.packet_size = sizeof(se_device_data_packet_t) - 4;
    se_device_data_t data;
    se_error_t error;
    assert_int_equal(se_get_device_data(mailbox, &data, &error), -ALIF_EINVAL);
    assert_int_equal(error.fault, SE_FAULT_PACKET_SIZE);
    assert_int_equal(spy.sends, 0);
}

static void test_error_messages_name_the_service(void **state) {
    (void)state;
    static const struct {
        se_error_t error;
        const char *message;
    } cases[] = {
        {{208, SE_FAULT_NO_REPLY, -ALIF_ETIMEDOUT, 0, NULL},
         "SE service 'get device data' timed out: the SE did not answer in time (100 ms)"},
        {{103, SE_FAULT_NOT_ACKNOWLEDGED, -ALIF_EIO, 0, NULL},
         "SE service 'get SE revision' was not acknowledged by the SE"},
        {{208, SE_FAULT_MALFORMED, -ALIF_EIO, 0x2f, "the reply is for another service"},
         "SE service 'get device data' answered with a malformed packet: the reply is for "
         "another service"},
        {{999, SE_FAULT_TRANSPORT, -ALIF_EOPNOTSUPP, 0xfc, NULL},
         "SE service 'unknown service' is unknown to the SE (transport error 0xfc)"},
        {{208, SE_FAULT_TRANSPORT, -ALIF_ETIMEDOUT, 0xfd, NULL},
         "SE service 'get device data' timed out inside the SE (transport error 0xfd)"},
        {{208, SE_FAULT_TRANSPORT, -ALIF_EIO, 0xff, NULL},
         "SE service 'get device data' was not acknowledged by the SE (transport error 0xff)"},
        {{208, SE_FAULT_TRANSPORT, -ALIF_EIO, 0x42, NULL},
         "SE service 'get device data' failed in transport (transport error 0x42)"},
        {{103, SE_FAULT_SERVICE, -ALIF_EIO, 0x200, NULL},
         "SE service 'get SE revision' failed (service error 0x200)"},
        {{208, SE_FAULT_SERVICE, -ALIF_EINVAL, 0x201, NULL},
         "SE service 'get device data' rejected a parameter (service error 0x201)"},
        {{208, SE_FAULT_PACKET_SIZE, -ALIF_EINVAL, 172, NULL},
         "SE service 'get device data': a 172-byte packet does not fit the mailbox's buffer"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char message[160];
        se_error_message(&cases[i].error, message, sizeof(message));
        assert_string_equal(message, cases[i].message);
    }
    // Cut short, still a string.
    char small[12];
    se_error_message(&cases[0].error, small, sizeof(small));
    assert_string_equal(small, "SE service ");
}

static void test_the_process_se_comes_from_the_environment(void **state) {
    (void)state;
    setenv("ALIF_BOARD", "OPENMV_AE3", 1);
    setenv("ALIF_SIM_SE_LCS", "0", 1);
    unsetenv("ALIF_SIM_SE_FAULT");
    const se_mailbox_t *mailbox;
    const char *message;
    assert_int_equal(alif_se_mailbox_get(&mailbox, &message), 0);
    se_device_data_t data;
    assert_int_equal(se_get_device_data(mailbox, &data, NULL), 0);
    assert_memory_equal(data.alif_pn, "AE302F80F55D5AE", 15);
    assert_int_equal(data.lcs, 0);
    // One SE per process: later changes to the environment do not make another.
    setenv("ALIF_BOARD", "ALIF_ENSEMBLE", 1);
    const se_mailbox_t *again;
    assert_int_equal(alif_se_mailbox_get(&again, &message), 0);
    assert_ptr_equal(again, mailbox);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_layout),
        cmocka_unit_test(test_get_se_revision_packet_layout),
        cmocka_unit_test(test_get_device_data_packet_layout),
        cmocka_unit_test(test_service_ids_and_codes),
        cmocka_unit_test(test_request_on_the_wire),
        cmocka_unit_test(test_reply_bytes_where_the_manual_puts_them),
        cmocka_unit_test(test_se_revision_round_trip),
        cmocka_unit_test(test_device_data_round_trip_on_each_board),
        cmocka_unit_test(test_record_overrides),
        cmocka_unit_test(test_bad_configuration_is_refused),
        cmocka_unit_test(test_device_id64_packs_the_manufacturing_data),
        cmocka_unit_test(test_timeout_fault_gives_up_at_the_time_out),
        cmocka_unit_test(test_error_fault_is_a_service_error),
        cmocka_unit_test(test_malformed_fault_is_eproto),
        cmocka_unit_test(test_unknown_command),
        cmocka_unit_test(test_not_acknowledged),
        cmocka_unit_test(test_each_spoiled_reply_is_its_errno),
        cmocka_unit_test(test_packet_that_does_not_fit_is_never_sent),
        cmocka_unit_test(test_error_messages_name_the_service),
        cmocka_unit_test(test_the_process_se_comes_from_the_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
