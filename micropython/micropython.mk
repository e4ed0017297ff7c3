# SPDX-License-Identifier: MIT
# The alif user C module for MicroPython's make-based ports:
#   make USER_C_MODULES=<this repo> ...
# ALIF_MOD_TARGET picks what is under the bus interface: `sim` (the host simulator, for the unix
# port; the default) or `ensemble` (the Ensemble's OSPI controller and SE mailbox, for the Alif
# port, with the glue in alif_port/).
ALIF_MOD_DIR := $(USERMOD_DIR)
ALIF_ROOT := $(ALIF_MOD_DIR)/..
ALIF_MOD_TARGET ?= sim

SRC_USERMOD_C += $(ALIF_MOD_DIR)/modalif.c $(ALIF_MOD_DIR)/alif_flash_mp.c $(ALIF_MOD_DIR)/alif_mp_calls.c
SRC_USERMOD_LIB_C += $(wildcard $(ALIF_ROOT)/core/*.c $(ALIF_ROOT)/ensemble/*.c)
CFLAGS_USERMOD += -I$(ALIF_ROOT)/core -I$(ALIF_ROOT)/ensemble

ifeq ($(ALIF_MOD_TARGET),sim)
SRC_USERMOD_LIB_C += $(wildcard $(ALIF_ROOT)/sim/*.c)
CFLAGS_USERMOD += -I$(ALIF_ROOT)/sim -DALIF_MOD_SIM=1 -DALIF_REG_MODEL=1
else ifeq ($(ALIF_MOD_TARGET),ensemble)
# The board's OSPI pins, XIP timing and storage geometry come from the port's board files.
SRC_USERMOD_C += $(wildcard $(ALIF_ROOT)/alif_port/*.c)
CFLAGS_USERMOD += -I$(ALIF_ROOT)/alif_port -I$(ALIF_MOD_DIR)
# The module's objects (built under the module directory's name) for size, as the stock port's
# flash driver is measured: on an MCU the driver waits on the flash, not on the CPU. Empty
# ALIF_MOD_CFLAGS builds them as the port builds the rest (tools/build-alif-port does).
ALIF_MOD_CFLAGS ?= -Os
$(BUILD)/$(notdir $(ALIF_MOD_DIR))/%.o: CFLAGS += $(ALIF_MOD_CFLAGS)
else
$(error ALIF_MOD_TARGET must be sim or ensemble)
endif
