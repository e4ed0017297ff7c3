// SPDX-License-Identifier: MIT
// The one narrow seam through which target drivers touch hardware registers.
//
// reg_read32(addr) / reg_write32(addr, value): on the target a volatile access; on the host
// (ALIF_REG_MODEL defined) a call into the register models of sim/, so the driver code that runs
// on silicon runs unchanged in CI.
#ifndef ALIF_REG_ACCESS_H
#define ALIF_REG_ACCESS_H

#include <stdint.h>

#if defined(ALIF_REG_MODEL)
uint32_t reg_model_read32(uintptr_t addr);
void reg_model_write32(uintptr_t addr, uint32_t value);
static inline uint32_t reg_read32(uintptr_t addr) {
    return reg_model_read32(addr);
}
static inline void reg_write32(uintptr_t addr, uint32_t value) {
    reg_model_write32(addr, value);
}
#else
static inline uint32_t reg_read32(uintptr_t addr) {
    return *(volatile uint32_t *)addr;
}
static inline void reg_write32(uintptr_t addr, uint32_t value) {
    *(volatile uint32_t *)addr = value;
}
#endif

#endif // ALIF_REG_ACCESS_H
