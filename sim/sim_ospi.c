// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "ospi_regs.h"
#include "sim_ospi.h"
#include "sim_regs.h"

#define REG_COUNT ((OSPI_XIP_CNT_TIME_OUT / 4) + 1)
#define AES_REG_COUNT ((OSPI_AES_RXDS_DELAY / 4) + 1)
#define MAX_INSTANCES (16)
#define INSTANCE_STRIDE (0x4000u)
#define MAX_READ_FRAMES (0x10000u)

struct sim_ospi {
    sim_nor_t *nor;
    flash_bus_t part;
    uintptr_t regs_base, aes_base;
    uint32_t input_clock_hz;
    uint32_t regs[REG_COUNT];
    uint32_t aes[AES_REG_COUNT];
    uint32_t tx[OSPI_FIFO_DEPTH];
    size_t tx_count;
    uint32_t rx[OSPI_FIFO_DEPTH];
    size_t rx_head, rx_count;
    // What the part has sent and the RX FIFO has not taken yet (the clock is held meanwhile).
    uint8_t *incoming;
    size_t incoming_len, incoming_pos;
    uint32_t incoming_frame_bytes;
    bool stuck;
    sim_ospi_stats_t stats;
};

static uint32_t reg(const sim_ospi_t *o, uint32_t offset) {
    return o->regs[offset / 4];
}

static bool enabled(const sim_ospi_t *o) {
    return reg(o, OSPI_SSIENR) & 1;
}

static uint32_t field(uint32_t value, uint32_t shift, uint32_t mask_at_zero) {
    return (value >> shift) & mask_at_zero;
}

static uint32_t frame_bytes(const sim_ospi_t *o) {
    return ((reg(o, OSPI_CTRLR0) & OSPI_CTRLR0_DFS_MASK) + 1) / 8;
}

static bool frame_size_known(const sim_ospi_t *o) {
    uint32_t bits = (reg(o, OSPI_CTRLR0) & OSPI_CTRLR0_DFS_MASK) + 1;
    return bits == 8 || bits == 16 || bits == 32;
}

static void pack_frame(const uint8_t *bytes, uint32_t n, uint32_t *frame) {
    *frame = 0;
    for (uint32_t i = 0; i < n; i++) {
        *frame = *frame << 8 | bytes[i];
    }
}

static void unpack_frame(uint32_t frame, uint8_t *bytes, uint32_t n) {
    for (uint32_t i = n; i-- > 0;) {
        bytes[i] = (uint8_t)frame;
        frame >>= 8;
    }
}

static void flush_fifos(sim_ospi_t *o) {
    o->tx_count = 0;
    o->rx_head = o->rx_count = 0;
    free(o->incoming);
    o->incoming = NULL;
    o->incoming_len = o->incoming_pos = 0;
}

static bool clock_stretching(const sim_ospi_t *o) {
    return reg(o, OSPI_SPI_CTRLR0) & OSPI_SPI_CTRLR0_CLK_STRETCH_EN;
}

// Moves what the part sent into the RX FIFO as far as it has room; without clock stretching
// the rest is lost, as on silicon.
static void fill_rx(sim_ospi_t *o) {
    uint32_t n = o->incoming_frame_bytes;
    while (o->incoming_pos < o->incoming_len && o->rx_count < OSPI_FIFO_DEPTH) {
        uint32_t frame;
        pack_frame(o->incoming + o->incoming_pos, n, &frame);
        o->rx[(o->rx_head + o->rx_count) % OSPI_FIFO_DEPTH] = frame;
        o->rx_count++;
        o->incoming_pos += n;
    }
    if (o->incoming_pos < o->incoming_len && !clock_stretching(o)) {
        o->stats.fifo_overflows += (o->incoming_len - o->incoming_pos) / n;
        o->incoming_pos = o->incoming_len;
    }
}

static void unsupported(sim_ospi_t *o) {
    o->stats.unsupported++;
    o->tx_count = 0;
}

static bool start_receive(sim_ospi_t *o, flash_bus_op_t *op, uint32_t frame_bytes_in) {
    size_t frames = (size_t)reg(o, OSPI_CTRLR1) + 1;
    o->incoming = malloc(frames * frame_bytes_in);
    if (o->incoming == NULL) {
        return false;
    }
    o->incoming_len = frames * frame_bytes_in;
    o->incoming_pos = 0;
    o->incoming_frame_bytes = frame_bytes_in;
    op->data.to_flash = false;
    op->data.nbytes = o->incoming_len;
    op->data.buf.in = o->incoming;
    return true;
}

// Standard SPI: the TX FIFO's bytes are the whole stream; the part finds where the address ends.
static void transfer_standard(sim_ospi_t *o) {
    uint32_t tmod = field(reg(o, OSPI_CTRLR0), OSPI_CTRLR0_TMOD_SHIFT, 3);
    if (frame_bytes(o) != 1 || (tmod != OSPI_TMOD_TX_ONLY && tmod != OSPI_TMOD_EEPROM_READ)) {
        unsupported(o);
        return;
    }
    uint8_t stream[OSPI_FIFO_DEPTH] = {0};
    for (size_t i = 0; i < o->tx_count; i++) {
        stream[i] = (uint8_t)o->tx[i];
    }
    size_t n = o->tx_count;
    o->tx_count = 0;
    flash_bus_op_t op = flash_op_1s(stream[0]);
    // The part finds its address in the stream by the opcode; in an EEPROM read what follows
    // the address before the turn-around is dummy clocks, eight a byte.
    size_t addr_bytes = sim_nor_single_addr_bytes(o->nor, stream[0]);
    if (addr_bytes > n - 1) {
        unsupported(o);
        return;
    }
    op.addr.nbytes = (uint8_t)addr_bytes;
    for (size_t i = 0; i < addr_bytes; i++) {
        op.addr.val = op.addr.val << 8 | stream[1 + i];
    }
    if (tmod == OSPI_TMOD_EEPROM_READ) {
        op.dummy.ncycles = (uint8_t)(8 * (n - 1 - addr_bytes));
        if (!start_receive(o, &op, 1)) {
            unsupported(o);
            return;
        }
    } else if (n > 1 + addr_bytes) {
        op.data.to_flash = true;
        op.data.nbytes = n - 1 - addr_bytes;
        op.data.buf.out = stream + 1 + addr_bytes;
    }
    o->stats.transfers++;
    o->part.exec(o->part.ctx, &op);
    fill_rx(o);
}

// The instruction phases the model knows in octal DDR: 16 bits at double rate (two bytes in one
// clock), or 8 bits at single rate, one byte held over both edges of one clock, which the part
// sees as the opcode sent twice (stock MicroPython runs the ISSI command set this way:
// ports/alif/ospi_flash_settings.h OSPI_FLASH_SETTINGS_IS25 .inst_len = 8 bit).
static bool instruction_known(uint32_t inst_ddr, uint32_t inst_l) {
    return inst_ddr ? inst_l == OSPI_INST_L_16_BITS : inst_l == OSPI_INST_L_8_BITS;
}

static uint16_t wire_opcode(uint32_t inst, bool inst_16) {
    return inst_16 ? (uint16_t)inst : (uint16_t)((inst & 0xff) << 8 | (inst & 0xff));
}

// Enhanced octal DDR: SPI_CTRLR0 frames the instruction, address and wait cycles.
static void transfer_octal(sim_ospi_t *o) {
    uint32_t ctrlr0 = reg(o, OSPI_CTRLR0), spi = reg(o, OSPI_SPI_CTRLR0);
    uint32_t tmod = field(ctrlr0, OSPI_CTRLR0_TMOD_SHIFT, 3);
    uint32_t addr_l = field(spi, OSPI_SPI_CTRLR0_ADDR_L_SHIFT, 0xf);
    bool framed = field(spi, OSPI_SPI_CTRLR0_TRANS_TYPE_SHIFT, 3) == OSPI_TRANS_TYPE_ALL_IN_FRF &&
                  instruction_known(spi & OSPI_SPI_CTRLR0_INST_DDR_EN,
                                    field(spi, OSPI_SPI_CTRLR0_INST_L_SHIFT, 3)) &&
                  (spi & OSPI_SPI_CTRLR0_SPI_DDR_EN) &&
                  (addr_l == 0 || addr_l == 6 || addr_l == 8) &&
                  (tmod == OSPI_TMOD_TX_ONLY || tmod == OSPI_TMOD_RX_ONLY);
    size_t header = addr_l ? 2 : 1;
    bool inst_16 = field(spi, OSPI_SPI_CTRLR0_INST_L_SHIFT, 3) == OSPI_INST_L_16_BITS;
    if (!framed || !frame_size_known(o) || o->tx_count < header ||
        (tmod == OSPI_TMOD_RX_ONLY && o->tx_count != header)) {
        unsupported(o);
        return;
    }
    uint16_t opcode = wire_opcode(o->tx[0], inst_16);
    flash_bus_op_t op = flash_op_8d((uint8_t)(opcode >> 8), (uint8_t)opcode);
    op.addr.nbytes = (uint8_t)(addr_l / 2);
    op.addr.val = addr_l ? o->tx[1] & (addr_l == 6 ? 0xffffffu : 0xffffffffu) : 0;
    op.dummy.ncycles = (uint8_t)field(spi, OSPI_SPI_CTRLR0_WAIT_CYCLES_SHIFT, 0x1f);
    uint32_t n = frame_bytes(o);
    uint8_t out[OSPI_FIFO_DEPTH * 4];
    if (tmod == OSPI_TMOD_RX_ONLY) {
        if (!start_receive(o, &op, n)) {
            unsupported(o);
            return;
        }
        op.data.dqs = spi & OSPI_SPI_CTRLR0_SPI_RXDS_EN;
    } else {
        size_t frames = o->tx_count - header;
        for (size_t i = 0; i < frames; i++) {
            unpack_frame(o->tx[header + i], out + i * n, n);
        }
        op.data.to_flash = frames > 0;
        op.data.nbytes = frames * n;
        op.data.buf.out = out;
    }
    o->tx_count = 0;
    o->stats.transfers++;
    o->part.exec(o->part.ctx, &op);
    fill_rx(o);
}

static void start_transfer(sim_ospi_t *o) {
    if (o->stuck || o->tx_count == 0 || o->incoming != NULL) {
        return;
    }
    uint32_t frf = field(reg(o, OSPI_CTRLR0), OSPI_CTRLR0_SPI_FRF_SHIFT, 3);
    if (!(reg(o, OSPI_CTRLR0) & OSPI_CTRLR0_IS_MST)) {
        unsupported(o);
    } else if (frf == OSPI_SPI_FRF_STANDARD) {
        transfer_standard(o);
    } else if (frf == OSPI_SPI_FRF_OCTAL) {
        transfer_octal(o);
    } else {
        unsupported(o);
    }
}

static bool locked_while_enabled(uint32_t offset) {
    switch (offset) {
        case OSPI_CTRLR0:
        case OSPI_CTRLR1:
        case OSPI_BAUDR:
        case OSPI_SPI_CTRLR0:
        case OSPI_XIP_CTRL:
        case OSPI_XIP_INCR_INST:
        case OSPI_XIP_WRAP_INST:
        case OSPI_XIP_MODE_BITS:
        case OSPI_XIP_SER:
        case OSPI_RX_SAMPLE_DLY:
        case OSPI_TXD_DRIVE_EDGE:
            return true;
        default:
            return false;
    }
}

static void regs_write(void *ctx, uint32_t offset, uint32_t value) {
    sim_ospi_t *o = ctx;
    if (offset / 4 >= REG_COUNT) {
        o->stats.ignored_writes++;
        return;
    }
    if (locked_while_enabled(offset) && enabled(o)) {
        o->stats.ignored_writes++;
        return;
    }
    if (offset == OSPI_DR) {
        if (!enabled(o)) {
            o->stats.ignored_writes++;
        } else if (o->tx_count == OSPI_FIFO_DEPTH) {
            o->stats.fifo_overflows++;
        } else {
            // Entries are 32 bits wide whatever the frame size: the instruction and address
            // take theirs from SPI_CTRLR0, data frames their low DFS bits.
            o->tx[o->tx_count++] = value;
            if (reg(o, OSPI_SER) & 1) {
                start_transfer(o); // the FIFO ran dry mid-transfer: what came late goes alone
            }
        }
        return;
    }
    o->regs[offset / 4] = value;
    if (offset == OSPI_BAUDR) {
        // DW_apb_ssi BAUDR: SCKDV in bits 15:0, its LSB held at 0 so the divider is even;
        // sclk_out = ssi_clk / SCKDV, and 0 stops the clock (Alif's DFP ospi driver sets
        // BAUDR = input clock / wanted SCLK). A stopped clock leaves the part's as it was: no
        // transfer runs then.
        uint32_t sckdv = value & 0xfffe;
        o->regs[offset / 4] = sckdv;
        if (sckdv != 0) {
            sim_nor_set_clock_hz(o->nor, o->input_clock_hz / sckdv);
        }
    } else if (offset == OSPI_SSIENR && !(value & 1)) {
        flush_fifos(o);
    } else if (offset == OSPI_SER && value != 0 && enabled(o)) {
        start_transfer(o);
    }
}

static uint32_t regs_read(void *ctx, uint32_t offset) {
    sim_ospi_t *o = ctx;
    switch (offset) {
        case OSPI_TXFLR:
            return (uint32_t)o->tx_count;
        case OSPI_RXFLR:
            return (uint32_t)o->rx_count;
        case OSPI_SR: {
            bool busy =
                o->tx_count > 0 ? (reg(o, OSPI_SER) & 1) != 0 : o->incoming_pos < o->incoming_len;
            return (busy ? OSPI_SR_BUSY : 0) | (o->tx_count < OSPI_FIFO_DEPTH ? 1u << 1 : 0) |
                   (o->tx_count == 0 ? OSPI_SR_TF_EMPTY : 0) | (o->rx_count > 0 ? 1u << 3 : 0) |
                   (o->rx_count == OSPI_FIFO_DEPTH ? 1u << 4 : 0);
        }
        case OSPI_DR: {
            if (o->rx_count == 0) {
                o->stats.fifo_overflows++; // an underflow: the read returns nothing useful
                return 0;
            }
            uint32_t frame = o->rx[o->rx_head];
            o->rx_head = (o->rx_head + 1) % OSPI_FIFO_DEPTH;
            o->rx_count--;
            fill_rx(o);
            if (o->incoming_pos == o->incoming_len && o->rx_count == 0) {
                free(o->incoming);
                o->incoming = NULL;
                o->incoming_len = o->incoming_pos = 0;
            }
            return frame;
        }
        default:
            return offset / 4 < REG_COUNT ? o->regs[offset / 4] : 0;
    }
}

static void aes_write(void *ctx, uint32_t offset, uint32_t value) {
    sim_ospi_t *o = ctx;
    if (offset / 4 < AES_REG_COUNT) {
        o->aes[offset / 4] = value;
    }
}

static uint32_t aes_read(void *ctx, uint32_t offset) {
    const sim_ospi_t *o = ctx;
    return offset / 4 < AES_REG_COUNT ? o->aes[offset / 4] : 0;
}

sim_ospi_t *sim_ospi_new(sim_nor_t *nor, uint32_t input_clock_hz) {
    sim_ospi_t *o = calloc(1, sizeof(*o));
    if (o == NULL) {
        return NULL;
    }
    for (unsigned k = 0; k < MAX_INSTANCES; k++) {
        uintptr_t base = ALIF_OSPI0_REGS_BASE + k * INSTANCE_STRIDE;
        if (!sim_regs_mapped(base)) {
            o->regs_base = base;
            o->aes_base = base + (ALIF_OSPI0_AES_BASE - ALIF_OSPI0_REGS_BASE);
            break;
        }
    }
    if (o->regs_base == 0) {
        free(o);
        return NULL;
    }
    o->nor = nor;
    o->input_clock_hz = input_clock_hz;
    sim_nor_bus(nor, &o->part);
    sim_regs_map(o->regs_base, OSPI_REGS_SIZE, regs_read, regs_write, o);
    sim_regs_map(o->aes_base, OSPI_AES_SIZE, aes_read, aes_write, o);
    return o;
}

void sim_ospi_free(sim_ospi_t *o) {
    if (o != NULL) {
        sim_regs_unmap(o->regs_base);
        sim_regs_unmap(o->aes_base);
        flush_fifos(o);
        free(o);
    }
}

uintptr_t sim_ospi_regs_base(const sim_ospi_t *o) {
    return o->regs_base;
}

uintptr_t sim_ospi_aes_base(const sim_ospi_t *o) {
    return o->aes_base;
}

const sim_ospi_stats_t *sim_ospi_stats(const sim_ospi_t *o) {
    return &o->stats;
}

void sim_ospi_set_stuck(sim_ospi_t *o, bool stuck) {
    o->stuck = stuck;
}

// The XIP engine's frames: DW_apb_ssi shifts each data frame most significant bit first (the
// first byte on the wire is the frame's top byte; stock ports/alif/ospi_flash.c sends words
// through __REV for parts without swap), and hands each frame to the little-endian AHB as one
// word, so the window shows each frame's wire bytes in reverse. 8-bit frames show the wire
// order; 16-bit frames swap each pair, which undoes a swapping part (stock MicroPython's 16-bit
// XIP frames for Macronix, .xip_data_len in ospi_flash_settings.h).
int sim_ospi_xip_read(sim_ospi_t *o, uint32_t addr, uint8_t *buf, size_t len) {
    uint32_t ctrlr0 = reg(o, OSPI_CTRLR0), xip = reg(o, OSPI_XIP_CTRL);
    uint32_t need = OSPI_XIP_CTRL_DDR_EN | OSPI_XIP_CTRL_INST_EN;
    bool inst_ddr = xip & OSPI_XIP_CTRL_INST_DDR_EN;
    uint32_t inst_l = field(xip, OSPI_XIP_CTRL_INST_L_SHIFT, 3);
    bool ready =
        enabled(o) && (o->aes[OSPI_AES_CONTROL / 4] & OSPI_AES_CONTROL_XIP_EN) &&
        field(ctrlr0, OSPI_CTRLR0_SPI_FRF_SHIFT, 3) == OSPI_SPI_FRF_OCTAL &&
        field(ctrlr0, OSPI_CTRLR0_TMOD_SHIFT, 3) == OSPI_TMOD_RX_ONLY && frame_size_known(o) &&
        field(xip, OSPI_XIP_CTRL_FRF_SHIFT, 3) == OSPI_SPI_FRF_OCTAL &&
        field(xip, OSPI_XIP_CTRL_TRANS_TYPE_SHIFT, 3) == OSPI_TRANS_TYPE_ALL_IN_FRF &&
        field(xip, OSPI_XIP_CTRL_ADDR_L_SHIFT, 0xf) == 8 && instruction_known(inst_ddr, inst_l) &&
        (xip & need) == need && (reg(o, OSPI_XIP_SER) & 1);
    if (!ready) {
        return -ALIF_EIO;
    }
    // The engine fetches whole frames, and whole DDR words: from an aligned address.
    uint32_t n = frame_bytes(o) < 2 ? 2 : frame_bytes(o);
    uint32_t start = addr & ~(n - 1);
    size_t span = ((addr + len + n - 1) & ~(size_t)(n - 1)) - start;
    uint8_t *wire = malloc(span), *window = malloc(span);
    if (wire == NULL || window == NULL) {
        free(wire);
        free(window);
        return -ALIF_ENOMEM;
    }
    uint16_t opcode = wire_opcode(reg(o, OSPI_XIP_INCR_INST), inst_l == OSPI_INST_L_16_BITS);
    flash_bus_op_t op = flash_op_8d((uint8_t)(opcode >> 8), (uint8_t)opcode);
    flash_op_addr(&op, 4, start);
    op.dummy.ncycles = (uint8_t)field(xip, OSPI_XIP_CTRL_WAIT_CYCLES_SHIFT, 0x1f);
    op.data.nbytes = span;
    op.data.buf.in = wire;
    op.data.dqs = xip & OSPI_XIP_CTRL_RXDS_EN;
    // A part that ignores the read leaves the lines floating high.
    memset(wire, 0xff, span);
    uint64_t ignored = sim_nor_stats(o->nor)->ignored;
    o->part.exec(o->part.ctx, &op);
    int ret = sim_nor_stats(o->nor)->ignored != ignored ? -ALIF_EIO : 0;
    uint32_t f = frame_bytes(o);
    for (size_t i = 0; i < span; i++) {
        window[i] = wire[(i - i % f) + (f - 1 - i % f)];
    }
    memcpy(buf, window + (addr - start), len);
    free(wire);
    free(window);
    return ret;
}
