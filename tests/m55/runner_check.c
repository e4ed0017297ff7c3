// SPDX-License-Identifier: MIT
// The target runner's own check: every test here breaks one assertion (or the fixture and
// test_malloc rules) and must FAIL, so that no assertion of runner.c can pass what cmocka fails.
// make test-m55 requires "0 passed".
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

static volatile int zero = 0, one = 1; // keeps the compiler from deciding the assertions

static void test_true(void **state) {
    (void)state;
    assert_true(zero);
}

static void test_false(void **state) {
    (void)state;
    assert_false(one);
}

static void test_int_equal(void **state) {
    (void)state;
    assert_int_equal(-1, 0xffffffffu); // unequal as the largest unsigned type, as in cmocka
}

static void test_int_not_equal(void **state) {
    (void)state;
    assert_int_not_equal(one, 1);
}

static void test_null(void **state) {
    assert_null(state);
}

static void test_non_null(void **state) {
    (void)state;
    assert_non_null((void *)(uintptr_t)zero);
}

static void test_ptr_equal(void **state) {
    assert_ptr_equal(state, state + 1);
}

static void test_in_range(void **state) {
    (void)state;
    assert_in_range(one + 10, 0, 10);
}

static void test_string_equal(void **state) {
    (void)state;
    assert_string_equal("abc", "abd");
}

static void test_memory_equal(void **state) {
    (void)state;
    assert_memory_equal("abcdef", "abcdeg", 6);
}

static void test_memory_not_equal(void **state) {
    (void)state;
    assert_memory_not_equal("abc", "abc", 3);
}

static void test_fail(void **state) {
    (void)state;
    fail();
}

static void test_fail_msg(void **state) {
    (void)state;
    fail_msg("failed on purpose: %d", one);
}

static void test_leak(void **state) {
    (void)state;
    test_malloc(16);
}

static int failing_fixture(void **state) {
    (void)state;
    return -1;
}

static void test_never_reached(void **state) {
    (void)state;
}

static int teardown_that_asserts(void **state) {
    (void)state;
    assert_true(zero);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_true),
        cmocka_unit_test(test_false),
        cmocka_unit_test(test_int_equal),
        cmocka_unit_test(test_int_not_equal),
        cmocka_unit_test(test_null),
        cmocka_unit_test(test_non_null),
        cmocka_unit_test(test_ptr_equal),
        cmocka_unit_test(test_in_range),
        cmocka_unit_test(test_string_equal),
        cmocka_unit_test(test_memory_equal),
        cmocka_unit_test(test_memory_not_equal),
        cmocka_unit_test(test_fail),
        cmocka_unit_test(test_fail_msg),
        cmocka_unit_test(test_leak),
        cmocka_unit_test_setup(test_never_reached, failing_fixture),
        cmocka_unit_test_teardown(test_never_reached, failing_fixture),
        cmocka_unit_test_teardown(test_never_reached, teardown_that_asserts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
