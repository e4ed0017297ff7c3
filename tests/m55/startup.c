// SPDX-License-Identifier: MIT
// Reset and faults for the test programs on QEMU's mps3-an547: the vector table, the C
// environment (stack limit, FPU, .bss, semihosting handles, argv), and fault reports.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "m55.h"

// Armv8-M Architecture Reference Manual (DDI 0553), System Control Space: CPACR, CCR, the
// fault status and address registers.
#define REG32(addr) (*(volatile uint32_t *)(addr))
#define SCB_CPACR REG32(0xe000ed88)
#define SCB_CCR REG32(0xe000ed14)
#define SCB_CFSR REG32(0xe000ed28)
#define SCB_HFSR REG32(0xe000ed2c)
#define SCB_MMFAR REG32(0xe000ed34)
#define SCB_BFAR REG32(0xe000ed38)
#define CCR_DIV_0_TRP (1u << 4)
#define CPACR_CP10_CP11_FULL (0xfu << 20)

extern uint32_t __bss_start__[], __bss_end__[], __stack_limit[], __stack_top[];
extern void initialise_monitor_handles(void); // newlib's librdimon
int main(int argc, char **argv);

void (*volatile m55_fault_hook)(void);

uintptr_t m55_semihost(uint32_t op, const void *arg) {
    register uintptr_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

// argv from the command line QEMU was given (-semihosting-config arg=...), split at spaces;
// leading NAME=value words set the environment instead, as env(1) does, so that the make rules
// give the target programs the environment CTest gives the host's.
static int command_line(char **argv, int max) {
    static char line[512];
    struct {
        char *buf;
        uint32_t len;
    } block = {line, sizeof(line) - 1};
    int argc = 0;
    if (m55_semihost(SEMIHOST_GET_CMDLINE, &block) != 0) {
        return 0;
    }
    for (char *word = strtok(line, " "); word != NULL && argc < max; word = strtok(NULL, " ")) {
        char *equals = strchr(word, '=');
        if (argc == 0 && equals != NULL) {
            *equals = '\0';
            setenv(word, equals + 1, 1);
        } else {
            argv[argc++] = word;
        }
    }
    return argc;
}

void m55_reset(void) {
    // The stack sits at the bottom of the DDR with MSPLIM under it: an overflow is a fault
    // (UsageFault STKOF), not a silent write over .bss.
    __asm__ volatile("msr msplim, %0" : : "r"(__stack_limit));
    SCB_CPACR |= CPACR_CP10_CP11_FULL; // hard-float code uses the FPU from the first line
    // A division by zero traps as it does on the host (SIGFPE), instead of giving 0.
    SCB_CCR |= CCR_DIV_0_TRP;
    __asm__ volatile("dsb\n isb" ::: "memory");
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
    initialise_monitor_handles();
    static char *argv[16];
    int argc = command_line(argv, 15);
    exit(main(argc, argv));
}

// CFSR's bits (Armv8-M ARM, DDI 0553: the UFSR, BFSR and MMFSR fields), named in reports.
static const char *const cfsr_names[32] = {
    [0] = "IACCVIOL", [1] = "DACCVIOL",    [3] = "MUNSTKERR",    [4] = "MSTKERR",   [5] = "MLSPERR",
    [8] = "IBUSERR",  [9] = "PRECISERR",   [10] = "IMPRECISERR", [11] = "UNSTKERR", [12] = "STKERR",
    [13] = "LSPERR",  [16] = "UNDEFINSTR", [17] = "INVSTATE",    [18] = "INVPC",    [19] = "NOCP",
    [20] = "STKOF",   [24] = "UNALIGNED",  [25] = "DIVBYZERO",
};

// Called from the fault vector with the exception frame the fault stacked (r0-r3, r12, lr,
// pc, xPSR: the Armv8-M ARM's basic stack frame) and the EXC_RETURN value.
void m55_fault_report(uint32_t *frame, uint32_t exc_return) {
    uint32_t ipsr, cfsr = SCB_CFSR;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    fprintf(stderr,
            "\nfault: exception %lu at pc 0x%08lx lr 0x%08lx, CFSR 0x%08lx HFSR 0x%08lx "
            "MMFAR 0x%08lx BFAR 0x%08lx:",
            (unsigned long)ipsr & 0x1ff, (unsigned long)frame[6], (unsigned long)frame[5],
            (unsigned long)cfsr, (unsigned long)SCB_HFSR, (unsigned long)SCB_MMFAR,
            (unsigned long)SCB_BFAR);
    for (unsigned bit = 0; bit < 32; bit++) {
        if ((cfsr >> bit & 1) != 0 && cfsr_names[bit] != NULL) {
            fprintf(stderr, " %s", cfsr_names[bit]);
        }
    }
    fputc('\n', stderr);
    // Write-one-to-clear, so that the next fault reports only its own causes.
    SCB_CFSR = SCB_CFSR;
    SCB_HFSR = SCB_HFSR;
    if (m55_fault_hook == NULL || (exc_return & 0x8) == 0) {
        // Nowhere to go back to (no test running, or the fault was in a handler).
        exit(3);
    }
    // Return from the exception into the hook, in Thumb state, instead of the faulting code.
    frame[6] = (uint32_t)(uintptr_t)m55_fault_hook & ~1u;
    frame[7] = (frame[7] & (1u << 9)) | 1u << 24; // keep the stack-realign bit
}

__attribute__((naked)) static void m55_fault(void) {
    __asm__ volatile("tst lr, #4\n"
                     "ite eq\n"
                     "mrseq r0, msp\n"
                     "mrsne r0, psp\n"
                     "mov r1, lr\n"
                     "push {r1, lr}\n"
                     "bl m55_fault_report\n"
                     "pop {r1, pc}\n");
}

static void m55_unexpected(void) {
    fprintf(stderr, "\nunexpected interrupt\n");
    exit(3);
}

// Armv8-M vector table: initial SP, then reset, NMI, HardFault, MemManage, BusFault,
// UsageFault, SecureFault; the rest are not expected.
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))__stack_top,
    m55_reset,
    m55_unexpected,
    m55_fault,
    m55_fault,
    m55_fault,
    m55_fault,
    m55_fault,
    m55_unexpected,
    m55_unexpected,
    m55_unexpected,
    m55_unexpected,
    m55_unexpected,
    m55_unexpected,
    m55_unexpected,
    m55_unexpected,
};
