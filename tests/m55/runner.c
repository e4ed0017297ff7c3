// SPDX-License-Identifier: MIT
// The runner behind cmocka.h for the target build. Output follows cmocka's ([ RUN ], [ OK ],
// [ FAILED ] lines) and ends with "N passed, N failed", which the make rule checks.
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmocka.h"
#include "m55.h"

enum { TEST_PASSED, TEST_FAILED, TEST_SKIPPED };

static jmp_buf test_env;
static int test_running;
static long live_blocks; // from test_malloc and friends, not yet freed

static void vprint_error(const char *format, va_list ap) {
    fputs("[  ERROR   ] --- ", stdout);
    vprintf(format, ap);
    fputc('\n', stdout);
}

void print_error(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
}

void print_message(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
}

static _Noreturn void end_test(int result, const char *file, int line) {
    if (file != NULL) {
        printf("[   LINE   ] --- %s:%d: error: Failure!\n", file, line);
    }
    if (!test_running) {
        // An assertion outside any test (in main, say) has no test to end.
        printf("0 passed, 1 failed\n");
        exit(1);
    }
    longjmp(test_env, result);
}

static _Noreturn void failure(const char *file, int line, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vprint_error(format, ap);
    va_end(ap);
    end_test(TEST_FAILED, file, line);
}

void _assert_true(int ok, const char *expression, const char *file, int line) {
    if (!ok) {
        failure(file, line, "%s", expression);
    }
}

void _assert_int_equal(LargestIntegralType a, LargestIntegralType b, int equal, const char *file,
                       int line) {
    if ((a == b) != equal) {
        failure(file, line, "%#llx (%lld) %s %#llx (%lld)", a, (long long)a, equal ? "!=" : "==", b,
                (long long)b);
    }
}

void _assert_in_range(LargestIntegralType v, LargestIntegralType lo, LargestIntegralType hi,
                      int inside, const char *file, int line) {
    if ((v >= lo && v <= hi) != inside) {
        failure(file, line, "%#llx is %s range [%#llx, %#llx]", v, inside ? "not in" : "in", lo,
                hi);
    }
}

void _assert_string_equal(const char *a, const char *b, int equal, const char *file, int line) {
    if ((strcmp(a, b) == 0) != equal) {
        failure(file, line, "\"%s\" %s \"%s\"", a, equal ? "!=" : "==", b);
    }
}

void _assert_memory_equal(const void *a, const void *b, size_t n, int equal, const char *file,
                          int line) {
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    while (i < n && x[i] == y[i]) {
        i++;
    }
    // %lu, not %zu: Debian's newlib is built without C99's size modifiers and prints "zu".
    if ((i == n) != equal) {
        if (equal) {
            failure(file, line, "%lu bytes differ, first at offset %lu: %#04x != %#04x",
                    (unsigned long)n, (unsigned long)i, x[i], y[i]);
        }
        failure(file, line, "%lu bytes are the same", (unsigned long)n);
    }
}

void _fail(const char *file, int line) {
    end_test(TEST_FAILED, file, line);
}

void _fail_msg(const char *file, int line, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vprint_error(format, ap);
    va_end(ap);
    end_test(TEST_FAILED, file, line);
}

void _skip(const char *file, int line) {
    (void)file;
    (void)line;
    end_test(TEST_SKIPPED, NULL, 0);
}

static void *counted(void *p, const char *file, int line) {
    if (p == NULL) {
        failure(file, line, "out of memory");
    }
    live_blocks++;
    return p;
}

void *_test_malloc(size_t size, const char *file, int line) {
    return counted(malloc(size), file, line);
}

void *_test_calloc(size_t n, size_t size, const char *file, int line) {
    return counted(calloc(n, size), file, line);
}

void *_test_realloc(void *p, size_t size, const char *file, int line) {
    if (p != NULL) {
        live_blocks--;
    }
    return counted(realloc(p, size), file, line);
}

void _test_free(void *p, const char *file, int line) {
    (void)file;
    (void)line;
    if (p != NULL) {
        live_blocks--;
        free(p);
    }
}

// Reached in thread mode when the code under test faults (startup.c has printed the fault).
static void fault_in_test(void) {
    puts("[  ERROR   ] --- the test faulted");
    longjmp(test_env, TEST_FAILED);
}

// One fixture or test function, run until it returns or ends the test.
static int run_step(CMFixtureFunction fixture, CMUnitTestFunction test, void **state) {
    int result = setjmp(test_env);
    if (result != 0) {
        return result;
    }
    test_running = 1;
    m55_fault_hook = fault_in_test;
    if (fixture != NULL && fixture(state) != 0) {
        puts("[  ERROR   ] --- the fixture returned an error");
        return TEST_FAILED;
    }
    if (test != NULL) {
        test(state);
    }
    return TEST_PASSED;
}

int _cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *tests, size_t count,
                            CMFixtureFunction group_setup, CMFixtureFunction group_teardown) {
    unsigned passed = 0, failed = 0, skipped = 0;
    void *group_state = NULL;
    printf("[==========] %s: Running %u test(s).\n", group_name, (unsigned)count);
    int setup_result = group_setup ? run_step(group_setup, NULL, &group_state) : TEST_PASSED;
    for (size_t i = 0; i < count && setup_result == TEST_PASSED; i++) {
        const struct CMUnitTest *t = &tests[i];
        void *state = t->initial_state ? t->initial_state : group_state;
        long blocks_before = live_blocks;
        printf("[ RUN      ] %s\n", t->name);
        int result = run_step(t->setup_func, NULL, &state);
        if (result == TEST_PASSED) {
            result = run_step(NULL, t->test_func, &state);
            int teardown = t->teardown_func ? run_step(t->teardown_func, NULL, &state) : 0;
            result = result == TEST_PASSED ? teardown : result;
        }
        if (result == TEST_PASSED && live_blocks != blocks_before) {
            printf("[  ERROR   ] --- %ld block(s) from test_malloc not freed\n",
                   live_blocks - blocks_before);
            result = TEST_FAILED;
        }
        printf(result == TEST_PASSED    ? "[       OK ] %s\n"
               : result == TEST_SKIPPED ? "[  SKIPPED ] %s\n"
                                        : "[  FAILED  ] %s\n",
               t->name);
        passed += result == TEST_PASSED;
        failed += result == TEST_FAILED;
        skipped += result == TEST_SKIPPED;
    }
    if (setup_result != TEST_PASSED) {
        printf("[  ERROR   ] --- group setup failed\n");
        failed = (unsigned)count;
    } else if (group_teardown != NULL && run_step(group_teardown, NULL, &group_state) != 0) {
        printf("[  ERROR   ] --- group teardown failed\n");
        failed++;
    }
    test_running = 0;
    m55_fault_hook = NULL;
    printf("[==========] %s: %u test(s) run.\n", group_name, (unsigned)count);
    if (skipped != 0) {
        printf("%u skipped\n", skipped);
    }
    printf("%u passed, %u failed\n", passed, failed);
    return (int)failed;
}
