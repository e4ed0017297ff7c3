// SPDX-License-Identifier: MIT
#include <string.h>

#include "alif_errno.h"
#include "nor_flash.h"

#define STATUS_WIP (0x01)
#define STATUS_WEL (0x02)

// JEDEC opcodes every supported part takes in both modes (the datasheets' command tables: ISSI
// IS25WX Table 8.1, EMxxLX Table 21, ST's BSP for the Macronix OctaFlash mx25uw25645g.h).
#define OP_READ_ID (0x9f)
#define OP_READ_STATUS (0x05)
#define OP_WRITE_STATUS (0x01)
#define OP_WRITE_ENABLE (0x06)
// Deep power-down: B9h on every supported part, with its 8D extension byte (stock
// ports/alif/ospi_flash_settings.h power_down_command: 0xb946 on MX25, 0xb9 on IS25 and EM).
#define OP_DEEP_POWER_DOWN (0xb9)
// ISSI IS25WX Table 8.1: Read Volatile Configuration 85h, in 1S-1S-1S with a 3-byte address and 8
// dummy cycles, and Write Volatile Configuration 81h with a 3-byte address; Tables 6.5/6.6:
// register 0Bh bit 0 ECCENB, 1 = ECC off.
#define OP_READ_VOLATILE_CONFIG (0x85)
#define OP_WRITE_VOLATILE_CONFIG (0x81)
#define ISSI_REG_ECC (0x0b)
#define ISSI_ECC_OFF (0x01)

// Polling: the first status read at a third of the typical time, since parts beat it (the
// typical is for half the bits changing, and ISSI's accelerated program is typically 0.08 ms
// against 0.15 ms: IS25WX datasheet Table 9.3); then each pause a 64th of the time already
// waited, so the end is seen within about 1.5% of however long the operation really took, with a
// number of status reads that grows only with its logarithm (some 70 for one of typical length).
#define POLL_FIRST_DIVISOR (3)
#define POLL_PAUSE_DIVISOR (64)

// One command in the part's current mode. In 8D-8D-8D it carries its extension byte, the
// opcode again or inverted as the part's SFDP (BFPT DWORD 18) or its table entry says.
static flash_bus_op_t nor_op(const nor_flash_t *nor, uint8_t opcode) {
    uint8_t ext = nor->params.cmd_ext_invert ? (uint8_t)~opcode : opcode;
    return flash_op_mode(nor->octal_ddr ? (uint16_t)(opcode << 8 | ext) : opcode, nor->octal_ddr);
}

static int nor_exec(const nor_flash_t *nor, const flash_bus_op_t *op) {
    return nor->bus->exec(nor->bus->ctx, op);
}

static int nor_command(const nor_flash_t *nor, uint8_t opcode) {
    flash_bus_op_t op = nor_op(nor, opcode);
    return nor_exec(nor, &op);
}

static uint64_t nor_now(const nor_flash_t *nor) {
    return nor->bus->now_ns(nor->bus->ctx);
}

static int nor_refuse(nor_flash_t *nor, const char *what, uint32_t found, uint32_t expected) {
    nor->refusal = (nor_refusal_t){what, found, expected};
    return -ALIF_EIO;
}

// A register read with the address and dummy cycles given, sampled on DQS where the part
// drives it for register reads in 8D.
static int nor_read_addressed(const nor_flash_t *nor, uint8_t opcode, uint8_t addr_bytes,
                              uint32_t addr, uint8_t dummy_cycles, uint8_t *buf, size_t len) {
    flash_bus_op_t op = nor_op(nor, opcode);
    flash_op_addr(&op, addr_bytes, addr);
    op.dummy.ncycles = dummy_cycles;
    op.data.dqs = nor->octal_ddr && (nor->part->flags & NOR_PART_REGISTER_DQS);
    flash_op_data_in(&op, buf, len);
    return nor_exec(nor, &op);
}

// Register reads (status, flags, ID): in 8D-8D-8D the part's own framing, and two bytes, because
// the bus moves two a clock.
static int nor_read_register(const nor_flash_t *nor, uint8_t opcode, uint8_t *buf, size_t len) {
    const nor_part_t *part = nor->part;
    return nor->octal_ddr ? nor_read_addressed(nor, opcode, part->reg_read_addr_bytes, 0,
                                               part->reg_read_dummy_cycles, buf, len)
                          : nor_read_addressed(nor, opcode, 0, 0, 0, buf, len);
}

static int nor_read_byte_register(const nor_flash_t *nor, uint8_t opcode, uint8_t *value) {
    uint8_t buf[2];
    int ret = nor_read_register(nor, opcode, buf, nor->octal_ddr ? 2 : 1);
    *value = buf[0];
    return ret;
}

static void nor_start_pending(nor_flash_t *nor, uint32_t typ_us, uint32_t max_us, uint32_t addr,
                              uint32_t len) {
    uint64_t now = nor_now(nor);
    nor->pending.active = true;
    nor->pending.started_ns = now;
    nor->pending.next_poll_ns = now + typ_us * (1000u / POLL_FIRST_DIVISOR); // fits below 12 s
    nor->pending.max_us = max_us;
    nor->pending.addr = addr;
    nor->pending.len = len;
}

// The operation has ended: stale XIP lines go, and for a program or erase the part's flag
// register tells whether it failed or was refused (a protected area), which its status register
// does not. Macronix parts keep the result until the next program or erase; the others until they
// are cleared.
static int nor_finish_pending(nor_flash_t *nor) {
    nor->pending.active = false;
    if (nor->bus->invalidate_xip != NULL && nor->pending.len != 0) {
        nor->bus->invalidate_xip(nor->bus->ctx, nor->pending.addr, nor->pending.len);
    }
    if (nor->pending.len == 0) {
        return 0; // a register write, or a wait for whatever the part was doing
    }
    const nor_part_t *part = nor->part;
    uint8_t flags = 0;
    int ret = nor_read_byte_register(nor, part->op_read_flags, &flags);
    if (ret == 0 && !(flags & part->flags_error)) {
        return 0;
    }
    nor->idle_status = 0; // after a failure, or flags unread, write-enable is set and checked anew
    if (ret == 0 && part->op_clear_flags != 0) {
        nor_command(nor, part->op_clear_flags);
    }
    return ret != 0 ? ret : -ALIF_EIO;
}

int nor_flash_wait_idle(nor_flash_t *nor) {
    const flash_bus_t *bus = nor->bus;
    while (nor->pending.active) {
        uint64_t now = nor_now(nor);
        if (now < nor->pending.next_poll_ns) {
            bus->delay_ns(bus->ctx, nor->pending.next_poll_ns - now);
        }
        uint8_t status;
        int ret = nor_read_byte_register(nor, OP_READ_STATUS, &status);
        if (ret != 0) {
            return ret;
        }
        if (!(status & STATUS_WIP)) {
            // Only a program's or an erase's: the datasheet says those keep WEL, not what
            // register writes do.
            nor->idle_status = nor->pending.len != 0 ? status : 0;
            return nor_finish_pending(nor);
        }
        now = nor_now(nor);
        uint64_t waited = now - nor->pending.started_ns;
        nor->pending.next_poll_ns = now + waited / POLL_PAUSE_DIVISOR;
        if (waited > (uint64_t)nor->pending.max_us * 1000) {
            // The next call gives the still busy part one more bounded wait.
            nor->pending.started_ns = now;
            return -ALIF_ETIMEDOUT;
        }
    }
    return 0;
}

// The longest anything the part does may take: what a busy part that nobody knows the
// operation of is given.
static uint32_t nor_longest_max_us(const nor_flash_t *nor) {
    uint32_t longest = nor->part->register_write_max_us;
    for (unsigned i = 0; i < NOR_ERASE_TYPES; i++) {
        longest = nor->params.erase[i].max_us > longest ? nor->params.erase[i].max_us : longest;
    }
    return longest;
}

// Sets the part's write-enable latch once whatever it was doing has ended. The part ignores
// program and erase without WEL; checking it turns a silent no-op into -ALIF_EIO. A part busy with
// nothing pending here (a command that got to it, then the caller never saw it return) is
// waited for, for the longest the part may take, not failed at once.
static int nor_write_enable(nor_flash_t *nor) {
    for (;;) {
        int ret = nor_flash_wait_idle(nor);
        if (ret == 0 && (nor->idle_status & STATUS_WEL)) {
            return 0; // the read that saw the last change end saw WEL still set (MRAM keeps it)
        }
        uint8_t status = 0;
        if (ret == 0) {
            ret = nor_command(nor, OP_WRITE_ENABLE);
        }
        if (ret == 0) {
            ret = nor_read_byte_register(nor, OP_READ_STATUS, &status);
        }
        if (ret != 0) {
            return ret;
        }
        if (!(status & STATUS_WIP)) {
            return status & STATUS_WEL ? 0 : -ALIF_EIO;
        }
        nor_start_pending(nor, 0, nor_longest_max_us(nor), 0, 0);
    }
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

int nor_flash_check_id(nor_flash_t *nor) {
    uint32_t id;
    int ret = nor_read_id(nor, &id);
    return ret != 0 || id == nor->jedec_id ? ret
                                           : nor_refuse(nor, "8D JEDEC ID", id, nor->jedec_id);
}

// Sends a command that changes the part once write-enable holds (addr_bytes of addr, then len
// bytes of src in array order) and starts its wait: typ_us and max_us are the part's times for
// it, changed_len the array bytes it changes from addr (0: a register write).
static int nor_start_change(nor_flash_t *nor, uint8_t opcode, uint8_t addr_bytes, uint32_t addr,
                            const uint8_t *src, size_t len, uint32_t typ_us, uint32_t max_us,
                            uint32_t changed_len) {
    int ret = nor_write_enable(nor);
    if (ret != 0) {
        return ret;
    }
    flash_bus_op_t op = nor_op(nor, opcode);
    flash_op_addr(&op, addr_bytes, addr);
    flash_op_data_out(&op, src, len);
    op.data.swap16 = nor->octal_ddr && nor->params.swap16;
    // From here the part may be busy, even if the bus reports a failure: the next change checks
    // write-enable and busy anew until a status read sees this one end.
    nor->idle_status = 0;
    ret = nor_exec(nor, &op);
    if (ret == 0) {
        nor_start_pending(nor, typ_us, max_us, addr, changed_len);
    }
    return ret;
}

// A register write in 1S-1S-1S (with an address when addr_bytes is not 0), whose wait is started
// like a program's: some parts are busy after one (Write Status on all, Macronix's WRCR2).
static int nor_write_register_1s(nor_flash_t *nor, uint8_t opcode, uint8_t addr_bytes,
                                 uint32_t addr, uint8_t value) {
    return nor_start_change(nor, opcode, addr_bytes, addr, &value, 1, 0,
                            nor->part->register_write_max_us, 0);
}

// A value the part's SFDP gives (0: not given) that contradicts the parts table's.
static bool nor_contradicts(nor_flash_t *nor, const char *what, uint32_t said, uint32_t table) {
    if (said == 0 || said == table) {
        return false;
    }
    nor_refuse(nor, what, said, table);
    return true;
}

// The 8D framing as one value: said (4, so that no framing reads as "not said"), byte swap (2),
// inverted command extension (1).
static uint32_t octal_framing(bool swap16, bool cmd_ext_invert) {
    return (uint32_t)(4 | swap16 << 1 | cmd_ext_invert);
}

// The parts table's facts, with the part's SFDP, where it has one, checked against them: a value
// both give must agree. Everything the driver uses is the table's, from the datasheets: no
// misread SFDP can send an opcode that erases more than asked, and no time rounded by SFDP's
// coarse encoding (the IS25WX's 130 ms 32 KiB erase reads 144 ms there) delays the first status
// read past a fast part's end.
static int nor_settle_params(nor_flash_t *nor) {
    const nor_part_t *part = nor->part;
    nor->params = part->facts;
    if (part->flags & NOR_PART_NO_SFDP) {
        return 0;
    }
    sfdp_params_t said;
    const char *unusable = NULL;
    int ret = sfdp_read(nor->bus, &said, &unusable);
    if (ret != 0) {
        return unusable != NULL ? nor_refuse(nor, unusable, 0, 0) : ret;
    }
    if (nor_contradicts(nor, "SFDP size", said.size, part->facts.size) ||
        (said.octal_dtr_said &&
         nor_contradicts(nor, "SFDP 8D framing (4 said, 2 swap, 1 invert)",
                         octal_framing(said.swap16, said.cmd_ext_invert),
                         octal_framing(part->facts.swap16, part->facts.cmd_ext_invert)))) {
        return -ALIF_EIO;
    }
    for (unsigned i = 0; i < SFDP_PROFILE_CLOCKS; i++) {
        if (nor_contradicts(nor, "SFDP read dummy cycles", said.read_dummy_cycles[i],
                            nor_part_read_dummy(part, sfdp_profile_mhz[i] * 1000000u)->cycles)) {
            return -ALIF_EIO;
        }
    }
    for (unsigned s = 0; s < SFDP_ERASE_TYPES; s++) {
        for (unsigned t = 0; t < NOR_ERASE_TYPES; t++) {
            if (said.erase[s].size_shift == part->facts.erase[t].size_shift &&
                nor_contradicts(nor, "SFDP erase opcode", said.erase[s].opcode,
                                part->facts.erase[t].opcode)) {
                return -ALIF_EIO;
            }
        }
    }
    return 0;
}

// A register, read and written in 1S-1S-1S before the mode switch, whose bits under mask must
// read want for the layer to work.
typedef struct {
    const char *what; // the refusal, when the bits will not change
    uint8_t op_read, op_write, addr_bytes, addr, read_dummy_cycles, mask, want;
} nor_register_t;

// Reads reg and, where its bits are not as wanted, writes them so, waits, and reads again: the
// part is refused when they still are not.
static int nor_settle_register(nor_flash_t *nor, const nor_register_t *reg) {
    for (int attempt = 0;; attempt++) {
        uint8_t value;
        int ret = nor_read_addressed(nor, reg->op_read, reg->addr_bytes, reg->addr,
                                     reg->read_dummy_cycles, &value, 1);
        if (ret != 0 || (value & reg->mask) == reg->want) {
            return ret;
        }
        if (attempt > 0) {
            return nor_refuse(nor, reg->what, value, reg->want);
        }
        ret = nor_write_register_1s(nor, reg->op_write, reg->addr_bytes, reg->addr,
                                    (uint8_t)((value & ~reg->mask) | reg->want));
        if (ret == 0) {
            ret = nor_flash_wait_idle(nor);
        }
        if (ret != 0) {
            return ret;
        }
    }
}

// Block protection a tool or other firmware left set would make every program and erase in its
// area fail: cleared, as Linux's spi_nor_try_unlock_all() does at probe, or the part refused when
// it will not clear (its status-register write disable held by the WP# pin).
//
// With on-die ECC on, the IS25WX aborts a second program of any 16-byte chunk (datasheet
// section 8.21), which the block-device contract needs: an extended-form write is old & new
// over whatever is there, littlefs programs less than a chunk at a time, and a page that already
// holds some of its bytes is programmed again. So ECC goes off in the volatile register, which
// leaves the non-volatile choice as it was for whoever set it.
static int nor_unprotect_and_ecc_off(nor_flash_t *nor) {
    const nor_part_t *part = nor->part;
    const nor_register_t status = {
        .what = "protection stays set: status",
        .op_read = OP_READ_STATUS,
        .op_write = OP_WRITE_STATUS,
        .mask = part->status_protect,
        .want = 0,
    };
    static const nor_register_t ecc = {
        .what = "ECC stays on: config",
        .op_read = OP_READ_VOLATILE_CONFIG,
        .op_write = OP_WRITE_VOLATILE_CONFIG,
        .addr_bytes = 3,
        .addr = ISSI_REG_ECC,
        .read_dummy_cycles = 8,
        .mask = ISSI_ECC_OFF,
        .want = ISSI_ECC_OFF,
    };
    int ret = nor_settle_register(nor, &status);
    return ret != 0 || !(part->flags & NOR_PART_ECC_REGISTER) ? ret
                                                              : nor_settle_register(nor, &ecc);
}

// The part's two volatile register writes into 8D-8D-8D (nor_part_t): dummy cycles, then mode.
// The wait after the second is already in the new mode.
static int nor_enter_octal_ddr(nor_flash_t *nor, uint8_t dummy_code) {
    const nor_part_t *part = nor->part;
    int ret = nor_write_register_1s(nor, part->op_write_register, part->reg_addr_bytes,
                                    part->reg_dummy, dummy_code);
    if (ret == 0) {
        ret = nor_write_register_1s(nor, part->op_write_register, part->reg_addr_bytes, 0,
                                    part->reg_io_mode_value);
    }
    nor->octal_ddr = ret == 0;
    return ret == 0 ? nor_flash_wait_idle(nor) : ret;
}

int nor_flash_init(nor_flash_t *nor, const flash_bus_t *bus, uint32_t sclk_hz) {
    *nor = (nor_flash_t){.bus = bus};
    int ret = nor_read_id(nor, &nor->jedec_id);
    if (ret != 0) {
        return ret;
    }
    nor->part = nor_part_find(nor->jedec_id);
    if (nor->part == NULL) {
        return -ALIF_ENODEV;
    }
    const nor_read_dummy_t *dummy = nor_part_read_dummy(nor->part, sclk_hz);
    if (dummy->max_mhz * 1000000u < sclk_hz) {
        nor_refuse(nor, "flash clock (MHz)", sclk_hz / 1000000u, dummy->max_mhz);
        return -ALIF_EINVAL;
    }
    nor->read_dummy_cycles = dummy->cycles;
    ret = nor_settle_params(nor);
    if (ret == 0) {
        ret = nor_unprotect_and_ecc_off(nor);
    }
    if (ret == 0) {
        ret = nor_enter_octal_ddr(nor, dummy->code);
    }
    return ret == 0 ? nor_flash_check_id(nor) : ret;
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
    op.dummy.ncycles = nor->read_dummy_cycles;
    op.data.dqs = true;
    op.data.swap16 = nor->params.swap16;
    return op;
}

// An array read of an even len from an even addr, once the part is idle: a busy part ignores
// reads.
static int nor_read_even(nor_flash_t *nor, uint32_t addr, uint8_t *dest, size_t len) {
    int ret = nor_flash_wait_idle(nor);
    flash_bus_op_t op = nor_flash_read_op(nor);
    flash_op_addr(&op, 4, addr);
    flash_op_data_in(&op, dest, len);
    return ret != 0 ? ret : nor_exec(nor, &op);
}

int nor_flash_read(nor_flash_t *nor, uint32_t addr, uint8_t *dest, size_t len) {
    while (len > 0) {
        // An odd edge: its even pair into a side buffer, and the byte asked for kept.
        uint8_t edge[2];
        bool odd_edge = (addr & 1) || len == 1;
        size_t chunk = odd_edge ? 1 : len & ~(size_t)1;
        int ret = odd_edge ? nor_read_even(nor, even_floor(addr), edge, 2)
                           : nor_read_even(nor, addr, dest, chunk);
        if (ret != 0) {
            return ret;
        }
        if (odd_edge) {
            *dest = edge[addr & 1];
        }
        addr += (uint32_t)chunk;
        dest += chunk;
        len -= chunk;
    }
    return nor_flash_wait_idle(nor);
}

static bool all_erased(const uint8_t *buf, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != 0xff) {
            return false;
        }
    }
    return true;
}

static int nor_page_program(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len) {
    return nor_start_change(nor, nor->part->op_page_program, 4, addr, src, len,
                            nor->params.page_program_typ_us, nor->params.page_program_max_us,
                            (uint32_t)len);
}

int nor_flash_erase(nor_flash_t *nor, uint32_t addr, uint32_t len) {
    if (addr % NOR_SECTOR_SIZE != 0 || len % NOR_SECTOR_SIZE != 0) {
        return -ALIF_EINVAL;
    }
    while (len > 0) {
        // The largest erase type aligned here that does not reach past the end; the table's
        // first type is 4 KiB.
        unsigned best = 0;
        for (unsigned i = 1; i < NOR_ERASE_TYPES && nor->params.erase[i].size_shift != 0; i++) {
            uint32_t size = 1u << nor->params.erase[i].size_shift;
            if ((addr & (size - 1)) == 0 && size <= len) {
                best = i;
            }
        }
        uint32_t size = 1u << nor->params.erase[best].size_shift;
        int ret =
            nor_start_change(nor, nor->params.erase[best].opcode, 4, addr, NULL, 0,
                             nor->params.erase[best].typ_us, nor->params.erase[best].max_us, size);
        if (ret == 0) {
            ret = nor_flash_wait_idle(nor);
        }
        if (ret != 0) {
            return ret;
        }
        addr += size;
        len -= size;
    }
    return 0;
}

// Writes bytes that lie within one page. On NOR flash 0xff programs nothing, so it pads an odd
// edge and a chunk of nothing but 0xff is skipped. MRAM stores what it is given: for NOR's old &
// new it is given that, read back first; to store, src itself, with the bytes beside an odd edge
// read back (EMxxLX v3.2 section 11: writes need no erase and turn bits either way).
static int nor_write_in_page(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len,
                             bool store) {
    bool mram = nor->part->flags & NOR_PART_MRAM;
    if (!(mram && store) && all_erased(src, len)) {
        return 0;
    }
    uint8_t padded[NOR_PAGE_SIZE];
    uint32_t start = even_floor(addr);
    size_t padded_len = even_ceil(addr + (uint32_t)len) - start;
    if (mram && (!store || padded_len != len)) {
        int ret = nor_read_even(nor, start, padded, padded_len);
        if (ret != 0) {
            return ret;
        }
        for (size_t i = 0; i < len; i++) {
            padded[addr - start + i] = store ? src[i] : padded[addr - start + i] & src[i];
        }
        src = padded;
    } else if (padded_len != len) {
        memset(padded, 0xff, padded_len);
        memcpy(padded + (addr - start), src, len);
        src = padded;
    }
    return nor_page_program(nor, start, src, padded_len);
}

static int nor_write(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len, bool store) {
    while (len > 0) {
        size_t room_in_page = NOR_PAGE_SIZE - (addr & (NOR_PAGE_SIZE - 1));
        size_t chunk = len < room_in_page ? len : room_in_page;
        int ret = nor_write_in_page(nor, addr, src, chunk, store);
        if (ret != 0) {
            return ret;
        }
        addr += (uint32_t)chunk;
        src += chunk;
        len -= chunk;
    }
    // Whoever reads next must see every byte landed.
    return nor_flash_wait_idle(nor);
}

bool nor_flash_needs_erase(const nor_flash_t *nor, const uint8_t *old, const uint8_t *new,
                           size_t len) {
    if (nor->part->flags & NOR_PART_MRAM) {
        return false; // it stores what it is sent
    }
    for (size_t i = 0; i < len; i++) {
        if ((old[i] & new[i]) != new[i]) {
            return true; // a bit would have to go from 0 to 1
        }
    }
    return false;
}

int nor_flash_program(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len) {
    return nor_write(nor, addr, src, len, false);
}

int nor_flash_store(nor_flash_t *nor, uint32_t addr, const uint8_t *src, size_t len) {
    return nor_write(nor, addr, src, len, true);
}

int nor_flash_power_down(nor_flash_t *nor) {
    int ret = nor_flash_wait_idle(nor);
    return ret == 0 ? nor_command(nor, OP_DEEP_POWER_DOWN) : ret;
}
