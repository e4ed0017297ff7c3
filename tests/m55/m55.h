// SPDX-License-Identifier: MIT
// What the test programs' board support offers the runner: the semihosting call, and a hook for
// faults, so that a test that faults fails alone and the rest still run.
#ifndef ALIF_M55_H
#define ALIF_M55_H

#include <stdint.h>

// Arm semihosting (Arm IHI 0098, "Semihosting for AArch32 and AArch64"): operation numbers.
#define SEMIHOST_GET_CMDLINE 0x15
#define SEMIHOST_ELAPSED 0x30
#define SEMIHOST_TICKFREQ 0x31

uintptr_t m55_semihost(uint32_t op, const void *arg);

// Called in thread mode, in place of the faulting code, after the fault has been reported;
// NULL (the default) ends the program with status 3.
extern void (*volatile m55_fault_hook)(void);

#endif // ALIF_M55_H
