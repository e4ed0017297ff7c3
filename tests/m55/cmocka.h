// SPDX-License-Identifier: MIT
// The part of cmocka's API the C tests use, for the target build, where Debian has no cmocka:
// the same test sources compile unchanged against it. Same semantics as cmocka 1.1: integers
// compare as the largest unsigned type, a failed assertion ends the test (and only the test),
// teardown runs after a test that failed, blocks from test_malloc still held after the test
// fail it, and cmocka_run_group_tests returns the number of tests that failed. A fault (see
// startup.c) fails the test it happened in. The last line printed is "N passed, N failed".
#ifndef ALIF_M55_CMOCKA_H
#define ALIF_M55_CMOCKA_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned long long LargestIntegralType;
typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
    const char *name;
    CMUnitTestFunction test_func;
    CMFixtureFunction setup_func;
    CMFixtureFunction teardown_func;
    void *initial_state;
};

#define cmocka_unit_test(f)                                                                        \
    { #f, f, NULL, NULL, NULL }
#define cmocka_unit_test_setup(f, setup)                                                           \
    { #f, f, setup, NULL, NULL }
#define cmocka_unit_test_teardown(f, teardown)                                                     \
    { #f, f, NULL, teardown, NULL }
#define cmocka_unit_test_setup_teardown(f, setup, teardown)                                        \
    { #f, f, setup, teardown, NULL }
#define cmocka_unit_test_prestate(f, state)                                                        \
    { #f, f, NULL, NULL, state }
#define cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, state)                        \
    { #f, f, setup, teardown, state }

#define cmocka_run_group_tests(tests, group_setup, group_teardown)                                 \
    _cmocka_run_group_tests(#tests, tests, sizeof(tests) / sizeof((tests)[0]), group_setup,        \
                            group_teardown)
#define cmocka_run_group_tests_name(name, tests, group_setup, group_teardown)                      \
    _cmocka_run_group_tests(name, tests, sizeof(tests) / sizeof((tests)[0]), group_setup,          \
                            group_teardown)

#define assert_true(c) _assert_true(!!(c), #c, __FILE__, __LINE__)
#define assert_false(c) _assert_true(!(c), "!(" #c ")", __FILE__, __LINE__)
#define assert_non_null(p) _assert_true((p) != NULL, #p " != NULL", __FILE__, __LINE__)
#define assert_null(p) _assert_true((p) == NULL, #p " == NULL", __FILE__, __LINE__)
#define assert_return_code(rc, error)                                                              \
    _assert_true((rc) >= 0, #rc " >= 0 (error " #error ")", __FILE__, __LINE__)
#define assert_int_equal(a, b)                                                                     \
    _assert_int_equal((LargestIntegralType)(a), (LargestIntegralType)(b), 1, __FILE__, __LINE__)
#define assert_int_not_equal(a, b)                                                                 \
    _assert_int_equal((LargestIntegralType)(a), (LargestIntegralType)(b), 0, __FILE__, __LINE__)
#define assert_ptr_equal(a, b)                                                                     \
    _assert_int_equal((LargestIntegralType)(uintptr_t)(a), (LargestIntegralType)(uintptr_t)(b), 1, \
                      __FILE__, __LINE__)
#define assert_ptr_not_equal(a, b)                                                                 \
    _assert_int_equal((LargestIntegralType)(uintptr_t)(a), (LargestIntegralType)(uintptr_t)(b), 0, \
                      __FILE__, __LINE__)
#define assert_in_range(v, lo, hi)                                                                 \
    _assert_in_range((LargestIntegralType)(v), (LargestIntegralType)(lo),                          \
                     (LargestIntegralType)(hi), 1, __FILE__, __LINE__)
#define assert_not_in_range(v, lo, hi)                                                             \
    _assert_in_range((LargestIntegralType)(v), (LargestIntegralType)(lo),                          \
                     (LargestIntegralType)(hi), 0, __FILE__, __LINE__)
#define assert_string_equal(a, b) _assert_string_equal((a), (b), 1, __FILE__, __LINE__)
#define assert_string_not_equal(a, b) _assert_string_equal((a), (b), 0, __FILE__, __LINE__)
#define assert_memory_equal(a, b, n) _assert_memory_equal((a), (b), (n), 1, __FILE__, __LINE__)
#define assert_memory_not_equal(a, b, n) _assert_memory_equal((a), (b), (n), 0, __FILE__, __LINE__)
#define fail() _fail(__FILE__, __LINE__)
#define fail_msg(...) _fail_msg(__FILE__, __LINE__, __VA_ARGS__)
#define skip() _skip(__FILE__, __LINE__)

#define test_malloc(size) _test_malloc((size), __FILE__, __LINE__)
#define test_calloc(n, size) _test_calloc((n), (size), __FILE__, __LINE__)
#define test_realloc(p, size) _test_realloc((p), (size), __FILE__, __LINE__)
#define test_free(p) _test_free((p), __FILE__, __LINE__)

void print_message(const char *format, ...) __attribute__((format(printf, 1, 2)));
void print_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

int _cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *tests, size_t count,
                            CMFixtureFunction group_setup, CMFixtureFunction group_teardown);
void _assert_true(int ok, const char *expression, const char *file, int line);
void _assert_int_equal(LargestIntegralType a, LargestIntegralType b, int equal, const char *file,
                       int line);
void _assert_in_range(LargestIntegralType v, LargestIntegralType lo, LargestIntegralType hi,
                      int inside, const char *file, int line);
void _assert_string_equal(const char *a, const char *b, int equal, const char *file, int line);
void _assert_memory_equal(const void *a, const void *b, size_t n, int equal, const char *file,
                          int line);
_Noreturn void _fail(const char *file, int line);
_Noreturn void _fail_msg(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
_Noreturn void _skip(const char *file, int line);
void *_test_malloc(size_t size, const char *file, int line);
void *_test_calloc(size_t n, size_t size, const char *file, int line);
void *_test_realloc(void *p, size_t size, const char *file, int line);
void _test_free(void *p, const char *file, int line);

#endif // ALIF_M55_CMOCKA_H
