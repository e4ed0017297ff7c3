// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>

#include "reg_access.h"
#include "sim_regs.h"

#define MAX_WINDOWS (32)

typedef struct {
    uintptr_t base;
    size_t size;
    sim_regs_read_fn read;
    sim_regs_write_fn write;
    void *ctx;
} window_t;

static window_t windows[MAX_WINDOWS];

void sim_regs_map(uintptr_t base, size_t size, sim_regs_read_fn read, sim_regs_write_fn write,
                  void *ctx) {
    window_t *free_slot = NULL;
    for (size_t i = 0; i < MAX_WINDOWS; i++) {
        window_t *w = &windows[i];
        if (w->size == 0) {
            free_slot = free_slot ? free_slot : w;
        } else if (base < w->base + w->size && w->base < base + size) {
            fprintf(stderr, "sim_regs: window at 0x%08lx overlaps one at 0x%08lx\n",
                    (unsigned long)base, (unsigned long)w->base);
            abort();
        }
    }
    if (free_slot == NULL) {
        fprintf(stderr, "sim_regs: no room for a window at 0x%08lx\n", (unsigned long)base);
        abort();
    }
    *free_slot = (window_t){base, size, read, write, ctx};
}

void sim_regs_unmap(uintptr_t base) {
    for (size_t i = 0; i < MAX_WINDOWS; i++) {
        if (windows[i].size != 0 && windows[i].base == base) {
            windows[i] = (window_t){0};
        }
    }
}

int sim_regs_mapped(uintptr_t base) {
    for (size_t i = 0; i < MAX_WINDOWS; i++) {
        if (windows[i].size != 0 && windows[i].base == base) {
            return 1;
        }
    }
    return 0;
}

// A driver touching an address no model claims is a driver bug that silicon would answer with
// a bus fault: stop here, loudly.
static window_t *window_for(uintptr_t addr, const char *access) {
    for (size_t i = 0; i < MAX_WINDOWS; i++) {
        window_t *w = &windows[i];
        if (w->size != 0 && addr >= w->base && addr - w->base < w->size) {
            if (addr % 4 != 0) {
                break;
            }
            return w;
        }
    }
    fprintf(stderr, "sim_regs: %s of 0x%08lx, which no register model claims\n", access,
            (unsigned long)addr);
    abort();
}

uint32_t reg_model_read32(uintptr_t addr) {
    window_t *w = window_for(addr, "read");
    return w->read(w->ctx, (uint32_t)(addr - w->base));
}

void reg_model_write32(uintptr_t addr, uint32_t value) {
    window_t *w = window_for(addr, "write");
    w->write(w->ctx, (uint32_t)(addr - w->base), value);
}
