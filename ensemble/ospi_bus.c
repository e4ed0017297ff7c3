// SPDX-License-Identifier: MIT
#include "alif_errno.h"
#include "ospi_bus.h"
#include "ospi_regs.h"
#include "reg_access.h"

// Longer than any single transaction takes at the slowest probe clock (a 256-frame FIFO at
// 100 kHz in 1S mode is 20 ms); past it the controller is taken to be stuck.
#define OSPI_TRANSFER_TIMEOUT_NS (50 * 1000 * 1000ull)
#define OSPI_POLL_PAUSE_NS (1000u)
#define OSPI_MAX_FRAMES (0x10000u)

static uint32_t ospi_read(const ospi_bus_t *ospi, uint32_t offset) {
    return reg_read32(ospi->config.regs_base + offset);
}

static void ospi_write(const ospi_bus_t *ospi, uint32_t offset, uint32_t value) {
    reg_write32(ospi->config.regs_base + offset, value);
}

static uint32_t aes_read(const ospi_bus_t *ospi, uint32_t offset) {
    return reg_read32(ospi->config.aes_base + offset);
}

static void aes_write(const ospi_bus_t *ospi, uint32_t offset, uint32_t value) {
    reg_write32(ospi->config.aes_base + offset, value);
}

// CTRLR0, SPI_CTRLR0 and CTRLR1 only take new values while the controller is disabled.
static void ospi_disable(const ospi_bus_t *ospi) {
    ospi_write(ospi, OSPI_SER, 0);
    ospi_write(ospi, OSPI_SSIENR, 0);
}

// Gives the controller back to the XIP engine, which needs its own frame format in CTRLR0.
static void ospi_restore_xip(const ospi_bus_t *ospi) {
    if (ospi->xip_ctrlr0 != 0) {
        ospi_disable(ospi);
        ospi_write(ospi, OSPI_CTRLR0, ospi->xip_ctrlr0);
        ospi_write(ospi, OSPI_SSIENR, 1);
    }
}

void ospi_bus_set_clock(ospi_bus_t *ospi, uint32_t sclk_hz) {
    // The divider is even and at least 2: the least such that keeps the clock at or below the
    // part's rating.
    uint32_t div = (ospi->config.axi_clock_hz - 1) / sclk_hz / 2 * 2 + 2;
    ospi->config.sclk_hz = ospi->config.axi_clock_hz / div;
    ospi_disable(ospi);
    ospi_write(ospi, OSPI_BAUDR, div);
    ospi_restore_xip(ospi);
}

// Frames go out most significant bit first (DW_apb_ssi), so the byte that comes first in memory
// goes in the top of the frame. For a part that swaps each 16-bit word in 8D (flash_bus_op_t's
// data.swap16) the bytes of each pair trade places on the way, so buffers stay in array order:
// stock MicroPython does the same when it programs Macronix parts (ports/alif/ospi_flash.c,
// __ROR(word, 16) where other parts get __REV(word)). A write packs its frames the same way.
static void unpack_frame(uint32_t frame, uint8_t *bytes, uint32_t frame_bytes, uint32_t swap) {
    for (uint32_t i = frame_bytes; i-- > 0;) {
        bytes[i ^ swap] = (uint8_t)frame;
        frame >>= 8;
    }
}

// The platform's clock and pause, passed through to flash_bus_t; the transfer time-out polls with
// them too.
static uint64_t ospi_bus_now_ns(void *ctx) {
    const ospi_bus_t *ospi = ctx;
    return ospi->config.now_ns(ospi->config.ctx);
}

static void ospi_bus_delay_ns(void *ctx, uint64_t ns) {
    const ospi_bus_t *ospi = ctx;
    ospi->config.delay_ns(ospi->config.ctx, ns);
}

// Starts the transfer and waits for its end: until the frames a read brings in have been drained
// as they arrived (the controller holds the clock while the RX FIFO is full), then, for every
// transfer, until the last bit has left the controller and it is idle (as Linux does after each
// spi-mem op, drivers/spi/spi-dw-core.c dw_spi_exec_mem_op and dw_spi_wait_mem_op_done).
static int ospi_run(const ospi_bus_t *ospi, uint8_t *dest, size_t in_bytes, uint32_t frame_bytes,
                    uint32_t swap) {
    ospi_write(ospi, OSPI_SER, ospi->config.ser);
    uint64_t deadline = ospi_bus_now_ns((void *)ospi) + OSPI_TRANSFER_TIMEOUT_NS;
    for (;;) {
        if (in_bytes > 0 && ospi_read(ospi, OSPI_RXFLR) != 0) {
            unpack_frame(ospi_read(ospi, OSPI_DR), dest, frame_bytes, swap);
            dest += frame_bytes;
            in_bytes -= frame_bytes;
        } else if (in_bytes == 0 && (ospi_read(ospi, OSPI_SR) &
                                     (OSPI_SR_TF_EMPTY | OSPI_SR_BUSY)) == OSPI_SR_TF_EMPTY) {
            return 0;
        } else if (ospi_bus_now_ns((void *)ospi) > deadline) {
            return -ALIF_ETIMEDOUT;
        } else {
            ospi_bus_delay_ns((void *)ospi, OSPI_POLL_PAUSE_NS);
        }
    }
}

static uint32_t addr_length_field(uint8_t nbytes) {
    return (uint32_t)nbytes * 2; // in 4-bit units
}

// Whether the controller can frame the op: at most a four-byte address; 1S dummy clocks go out
// as whole bytes from the TX FIFO, 8D ones are SPI_CTRLR0's WAIT_CYCLES, five bits.
static bool op_framable(const flash_bus_op_t *op) {
    return op->addr.nbytes <= 4 &&
           (op->octal_ddr ? op->dummy.ncycles <= OSPI_MAX_WAIT_CYCLES : op->dummy.ncycles % 8 == 0);
}

// One transaction, or the part of one that starts done bytes into its data. 1S-1S-1S is plain
// SPI bytes: the command, address and dummy bytes are sent from the TX FIFO; a read then clocks in
// its data (the controller's EEPROM-read mode), a write sends it along. 8D-8D-8D is the
// controller's enhanced mode, which sends the two-byte instruction, the address and the wait
// cycles on all eight lines at double rate, then the data in frames.
static int ospi_transfer(const ospi_bus_t *ospi, const flash_bus_op_t *op, size_t *done) {
    bool octal = op->octal_ddr;
    bool reading = op->data.nbytes > 0 && !op->data.to_flash;
    size_t nbytes = op->data.nbytes - *done;
    // 1S sends the opcode and each address and dummy byte as a FIFO entry of its own; 8D the
    // instruction and the address as one entry each, and the data in the widest frame, of at most
    // 32 bits, that divides its length.
    uint32_t frame_bytes = 1, swap = 0, dummy_bytes = 0, addr_entries, ctrlr0, spi_ctrlr0 = 0;
    uint32_t entry_mask = 0xff;
    size_t most_frames = OSPI_FIFO_DEPTH;
    if (octal) {
        // CTRLR1 counts at most 65536 frames, so a longer read from an address becomes several,
        // in 32-bit frames, each at the address where the last one stopped.
        if (reading && op->addr.nbytes > 0 && nbytes > OSPI_MAX_FRAMES) {
            nbytes = (nbytes < OSPI_MAX_FRAMES * 4 ? nbytes : OSPI_MAX_FRAMES * 4) & ~(size_t)3;
        }
        uint32_t widest = (uint32_t)nbytes | 4;
        frame_bytes = widest & -widest;
        swap = op->data.swap16;
        addr_entries = op->addr.nbytes != 0;
        entry_mask = UINT32_MAX;
        most_frames = OSPI_MAX_FRAMES;
        spi_ctrlr0 = OSPI_TRANS_TYPE_ALL_IN_FRF << OSPI_SPI_CTRLR0_TRANS_TYPE_SHIFT |
                     addr_length_field(op->addr.nbytes) << OSPI_SPI_CTRLR0_ADDR_L_SHIFT |
                     OSPI_INST_L_16_BITS << OSPI_SPI_CTRLR0_INST_L_SHIFT |
                     (uint32_t)op->dummy.ncycles << OSPI_SPI_CTRLR0_WAIT_CYCLES_SHIFT |
                     OSPI_SPI_CTRLR0_SPI_DDR_EN | OSPI_SPI_CTRLR0_INST_DDR_EN |
                     OSPI_SPI_CTRLR0_CLK_STRETCH_EN;
        if (reading && op->data.dqs) {
            spi_ctrlr0 |= OSPI_SPI_CTRLR0_SPI_RXDS_EN;
        }
        ctrlr0 = OSPI_SPI_FRF_OCTAL << OSPI_CTRLR0_SPI_FRF_SHIFT |
                 (reading ? OSPI_TMOD_RX_ONLY : OSPI_TMOD_TX_ONLY) << OSPI_CTRLR0_TMOD_SHIFT;
    } else {
        addr_entries = op->addr.nbytes;
        dummy_bytes = op->dummy.ncycles / 8u;
        ctrlr0 = OSPI_SPI_FRF_STANDARD << OSPI_CTRLR0_SPI_FRF_SHIFT |
                 (reading ? OSPI_TMOD_EEPROM_READ : OSPI_TMOD_TX_ONLY) << OSPI_CTRLR0_TMOD_SHIFT;
    }
    size_t frames = nbytes / frame_bytes;
    // All that is sent goes through the TX FIFO, which a read's header (at most 1 + 4 + 31
    // entries) always fits. A 1S read may not outgrow the RX FIFO either (standard SPI does not
    // hold the clock); an 8D one may not outgrow CTRLR1.
    if (frames > (reading ? most_frames : OSPI_FIFO_DEPTH - 1 - addr_entries - dummy_bytes) ||
        (swap && op->data.nbytes % 2)) {
        return -ALIF_EINVAL;
    }
    uint32_t addr = op->addr.val + (uint32_t)*done;
    uint8_t *buf = op->data.buf.in + *done;
    *done += nbytes;
    ospi_disable(ospi);
    ospi_write(ospi, OSPI_CTRLR0, OSPI_CTRLR0_IS_MST | ctrlr0 | OSPI_CTRLR0_DFS(frame_bytes * 8));
    ospi_write(ospi, OSPI_CTRLR1, reading ? (uint32_t)frames - 1 : 0);
    ospi_write(ospi, OSPI_SPI_CTRLR0, spi_ctrlr0);
    ospi_write(ospi, OSPI_SSIENR, 1);
    ospi_write(ospi, OSPI_DR, op->cmd.opcode & entry_mask);
    for (unsigned i = addr_entries; i-- > 0;) {
        ospi_write(ospi, OSPI_DR, (addr >> (8 * i)) & entry_mask);
    }
    for (uint32_t i = 0; i < dummy_bytes; i++) {
        ospi_write(ospi, OSPI_DR, 0);
    }
    // The data, packed as unpack_frame unpacks it, a FIFO entry each time a frame is full.
    uint32_t frame = 0;
    for (size_t i = 0; !reading && i < nbytes; i++) {
        frame = frame << 8 | buf[i ^ swap];
        if ((i + 1) % frame_bytes == 0) {
            ospi_write(ospi, OSPI_DR, frame);
            frame = 0;
        }
    }
    return ospi_run(ospi, buf, reading ? nbytes : 0, frame_bytes, swap);
}

static int ospi_exec(void *ctx, const flash_bus_op_t *op) {
    const ospi_bus_t *ospi = ctx;
    int ret = -ALIF_EINVAL;
    if (op_framable(op)) {
        size_t done = 0;
        do {
            ret = ospi_transfer(ospi, op, &done);
        } while (ret == 0 && done < op->data.nbytes);
    }
    ospi_restore_xip(ospi);
    return ret;
}

static void ospi_bus_invalidate_xip(void *ctx, uint32_t addr, uint32_t len) {
    const ospi_bus_t *ospi = ctx;
    if (ospi->config.invalidate_xip != NULL) {
        ospi->config.invalidate_xip(ospi->config.ctx, addr, len);
    }
}

void ospi_bus_init(ospi_bus_t *ospi, const ospi_bus_config_t *config, flash_bus_t *bus) {
    ospi->config = *config;
    ospi->xip_ctrlr0 = 0;
    aes_write(ospi, OSPI_AES_CONTROL, aes_read(ospi, OSPI_AES_CONTROL) & ~OSPI_AES_CONTROL_XIP_EN);
    // Leaves the controller disabled, XIP being off, for the sampling registers.
    ospi_bus_set_clock(ospi, config->sclk_hz);
    ospi_write(ospi, OSPI_RX_SAMPLE_DLY, config->rx_sample_delay);
    ospi_write(ospi, OSPI_TXD_DRIVE_EDGE, config->ddr_drive_edge);
    aes_write(ospi, OSPI_AES_RXDS_DELAY, config->rxds_delay);
    *bus = (flash_bus_t){
        .exec = ospi_exec,
        .now_ns = ospi_bus_now_ns,
        .delay_ns = ospi_bus_delay_ns,
        .invalidate_xip = ospi_bus_invalidate_xip,
        .ctx = ospi,
    };
}

int ospi_bus_xip_enable(ospi_bus_t *ospi, const flash_bus_op_t *read_op) {
    if (!read_op->octal_ddr || !op_framable(read_op) || read_op->addr.nbytes != 4) {
        return -ALIF_EINVAL;
    }
    uint32_t xip_ctrl = OSPI_SPI_FRF_OCTAL << OSPI_XIP_CTRL_FRF_SHIFT |
                        OSPI_TRANS_TYPE_ALL_IN_FRF << OSPI_XIP_CTRL_TRANS_TYPE_SHIFT |
                        addr_length_field(4) << OSPI_XIP_CTRL_ADDR_L_SHIFT |
                        OSPI_INST_L_16_BITS << OSPI_XIP_CTRL_INST_L_SHIFT |
                        (uint32_t)read_op->dummy.ncycles << OSPI_XIP_CTRL_WAIT_CYCLES_SHIFT |
                        OSPI_XIP_CTRL_DFS_HC | OSPI_XIP_CTRL_DDR_EN | OSPI_XIP_CTRL_INST_DDR_EN |
                        OSPI_XIP_CTRL_INST_EN | OSPI_XIP_CTRL_CONT_XFER_EN;
    xip_ctrl |= read_op->data.dqs * (OSPI_XIP_CTRL_RXDS_EN | OSPI_XIP_CTRL_RXDS_SIG_EN);
    // The engine hands each frame to the little-endian AHB, so the window shows each frame's
    // wire bytes reversed: byte frames show the part's order, 16-bit frames swap each pair back
    // for a swapping part (stock MicroPython's .xip_data_len, ports/alif/ospi_flash_settings.h).
    ospi->xip_ctrlr0 = OSPI_CTRLR0_IS_MST | OSPI_SPI_FRF_OCTAL << OSPI_CTRLR0_SPI_FRF_SHIFT |
                       OSPI_TMOD_RX_ONLY << OSPI_CTRLR0_TMOD_SHIFT |
                       OSPI_CTRLR0_DFS(8u + 8u * read_op->data.swap16);
    ospi_disable(ospi);
    ospi_write(ospi, OSPI_XIP_CTRL, xip_ctrl);
    ospi_write(ospi, OSPI_XIP_MODE_BITS, 0);
    ospi_write(ospi, OSPI_XIP_INCR_INST, read_op->cmd.opcode);
    ospi_write(ospi, OSPI_XIP_WRAP_INST, read_op->cmd.opcode);
    ospi_write(ospi, OSPI_XIP_SER, ospi->config.ser);
    ospi_write(ospi, OSPI_XIP_CNT_TIME_OUT, OSPI_XIP_CNT_TIME_OUT_CLOCKS);
    ospi_restore_xip(ospi);
    aes_write(ospi, OSPI_AES_CONTROL, aes_read(ospi, OSPI_AES_CONTROL) | OSPI_AES_CONTROL_XIP_EN);
    return 0;
}
