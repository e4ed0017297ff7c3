// The SE services client and alif.info() against the simulated SE: layouts byte for byte,
// each service's round trip, each fault, and the printed format.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alif_info.h"
#include "sim_se.h"
#include "support.h"

static sim_se_t se;

static void open_se(const char *board, const char *fault) {
    char err[160];
    sim_se_config_t config = {.board = board, .fault = fault, .lcs = -1};
    if (sim_se_open(&se, &config, err, sizeof(err)) != 0) {
        fail_msg("%s", err);
    }
}

typedef struct {
    char text[4096];
    size_t len;
    int calls;
} printed_t;

static void capture(void *ctx, const char *text) {
    printed_t *p = ctx;
    p->len += (size_t)snprintf(p->text + p->len, sizeof(p->text) - p->len, "%s", text);
    p->calls++;
}

static void test_packet_layouts_match_the_manual(void **state) {
    (void)state;
    assert_int_equal(sizeof(se_header_t), 8);
    assert_int_equal(offsetof(se_header_t, service_id), 0);
    assert_int_equal(offsetof(se_header_t, flags), 2);
    assert_int_equal(offsetof(se_header_t, error_code), 4);
    assert_int_equal(offsetof(se_revision_packet_t, revision_length), 8);
    assert_int_equal(offsetof(se_revision_packet_t, revision), 12);
    assert_int_equal(offsetof(se_revision_packet_t, error_code), 92);
    assert_int_equal(sizeof(se_revision_packet_t), 96);
    assert_int_equal(offsetof(se_device_data_packet_t, revision_id), 8);
    assert_int_equal(offsetof(se_device_data_packet_t, version), 12);
    assert_int_equal(offsetof(se_device_data_packet_t, alif_pn), 16);
    assert_int_equal(offsetof(se_device_data_packet_t, hbk0), 32);
    assert_int_equal(offsetof(se_device_data_packet_t, hbk1), 48);
    assert_int_equal(offsetof(se_device_data_packet_t, hbk_fw), 64);
    assert_int_equal(offsetof(se_device_data_packet_t, config), 84);
    assert_int_equal(offsetof(se_device_data_packet_t, dcu), 88);
    assert_int_equal(offsetof(se_device_data_packet_t, mfg_data), 104);
    assert_int_equal(offsetof(se_device_data_packet_t, serial), 136);
    assert_int_equal(offsetof(se_device_data_packet_t, lcs), 144);
    assert_int_equal(offsetof(se_device_data_packet_t, error_code), 148);
    assert_int_equal(sizeof(se_device_data_packet_t), 152);
    assert_int_equal(SE_DEVICE_RECORD_SIZE, 137);
    // Service IDs and codes as the SE defines them.
    assert_int_equal(SE_SERVICE_FIRMWARE_VERSION, 103);
    assert_int_equal(SE_SERVICE_DEVICE_REVISION_DATA, 0xd0);
    assert_int_equal(SE_REQ_NOT_ACKNOWLEDGE, 0xff);
    assert_int_equal(SE_REQ_TIMEOUT, 0xfd);
    assert_int_equal(SE_RESP_UNKNOWN_COMMAND, 0xfc);
    assert_int_equal(SE_SERVICE_FAIL, 0x200);
    assert_int_equal(SE_SERVICE_INVALID_PARAMETER, 0x201);
}

static void test_request_goes_out_in_the_shared_packet(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    se_device_data_packet_t data;
    assert_int_equal(se_get_device_data(&se.mailbox, &data), 0);
    assert_int_equal(se.requests, 1);
    const uint8_t *shared = (const uint8_t *)se.packet;
    assert_int_equal(shared[0] | shared[1] << 8, 208); // the service ID, little-endian at 0
    assert_int_equal(data.header.service_id, 208);
}

static void test_revision_round_trip(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    char revision[SE_REVISION_MAX + 1];
    assert_int_equal(se_get_revision(&se.mailbox, revision), 0);
    assert_string_equal(revision, "SES B4 v1.107.0 (simulated)");
    char err[160];
    sim_se_config_t config = {.board = "OPENMV_AE3", .revision = "SES X v9", .lcs = -1};
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), 0);
    assert_int_equal(se_get_revision(&se.mailbox, revision), 0);
    assert_string_equal(revision, "SES X v9");
}

static void test_device_data_round_trip_per_board_and_overrides(void **state) {
    (void)state;
    se_device_data_packet_t data;
    open_se("ALIF_ENSEMBLE", NULL);
    assert_int_equal(se_get_device_data(&se.mailbox, &data), 0);
    assert_memory_equal(data.alif_pn, "AE722F80F55D5XX", 15);
    assert_int_equal(data.alif_pn[15], 0);
    assert_int_equal(data.lcs, 1);
    assert_int_equal(data.revision_id, 0xb400);
    open_se("OPENMV_AE3", NULL);
    assert_int_equal(se_get_device_data(&se.mailbox, &data), 0);
    assert_memory_equal(data.alif_pn, "AE302F80F55D5AE", 15);
    assert_int_equal(data.lcs, 5);

    char err[160];
    sim_se_config_t config = {.board = "OPENMV_AE3", .part_number = "AE101F4071542LH",
        .serial_hex = "0011223344556677", .lcs = 7};
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), 0);
    assert_int_equal(se_get_device_data(&se.mailbox, &data), 0);
    assert_memory_equal(data.alif_pn, "AE101F4071542LH", 15);
    const uint8_t serial[8] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    assert_memory_equal(data.serial, serial, 8);
    assert_int_equal(data.lcs, 7);

    config.serial_hex = "xyz";
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), -EINVAL);
    config = (sim_se_config_t){.board = "PYBOARD", .lcs = -1};
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), -EINVAL);
    config = (sim_se_config_t){.board = "OPENMV_AE3", .fault = "sometimes", .lcs = -1};
    assert_int_equal(sim_se_open(&se, &config, err, sizeof(err)), -EINVAL);
}

static void test_device_id64_packs_the_manufacturing_data(void **state) {
    (void)state;
    se_device_data_packet_t data = {0};
    // x=23, y=41, wafer=7, fab=1, year=24, week=17, lot=0x5a
    const uint8_t mfg[6] = {23, 41, 7 | 0x80, 24, 17, 0x5a};
    memcpy(data.mfg_data, mfg, sizeof(mfg));
    uint8_t id[8];
    se_device_id64(&data, id);
    // x(7) y(7) wafer<<1|fab (6) year(6) week(6) lot(8), then Alif's OID 78 59 94.
    uint64_t bits = (uint64_t)23 << 33 | (uint64_t)41 << 26 | (uint64_t)15 << 20 |
                    (uint64_t)24 << 14 | (uint64_t)17 << 8 | 0x5a;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(id[i], (uint8_t)(bits >> (8 * (4 - i))));
    }
    assert_int_equal(id[5], 0x78);
    assert_int_equal(id[6], 0x59);
    assert_int_equal(id[7], 0x94);
}

static void test_unknown_service_is_enosys(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    se_revision_packet_t packet = {0};
    assert_int_equal(se_call(&se.mailbox, 999, &packet, sizeof(packet)), -ENOSYS);
    assert_string_equal(se_service_name(999), "unknown service");
}

static void test_each_fault_is_its_errno(void **state) {
    (void)state;
    char revision[SE_REVISION_MAX + 1];
    se_device_data_packet_t data;
    open_se("ALIF_ENSEMBLE", "timeout");
    assert_int_equal(se_get_revision(&se.mailbox, revision), -ETIMEDOUT);
    assert_int_equal(se.now_ns, SE_SERVICE_TIMEOUT_NS); // gave up at the time-out, not before
    open_se("ALIF_ENSEMBLE", "error");
    assert_int_equal(se_get_device_data(&se.mailbox, &data), -EIO);
    open_se("ALIF_ENSEMBLE", "malformed");
    assert_int_equal(se_get_device_data(&se.mailbox, &data), -EPROTO);
    assert_int_equal(se_get_revision(&se.mailbox, revision), -EPROTO);
}

static int refuse(void *ctx, uint32_t message) {
    (void)ctx;
    (void)message;
    return -EIO;
}

static void test_not_acknowledged_is_eio(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    se.mailbox.send = refuse;
    char revision[SE_REVISION_MAX + 1];
    assert_int_equal(se_get_revision(&se.mailbox, revision), -EIO);
}

static void test_info_prints_lines_then_the_record(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    printed_t out = {0};
    char err[160] = "";
    assert_int_equal(alif_info(&se.mailbox, capture, &out, err, sizeof(err)), 0);
    const char *expected_head =
        "SE revision:     SES B4 v1.107.0 (simulated)\n"
        "ALIF_PN:         AE722F80F55D5XX\n"
        "SoC revision:    0x0000b400\n"
        "Serial number:   4d1e0793225ca108\n"
        "Lifecycle state: DM (device manufacture)\n"
        "Unique ID:       2ea4f6115a785994\n"
        "Device data (137 bytes):\n"
        "0000: 00 b4 00 00 01 06 6b 00 41 45 37 32 32 46 38 30\n";
    assert_memory_equal(out.text, expected_head, strlen(expected_head));
    // 137 bytes: eight full lines of 16 and one of 9, the last ending with the LCS.
    const char *last = strstr(out.text, "0080:");
    assert_non_null(last);
    assert_string_equal(last, "0080: 4d 1e 07 93 22 5c a1 08 01\n");
    int dump_lines = 0;
    for (const char *p = strstr(out.text, "0000:"); p; p = strchr(p + 1, '\n')) {
        dump_lines += p[1] != '\0';
    }
    assert_int_equal(dump_lines, 9);
    assert_int_equal(out.calls, 7 + 9);
}

static void test_info_on_a_fault_prints_nothing_and_names_the_service(void **state) {
    (void)state;
    const char *faults[] = {"timeout", "error", "malformed"};
    const char *words[] = {"did not answer in time", "failed", "malformed"};
    const int errnos[] = {-ETIMEDOUT, -EIO, -EPROTO};
    for (int i = 0; i < 3; i++) {
        open_se("OPENMV_AE3", faults[i]);
        printed_t out = {0};
        char err[160] = "";
        assert_int_equal(alif_info(&se.mailbox, capture, &out, err, sizeof(err)), errnos[i]);
        assert_int_equal(out.calls, 0);
        assert_non_null(strstr(err, "SE service 'get SE revision'"));
        assert_non_null(strstr(err, words[i]));
    }
}

static void test_lifecycle_names(void **state) {
    (void)state;
    assert_string_equal(alif_lcs_name(0), "CM (chip manufacture)");
    assert_string_equal(alif_lcs_name(1), "DM (device manufacture)");
    assert_string_equal(alif_lcs_name(5), "SE (secure enabled)");
    assert_string_equal(alif_lcs_name(7), "RMA (return merchandise)");
    assert_string_equal(alif_lcs_name(3), "unknown");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packet_layouts_match_the_manual),
        cmocka_unit_test(test_request_goes_out_in_the_shared_packet),
        cmocka_unit_test(test_revision_round_trip),
        cmocka_unit_test(test_device_data_round_trip_per_board_and_overrides),
        cmocka_unit_test(test_device_id64_packs_the_manufacturing_data),
        cmocka_unit_test(test_unknown_service_is_enosys),
        cmocka_unit_test(test_each_fault_is_its_errno),
        cmocka_unit_test(test_not_acknowledged_is_eio),
        cmocka_unit_test(test_info_prints_lines_then_the_record),
        cmocka_unit_test(test_info_on_a_fault_prints_nothing_and_names_the_service),
        cmocka_unit_test(test_lifecycle_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
