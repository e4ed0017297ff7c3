// SPDX-License-Identifier: MIT
// alif.info()'s text, exactly, on each board; nothing printed and a message naming the service on
// each fault, whichever service fails; and text from the SE never reaching the terminal raw.
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "alif_errno.h"
#include "alif_info.h"
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

typedef struct {
    char text[4096];
    size_t len;
    int calls;
    bool whole_lines; // every call was exactly one line
} printed_t;

static void capture(void *ctx, const char *text) {
    printed_t *p = ctx;
    size_t len = strlen(text);
    if (len == 0 || strchr(text, '\n') != text + len - 1) {
        p->whole_lines = false;
    }
    p->len += (size_t)snprintf(p->text + p->len, sizeof(p->text) - p->len, "%s", text);
    p->calls++;
}

static const char ensemble_text[] = "SE revision:     SES B4 v1.107.0 (simulated)\n"
                                    "ALIF_PN:         AE722F80F55D5LS\n"
                                    "SoC revision:    B4 (0x0000b400)\n"
                                    "Serial number:   4d1e0793225ca108\n"
                                    "Lifecycle state: DM (device manufacture)\n"
                                    "Unique ID:       2ea4f6115a785994\n"
                                    "Device data (160 bytes):\n"
                                    "0000: 00 b4 00 00 01 06 6b 00 41 45 37 32 32 46 38 30\n"
                                    "0010: 46 35 35 44 35 4c 53 00 18 e8 2d 61 26 23 87 f7\n"
                                    "0020: 19 ce 79 e1 61 a4 4c 2e 0d bd 25 80 d0 b1 b9 9d\n"
                                    "0030: b3 eb f8 6f 7b e1 1f 0e ce f0 fb e6 89 ff 67 15\n"
                                    "0040: e3 28 40 80 45 17 5d 59 fc dc 41 f2 26 4b 9a 33\n"
                                    "0050: 81 46 ca 09 f9 77 f8 94 24 5b 7a 00 0a a9 94 42\n"
                                    "0060: 18 87 29 17 00 00 5a 11 00 00 00 00 00 00 00 00\n"
                                    "0070: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
                                    "0080: 4d 1e 07 93 22 5c a1 08 01 00 00 00 00 00 00 00\n"
                                    "0090: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n";

static void test_prints_the_lines_then_the_record(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", NULL);
    printed_t out = {.whole_lines = true};
    char err[160] = "stale";
    assert_int_equal(alif_info(&se.mailbox, capture, &out, err, sizeof(err)), 0);
    assert_string_equal(out.text, ensemble_text);
    assert_true(out.whole_lines);
    assert_int_equal(out.calls, 7 + 10);
    assert_string_equal(err, "");
}

static void test_the_dump_is_the_record_the_se_sent(void **state) {
    (void)state;
    // Line by line from the record's own bytes, so that the dump follows the SE's answer and
    // not a copy of it kept somewhere else.
    open_se("OPENMV_AE3", NULL);
    se.record.flags2 = 0x0403020f;
    se.record.external_config[3] = 0x0c0b0a09;
    printed_t out = {.whole_lines = true};
    char err[160];
    assert_int_equal(alif_info(&se.mailbox, capture, &out, err, sizeof(err)), 0);
    const char *dump = strstr(out.text, "Device data (160 bytes):\n");
    assert_non_null(dump);
    dump += strlen("Device data (160 bytes):\n");
    const uint8_t *record = (const uint8_t *)&se.record;
    char expected[1024];
    size_t n = 0;
    for (size_t line = 0; line < 10; line++) {
        n += (size_t)snprintf(expected + n, sizeof(expected) - n, "%04x:", (unsigned)(16 * line));
        for (size_t i = 0; i < 16; i++) {
            n += (size_t)snprintf(expected + n, sizeof(expected) - n, " %02x",
                                  (unsigned)record[16 * line + i]);
        }
        n += (size_t)snprintf(expected + n, sizeof(expected) - n, "\n");
    }
    assert_string_equal(dump, expected);
    assert_non_null(strstr(dump, "0090: 00 00 00 00 00 00 00 00 09 0a 0b 0c 0f 02 03 04\n"));
    assert_non_null(strstr(dump, "0080: 3a 90 11 c4 7e 02 5f 31 05 00 00 00"));
}

static void test_each_board_has_its_own_lines(void **state) {
    (void)state;
    open_se("OPENMV_AE3", NULL);
    printed_t out = {.whole_lines = true};
    char err[160];
    assert_int_equal(alif_info(&se.mailbox, capture, &out, err, sizeof(err)), 0);
    const char *head = "SE revision:     SES B4 v1.107.0 (simulated)\n"
                       "ALIF_PN:         AE302F80F55D5AE\n"
                       "SoC revision:    B4 (0x0000b400)\n"
                       "Serial number:   3a9011c47e025f31\n"
                       "Lifecycle state: SE (secure enabled)\n"
                       "Unique ID:       b0326646c3785994\n"
                       "Device data (160 bytes):\n"
                       "0000: 00 b4 00 00 01 06 6b 00 41 45 33 30 32 46 38 30\n";
    assert_memory_equal(out.text, head, strlen(head));
}

static void test_each_fault_prints_nothing_and_names_the_service(void **state) {
    (void)state;
    static const struct {
        const char *fault;
        int err;
        const char *message;
    } cases[] = {
        {"timeout", -ALIF_ETIMEDOUT,
         "SE service 'get SE revision' timed out: the SE did not answer in time (100 ms)"},
        {"error", -ALIF_EIO, "SE service 'get SE revision' failed (service error 0x200)"},
        {"malformed", -ALIF_EIO,
         "SE service 'get SE revision' answered with a malformed packet: the reply is for "
         "another service"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        open_se("ALIF_ENSEMBLE", cases[i].fault);
        printed_t out = {.whole_lines = true};
        char err[160] = "";
        assert_int_equal(alif_info(&se.mailbox, capture, &out, err, sizeof(err)), cases[i].err);
        assert_int_equal(out.calls, 0);
        assert_string_equal(err, cases[i].message);
        // Within the time-out: the timeout fault waits it once, the others not at all.
        assert_true(se.now_ns <= SE_SERVICE_TIMEOUT_NS);
    }
}

// A mailbox in front of the simulated SE whose second request fails, so that the first service
// has already answered when the fault comes.
typedef struct {
    se_mailbox_t mailbox;
    unsigned sends;
    bool drop_second; // no reply to the second request, or else a service error in it
} second_fails_t;

static int second_send(void *ctx, uint32_t message) {
    second_fails_t *s = ctx;
    s->sends++;
    return se.mailbox.send(se.mailbox.ctx, message);
}

static int second_wait_reply(void *ctx, uint32_t *message, uint64_t timeout_ns) {
    second_fails_t *s = ctx;
    if (s->sends == 2 && s->drop_second) {
        se.reply_pending = false;
    }
    int ret = se.mailbox.wait_reply(se.mailbox.ctx, message, timeout_ns);
    if (ret == 0 && s->sends == 2) {
        uint8_t *packet = (uint8_t *)se.packet;
        packet[168] = 0x01; // SE_SERVICE_INVALID_PARAMETER, little-endian
        packet[169] = 0x02;
    }
    return ret;
}

static void test_a_fault_in_the_second_service_prints_nothing(void **state) {
    (void)state;
    for (int drop = 0; drop < 2; drop++) {
        open_se("ALIF_ENSEMBLE", NULL);
        second_fails_t second = {.mailbox = se.mailbox, .drop_second = drop};
        second.mailbox.send = second_send;
        second.mailbox.wait_reply = second_wait_reply;
        second.mailbox.ctx = &second;
        printed_t out = {.whole_lines = true};
        char err[160];
        int ret = alif_info(&second.mailbox, capture, &out, err, sizeof(err));
        assert_int_equal(second.sends, 2);
        assert_int_equal(out.calls, 0);
        if (drop) {
            assert_int_equal(ret, -ALIF_ETIMEDOUT);
            assert_string_equal(err, "SE service 'get device data' timed out: the SE did not "
                                     "answer in time (100 ms)");
        } else {
            assert_int_equal(ret, -ALIF_EINVAL);
            assert_string_equal(
                err, "SE service 'get device data' rejected a parameter (service error 0x201)");
        }
    }
}

static void test_a_short_message_buffer_still_holds_a_string(void **state) {
    (void)state;
    open_se("ALIF_ENSEMBLE", "error");
    printed_t out = {.whole_lines = true};
    char err[16];
    memset(err, 'x', sizeof(err));
    assert_int_equal(alif_info(&se.mailbox, capture, &out, err, sizeof(err)), -ALIF_EIO);
    assert_string_equal(err, "SE service 'get");
}

static void test_text_from_the_se_is_made_printable(void **state) {
    (void)state;
    alif_info_t info = {0};
    snprintf(info.se_revision, sizeof(info.se_revision), "SES\x1b[2J B4\tv1 \r\n");
    // A part number that fills all 16 bytes has no NUL after it.
    memcpy(info.device.alif_pn, "AE722F80F55D5XYZ", 16);
    info.device.lcs = 3;
    printed_t out = {.whole_lines = true};
    alif_info_print(&info, capture, &out);
    const char *head = "SE revision:     SES.[2J B4.v1\n"
                       "ALIF_PN:         AE722F80F55D5XYZ\n"
                       "SoC revision:    unknown (0x00000000)\n"
                       "Serial number:   0000000000000000\n"
                       "Lifecycle state: unknown (0x03)\n"
                       "Unique ID:       0000000000000000\n";
    assert_memory_equal(out.text, head, strlen(head));
    assert_true(out.whole_lines);

    // Bytes past a NUL are not part of the text, and a high byte is not printable.
    memcpy(info.device.alif_pn, "AE3\0garbage\xff\xfe\xfd\xfc\xfb", 16);
    memcpy(info.se_revision, "v1\xe9", 4);
    out = (printed_t){.whole_lines = true};
    alif_info_print(&info, capture, &out);
    assert_non_null(strstr(out.text, "SE revision:     v1.\nALIF_PN:         AE3\n"));
}

static void test_lifecycle_states_by_name(void **state) {
    (void)state;
    assert_string_equal(alif_lcs_name(0), "CM (chip manufacture)");
    assert_string_equal(alif_lcs_name(1), "DM (device manufacture)");
    assert_string_equal(alif_lcs_name(5), "SE (secure enabled)");
    assert_string_equal(alif_lcs_name(7), "RMA (return merchandise)");
    for (int lcs = 0; lcs < 256; lcs++) {
        if (lcs != 0 && lcs != 1 && lcs != 5 && lcs != 7) {
            assert_null(alif_lcs_name((uint8_t)lcs));
        }
    }
}

static void test_soc_revisions_by_the_names_alifs_tools_use(void **state) {
    (void)state;
    // isp/device_probe.py REVISIONS: "0 180 0 0" is Fusion B4, "161 2 0 0" Eagle A1, "1 160 0 0"
    // Spark A0 (the revision word's bytes, lowest first).
    assert_string_equal(alif_soc_revision_name(0x0000b400), "B4");
    assert_string_equal(alif_soc_revision_name(0x0000b300), "B3");
    assert_string_equal(alif_soc_revision_name(0x000002a1), "A1");
    assert_string_equal(alif_soc_revision_name(0x0000a001), "A0");
    // No Ensemble part is an A6; the byte order matters.
    assert_null(alif_soc_revision_name(0x0000a600));
    assert_null(alif_soc_revision_name(0x00b40000));
    assert_null(alif_soc_revision_name(0));
}

static void test_simulated_boards_carry_parts_that_exist(void **state) {
    (void)state;
    static const char *const names[] = {"ALIF_ENSEMBLE", "OPENMV_AE3"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const alif_board_se_t *se = &alif_board_find(names[i])->se;
        assert_non_null(alif_soc_revision_name(se->revision_id));
        // Alif part numbers are 15 characters and end in a package code, never a placeholder.
        size_t len = strlen(se->part_number);
        assert_int_equal(len, 15);
        assert_memory_not_equal(se->part_number + len - 2, "XX", 2);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prints_the_lines_then_the_record),
        cmocka_unit_test(test_the_dump_is_the_record_the_se_sent),
        cmocka_unit_test(test_each_board_has_its_own_lines),
        cmocka_unit_test(test_each_fault_prints_nothing_and_names_the_service),
        cmocka_unit_test(test_a_fault_in_the_second_service_prints_nothing),
        cmocka_unit_test(test_a_short_message_buffer_still_holds_a_string),
        cmocka_unit_test(test_text_from_the_se_is_made_printable),
        cmocka_unit_test(test_lifecycle_states_by_name),
        cmocka_unit_test(test_soc_revisions_by_the_names_alifs_tools_use),
        cmocka_unit_test(test_simulated_boards_carry_parts_that_exist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
