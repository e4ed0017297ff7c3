// SPDX-License-Identifier: MIT
#include <string.h>

#include "alif_errno.h"
#include "nor_flash.h"

#define STATUS_WIP (0x01)
#define STATUS_WEL (0x02)

// JEDEC opcodes every supported part takes in both modes (datasheets of each part).
#define OP_READ_ID (0x9f)
#define OP_READ_STATUS (0x05)
#define OP_WRITE_ENABLE (0x06)

// How often to look at the status register after the typical time has passed: often enough to
// lose little time, seldom enough to leave the bus quiet.
#define POLLS_PER_TYPICAL_TIME (16)

// Deep power-down: B9h on every supported part, with its 8D extension byte (ports/alif
// ospi_flash_settings.h power_down_command: 0xb946 on MX25, 0xb9 on IS25 and EM; ISSI IS25WX
// datasheet, "Deep Power Down"; Macronix MX25UM25645G datasheet, "DP").
#define OP_DEEP_POWER_DOWN (0xb9)

// One command in the part's current mode. In 8D-8D-8D it carries its extension byte, the
// opcode again or inverted as the part's SFDP (BFPT DWORD 18) says.
static flash_bus_op_t nor_op(const nor_flash_t *nor, uint8_t opcode) {
    uint8_t ext = nor->params.cmd_ext_invert ? (uint8_t)~opcode : opcode;
    return flash_op_mode(nor->octal_ddr ? (uint16_t)(opcode << 8 | ext) : opcode, nor->octal_ddr);
}

static int nor_exec(const nor_flash_t *nor, const flash_bus_op_t *op) {
    return nor->bus->exec(nor->bus->ctx, op);
}

// Register reads (status, ID): in 8D-8D-8D the part's own framing, and two bytes, because the
// bus moves two a clock.
static int nor_read_register(const nor_flash_t *nor, uint8_t opcode, uint8_t *buf, size_t len) {
    flash_bus_op_t op = nor_op(nor, opcode);
    if (nor->octal_ddr) {
        flash_op_addr(&op, nor->part->reg_read_addr_bytes, 0);
        op.dummy.ncycles = nor->part->reg_read_dummy_cycles;
        op.data.dqs = nor->part->flags & NOR_PART_REGISTER_DQS;
    }
    flash_op_data_in(&op, buf, len);
    return nor_exec(nor, &op);
}

static int nor_read_status(const nor_flash_t *nor, uint8_t *status) {
    uint8_t buf[2];
    int ret = nor_read_register(nor, OP_READ_STATUS, buf, nor->octal_ddr ? 2 : 1);
    *status = buf[0];
    return ret;
}

static void nor_invalidate_xip(const nor_flash_t *nor, uint32_t addr, uint32_t len) {
    if (nor->bus->invalidate_xip != NULL) {
        nor->bus->invalidate_xip(nor->bus->ctx, addr, len);
    }
}

static void nor_start_pending(nor_flash_t *nor, uint32_t typ_us, uint32_t max_us, uint32_t addr,
                              uint32_t len) {
    nor->pending.active = true;
    nor->pending.started_ns = nor->bus->now_ns(nor->bus->ctx);
    nor->pending.typ_us = typ_us;
    nor->pending.max_us = max_us;
    nor->pending.addr = addr;
    nor->pending.len = len;
}

static void nor_finish_pending(nor_flash_t *nor) {
    nor->pending.active = false;
    nor_invalidate_xip(nor, nor->pending.addr, nor->pending.len);
}

// Sleeps until the pending operation's typical time has passed: asking earlier only adds
// traffic.
static void nor_sleep_through_typical_time(const nor_flash_t *nor) {
    const flash_bus_t *bus = nor->bus;
    uint64_t typical_end = nor->pending.started_ns + (uint64_t)nor->pending.typ_us * 1000;
    uint64_t now = bus->now_ns(bus->ctx);
    if (now < typical_end) {
        bus->delay_ns(bus->ctx, typical_end - now);
    }
}

// While the part is busy: -ALIF_ETIMEDOUT once past the datasheet maximum, measured on the bus's
// clock, else a pause before the next look. A time-out restarts the clock, so that the next call
// gives the still busy part one more bounded wait instead of failing at once.
static int nor_wait_a_little(nor_flash_t *nor) {
    const flash_bus_t *bus = nor->bus;
    uint64_t now = bus->now_ns(bus->ctx);
    if (!nor->pending.active) {
        return -ALIF_ETIMEDOUT;
    }
    if (now - nor->pending.started_ns > (uint64_t)nor->pending.max_us * 1000) {
        nor->pending.started_ns = now;
        return -ALIF_ETIMEDOUT;
    }
    bus->delay_ns(bus->ctx, (uint64_t)nor->pending.typ_us * 1000 / POLLS_PER_TYPICAL_TIME);
    return 0;
}

// Waits for the pending operation, if any, to finish; with write_enable, then also sets the
// part's write-enable latch.
// The part ignores program and erase without WEL; checking it turns a silent no-op into -ALIF_EIO.
// The same status read tells whether the previous operation has finished: while it runs the
// part ignores the write-enable too, so that is sent again until it takes.
static int nor_poll(nor_flash_t *nor, bool write_enable) {
    if (!nor->pending.active && !write_enable) {
        return 0;
    }
    if (nor->pending.active) {
        nor_sleep_through_typical_time(nor);
    }
    for (;;) {
        int ret = 0;
        if (write_enable) {
            flash_bus_op_t op = nor_op(nor, OP_WRITE_ENABLE);
            ret = nor_exec(nor, &op);
        }
        uint8_t status;
        if (ret == 0) {
            ret = nor_read_status(nor, &status);
        }
        if (ret != 0) {
            return ret;
        }
        if (status & STATUS_WIP) {
            ret = nor_wait_a_little(nor);
            if (ret != 0) {
                return ret;
            }
        } else {
            bool was_pending = nor->pending.active;
            if (was_pending) {
                nor_finish_pending(nor);
            }
            if (!write_enable || (status & STATUS_WEL)) {
                return 0;
            }
            if (!was_pending) {
                return -ALIF_EIO;
            }
            // It finished between the write-enable and the status read: try once more.
        }
    }
}

static int nor_wait_idle(nor_flash_t *nor) {
    return nor_poll(nor, false);
}

static int nor_write_enable(nor_flash_t *nor) {
    return nor_poll(nor, true);
}

// The JEDEC ID: three bytes in 1S; in 8D two bytes a clock, and on some parts each byte twice,
// which must then come in equal pairs.
static int nor_read_id(const nor_flash_t *nor, uint32_t *jedec_id) {
    uint8_t id[6] = {0};
    unsigned each = nor->octal_ddr && (nor->part->flags & NOR_PART_ID_DOUBLED) ? 2 : 1;
    int ret = nor_read_register(nor, OP_READ_ID, id, nor->octal_ddr ? 2 + 2 * each : 3);
    uint32_t value = 0;
    for (unsigned i = 0; i < 3; i++) {
        if (id[i * each] != id[i * each + each - 1]) {
            value = ~0u; // a doubled byte that is not: nothing to trust
            break;
        }
        value = value << 8 | id[i * each];
    }
    *jedec_id = value;
    return ret;
}

// A volatile register write in 1S-1S-1S, the only way into 8D-8D-8D after reset.
static int nor_write_register_1s(nor_flash_t *nor, uint8_t opcode, uint8_t addr_bytes,
                                 uint32_t addr, uint8_t value) {
    int ret = nor_write_enable(nor);
    if (ret != 0) {
        return ret;
    }
    flash_bus_op_t op = nor_op(nor, opcode);
    flash_op_addr(&op, addr_bytes, addr);
    flash_op_data_out(&op, &value, 1);
    return nor_exec(nor, &op);
}

// The part's two volatile register writes into 8D-8D-8D (nor_part_t): dummy cycles, then mode.
static int nor_enter_octal_ddr(nor_flash_t *nor) {
    const nor_part_t *part = nor->part;
    int ret = nor_write_register_1s(nor, part->op_write_register, part->reg_addr_bytes,
                                    part->reg_dummy, part->reg_dummy_value);
    if (ret == 0) {
        ret = nor_write_register_1s(nor, part->op_write_register, part->reg_addr_bytes, 0,
                                    part->reg_io_mode_value);
    }
    return ret;
}

// What the table holds that SFDP also says must agree, and the 4 KiB erase must exist.
static int nor_check_params(nor_flash_t *nor) {
    if (nor->params.size != nor->part->size) {
        nor->mismatch.what = "size";
        nor->mismatch.table = nor->part->size;
        nor->mismatch.sfdp = nor->params.size;
        return -ALIF_EIO;
    }
    for (uint8_t i = 0; i < SFDP_ERASE_TYPES; i++) {
        if (1u << nor->params.erase[i].size_shift == NOR_SECTOR_SIZE) {
            nor->sector_type = i;
            return 0;
        }
    }
    nor->mismatch.what = "4 KiB erase";
    nor->mismatch.table = NOR_SECTOR_SIZE;
    return -ALIF_EIO;
}

int nor_flash_init(nor_flash_t *nor, const flash_bus_t *bus) {
    *nor = (nor_flash_t){.bus = bus};
    int ret = nor_read_id(nor, &nor->jedec_id);
    if (ret != 0) {
        return ret;
    }
    nor->part = nor_part_find(nor->jedec_id);
    if (nor->part == NULL) {
        return -ALIF_ENODEV;
    }
    ret = sfdp_read(bus, &nor->params);
    if (ret == 0) {
        ret = nor_check_params(nor);
    }
    if (ret == 0) {
        ret = nor_enter_octal_ddr(nor);
    }
    if (ret != 0) {
        return ret;
    }
    nor->octal_ddr = true;
    uint32_t id_in_octal_ddr;
    ret = nor_read_id(nor, &id_in_octal_ddr);
    if (ret == 0 && id_in_octal_ddr != nor->jedec_id) {
        ret = -ALIF_EIO;
    }
    return ret;
}

// Reads and programs in 8D-8D-8D move two bytes a clock, so they start on an even address and
// move an even count. These widen [addr, addr + len) to that.
static uint32_t even_floor(uint32_t addr) {
    return addr & ~1u;
}

static uint32_t even_ceil(uint32_t addr) {
    return (addr + 1) & ~1u;
}

// Array reads are sampled on DQS on every part, as Alif's DFP and stock MicroPython's XIP set-up
// do (ports/alif/ospi_ext.c ospi_xip_enter_ext sets RXDS_EN whatever the part).
flash_bus_op_t nor_flash_read_op(const nor_flash_t *nor) {
    flash_bus_op_t op = nor_op(nor, nor->part->op_read);
    op.addr.nbytes = 4;
    op.dummy.ncycles = nor->part->read_dummy_cycles;
    op.data.dqs = true;
    op.data.swap16 = nor->params.swap16;
    return op;
}

int nor_flash_read(nor_flash_t *nor, uint32_t addr, uint8_t *dest, size_t len) {
    // A busy part ignores reads.
    int ret = nor_wait_idle(nor);
    if (ret != 0) {
        return ret;
    }
    uint8_t edge[2];
    // Each pass sets the op's address and data phase anew.
    flash_bus_op_t op = nor_flash_read_op(nor);
    while (len > 0) {
        size_t chunk;
        if ((addr & 1) || len == 1) {
            // An odd edge: read its even pair into a side buffer and keep the byte asked for.
            flash_op_addr(&op, 4, even_floor(addr));
            flash_op_data_in(&op, edge, 2);
            chunk = 1;
        } else {
            chunk = len & ~(size_t)1;
            flash_op_addr(&op, 4, addr);
            flash_op_data_in(&op, dest, chunk);
        }
        ret = nor_exec(nor, &op);
        if (ret != 0) {
            return ret;
        }
        if (op.data.buf.in == edge) {
            *dest = edge[addr & 1];
        }
        addr += (uint32_t)chunk;
        dest += chunk;
        len -= chunk;
    }
    return 0;
}

static bool all_erased(const uint8_t *buf, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != 0xff) {
            return false;
        }
    }
    return true;
}

static bool is_mram(const nor_flash_t *nor) {
    return nor->part->flags & NOR_PART_MRAM;
}

// Sends a program (len bytes of src, in array order) or an erase (len 0) at addr and starts
// its wait for the changed_len bytes from addr.
static int nor_start_change(nor_flash_t *nor, uint8_t opcode, uint32_t addr, const uint8_t *src,
                            size_t len, uint32_t typ_us, uint32_t max_us, uint32_t changed_len) {
    int ret = nor_write_enable(nor);
    if (ret != 0) {
        return ret;
    }
    flash_bus_op_t op = nor_op(nor, opcode);
    flash_op_addr(&op, 4, addr);
    if (len > 0) {
        flash_op_data_out(&op, src, len);
        op.data.swap16 = nor->params.swap16;
    }
    ret = nor_exec(nor, &op);
    if (ret == 0) {
        nor_start_pending(nor, typ_us, max_us, addr, changed_len);
    }
    return ret;
}

static int nor_page_program(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len) {
    return nor_start_change(nor, nor->part->op_page_program, addr, src, len,
                            nor->params.page_program_typ_us, nor->params.page_program_max_us,
                            (uint32_t)len);
}

// One erase of the given SFDP erase type at addr, aligned to it.
static int nor_erase_block(nor_flash_t *nor, uint32_t addr, unsigned type) {
    int ret = nor_start_change(nor, nor->params.erase[type].opcode, addr, NULL, 0,
                               nor->params.erase[type].typ_us, nor->params.erase[type].max_us,
                               1u << nor->params.erase[type].size_shift);
    return ret != 0 ? ret : nor_wait_idle(nor);
}

// MRAM needs no erase: only the pages that are not blank yet are written with 0xff.
static int nor_mram_blank(nor_flash_t *nor, uint32_t addr, uint32_t len) {
    uint8_t page[NOR_PAGE_SIZE];
    for (uint32_t at = addr; at < addr + len; at += NOR_PAGE_SIZE) {
        int ret = nor_flash_read(nor, at, page, NOR_PAGE_SIZE);
        if (ret == 0 && !all_erased(page, NOR_PAGE_SIZE)) {
            memset(page, 0xff, NOR_PAGE_SIZE);
            ret = nor_page_program(nor, at, page, NOR_PAGE_SIZE);
        }
        if (ret != 0) {
            return ret;
        }
    }
    return nor_wait_idle(nor);
}

int nor_flash_erase_sector(nor_flash_t *nor, uint32_t addr) {
    return nor_flash_erase(nor, addr & ~(NOR_SECTOR_SIZE - 1), NOR_SECTOR_SIZE);
}

int nor_flash_erase(nor_flash_t *nor, uint32_t addr, uint32_t len) {
    if (addr % NOR_SECTOR_SIZE != 0 || len % NOR_SECTOR_SIZE != 0) {
        return -ALIF_EINVAL;
    }
    if (is_mram(nor)) {
        return nor_mram_blank(nor, addr, len);
    }
    while (len > 0) {
        // The largest erase type aligned here that does not reach past the end (absent types
        // have size 1, never larger than 4 KiB).
        unsigned best = nor->sector_type;
        uint32_t best_size = NOR_SECTOR_SIZE;
        for (unsigned i = 0; i < SFDP_ERASE_TYPES; i++) {
            uint32_t size = 1u << nor->params.erase[i].size_shift;
            if (size > best_size && (addr & (size - 1)) == 0 && size <= len) {
                best = i;
                best_size = size;
            }
        }
        int ret = nor_erase_block(nor, addr, best);
        if (ret != 0) {
            return ret;
        }
        addr += best_size;
        len -= best_size;
    }
    return 0;
}

// Programs bytes that lie within one page. 0xff programs nothing, so it pads an odd edge and a
// chunk of nothing but 0xff is skipped. MRAM stores what it is given, so it is given old & new,
// which keeps NOR semantics for the layers above.
static int nor_program_in_page(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len) {
    if (all_erased(src, len)) {
        return 0;
    }
    uint8_t padded[NOR_PAGE_SIZE];
    uint32_t start = even_floor(addr);
    size_t padded_len = even_ceil(addr + (uint32_t)len) - start;
    if (is_mram(nor)) {
        int ret = nor_flash_read(nor, start, padded, padded_len);
        if (ret != 0) {
            return ret;
        }
        for (size_t i = 0; i < len; i++) {
            padded[addr - start + i] &= src[i];
        }
        src = padded;
    } else if (padded_len != len) {
        memset(padded, 0xff, padded_len);
        memcpy(padded + (addr - start), src, len);
        src = padded;
    }
    return nor_page_program(nor, start, src, padded_len);
}

int nor_flash_program(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len) {
    while (len > 0) {
        // SFDP's page, or less: a smaller program never crosses a page.
        uint32_t page =
            nor->params.page_size < NOR_PAGE_SIZE ? nor->params.page_size : NOR_PAGE_SIZE;
        size_t room_in_page = page - (addr & (page - 1));
        size_t chunk = len < room_in_page ? len : room_in_page;
        int ret = nor_program_in_page(nor, addr, src, chunk);
        if (ret != 0) {
            return ret;
        }
        addr += (uint32_t)chunk;
        src += chunk;
        len -= chunk;
    }
    // Whoever reads next must see every byte landed.
    return nor_wait_idle(nor);
}

int nor_flash_power_down(nor_flash_t *nor) {
    int ret = nor_wait_idle(nor);
    if (ret == 0) {
        flash_bus_op_t op = nor_op(nor, OP_DEEP_POWER_DOWN);
        ret = nor_exec(nor, &op);
    }
    return ret;
}
