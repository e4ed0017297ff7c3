// SPDX-License-Identifier: MIT
// Registers of Ensemble's OSPI controller: a Synopsys DW_apb_ssi in its octal, DDR and XIP
// configuration, and the AES block in front of its XIP window. Offsets, fields and base
// addresses are Alif's (Ensemble CMSIS DFP, ospi_xip/source/ospi/ospi_private.h; Zephyr
// hal_alif drivers/ospi for the FIFO depth); the driver and the register model share them.
#ifndef ALIF_OSPI_REGS_H
#define ALIF_OSPI_REGS_H

// Memory map of the two instances.
#define ALIF_OSPI0_REGS_BASE (0x83000000u)
#define ALIF_OSPI0_AES_BASE (0x83001000u)
#define ALIF_OSPI0_XIP_BASE (0xa0000000u)
#define ALIF_OSPI1_REGS_BASE (0x83002000u)
#define ALIF_OSPI1_AES_BASE (0x83003000u)
#define ALIF_OSPI1_XIP_BASE (0xc0000000u)
#define OSPI_REGS_SIZE (0x1000u)
#define OSPI_AES_SIZE (0x1000u)

#define OSPI_FIFO_DEPTH (256u) // frames, in each direction

// DW_apb_ssi register offsets.
#define OSPI_CTRLR0 (0x00u)
#define OSPI_CTRLR1 (0x04u) // frames to receive, minus one
#define OSPI_SSIENR (0x08u)
#define OSPI_SER (0x10u) // slave select: writing it starts a transfer
#define OSPI_BAUDR (0x14u)
#define OSPI_TXFLR (0x20u)
#define OSPI_RXFLR (0x24u)
#define OSPI_SR (0x28u)
#define OSPI_DR (0x60u)
#define OSPI_RX_SAMPLE_DLY (0xf0u)
#define OSPI_SPI_CTRLR0 (0xf4u)
#define OSPI_TXD_DRIVE_EDGE (0xf8u)
#define OSPI_XIP_MODE_BITS (0xfcu)
#define OSPI_XIP_INCR_INST (0x100u)
#define OSPI_XIP_WRAP_INST (0x104u)
#define OSPI_XIP_CTRL (0x108u)
#define OSPI_XIP_SER (0x10cu)
#define OSPI_XIP_CNT_TIME_OUT (0x114u)
// The XIP engine's continuous-transfer time-out, in controller clocks: the value of Alif's DFP
// and stock MicroPython (ports/alif/ospi_ext.c ospi_xip_enter_ext writes 100).
#define OSPI_XIP_CNT_TIME_OUT_CLOCKS (100u)

// CTRLR0.
#define OSPI_CTRLR0_IS_MST (1u << 31)
#define OSPI_CTRLR0_SPI_FRF_SHIFT (22)
#define OSPI_CTRLR0_SPI_FRF_MASK (3u << OSPI_CTRLR0_SPI_FRF_SHIFT)
#define OSPI_CTRLR0_TMOD_SHIFT (10)
#define OSPI_CTRLR0_TMOD_MASK (3u << OSPI_CTRLR0_TMOD_SHIFT)
#define OSPI_CTRLR0_DFS_MASK (0x1fu) // frame size in bits, minus one
#define OSPI_CTRLR0_DFS(bits) ((bits)-1u)

#define OSPI_SPI_FRF_STANDARD (0u)
#define OSPI_SPI_FRF_OCTAL (3u)

#define OSPI_TMOD_TX_AND_RX (0u)
#define OSPI_TMOD_TX_ONLY (1u)
#define OSPI_TMOD_RX_ONLY (2u)
#define OSPI_TMOD_EEPROM_READ (3u) // send the TX FIFO, then receive CTRLR1 + 1 frames

// SR.
#define OSPI_SR_BUSY (1u << 0)
#define OSPI_SR_TF_EMPTY (1u << 2)

// SPI_CTRLR0: framing of the enhanced (octal) transfers.
#define OSPI_SPI_CTRLR0_TRANS_TYPE_SHIFT (0)
#define OSPI_SPI_CTRLR0_TRANS_TYPE_MASK (3u)
#define OSPI_SPI_CTRLR0_ADDR_L_SHIFT (2) // address length in 4-bit units
#define OSPI_SPI_CTRLR0_ADDR_L_MASK (0xfu << OSPI_SPI_CTRLR0_ADDR_L_SHIFT)
#define OSPI_SPI_CTRLR0_INST_L_SHIFT (8)
#define OSPI_SPI_CTRLR0_INST_L_MASK (3u << OSPI_SPI_CTRLR0_INST_L_SHIFT)
#define OSPI_SPI_CTRLR0_WAIT_CYCLES_SHIFT (11)
#define OSPI_SPI_CTRLR0_WAIT_CYCLES_MASK (0x1fu << OSPI_SPI_CTRLR0_WAIT_CYCLES_SHIFT)
#define OSPI_SPI_CTRLR0_SPI_DDR_EN (1u << 16)
#define OSPI_SPI_CTRLR0_INST_DDR_EN (1u << 17)
#define OSPI_SPI_CTRLR0_SPI_RXDS_EN (1u << 18)
#define OSPI_SPI_CTRLR0_CLK_STRETCH_EN (1u << 30)

#define OSPI_TRANS_TYPE_ALL_IN_FRF (2u) // instruction and address on all lines too
#define OSPI_INST_L_8_BITS (2u)
#define OSPI_INST_L_16_BITS (3u)
#define OSPI_MAX_WAIT_CYCLES (31u)

// XIP_CTRL: the same framing for reads through the XIP window.
#define OSPI_XIP_CTRL_FRF_SHIFT (0)
#define OSPI_XIP_CTRL_TRANS_TYPE_SHIFT (2)
#define OSPI_XIP_CTRL_ADDR_L_SHIFT (4)
#define OSPI_XIP_CTRL_INST_L_SHIFT (9)
#define OSPI_XIP_CTRL_WAIT_CYCLES_SHIFT (13)
#define OSPI_XIP_CTRL_DFS_HC (1u << 18)
#define OSPI_XIP_CTRL_DDR_EN (1u << 19)
#define OSPI_XIP_CTRL_INST_DDR_EN (1u << 20)
#define OSPI_XIP_CTRL_RXDS_EN (1u << 21)
#define OSPI_XIP_CTRL_INST_EN (1u << 22)
#define OSPI_XIP_CTRL_CONT_XFER_EN (1u << 23)
#define OSPI_XIP_CTRL_RXDS_SIG_EN (1u << 25)

// AES block.
#define OSPI_AES_CONTROL (0x00u)
#define OSPI_AES_RXDS_DELAY (0x20u)
#define OSPI_AES_CONTROL_XIP_EN (1u << 4)

#endif // ALIF_OSPI_REGS_H
