// SPDX-License-Identifier: MIT
// Registers of the Arm MHUv2 frames between an Ensemble application core and the Secure
// Enclave. Offsets, bits and base addresses are Alif's (Ensemble CMSIS DFP,
// drivers/include/mhu_driver.h and Device/core/M55_*/include/M55_*_map.h); the driver and the
// register model share them.
#ifndef ALIF_MHU_REGS_H
#define ALIF_MHU_REGS_H

// The SESS pair as the M55 HP and HE cores each see their own: they send through TX, the SE
// answers through RX.
#define MHU_SESS_TX_BASE (0x40050000u)
#define MHU_SESS_RX_BASE (0x40040000u)
#define MHU_FRAME_SIZE (0x1000u)

#define MHU_CHANNEL_STRIDE (0x20u)
#define MHU_SE_CHANNEL (0u) // the channel the SE services use

// Sender frame: per channel, then the frame's access handshake.
#define MHU_TX_CH_ST (0x00u)
#define MHU_TX_CH_SET (0x0cu)
#define MHU_TX_ACCESS_REQUEST (0xf88u)
#define MHU_TX_ACCESS_READY (0xf8cu)

// Receiver frame: per channel.
#define MHU_RX_CH_ST (0x00u)
#define MHU_RX_CH_CLR (0x08u)

#define MHU_ACCESS_BIT (1u)

#endif // ALIF_MHU_REGS_H
