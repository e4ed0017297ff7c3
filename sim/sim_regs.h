// SPDX-License-Identifier: MIT
// The host's side of reg_access.h: register models claim address windows, and every
// reg_read32/reg_write32 of a driver goes to the model whose window holds the address.
#ifndef ALIF_SIM_REGS_H
#define ALIF_SIM_REGS_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t (*sim_regs_read_fn)(void *ctx, uint32_t offset);
typedef void (*sim_regs_write_fn)(void *ctx, uint32_t offset, uint32_t value);

// Claims [base, base + size) for a model; offsets passed to it are from base. Aborts when the
// window overlaps one already claimed, or when the table is full: both are simulator bugs.
void sim_regs_map(uintptr_t base, size_t size, sim_regs_read_fn read, sim_regs_write_fn write,
                  void *ctx);
void sim_regs_unmap(uintptr_t base);

// Whether a window starting at base is claimed, so that models can pick free addresses.
int sim_regs_mapped(uintptr_t base);

#endif // ALIF_SIM_REGS_H
