// SPDX-License-Identifier: MIT
// Planted faults that only the target shows: make test-m55 requires every test here to FAIL on
// the emulated M55 (each passes on x86-64 without the sanitizers), so the target run is known to
// catch this class of bug. Not a suite of the host build (not in tests/c/).
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "se_client.h"

// The SE's device data record as received into a byte buffer at an offset that is not a
// multiple of 4, and its serial number read as one 64-bit word. The M55 loads it with LDRD;
// Armv8-M allows unaligned addresses only for single loads and stores (LDR, LDRH, STR, STRH and
// their T forms), so LDRD faults (UsageFault UNALIGNED) whatever CCR.UNALIGN_TRP says (Armv8-M
// ARM, DDI 0553, "Alignment behavior"); x86-64 loads it.
static void test_serial_read_through_a_misaligned_record(void **state) {
    (void)state;
    static uint8_t received[2 + sizeof(se_device_data_t)] __attribute__((aligned(8)));
    static const uint8_t serial[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    memcpy(received + 2 + offsetof(se_device_data_t, serial), serial, sizeof(serial));
    volatile uintptr_t at = (uintptr_t)received + 2; // hides the offset from the compiler
    const se_device_data_t *data = (const se_device_data_t *)at;
    uint64_t value = *(const uint64_t *)(const void *)data->serial;
    assert_int_equal(value, 0x0807060504030201ull);
}

// A 64-bit serial number through `long`: 64 bits on x86-64, 32 on the M55.
static void test_serial_printed_through_long(void **state) {
    (void)state;
    volatile int64_t serial = 0x0123456789abcdefll;
    char text[24];
    snprintf(text, sizeof(text), "%lx", (unsigned long)serial);
    assert_string_equal(text, "123456789abcdef");
}

// A length printed with C99's %zu: Debian's newlib is built without the C99 size modifiers, so
// its printf writes "zu" where glibc writes the number.
static void test_length_printed_with_z(void **state) {
    (void)state;
    char text[24], expected[24];
    snprintf(text, sizeof(text), "%zu", sizeof(se_device_data_t));
    snprintf(expected, sizeof(expected), "%lu", (unsigned long)sizeof(se_device_data_t));
    assert_string_equal(text, expected);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serial_read_through_a_misaligned_record),
        cmocka_unit_test(test_serial_printed_through_long),
        cmocka_unit_test(test_length_printed_with_z),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
