// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "ospi_regs.h"
#include "reg_access.h"
#include "sim_board.h"
#include "stock_read.h"

// Stock's settings for each part a board may carry (ospi_flash_settings.h
// OSPI_FLASH_SETTINGS_MX25 / _IS25 / _EM: 16-bit DDR instructions with the inverted extension and
// 16-bit XIP frames for Macronix, 8-bit for the others; dummy cycles from
// boards/ALIF_ENSEMBLE/board.c, JEDEC 0x1a5b9d, and boards/OPENMV_AE3/board.c, 0x3980c2, 0x195b9d,
// 0x17bb6b; every board at freq_hz 100 MHz). Columns: part, macronix, rxds, bswap16, write_en,
// read_command, write_command, inst_len, xip_data_len, read_dummy_cycles.
static const bench_stock_settings_t stock_settings[] = {
    {"MX25UM25645G", true, true, true, 0x06f9, 0xee11, 0x12ed, OSPI_INST_L_16_BITS, 16, 10},
    {"IS25WX512", false, false, false, 0x06, 0xfd, 0xc2, OSPI_INST_L_8_BITS, 8, 9},
    {"IS25WX256", false, false, false, 0x06, 0xfd, 0xc2, OSPI_INST_L_8_BITS, 8, 9},
    {"EM064LX", false, false, false, 0x06, 0xfd, 0xc2, OSPI_INST_L_8_BITS, 8, 7},
};

static int part_1s(const bench_stock_t *s, flash_bus_op_t op) {
    flash_bus_t bus;
    sim_nor_bus(s->model, &bus);
    return bus.exec(bus.ctx, &op);
}

// ospi_flash_issi_init / ospi_flash_mx_init: in 1S-1S-1S, write-enable (06h) and the dummy
// cycles, then write-enable and the mode: ISSI's Write Volatile Configuration 81h with a 3-byte
// address (register 1 the dummy count, register 0 E7h: 8D-8D-8D with DQS), Macronix's WRCR2 72h
// with a 4-byte address (CR2 300h the code (20 - cycles) / 2 of ospi_flash_mx_ddc, CR2 0 02h:
// DOPI). Sent straight to the part: stock's full-duplex 1S transfer is not what is timed or tested
// here.
static int stock_enter_octal(const bench_stock_t *s) {
    const bench_stock_settings_t *set = s->set;
    uint8_t values[2] = {set->macronix ? (uint8_t)((20 - set->read_dummy_cycles) / 2)
                                       : set->read_dummy_cycles,
                         set->macronix ? 0x02 : 0xe7};
    uint32_t addrs[2] = {set->macronix ? 0x300u : 1u, 0};
    int ret = 0;
    for (int i = 0; i < 2 && ret == 0; i++) {
        ret = part_1s(s, flash_op_1s(0x06));
        flash_bus_op_t op = flash_op_1s(set->macronix ? 0x72 : 0x81);
        flash_op_addr(&op, set->macronix ? 4 : 3, addrs[i]);
        flash_op_data_out(&op, &values[i], 1);
        ret = ret != 0 ? ret : part_1s(s, op);
    }
    return ret;
}

// How stock's ospi_setup_write_ext begins: no slave selected, the controller off, then CTRLR0 for
// octal frames of the direction and size given. Its ospi_xip_enter_ext begins so too, but for the
// SER write, which the XIP entry here has always made (XIP selects through XIP_SER, not SER).
static uintptr_t stock_octal_frames(const bench_stock_t *s, uint32_t tmod, uint32_t dfs_bits) {
    uintptr_t regs = sim_ospi_regs_base(s->controller);
    reg_write32(regs + OSPI_SER, 0);
    reg_write32(regs + OSPI_SSIENR, 0);
    reg_write32(regs + OSPI_CTRLR0, OSPI_CTRLR0_IS_MST |
                                        OSPI_SPI_FRF_OCTAL << OSPI_CTRLR0_SPI_FRF_SHIFT |
                                        tmod << OSPI_CTRLR0_TMOD_SHIFT | OSPI_CTRLR0_DFS(dfs_bits));
    return regs;
}

// ospi_xip_enter_ext: CTRLR0 receive-only octal with the XIP frame size; XIP_CTRL octal, all
// phases on eight lines, a 32-bit address, the instruction length (DDR when 16-bit), the wait
// cycles, DFS_HC, DDR, RXDS, instruction, continuous transfer and RXDS signalling on; the read
// command as both the incrementing and the wrapping instruction; the continuous-transfer time-out
// of 100; then XIP on in the AES block (ospi_xip_enable).
void bench_stock_xip_enter(const bench_stock_t *s) {
    const bench_stock_settings_t *set = s->set;
    uintptr_t regs = stock_octal_frames(s, OSPI_TMOD_RX_ONLY, set->xip_dfs_bits);
    reg_write32(regs + OSPI_XIP_CTRL,
                OSPI_SPI_FRF_OCTAL << OSPI_XIP_CTRL_FRF_SHIFT |
                    OSPI_TRANS_TYPE_ALL_IN_FRF << OSPI_XIP_CTRL_TRANS_TYPE_SHIFT |
                    8u << OSPI_XIP_CTRL_ADDR_L_SHIFT | set->inst_len << OSPI_XIP_CTRL_INST_L_SHIFT |
                    (uint32_t)set->read_dummy_cycles << OSPI_XIP_CTRL_WAIT_CYCLES_SHIFT |
                    OSPI_XIP_CTRL_DFS_HC | OSPI_XIP_CTRL_DDR_EN | OSPI_XIP_CTRL_RXDS_EN |
                    OSPI_XIP_CTRL_INST_EN | OSPI_XIP_CTRL_CONT_XFER_EN | OSPI_XIP_CTRL_RXDS_SIG_EN |
                    (set->inst_len == OSPI_INST_L_16_BITS ? OSPI_XIP_CTRL_INST_DDR_EN : 0));
    reg_write32(regs + OSPI_XIP_MODE_BITS, 0);
    reg_write32(regs + OSPI_XIP_INCR_INST, set->read_command);
    reg_write32(regs + OSPI_XIP_WRAP_INST, set->read_command);
    reg_write32(regs + OSPI_XIP_SER, 1);
    reg_write32(regs + OSPI_XIP_CNT_TIME_OUT, OSPI_XIP_CNT_TIME_OUT_CLOCKS);
    reg_write32(regs + OSPI_SSIENR, 1);
    reg_write32(sim_ospi_aes_base(s->controller) + OSPI_AES_CONTROL, OSPI_AES_CONTROL_XIP_EN);
}

// ospi_setup_write_ext, then the pushes and SER: a transmit-only octal transfer, every phase DDR,
// the instruction too when it is 16-bit, RXDS where the part's settings have it.
static void stock_send(const bench_stock_t *s, uint32_t dfs_bits, uint32_t addr_l,
                       const uint32_t *frames, size_t count) {
    const bench_stock_settings_t *set = s->set;
    uintptr_t regs = stock_octal_frames(s, OSPI_TMOD_TX_ONLY, dfs_bits);
    reg_write32(regs + OSPI_CTRLR1, 0);
    reg_write32(regs + OSPI_SPI_CTRLR0,
                OSPI_TRANS_TYPE_ALL_IN_FRF << OSPI_SPI_CTRLR0_TRANS_TYPE_SHIFT |
                    OSPI_SPI_CTRLR0_SPI_DDR_EN | set->inst_len << OSPI_SPI_CTRLR0_INST_L_SHIFT |
                    addr_l << OSPI_SPI_CTRLR0_ADDR_L_SHIFT |
                    (set->inst_len == OSPI_INST_L_16_BITS ? OSPI_SPI_CTRLR0_INST_DDR_EN : 0) |
                    (set->rxds ? OSPI_SPI_CTRLR0_SPI_RXDS_EN : 0));
    reg_write32(regs + OSPI_SSIENR, 1);
    for (size_t i = 0; i < count; i++) {
        reg_write32(regs + OSPI_DR, frames[i]);
    }
    reg_write32(regs + OSPI_SER, 1);
}

static uint32_t ror16(uint32_t w) {
    return w >> 16 | w << 16;
}

static uint32_t rev(uint32_t w) {
    return w >> 24 | (w >> 8 & 0xff00) | (w << 8 & 0xff0000) | w << 24;
}

// ospi_flash_write_page: write-enable, then the program command, the 32-bit address and 32-bit
// frames of the source read as little-endian words, __ROR(w, 16) for bswap16 parts and __REV(w)
// for the others. Stock then polls WIP; here the part's clock is moved past any page program.
int bench_stock_write_page(const bench_stock_t *s, uint32_t addr, const uint8_t *src, size_t len) {
    uint32_t frames[2 + 64];
    if (len % 4 != 0 || len / 4 > 64) {
        return -ALIF_EINVAL;
    }
    frames[0] = s->set->write_en;
    stock_send(s, 8, 0, frames, 1);
    frames[0] = s->set->write_command;
    frames[1] = addr;
    for (size_t i = 0; i < len / 4; i++) {
        uint32_t w = src[4 * i] | src[4 * i + 1] << 8 | src[4 * i + 2] << 16 |
                     (uint32_t)src[4 * i + 3] << 24;
        frames[2 + i] = s->set->bswap16 ? ror16(w) : rev(w);
    }
    stock_send(s, 32, 8, frames, 2 + len / 4);
    flash_bus_t bus;
    sim_nor_bus(s->model, &bus);
    bus.delay_ns(bus.ctx, 10000000);
    return 0;
}

int bench_stock_open(bench_stock_t *s, const sim_nor_part_t *part, uint32_t clock_hz,
                     const uint8_t *content, size_t len) {
    *s = (bench_stock_t){.part = part};
    for (size_t i = 0; i < sizeof(stock_settings) / sizeof(stock_settings[0]); i++) {
        s->set = strcmp(stock_settings[i].part, part->name) == 0 ? &stock_settings[i] : s->set;
    }
    if (s->set == NULL) {
        return -ALIF_ENODEV;
    }
    s->read_dummy_cycles = s->set->read_dummy_cycles;
    s->mem = malloc(part->size);
    s->model = s->mem ? sim_nor_new(part, s->mem, clock_hz) : NULL;
    s->controller = s->model ? sim_ospi_new(s->model, SIM_AXI_CLOCK_HZ) : NULL;
    if (s->controller == NULL) {
        bench_stock_close(s);
        return -ALIF_ENOMEM;
    }
    memset(s->mem, 0xff, part->size);
    memcpy(s->mem, content, len);
    sim_nor_set_clock_hz(s->model, clock_hz);
    int ret = stock_enter_octal(s);
    if (ret != 0) {
        bench_stock_close(s);
        return ret;
    }
    bench_stock_xip_enter(s);
    return 0;
}

void bench_stock_close(bench_stock_t *s) {
    if (s->controller != NULL) {
        sim_ospi_free(s->controller);
    }
    if (s->model != NULL) {
        sim_nor_free(s->model);
    }
    free(s->mem);
    *s = (bench_stock_t){0};
}
