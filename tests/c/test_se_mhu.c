// SPDX-License-Identifier: MIT
// The MHU driver against the MHU register model with the simulated SE behind it: whole service
// calls, the handshake, time-outs on the virtual clock, and the channels left clean.
#include <errno.h>
#include <string.h>

#include "mhu_regs.h"
#include "reg_access.h"
#include "se_mhu.h"
#include "sim_mhu.h"
#include "support.h"

typedef struct {
    sim_se_t se;
    sim_mhu_t *model;
    se_mhu_t driver;
    se_mailbox_t mailbox;
} fixture_t;

static void fixture_open(fixture_t *f, const char *board, const char *fault) {
    char err[160];
    sim_se_config_t config = {.board = board, .fault = fault};
    assert_int_equal(sim_se_open(&f->se, &config, err, sizeof(err)), 0);
    f->model = sim_mhu_new(&f->se);
    assert_non_null(f->model);
    sim_mhu_driver_config(f->model, &f->driver);
    se_mhu_mailbox(&f->driver, f->se.mailbox.packet, f->se.mailbox.packet_size,
                   f->se.mailbox.packet_global, &f->mailbox);
}

static void fixture_close(fixture_t *f) {
    sim_mhu_free(f->model);
}

// Through the MHU registers a service call gives what the SE's record holds, and leaves no
// access held and no reply uncleared.
static void test_service_calls_through_the_mhu(void **state) {
    (void)state;
    static const char *const boards[] = {"ALIF_ENSEMBLE", "OPENMV_AE3"};
    for (size_t i = 0; i < 2; i++) {
        fixture_t f;
        fixture_open(&f, boards[i], NULL);
        se_error_t error;
        char revision[SE_REVISION_MAX + 1];
        assert_int_equal(se_get_revision(&f.mailbox, revision, &error), 0);
        assert_string_equal(revision, f.se.revision);
        se_device_data_t data;
        assert_int_equal(se_get_device_data(&f.mailbox, &data, &error), 0);
        assert_memory_equal(&data, &f.se.record, sizeof(data));
        assert_int_equal(sim_mhu_stats(f.model)->messages, 2);
        assert_int_equal(sim_mhu_stats(f.model)->dropped_writes, 0);
        assert_int_equal(sim_mhu_reply_pending(f.model), 0);
        assert_false(sim_mhu_access_held(f.model));
        assert_int_equal(f.se.requests, 2);
        fixture_close(&f);
    }
}

// A message the SE does not take (it names no buffer the SE can read) is -ALIF_EIO after the
// handshake time-out, and access is released.
static void test_message_not_taken_is_eio(void **state) {
    (void)state;
    fixture_t f;
    fixture_open(&f, NULL, NULL);
    uint64_t t0 = f.se.now_ns;
    assert_int_equal(f.mailbox.send(f.mailbox.ctx, 0x1234), -ALIF_EIO);
    assert_true(f.se.now_ns - t0 >= SE_MHU_HANDSHAKE_TIMEOUT_NS);
    assert_false(sim_mhu_access_held(f.model));
    assert_int_equal(f.se.requests, 0);
    fixture_close(&f);
}

// An SE that takes the message and never answers is -ALIF_ETIMEDOUT after the service time-out, on
// the virtual clock.
static void test_no_reply_times_out(void **state) {
    (void)state;
    fixture_t f;
    fixture_open(&f, NULL, "timeout");
    se_error_t error;
    char revision[SE_REVISION_MAX + 1];
    uint64_t t0 = f.se.now_ns;
    assert_int_equal(se_get_revision(&f.mailbox, revision, &error), -ALIF_ETIMEDOUT);
    assert_int_equal(error.fault, SE_FAULT_NO_REPLY);
    assert_true(f.se.now_ns - t0 >= SE_SERVICE_TIMEOUT_NS);
    assert_true(f.se.now_ns - t0 < SE_SERVICE_TIMEOUT_NS + 1000000);
    fixture_close(&f);
}

// The reply waits in the receiver channel until read, and reading clears it.
static void test_reply_is_read_once(void **state) {
    (void)state;
    fixture_t f;
    fixture_open(&f, NULL, NULL);
    assert_int_equal(f.mailbox.send(f.mailbox.ctx, f.mailbox.packet_global), 0);
    uint32_t reply = 0;
    assert_int_equal(f.mailbox.wait_reply(f.mailbox.ctx, &reply, SE_SERVICE_TIMEOUT_NS), 0);
    assert_int_equal(reply, f.mailbox.packet_global);
    assert_int_equal(sim_mhu_reply_pending(f.model), 0);
    assert_int_equal(f.mailbox.wait_reply(f.mailbox.ctx, &reply, 1000000), -ALIF_ETIMEDOUT);
    fixture_close(&f);
}

// The model holds drivers to the handshake: a channel write without access is dropped.
static void test_write_without_access_is_dropped(void **state) {
    (void)state;
    fixture_t f;
    fixture_open(&f, NULL, NULL);
    reg_write32(f.driver.tx_base + MHU_TX_CH_SET, f.mailbox.packet_global);
    assert_int_equal(sim_mhu_stats(f.model)->dropped_writes, 1);
    assert_int_equal(f.se.requests, 0);
    fixture_close(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_calls_through_the_mhu),
        cmocka_unit_test(test_message_not_taken_is_eio),
        cmocka_unit_test(test_no_reply_times_out),
        cmocka_unit_test(test_reply_is_read_once),
        cmocka_unit_test(test_write_without_access_is_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
