// SPDX-License-Identifier: MIT
// The part model's rules, one by one, with raw bus transactions and no driver, each against its
// source: the datasheet figures are written here with their table, the Macronix SFDP is the dump
// in tests/fixtures/sfdp/. If the model stopped enforcing one of them, the driver's tests could
// pass against a part that is not real.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "ospi_regs.h"
#include "reg_access.h"
#include "sim_sfdp.h"
#include "support.h"

#define KIB (1024u)
#define MIB (1024u * 1024u)
#define US (1000ull)
#define MS (1000000ull)

typedef struct {
    uint8_t *mem;
    sim_nor_t *nor;
    flash_bus_t bus;
    bool macronix;
} part_t;

static part_t part_at(const char *name, uint32_t clock_hz) {
    const sim_nor_part_t *p = sim_nor_part_by_name(name);
    assert_non_null(p);
    part_t part = {.mem = malloc(p->size)};
    assert_non_null(part.mem);
    memset(part.mem, 0xff, p->size);
    part.nor = sim_nor_new(p, part.mem, clock_hz);
    sim_nor_bus(part.nor, &part.bus);
    part.macronix = p->family == SIM_NOR_FAMILY_MACRONIX_MX25UM;
    return part;
}

static part_t part_open(const char *name) {
    return part_at(name, 100000000);
}

static void part_close(part_t *part) {
    sim_nor_free(part->nor);
    free(part->mem);
}

static const sim_nor_stats_t *stats(const part_t *part) {
    return sim_nor_stats(part->nor);
}

static void exec(part_t *part, flash_bus_op_t op) {
    assert_int_equal(part->bus.exec(part->bus.ctx, &op), 0);
}

static void wait_ns(part_t *part, uint64_t ns) {
    part->bus.delay_ns(part->bus.ctx, ns);
}

// Longer than any timed operation of any part but a chip erase.
static void wait_idle(part_t *part) {
    wait_ns(part, 5000000000ull);
}

static flash_bus_op_t single(uint8_t opcode) {
    return flash_op_1s(opcode);
}

static flash_bus_op_t octal(const part_t *part, uint8_t opcode) {
    return flash_op_8d(opcode, part->macronix ? (uint8_t)~opcode : opcode);
}

static flash_bus_op_t with_addr(flash_bus_op_t op, uint8_t nbytes, uint32_t addr) {
    op.addr.nbytes = nbytes;
    op.addr.val = addr;
    return op;
}

static flash_bus_op_t reading(flash_bus_op_t op, uint8_t *buf, size_t len) {
    op.data.nbytes = len;
    op.data.buf.in = buf;
    return op;
}

static flash_bus_op_t writing(flash_bus_op_t op, const uint8_t *buf, size_t len) {
    op.data.to_flash = true;
    op.data.nbytes = len;
    op.data.buf.out = buf;
    return op;
}

static flash_bus_op_t dummies(flash_bus_op_t op, uint8_t ncycles) {
    op.dummy.ncycles = ncycles;
    return op;
}

static uint8_t status_1s(part_t *part) {
    uint8_t sr = 0;
    exec(part, reading(single(0x05), &sr, 1));
    return sr;
}

// A register read in 8D-8D-8D with the part's own framing: the ISSI command set without an
// address and with 8 dummy cycles (IS25WX Table 8.1, EMxxLX Table 21), or with a 4-byte address
// for the configuration registers; Macronix with a 4-byte address and 4 dummy cycles (stock
// MicroPython ospi_flash.c). The byte comes twice, once an edge.
static uint8_t reg_8d(part_t *part, uint8_t opcode, bool addressed, uint32_t addr) {
    uint8_t v[2] = {0x5a, 0xa5};
    flash_bus_op_t op = reading(octal(part, opcode), v, 2);
    op = with_addr(op, addressed || part->macronix ? 4 : 0, addr);
    exec(part, dummies(op, part->macronix ? 4 : 8));
    assert_int_equal(v[0], v[1]);
    return v[0];
}

static uint8_t status_8d(part_t *part) {
    return reg_8d(part, 0x05, false, 0);
}

// ISSI/Everspin flag status register (70h), Macronix security register (2Bh).
static uint8_t flags_8d(part_t *part) {
    return reg_8d(part, part->macronix ? 0x2b : 0x70, false, 0);
}

static void register_write_1s(part_t *part, uint32_t addr, uint8_t value) {
    exec(part, single(0x06));
    flash_bus_op_t op =
        part->macronix ? with_addr(single(0x72), 4, addr) : with_addr(single(0x81), 3, addr);
    exec(part, writing(op, &value, 1));
}

// In 8D a register write carries a 16-bit word, whose first byte is the value (EMxxLX Table 19
// note 2; stock ospi_flash.c sends value << 8 in a 16-bit frame to Macronix).
static void register_write_8d(part_t *part, uint8_t opcode, uint32_t addr, uint8_t value) {
    uint8_t data[2] = {value, 0x00};
    exec(part, octal(part, 0x06));
    exec(part, writing(with_addr(octal(part, opcode), 4, addr), data, 2));
}

static void enter_octal(part_t *part) {
    register_write_1s(part, 0, part->macronix ? 0x02 : 0xe7);
}

static void wren_8d(part_t *part) {
    exec(part, octal(part, 0x06));
}

static void program_8d(part_t *part, uint32_t addr, const uint8_t *data, size_t len) {
    exec(part, writing(with_addr(octal(part, part->macronix ? 0x12 : 0xc2), 4, addr), data, len));
}

static void erase_8d(part_t *part, uint32_t addr) {
    exec(part, with_addr(octal(part, 0x21), 4, addr));
}

static void read_8d(part_t *part, uint32_t addr, uint8_t *buf, size_t len, uint8_t dummy) {
    flash_bus_op_t op =
        reading(with_addr(octal(part, part->macronix ? 0xee : 0xfd), 4, addr), buf, len);
    exec(part, dummies(op, dummy));
}

static void fill_pattern(part_t *part, uint32_t addr, size_t len) {
    for (size_t i = 0; i < len; i++) {
        part->mem[addr + i] = (uint8_t)(i * 7 + 3);
    }
}

static void test_jedec_id_in_1s_after_power_on(void **state) {
    (void)state;
    // IS25WX Table 7.1 (9d 5b, 19h 256 Mb), MX25UM25645G c2 80 39 (Linux macronix.c),
    // W25Q128 ef 40 18; the EM064LX 6b bb 17 (EMxxLX Table 22).
    const char *names[] = {"IS25WX512", "IS25WX256", "MX25UM25645G", "EM064LX", "W25Q128"};
    const uint32_t ids[] = {0x9d5b1a, 0x9d5b19, 0xc28039, 0x6bbb17, 0xef4018};
    for (int i = 0; i < 5; i++) {
        part_t part = part_open(names[i]);
        uint8_t id[3];
        exec(&part, reading(single(0x9f), id, 3));
        assert_int_equal((uint32_t)id[0] << 16 | id[1] << 8 | id[2], ids[i]);
        assert_ptr_equal(sim_nor_part_by_jedec(ids[i]), sim_nor_part_by_name(names[i]));
        part_close(&part);
    }
    assert_null(sim_nor_part_by_name("nonesuch"));
    assert_null(sim_nor_part_by_jedec(0x123456));
}

static void test_write_enable_sets_wel_and_status_shows_it(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    assert_int_equal(status_1s(&part), 0x00);
    exec(&part, single(0x06));
    assert_int_equal(status_1s(&part), 0x02);
    exec(&part, single(0x04));
    assert_int_equal(status_1s(&part), 0x00);
    part_close(&part);
}

static void test_mode_switch_needs_wel_and_the_right_register(void **state) {
    (void)state;
    for (int macronix = 0; macronix < 2; macronix++) {
        part_t part = part_open(macronix ? "MX25UM25645G" : "IS25WX256");
        uint8_t value = macronix ? 0x02 : 0xe7;
        // Without write-enable the register write is ignored: still 1S.
        flash_bus_op_t op =
            macronix ? with_addr(single(0x72), 4, 0) : with_addr(single(0x81), 3, 0);
        exec(&part, writing(op, &value, 1));
        assert_int_equal(stats(&part)->ignored, 1);
        assert_int_equal(status_1s(&part), 0x00);
        enter_octal(&part);
        // Now 1S commands are noise to it, and 8D ones work.
        uint64_t ignored = stats(&part)->ignored;
        uint8_t sr = 0x55;
        exec(&part, reading(single(0x05), &sr, 1));
        assert_int_equal(stats(&part)->ignored, ignored + 1);
        assert_int_equal(sr, 0xff);
        assert_int_equal(status_8d(&part), 0x00); // WEL cleared by the register write
        part_close(&part);
    }
}

// A write-enable framed with the other family's extension byte is not taken; framed the part's
// own way, it is.
static void test_octal_commands_need_the_right_extension_byte(void **state) {
    (void)state;
    static const struct {
        const char *name;
        uint16_t foreign; // write-enable as the other family frames it
    } cases[] = {
        {"MX25UM25645G", 0x0606}, // ISSI's framing on a Macronix part
        {"IS25WX256", 0x06f9},    // Macronix's on an ISSI part
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        part_t part = part_open(cases[k].name);
        enter_octal(&part);
        flash_bus_op_t foreign = octal(&part, 0x06);
        foreign.cmd.opcode = cases[k].foreign;
        exec(&part, foreign);
        assert_int_equal(status_8d(&part) & 0x02, 0);
        wren_8d(&part);
        assert_int_equal(status_8d(&part) & 0x02, 0x02);
        part_close(&part);
    }
}

static void test_program_needs_wel_and_clears_it(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    uint8_t data[4] = {0x00, 0x11, 0x22, 0x33};
    program_8d(&part, 0x100, data, 4);
    assert_int_equal(stats(&part)->programs, 0);
    assert_int_equal(part.mem[0x100], 0xff);
    wren_8d(&part);
    program_8d(&part, 0x100, data, 4);
    assert_int_equal(status_8d(&part), 0x01); // busy, WEL gone (IS25WX Table 8.10)
    wait_idle(&part);
    assert_int_equal(status_8d(&part), 0x00);
    assert_memory_equal(part.mem + 0x100, data, 4);
    part_close(&part);
}

static void test_program_only_clears_bits(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    uint8_t first[2] = {0xf0, 0x0f}, second[2] = {0x3c, 0xff};
    wren_8d(&part);
    program_8d(&part, 0x10, first, 2);
    wait_idle(&part);
    wren_8d(&part);
    program_8d(&part, 0x10, second, 2);
    wait_idle(&part);
    assert_int_equal(part.mem[0x10], 0x30);
    assert_int_equal(part.mem[0x11], 0x0f);
    part_close(&part);
}

static void test_program_wraps_at_the_page_end(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    uint8_t data[6] = {1, 2, 3, 4, 5, 6};
    wren_8d(&part);
    program_8d(&part, 0x1fc, data, 6); // 4 bytes to the end of page 0x100, then 2 wrap
    wait_idle(&part);
    assert_memory_equal(part.mem + 0x1fc, data, 4);
    assert_int_equal(part.mem[0x100], 5);
    assert_int_equal(part.mem[0x101], 6);
    assert_int_equal(part.mem[0x200], 0xff);
    part_close(&part);
}

static void test_erase_sets_the_sector_to_ff_and_counts(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    memset(part.mem + 4096 - 1, 0x00, 4096 + 2);
    wren_8d(&part);
    erase_8d(&part, 4096 + 77);
    assert_int_equal(status_8d(&part), 0x01);
    wait_idle(&part);
    assert_int_equal(part.mem[4095], 0x00);
    for (int i = 4096; i < 8192; i++) {
        assert_int_equal(part.mem[i], 0xff);
    }
    assert_int_equal(part.mem[8192], 0x00);
    assert_int_equal(stats(&part)->erases, 1);
    assert_int_equal(stats(&part)->erases_per_sector[1], 1);
    erase_8d(&part, 4096); // no WEL: ignored, and no error flag (IS25WX 8.12)
    assert_int_equal(stats(&part)->erases, 1);
    assert_int_equal(flags_8d(&part), 0x80);
    part_close(&part);
}

// How long a timed operation took, by the part's own account.
static uint64_t last_busy_ns(part_t *part, uint64_t before) {
    return stats(part)->busy_ns - before;
}

static void test_busy_for_the_operation_time_and_deaf_meanwhile(void **state) {
    (void)state;
    part_t part = part_open("MX25UM25645G");
    sim_nor_set_timing(part.nor, SIM_NOR_TIMING_TYPICAL, 0);
    enter_octal(&part);
    wren_8d(&part);
    uint64_t t0 = sim_nor_now_ns(part.nor), busy0 = stats(&part)->busy_ns;
    erase_8d(&part, 0);
    // The MX25UM25645G's SFDP: 4 KiB erase 25 ms typical.
    assert_int_equal(last_busy_ns(&part, busy0), 25 * MS);
    // A write-enable, a read and an ID read while busy are ignored; status reads answer.
    wren_8d(&part);
    assert_int_equal(status_8d(&part), 0x01);
    uint8_t buf[2];
    read_8d(&part, 0, buf, 2, 20);
    assert_int_equal(buf[0], 0xff);
    assert_true(stats(&part)->ignored >= 2);
    wait_ns(&part, 25 * MS - (sim_nor_now_ns(part.nor) - t0) - 1000);
    assert_int_equal(status_8d(&part) & 0x01, 0x01);
    wait_ns(&part, 1000);
    assert_int_equal(status_8d(&part), 0x00);
    // An override makes operations slower, for time-out tests.
    sim_nor_set_op_time_ns(part.nor, 5000000000ull);
    wren_8d(&part);
    erase_8d(&part, 0);
    wait_ns(&part, 4000000000ull);
    assert_int_equal(status_8d(&part) & 0x01, 0x01);
    part_close(&part);
}

static void test_clock_advances_with_bus_time(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    uint64_t t0 = sim_nor_now_ns(part.nor);
    uint8_t buf[256];
    read_8d(&part, 0, buf, 256, 16);
    // 1 command clock + 2 address clocks + 16 dummy + 128 data clocks at 100 MHz.
    assert_int_equal(sim_nor_now_ns(part.nor) - t0, (1 + 2 + 16 + 128) * 10);
    flash_bus_op_t op = single(0x9f);
    op.data.nbytes = 3;
    assert_int_equal(sim_nor_op_bus_ns(part.nor, &op), (8 + 24) * 10);
    // At the clock the controller gives it.
    sim_nor_set_clock_hz(part.nor, 100000);
    assert_int_equal(sim_nor_op_bus_ns(part.nor, &op), (8 + 24) * 10000);
    part_close(&part);
}

// The controller model tells the part the SCLK that BAUDR divides from its input clock
// (DW_apb_ssi: sclk_out = ssi_clk / SCKDV), so the 100 kHz probe and the board clock are both
// what the part sees.
static void test_controller_clocks_the_part_by_baudr(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    sim_ospi_t *ospi = sim_ospi_new(part.nor, 400000000);
    assert_non_null(ospi);
    uintptr_t regs = sim_ospi_regs_base(ospi);
    reg_write32(regs + OSPI_SSIENR, 0);
    reg_write32(regs + OSPI_BAUDR, 4000);
    assert_int_equal(sim_nor_clock_hz(part.nor), 100000);
    reg_write32(regs + OSPI_BAUDR, 4);
    assert_int_equal(sim_nor_clock_hz(part.nor), 100000000);
    reg_write32(regs + OSPI_BAUDR, 0); // the clock stops: nothing runs, nothing changes
    assert_int_equal(sim_nor_clock_hz(part.nor), 100000000);
    sim_ospi_free(ospi);
    part_close(&part);
}

static void test_ddr_needs_even_address_and_length(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    uint8_t data[3] = {0, 0, 0};
    wren_8d(&part);
    program_8d(&part, 0x11, data, 2); // odd address
    wren_8d(&part);
    program_8d(&part, 0x10, data, 3); // odd length
    assert_int_equal(stats(&part)->protocol_errors, 2);
    assert_int_equal(stats(&part)->programs, 0);
    part_close(&part);
}

// A read framed with another dummy count than the part's register holds is answered, but
// shifted by two bytes a cycle of difference (8D-8D-8D moves a word a clock): fewer, and the
// first bytes are the lines left high; more, and the first bytes are missed.
static void test_dummy_count_other_than_the_register_shifts_the_data(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    fill_pattern(&part, 0x400, 64);
    enter_octal(&part);
    uint8_t buf[16];
    read_8d(&part, 0x400, buf, 16, 16); // the reset setting: 16 (IS25WX Table 8.1)
    assert_memory_equal(buf, part.mem + 0x400, 16);
    assert_int_equal(stats(&part)->protocol_errors, 0);
    read_8d(&part, 0x400, buf, 16, 18);
    assert_memory_equal(buf, part.mem + 0x404, 16);
    read_8d(&part, 0x400, buf, 16, 15);
    assert_int_equal(buf[0], 0xff);
    assert_int_equal(buf[1], 0xff);
    assert_memory_equal(buf + 2, part.mem + 0x400, 14);
    assert_int_equal(stats(&part)->protocol_errors, 2);
    part_close(&part);

    // Macronix CR2 300h code 5 is 10 cycles (ST BSP mx25uw25645g.h CR2_DC_10_CYCLES).
    part_t mx = part_open("MX25UM25645G");
    fill_pattern(&mx, 0, 64);
    register_write_1s(&mx, 0x300, 5);
    wait_idle(&mx);
    enter_octal(&mx);
    read_8d(&mx, 0, buf, 16, 10);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(buf[i], mx.mem[i ^ 1]); // each word swapped (SFDP DWORD 18 bit 31)
    }
    read_8d(&mx, 0, buf, 16, 20);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(buf[i], mx.mem[(i + 20) ^ 1]);
    }
    part_close(&mx);
}

// Too few dummy cycles for the clock the part runs at: wrong data, a cycle late, not 0xff and
// not ignored. IS25WX Table 6.7 (8D-8D-8D, ECC off): 9 cycles reach 95 MHz, 10 reach 105 MHz.
// EMxxLX Table 17: 6 cycles 83 MHz, 7 cycles 100 MHz. MX25UM25645G SFDP xSPI profile: 10 cycles
// at 100 MHz; its CR2 code 6 (8 cycles) is below the table.
static void test_too_few_dummies_for_the_clock_return_wrong_data(void **state) {
    (void)state;
    struct {
        const char *name;
        uint8_t code_short, dummies_short, code_enough, dummies_enough;
    } cases[] = {
        {"IS25WX256", 9, 9, 10, 10},
        {"EM064LX", 6, 6, 7, 7},
        {"MX25UM25645G", 6, 8, 5, 10},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        for (int enough = 0; enough < 2; enough++) {
            part_t part = part_open(cases[k].name);
            fill_pattern(&part, 0x800, 64);
            register_write_1s(&part, part.macronix ? 0x300 : 1,
                              enough ? cases[k].code_enough : cases[k].code_short);
            wait_idle(&part);
            enter_octal(&part);
            uint8_t buf[16];
            read_8d(&part, 0x800, buf, 16,
                    enough ? cases[k].dummies_enough : cases[k].dummies_short);
            for (int i = 0; i < 16; i++) {
                uint8_t right = part.mem[0x800 + (part.macronix ? i ^ 1 : i)];
                uint8_t late =
                    i < 2 ? 0xff : part.mem[0x800 + (part.macronix ? (i - 2) ^ 1 : i - 2)];
                assert_int_equal(buf[i], enough ? right : late);
            }
            part_close(&part);
        }
    }
    // At 100 kHz, the probe clock, 9 cycles are plenty.
    part_t slow = part_at("IS25WX256", 100000);
    fill_pattern(&slow, 0, 16);
    register_write_1s(&slow, 1, 9);
    enter_octal(&slow);
    uint8_t buf[16];
    read_8d(&slow, 0, buf, 16, 9);
    assert_memory_equal(buf, slow.mem, 16);
    part_close(&slow);
    // And the reset 16 cycles are good to 162 MHz, not 171 (issue 8).
    part_t fast = part_at("IS25WX256", 162000000);
    fill_pattern(&fast, 0, 16);
    enter_octal(&fast);
    read_8d(&fast, 0, buf, 16, 16);
    assert_memory_equal(buf, fast.mem, 16);
    sim_nor_set_clock_hz(fast.nor, 171000000);
    read_8d(&fast, 0, buf, 16, 16);
    assert_int_equal(buf[0], 0xff);
    assert_memory_equal(buf + 2, fast.mem, 14);
    part_close(&fast);
    const sim_nor_part_t *p = sim_nor_part_by_name("IS25WX256");
    assert_int_equal(sim_nor_read_max_hz(p, 16, false), 162000000);
    assert_int_equal(sim_nor_read_max_hz(p, 17, false), 171000000);
    assert_int_equal(sim_nor_read_max_hz(p, 20, false), 200000000);
    assert_int_equal(sim_nor_read_max_hz(p, 20, true), 166000000); // ECC on: 166 MHz at most
    assert_int_equal(sim_nor_read_max_hz(p, 2, false), 0);
}

// The IS25WX dummy-cycle register (Tables 6.5/6.6): 00h and 1Fh the default (16 in Octal DDR),
// 01h = 1, 02h = 2, 03h..1Dh as many, 1Eh = 30; above 1Fh reserved: refused, with the flag
// status register's bit 1 set (6.5). The EMxxLX's (Table 11): 0 = 16, 1..31 as many. One or two
// cycles appear in no row of the clock tables (IS25WX Table 6.7 "NA", EMxxLX Table 17 "~"): the
// data then comes a cycle late at any clock, two bytes.
static void test_dummy_register_codes(void **state) {
    (void)state;
    struct {
        const char *name;
        uint8_t code, dummies, late;
        bool refused;
    } cases[] = {
        {"IS25WX256", 0x00, 16, 0, false}, {"IS25WX256", 0x1f, 16, 0, false},
        {"IS25WX256", 0x01, 1, 2, false},  {"IS25WX256", 0x02, 2, 2, false},
        {"IS25WX256", 0x1d, 29, 0, false}, {"IS25WX256", 0x1e, 30, 0, false},
        {"IS25WX256", 0x20, 16, 0, true},  {"EM064LX", 0x00, 16, 0, false},
        {"EM064LX", 0x01, 1, 2, false},    {"EM064LX", 0x1f, 31, 0, false},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        part_t part = part_at(cases[k].name, 1000000); // slow enough for any listed count
        fill_pattern(&part, 0, 16);
        register_write_1s(&part, 1, cases[k].code);
        enter_octal(&part);
        uint8_t buf[16];
        read_8d(&part, 0, buf, 16, cases[k].dummies);
        unsigned late = cases[k].late;
        for (unsigned i = 0; i < 16; i++) {
            assert_int_equal(buf[i], i < late ? 0xff : part.mem[i - late]);
        }
        assert_int_equal(stats(&part)->protocol_errors, cases[k].refused);
        assert_int_equal(flags_8d(&part), 0x80 | (cases[k].refused ? 0x02 : 0));
        part_close(&part);
    }
}

static void test_counters(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    sim_nor_reset_stats(part.nor);
    uint8_t page[256];
    memset(page, 0, sizeof(page));
    wren_8d(&part);
    program_8d(&part, 0, page, 256);
    assert_int_equal(stats(&part)->commands[0x06], 1);
    assert_int_equal(stats(&part)->commands[0xc2], 1);
    assert_int_equal(stats(&part)->bus_bytes, 2 + 2 + 4 + 256);
    assert_int_equal(stats(&part)->data_bytes, 256);
    assert_int_equal(stats(&part)->programs, 1);
    assert_int_equal(stats(&part)->busy_ops, 1);
    part_close(&part);
}

static void test_power_cut_leaves_the_operation_partly_done(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    uint8_t zeros[256];
    memset(zeros, 0, sizeof(zeros));
    sim_nor_cut_power_at(part.nor, 2, 42);
    wren_8d(&part);
    program_8d(&part, 0, zeros, 256); // the first: lands whole
    wait_idle(&part);
    wren_8d(&part);
    program_8d(&part, 256, zeros, 256); // the second: power goes
    assert_false(sim_nor_powered(part.nor));
    assert_memory_equal(part.mem, zeros, 256);
    unsigned cleared = 0;
    for (int i = 256; i < 512; i++) {
        for (int bit = 0; bit < 8; bit++) {
            cleared += !(part.mem[i] & (1 << bit));
        }
    }
    assert_true(cleared > 0 && cleared < 256 * 8);
    // Without power it answers ones and does nothing.
    uint8_t v[2];
    exec(&part, dummies(reading(octal(&part, 0x05), v, 2), 8));
    assert_int_equal(v[0], 0xff);
    uint8_t id[3];
    exec(&part, reading(single(0x9f), id, 3));
    assert_int_equal(id[0], 0xff);
    // Power back: 1S again, WEL clear, contents kept.
    sim_nor_power_on(part.nor);
    assert_true(sim_nor_powered(part.nor));
    exec(&part, reading(single(0x9f), id, 3));
    assert_int_equal(id[0], 0x9d);
    assert_int_equal(status_1s(&part), 0x00);
    assert_memory_equal(part.mem, zeros, 256);
    part_close(&part);
}

static void test_power_cut_partial_erase_is_deterministic(void **state) {
    (void)state;
    uint8_t results[2][4096];
    for (int run = 0; run < 2; run++) {
        part_t part = part_open("MX25UM25645G");
        enter_octal(&part);
        memset(part.mem, 0x00, 4096);
        sim_nor_cut_power_at(part.nor, 1, 7);
        wren_8d(&part);
        erase_8d(&part, 0);
        memcpy(results[run], part.mem, 4096);
        bool some_set = false, some_clear = false;
        for (int i = 0; i < 4096; i++) {
            some_set |= part.mem[i] != 0;
            some_clear |= part.mem[i] != 0xff;
        }
        assert_true(some_set && some_clear);
        part_close(&part);
    }
    assert_memory_equal(results[0], results[1], 4096);
}

static void test_unknown_family_answers_only_its_id(void **state) {
    (void)state;
    part_t part = part_open("W25Q128");
    exec(&part, single(0x06));
    uint8_t sr = 0;
    exec(&part, reading(single(0x05), &sr, 1));
    assert_int_equal(sr, 0xff);
    assert_int_equal(stats(&part)->ignored, 2);
    part_close(&part);
}

static void program_1s(part_t *part, uint32_t addr, const uint8_t *data, size_t len) {
    exec(part, single(0x06));
    exec(part, writing(with_addr(single(0x12), 4, addr), data, len));
    wait_idle(part);
}

static void read_1s(part_t *part, uint32_t addr, uint8_t *buf, size_t len) {
    exec(part, reading(with_addr(single(0x13), 4, addr), buf, len));
}

static void set_up_octal(part_t *part) {
    if (part->macronix) {
        register_write_1s(part, 0x300, 5); // 10 dummy cycles
        wait_idle(part);
    }
    enter_octal(part);
}

static uint8_t octal_read_dummies(const part_t *part) {
    return part->macronix ? 10 : 16;
}

// Issue 8, problem 1: written in 1S, the Macronix part sends each 16-bit word swapped in 8D;
// written in 8D, the array holds each word swapped back. ISSI parts keep the order.
static void test_macronix_swaps_words_in_8d_against_1s(void **state) {
    (void)state;
    const char *names[] = {"MX25UM25645G", "IS25WX256", "EM064LX"};
    for (int k = 0; k < 3; k++) {
        part_t part = part_open(names[k]);
        bool swaps = part.macronix;
        uint8_t natural[8] = {0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7};
        uint8_t in[8], back[8];
        program_1s(&part, 0x400, natural, 8);
        read_1s(&part, 0x400, back, 8);
        assert_memory_equal(back, natural, 8);
        set_up_octal(&part);
        read_8d(&part, 0x400, in, 8, octal_read_dummies(&part));
        for (int i = 0; i < 8; i++) {
            assert_int_equal(in[i], natural[swaps ? i ^ 1 : i]);
        }
        // And back: what goes out in 8D as read lands in 1S order.
        wren_8d(&part);
        program_8d(&part, 0x800, in, 8);
        wait_idle(&part);
        assert_memory_equal(part.mem + 0x800, natural, 8);
        assert_int_equal(stats(&part)->protocol_errors, 0);
        part_close(&part);
    }
}

// Issue 8, problem 2: READ ID in 8D on the Macronix part sends each byte twice, after a 4-byte
// address and 4 dummy cycles (Linux macronix.c); the IS25WX's comes once, after 8 dummy cycles
// and no address (IS25WX 8.4).
static void test_macronix_doubles_id_bytes_in_8d(void **state) {
    (void)state;
    static const struct {
        const char *name;
        uint8_t addr_bytes, dummies, read;
        uint8_t want[6];
        size_t want_len;
    } cases[] = {
        {"MX25UM25645G", 4, 4, 6, {0xc2, 0xc2, 0x80, 0x80, 0x39, 0x39}, 6},
        {"IS25WX256", 0, 8, 4, {0x9d, 0x5b, 0x19}, 3},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        part_t part = part_open(cases[k].name);
        enter_octal(&part);
        uint8_t id[6];
        flash_bus_op_t op = reading(octal(&part, 0x9f), id, cases[k].read);
        exec(&part, dummies(with_addr(op, cases[k].addr_bytes, 0), cases[k].dummies));
        assert_memory_equal(id, cases[k].want, cases[k].want_len);
        part_close(&part);
    }
}

static size_t read_sfdp_1s(part_t *part, uint32_t addr, uint8_t *buf, size_t len) {
    exec(part, dummies(reading(with_addr(single(0x5a), 3, addr), buf, len), 8));
    return len;
}

// The MX25UM25645G answers Read SFDP with its real dump, byte for byte, and the model's array is
// the fixture's bytes.
static void test_macronix_sfdp_is_the_real_dump(void **state) {
    (void)state;
    uint8_t dump[1024];
    size_t len = test_fixture_hex("sfdp/MX25UM25645G.sfdp.txt", dump, sizeof(dump));
    assert_int_equal(len, 316);
    assert_int_equal(len, SIM_SFDP_MX25UM25645G_LEN);
    assert_memory_equal(sim_sfdp_mx25um25645g, dump, len);
    part_t mx = part_open("MX25UM25645G");
    uint8_t read[320];
    read_sfdp_1s(&mx, 0, read, sizeof(read));
    assert_memory_equal(read, dump, len);
    assert_int_equal(read[316], 0xff); // past the table
    part_close(&mx);
}

// A JESD216 decoder of the tables the driver reads, written here from the standard, so that the
// built IS25WX table can be held to the datasheet: it is first held to the real Macronix dump.
typedef struct {
    uint32_t size;
    uint8_t opcode_1s[4], opcode_4b[4];
    uint32_t erase_size[4];
    uint64_t erase_typ_ns[4], erase_max_ns[4];
    uint64_t pp_typ_ns, pp_max_ns;
    uint8_t dummies[4]; // xSPI profile: 200, 166, 133, 100 MHz
    uint8_t codes[4];
    uint8_t read_opcode;
} decoded_t;

static uint32_t dword(const uint8_t *sfdp, uint32_t at) {
    return sfdp[at] | sfdp[at + 1] << 8 | sfdp[at + 2] << 16 | (uint32_t)sfdp[at + 3] << 24;
}

static decoded_t decode(const uint8_t *s) {
    decoded_t d = {0};
    assert_memory_equal(s, "SFDP", 4);
    for (unsigned h = 0; h <= s[6]; h++) {
        const uint8_t *ph = s + 8 + 8 * h;
        uint16_t id = (uint16_t)(ph[7] << 8 | ph[0]);
        uint32_t at = ph[4] | ph[5] << 8 | ph[6] << 16;
        if (id == 0xff00) {
            d.size = (dword(s, at + 4) + 1) / 8;
            static const uint64_t units[4] = {1 * MS, 16 * MS, 128 * MS, 1000 * MS};
            uint32_t dw10 = dword(s, at + 36), mult = 2 * ((dw10 & 0xf) + 1);
            for (int i = 0; i < 4; i++) {
                uint32_t type = dword(s, at + 28 + 4 * (i / 2)) >> (16 * (i % 2));
                d.erase_size[i] = type & 0xff ? 1u << (type & 0xff) : 0;
                d.opcode_1s[i] = (uint8_t)(type >> 8);
                uint32_t field = dw10 >> (4 + 7 * i);
                d.erase_typ_ns[i] = ((field & 0x1f) + 1) * units[(field >> 5) & 3];
                d.erase_max_ns[i] = mult * d.erase_typ_ns[i];
            }
            uint32_t dw11 = dword(s, at + 40);
            d.pp_typ_ns = (((dw11 >> 8) & 0x1f) + 1) * ((dw11 >> 13) & 1 ? 64 : 8) * US;
            d.pp_max_ns = 2 * ((dw11 & 0xf) + 1) * d.pp_typ_ns;
        } else if (id == 0xff84) {
            uint32_t ops = dword(s, at + 4);
            for (int i = 0; i < 4; i++) {
                d.opcode_4b[i] = (uint8_t)(ops >> (8 * i));
            }
        } else if (id == 0xff05) {
            uint32_t dw1 = dword(s, at), dw4 = dword(s, at + 12), dw5 = dword(s, at + 16);
            d.read_opcode = (uint8_t)(dw1 >> 8);
            d.dummies[0] = (dw4 >> 7) & 0x1f;
            d.dummies[1] = (dw5 >> 27) & 0x1f;
            d.dummies[2] = (dw5 >> 17) & 0x1f;
            d.dummies[3] = (dw5 >> 7) & 0x1f;
            d.codes[0] = (dw4 >> 2) & 0x1f;
            d.codes[1] = (dw5 >> 22) & 0x1f;
            d.codes[2] = (dw5 >> 12) & 0x1f;
            d.codes[3] = (dw5 >> 2) & 0x1f;
        }
    }
    return d;
}

static void test_sfdp_decoder_reads_the_macronix_dump(void **state) {
    (void)state;
    uint8_t dump[1024];
    test_fixture_hex("sfdp/MX25UM25645G.sfdp.txt", dump, sizeof(dump));
    decoded_t d = decode(dump);
    // What shared/reference/sfdp/README.md reads in the dump.
    assert_int_equal(d.size, 32 * MIB);
    assert_int_equal(d.erase_size[0], 4 * KIB);
    assert_int_equal(d.opcode_1s[0], 0x20);
    assert_int_equal(d.opcode_4b[0], 0x21);
    assert_int_equal(d.erase_typ_ns[0], 25 * MS);
    assert_int_equal(d.erase_max_ns[0], 400 * MS);
    assert_int_equal(d.erase_size[1], 64 * KIB);
    assert_int_equal(d.opcode_1s[1], 0xd8);
    assert_int_equal(d.opcode_4b[1], 0xdc);
    assert_int_equal(d.erase_typ_ns[1], 256 * MS);
    assert_int_equal(d.erase_max_ns[1], 4096 * MS);
    assert_int_equal(d.erase_size[2], 0);
    assert_int_equal(d.pp_typ_ns, 152 * US);
    assert_int_equal(d.pp_max_ns, 1520 * US);
    uint8_t want_dummies[4] = {20, 16, 14, 10}, want_codes[4] = {0, 2, 3, 5};
    assert_memory_equal(d.dummies, want_dummies, 4);
    assert_memory_equal(d.codes, want_codes, 4); // CR2 300h codes (20 - n) / 2
    assert_int_equal(d.read_opcode, 0xee);
    // And the model's own facts are the dump's.
    const sim_nor_part_t *p = sim_nor_part_by_name("MX25UM25645G");
    assert_int_equal(p->erase[1].time.typ_ns, d.erase_typ_ns[1]);
    assert_int_equal(p->erase[1].time.max_ns, d.erase_max_ns[1]);
    assert_int_equal(p->page_program.max_ns, d.pp_max_ns);
}

// The IS25WX's table holds the datasheet's figures (Rev. A14): erase types 4 KiB (20h, 21h),
// 32 KiB (52h, 5Ch), 128 KiB (D8h, DCh) in Table 8.1; Table 9.3 times, rounded up the JESD216
// way (never below the datasheet, within one unit); Table 6.7 dummies for the xSPI profile: 200
// MHz 20, 166 MHz 17 (16 reach only 162), 133 MHz 13, 100 MHz 10, each set by that code
// (Table 6.5: 03h..1Dh = 3..29).
static void test_issi_sfdp_holds_the_datasheet(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    uint8_t s[256];
    read_sfdp_1s(&part, 0, s, sizeof(s));
    decoded_t d = decode(s);
    assert_int_equal(d.size, 32 * MIB);
    const uint32_t sizes[3] = {4 * KIB, 32 * KIB, 128 * KIB};
    const uint8_t op1s[3] = {0x20, 0x52, 0xd8}, op4b[3] = {0x21, 0x5c, 0xdc};
    const uint64_t typ[3] = {80 * MS, 130 * MS, 280 * MS},
                   max[3] = {400 * MS, 1000 * MS, 1000 * MS};
    const uint64_t unit[3] = {16 * MS, 16 * MS, 16 * MS};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(d.erase_size[i], sizes[i]);
        assert_int_equal(d.opcode_1s[i], op1s[i]);
        assert_int_equal(d.opcode_4b[i], op4b[i]);
        assert_in_range(d.erase_typ_ns[i], typ[i], typ[i] + unit[i] - 1);
        assert_true(d.erase_max_ns[i] >= max[i]);
    }
    assert_int_equal(d.erase_size[3], 0);
    assert_in_range(d.pp_typ_ns, 150 * US, 157 * US);
    assert_true(d.pp_max_ns >= 1800 * US);
    assert_true(d.pp_max_ns < 2 * 1800 * US);
    uint8_t want[4] = {20, 17, 13, 10};
    assert_memory_equal(d.dummies, want, 4);
    assert_memory_equal(d.codes, want, 4);
    assert_int_equal(d.read_opcode, 0xfd);
    // The IS25WX wraps its SFDP space at 256 bytes (8.5).
    uint8_t again[8];
    read_sfdp_1s(&part, 256, again, sizeof(again));
    assert_memory_equal(again, "SFDP", 4);
    part_close(&part);
}

// The EM064LX has no SFDP (EMxxLX Table 21 lists no 5Ah; Linux everspin.c SPI_NOR_SKIP_SFDP): the
// read goes unanswered and the lines read high.
static void test_everspin_has_no_sfdp(void **state) {
    (void)state;
    part_t part = part_open("EM064LX");
    uint8_t s[16];
    memset(s, 0, sizeof(s));
    read_sfdp_1s(&part, 0, s, sizeof(s));
    for (int i = 0; i < 16; i++) {
        assert_int_equal(s[i], 0xff);
    }
    assert_int_equal(stats(&part)->ignored, 1);
    size_t len = 99;
    assert_null(sim_nor_sfdp(part.nor, &len));
    assert_int_equal(len, 0);
    part_close(&part);
}

// EMxxLX: MRAM stores what it is given, without AND; its writes and erases leave WEL set
// ("Write (Program) commands will not reset WEL", 5.1; "Erase operations do not reset the write
// enable latch", 13); WIP only for a very short time (9), at most the 1.5 us the model takes;
// erase sets FFh.
static void test_everspin_writes_keep_wel(void **state) {
    (void)state;
    part_t part = part_open("EM064LX");
    sim_nor_set_timing(part.nor, SIM_NOR_TIMING_SLOW, 0);
    enter_octal(&part);
    uint8_t first[2] = {0x00, 0x0f}, second[2] = {0x3c, 0xff};
    wren_8d(&part);
    uint64_t busy0 = stats(&part)->busy_ns;
    program_8d(&part, 0x10, first, 2);
    assert_int_equal(last_busy_ns(&part, busy0), 1500);
    assert_int_equal(status_8d(&part), 0x03);
    wait_ns(&part, 1500);
    assert_int_equal(status_8d(&part), 0x02);
    program_8d(&part, 0x10, second, 2); // no write-enable needed again
    wait_ns(&part, 1500);
    assert_memory_equal(part.mem + 0x10, second, 2);
    // Past a page end it does not wrap (persistent memory mode, the default: section 11).
    uint8_t across[4] = {1, 2, 3, 4};
    program_8d(&part, 0xfe, across, 4);
    wait_ns(&part, 1500);
    assert_memory_equal(part.mem + 0xfe, across, 4);
    busy0 = stats(&part)->busy_ns;
    erase_8d(&part, 0);
    assert_int_equal(last_busy_ns(&part, busy0), 60 * US); // Table 35 tSSE 4 KiB
    wait_ns(&part, 60 * US);
    assert_int_equal(part.mem[0x10], 0xff);
    assert_int_equal(status_8d(&part), 0x02);
    // Without WEL a write fails and says so ("A PROGRAM ... will fail if WREN is not set",
    // Table 9 bit 4); an erase is ignored silently (section 13).
    exec(&part, octal(&part, 0x04));
    program_8d(&part, 0x10, first, 2);
    erase_8d(&part, 0);
    assert_int_equal(part.mem[0x10], 0xff);
    assert_int_equal(flags_8d(&part), 0x90);
    exec(&part, octal(&part, 0x50));
    // Chip erase (C7h/60h): all FFh, 125 ms at most (Table 35); refused while a block is
    // protected, with flag status bits 1 and 5 (section 13).
    memset(part.mem + 0x123456, 0, 16);
    sim_nor_set_protection(part.nor, 0x04);
    wren_8d(&part);
    exec(&part, octal(&part, 0xc7));
    assert_int_equal(part.mem[0x123456], 0x00);
    assert_int_equal(flags_8d(&part), 0xa2);
    exec(&part, octal(&part, 0x50));
    sim_nor_set_protection(part.nor, 0x00);
    busy0 = stats(&part)->busy_ns;
    exec(&part, octal(&part, 0x60));
    assert_int_equal(last_busy_ns(&part, busy0), 125 * MS);
    wait_ns(&part, 125 * MS);
    assert_int_equal(part.mem[0x123456], 0xff);
    part_close(&part);
}

// The lower bound and maximum of each timed operation, as the model states them.
static void check_bounds(const sim_nor_time_t *t, uint64_t lower, uint64_t typical, uint64_t max) {
    assert_int_equal(sim_nor_time_ns(t, SIM_NOR_TIMING_FAST), lower);
    assert_int_equal(sim_nor_time_ns(t, SIM_NOR_TIMING_TYPICAL), typical);
    assert_int_equal(sim_nor_time_ns(t, SIM_NOR_TIMING_SLOW), max);
}

// IS25WX Table 9.3 (typical / max), half the typical as the lower bound: page program 0.15 /
// 1.8 ms, 4 KiB 80 / 400 ms, 32 KiB 0.13 / 1 s, 128 KiB 0.28 / 1 s, tW 1.3 / 15 ms; the MX25UM's
// SFDP 64 KiB 256 / 4096 ms; EMxxLX Table 35 maxima (60 us, 500 us, 960 us) with 0 as the lower
// bound and the middle as typical.
static void test_operation_times_are_the_sources(void **state) {
    (void)state;
    const sim_nor_part_t *is = sim_nor_part_by_name("IS25WX256");
    check_bounds(&is->page_program, 75 * US, 150 * US, 1800 * US);
    check_bounds(&is->erase[0].time, 40 * MS, 80 * MS, 400 * MS);
    check_bounds(&is->erase[1].time, 65 * MS, 130 * MS, 1000 * MS);
    check_bounds(&is->erase[2].time, 140 * MS, 280 * MS, 1000 * MS);
    check_bounds(&is->write_status, 650 * US, 1300 * US, 15 * MS);
    assert_int_equal(is->erase[1].size, 32 * KIB);
    assert_int_equal(is->erase[1].opcode_4b, 0x5c);
    const sim_nor_part_t *mx = sim_nor_part_by_name("MX25UM25645G");
    check_bounds(&mx->erase[1].time, 128 * MS, 256 * MS, 4096 * MS);
    const sim_nor_part_t *em = sim_nor_part_by_name("EM064LX");
    check_bounds(&em->erase[0].time, 0, 30 * US, 60 * US);
    check_bounds(&em->erase[1].time, 0, 250 * US, 500 * US);
    check_bounds(&em->erase[2].time, 0, 480 * US, 960 * US);
    assert_int_equal(em->chip_erase.max_ns, 125 * MS);
}

// The durations of `count` page programs and 4 KiB erases under a timing and seed.
static void run_ops(sim_nor_timing_t timing, uint32_t seed, uint64_t *out, int count) {
    part_t part = part_open("IS25WX256");
    sim_nor_set_timing(part.nor, timing, seed);
    enter_octal(&part);
    uint8_t zeros[2] = {0, 0};
    for (int i = 0; i < count; i++) {
        uint64_t before = stats(&part)->busy_ns;
        wren_8d(&part);
        if (i % 2) {
            erase_8d(&part, (uint32_t)i * 4096);
        } else {
            program_8d(&part, (uint32_t)i * 256, zeros, 2);
        }
        out[i] = last_busy_ns(&part, before);
        // The part is busy that long (each status read is 100 ns on the bus).
        wait_ns(&part, out[i] - 1000);
        assert_int_equal(status_8d(&part) & 0x01, 0x01);
        wait_ns(&part, 1000);
        assert_int_equal(status_8d(&part) & 0x01, 0x00);
    }
    assert_int_equal(stats(&part)->busy_ops, count);
    part_close(&part);
}

static void test_durations_are_drawn_between_the_bounds(void **state) {
    (void)state;
    enum { N = 80 };
    uint64_t a[N], b[N], c[N], fast[N], typ[N], slow[N];
    run_ops(SIM_NOR_TIMING_DRAWN, 1234, a, N);
    run_ops(SIM_NOR_TIMING_DRAWN, 1234, b, N);
    run_ops(SIM_NOR_TIMING_DRAWN, 99, c, N);
    run_ops(SIM_NOR_TIMING_FAST, 0, fast, N);
    run_ops(SIM_NOR_TIMING_TYPICAL, 0, typ, N);
    run_ops(SIM_NOR_TIMING_SLOW, 0, slow, N);
    assert_memory_equal(a, b, sizeof(a)); // the same seed, the same durations
    assert_memory_not_equal(a, c, sizeof(a));
    int below_typical = 0, above_typical = 0, tail = 0;
    for (int i = 0; i < N; i++) {
        bool erase = i % 2;
        // Table 9.3: page program 0.15 / 1.8 ms, 4 KiB erase 80 / 400 ms; half typical below.
        uint64_t t = erase ? 80 * MS : 150 * US, m = erase ? 400 * MS : 1800 * US;
        assert_in_range(a[i], t / 2, m);
        assert_int_equal(fast[i], t / 2);
        assert_int_equal(typ[i], t);
        assert_int_equal(slow[i], m);
        assert_true(fast[i] < typ[i] && typ[i] < slow[i]);
        below_typical += a[i] < t;
        above_typical += a[i] > t;
        tail += a[i] > t + t / 2; // beyond the spread about the typical, towards the maximum
    }
    assert_true(below_typical > 0 && above_typical > 0); // not always the typical
    assert_true(tail > 0 && tail < N / 4);               // a tail, not the rule
}

// Write Status Register and non-volatile configuration writes set WIP for their time; volatile
// configuration writes take effect at once (IS25WX Table 8.8, EMxxLX Table 19; Macronix: the
// stock port and Dialog's driver send the next command straight after a volatile CR2 write).
static void test_register_writes_set_wip_where_the_part_does(void **state) {
    (void)state;
    part_t is = part_open("IS25WX256");
    sim_nor_set_timing(is.nor, SIM_NOR_TIMING_SLOW, 0);
    uint8_t zero = 0;
    exec(&is, single(0x06));
    exec(&is, writing(single(0x01), &zero, 1));
    assert_int_equal(status_1s(&is), 0x01); // WEL cleared (Table 8.8), WIP for tW
    wait_ns(&is, 15 * MS - 1000);
    assert_int_equal(status_1s(&is) & 0x01, 0x01);
    wait_ns(&is, 1000);
    assert_int_equal(status_1s(&is), 0x00);
    register_write_1s(&is, 1, 10); // volatile: no WIP
    assert_int_equal(status_1s(&is), 0x00);
    // Write Nonvolatile Configuration Register (B1h): tWNVCR 0.2 s / 1 s (Table 9.3); the ECC
    // switch written there comes on at the next power-on (Figure 6.1).
    uint8_t ecc_on = 0xfe;
    exec(&is, single(0x06));
    exec(&is, writing(with_addr(single(0xb1), 3, 0x0b), &ecc_on, 1));
    assert_int_equal(status_1s(&is), 0x01);
    wait_ns(&is, 1000 * MS);
    assert_int_equal(status_1s(&is), 0x00);
    enter_octal(&is);
    assert_int_equal(reg_8d(&is, 0x85, true, 0x0b), 0xff);
    assert_int_equal(reg_8d(&is, 0xb5, true, 0x0b), 0xfe);
    sim_nor_power_on(is.nor);
    enter_octal(&is);
    assert_int_equal(reg_8d(&is, 0x85, true, 0x0b), 0xfe);
    part_close(&is);

    part_t mx = part_open("MX25UM25645G");
    sim_nor_set_timing(mx.nor, SIM_NOR_TIMING_SLOW, 0);
    register_write_1s(&mx, 0x300, 5); // volatile: the next command is taken at once
    register_write_1s(&mx, 0, 0x02);
    assert_int_equal(status_8d(&mx), 0x00);
    register_write_8d(&mx, 0x72, 0x40000300, 5); // the non-volatile copy: timed
    uint8_t id[6];
    exec(&mx, dummies(with_addr(reading(octal(&mx, 0x9f), id, 6), 4, 0), 4));
    assert_int_equal(id[0], 0xff); // deaf but for status reads meanwhile
    assert_int_equal(status_8d(&mx), 0x01);
    wait_ns(&mx, 40 * MS);
    assert_int_equal(status_8d(&mx), 0x00);
    uint8_t sr[2] = {0x00, 0x00};
    wren_8d(&mx);
    exec(&mx, writing(with_addr(octal(&mx, 0x01), 4, 1), sr, 2)); // CR1 by Write Status Register
    assert_int_equal(status_8d(&mx), 0x01);
    part_close(&mx);

    part_t em = part_open("EM064LX");
    sim_nor_set_timing(em.nor, SIM_NOR_TIMING_SLOW, 0);
    exec(&em, single(0x06));
    exec(&em, writing(single(0x01), &zero, 1));
    assert_int_equal(status_1s(&em), 0x03); // WEL kept (EMxxLX Table 19), tW 1.5 us
    wait_ns(&em, 1500);
    assert_int_equal(status_1s(&em), 0x02);
    part_close(&em);
}

// An injected failure sets the part's flags and leaves the operation partly done. IS25WX:
// program error bit 4, erase error bit 5 of the flag status register (Table 6.4), WEL cleared
// (8.11), Clear Flag Status 50h clears them (8.10). EMxxLX: the same bits (Table 9), WEL kept,
// 50h clears. Macronix: P_FAIL 0x20 / E_FAIL 0x40 in the security register (2Bh).
static void test_failure_flags_set_and_cleared(void **state) {
    (void)state;
    const char *names[] = {"IS25WX256", "EM064LX", "MX25UM25645G"};
    for (int k = 0; k < 3; k++) {
        part_t part = part_open(names[k]);
        sim_nor_set_timing(part.nor, SIM_NOR_TIMING_FAST, 0);
        set_up_octal(&part);
        bool mx = part.macronix, em = k == 1;
        uint8_t ready = mx ? 0x00 : 0x80;
        assert_int_equal(flags_8d(&part), ready);
        uint8_t zeros[256];
        memset(zeros, 0, sizeof(zeros));
        memset(part.mem + 0x1000, 0xa5, 256);
        sim_nor_fail_nth(part.nor, 2);
        wren_8d(&part);
        program_8d(&part, 0x0, zeros, 256); // the first succeeds
        wait_idle(&part);
        assert_int_equal(flags_8d(&part), ready);
        wren_8d(&part);
        uint64_t busy0 = stats(&part)->busy_ns;
        program_8d(&part, 0x1000, zeros, 256); // the second fails
        // At the part's maximum: it gives up after its time-out.
        assert_int_equal(last_busy_ns(&part, busy0),
                         sim_nor_part_by_name(names[k])->page_program.max_ns);
        wait_idle(&part);
        assert_int_equal(flags_8d(&part), ready | (mx ? 0x20 : 0x10));
        assert_int_equal(status_8d(&part) & 0x02, em ? 0x02 : 0x00);
        bool some_left = false;
        for (int i = 0; i < 256; i++) {
            some_left |= part.mem[0x1000 + i] != 0;
        }
        assert_true(some_left); // not all of it landed
        if (mx) {
            // No CLSR on the OctaFlash parts; the next successful program clears P_FAIL (the
            // model's assumption, sim_nor.c), and power-on both.
            wren_8d(&part);
            program_8d(&part, 0x2000, zeros, 2);
            wait_idle(&part);
            assert_int_equal(flags_8d(&part), 0x00);
        } else {
            exec(&part, octal(&part, 0x50));
            assert_int_equal(flags_8d(&part), 0x80);
        }
        // An erase failure: the erase error bit.
        sim_nor_fail_range(part.nor, 0x3000, 1);
        wren_8d(&part);
        erase_8d(&part, 0x3000);
        wait_idle(&part);
        assert_int_equal(flags_8d(&part), ready | (mx ? 0x40 : 0x20));
        sim_nor_fail_range(part.nor, 0, 0);
        sim_nor_power_on(part.nor);
        set_up_octal(&part);
        assert_int_equal(flags_8d(&part), ready); // volatile: zero at power-on
        part_close(&part);
    }
}

static void test_fail_range_fails_what_touches_it(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    sim_nor_fail_range(part.nor, 0x10100, 0x100);
    uint8_t zeros[2] = {0, 0};
    uint32_t addrs[3] = {0x10000, 0x10100, 0x10200};
    uint8_t want[3] = {0x80, 0x90, 0x80};
    for (int i = 0; i < 3; i++) {
        wren_8d(&part);
        program_8d(&part, addrs[i], zeros, 2);
        wait_idle(&part);
        assert_int_equal(flags_8d(&part), want[i]);
        exec(&part, octal(&part, 0x50));
    }
    wren_8d(&part);
    erase_8d(&part, 0x10000); // the 4 KiB sector holds the range
    wait_idle(&part);
    assert_int_equal(flags_8d(&part), 0xa0);
    part_close(&part);
}

// Protection from the bottom up to boundary: a program just below it is refused, one at it lands.
static void assert_protected_below(part_t *part, uint32_t boundary) {
    uint8_t zeros[2] = {0, 0};
    uint32_t addrs[2] = {boundary - 2, boundary};
    for (int i = 0; i < 2; i++) {
        wren_8d(part);
        program_8d(part, addrs[i], zeros, 2);
        wait_idle(part);
        assert_int_equal(part->mem[addrs[i]], i == 0 ? 0xff : 0x00);
    }
}

// Block protection as a tool left it refuses program and erase as the part does: IS25WX BP0
// alone protects the top 128 KiB block (Table 6.2), EMxxLX the top 64 KiB sector (Table 8),
// the ISSI command set keeps WEL and sets flag status bits 1 and 4 (program) or 1 and 5 (erase)
// (IS25WX 8.11, Table 8.12; EMxxLX 13). Write Status Register clears it.
static void test_protection_refuses_and_wrsr_clears_it(void **state) {
    (void)state;
    struct {
        const char *name;
        uint32_t protected_bytes;
    } cases[] = {{"IS25WX256", 128 * KIB}, {"EM064LX", 64 * KIB}, {"MX25UM25645G", 64 * KIB}};
    for (size_t k = 0; k < 3; k++) {
        part_t part = part_open(cases[k].name);
        sim_nor_set_timing(part.nor, SIM_NOR_TIMING_SLOW, 0); // so WIP shows on every part
        bool mx = part.macronix;
        uint32_t size = sim_nor_part_by_name(cases[k].name)->size;
        sim_nor_set_protection(part.nor, 0x04); // BP0
        set_up_octal(&part);
        bool em = k == 1; // Everspin register writes leave WEL set
        assert_int_equal(status_8d(&part), em ? 0x06 : 0x04);
        uint8_t zeros[2] = {0, 0};
        uint32_t top = size - cases[k].protected_bytes;
        wren_8d(&part);
        program_8d(&part, top, zeros, 2);
        assert_int_equal(part.mem[top], 0xff);
        assert_int_equal(status_8d(&part), mx ? 0x04 : 0x06); // not busy; WEL kept but Macronix
        assert_int_equal(flags_8d(&part), mx ? 0x20 : 0x92);
        if (k == 0) {
            // "In case of a protection error, WRITE DISABLE will not clear the bit" (IS25WX
            // Table 8.6); once the flags are cleared it does.
            exec(&part, octal(&part, 0x04));
            assert_int_equal(status_8d(&part) & 0x02, 0x02);
            exec(&part, octal(&part, 0x50));
            exec(&part, octal(&part, 0x04));
            assert_int_equal(status_8d(&part) & 0x02, 0x00);
        } else if (!mx) {
            exec(&part, octal(&part, 0x50));
        }
        wren_8d(&part);
        erase_8d(&part, top);
        assert_int_equal(flags_8d(&part) & (mx ? 0x40 : 0x22), mx ? 0x40 : 0x22);
        // Just below the protected area: allowed.
        wren_8d(&part);
        program_8d(&part, top - 2, zeros, 2);
        wait_idle(&part);
        assert_int_equal(part.mem[top - 2], 0x00);
        // Write Status Register with the BP bits clear (needs WEL; WIP for tW).
        uint8_t sr[2] = {0x00, 0x00};
        wren_8d(&part);
        exec(&part, writing(with_addr(octal(&part, 0x01), mx ? 4 : 0, 0), sr, 2));
        assert_int_equal(status_8d(&part) & 0x01, 0x01);
        wait_idle(&part);
        assert_int_equal(status_8d(&part) & 0x7c, 0x00);
        wren_8d(&part);
        program_8d(&part, top, zeros, 2);
        wait_idle(&part);
        assert_int_equal(part.mem[top], 0x00);
        part_close(&part);
    }
    // Macronix TB is configuration register bit 3 (ST BSP mx25uw25645g.h CR1_TB), written by
    // Write Status Register at address 1 in 8D (stock ospi_flash.c ospi_flash_mx_write_cr).
    part_t mx = part_open("MX25UM25645G");
    sim_nor_set_protection(mx.nor, 0x04);
    enter_octal(&mx);
    register_write_8d(&mx, 0x01, 1, 0x08);
    wait_idle(&mx);
    assert_int_equal(reg_8d(&mx, 0x15, true, 0), 0x08);
    assert_protected_below(&mx, 64 * KIB);
    part_close(&mx);
    // TB = 1: from the bottom (IS25WX Table 6.2 "TBS = 1, Bottom area").
    part_t part = part_open("IS25WX256");
    sim_nor_set_protection(part.nor, 0x20 | 0x08); // TB, BP1: two blocks, 256 KiB
    enter_octal(&part);
    assert_protected_below(&part, 256 * KIB);
    part_close(&part);
}

// With the IS25WX's ECC on (register 0Bh bit 0 = 0), a second program touching a 16-byte chunk
// programmed since its erase is aborted, the chunk unchanged, and IPA_ECCB (volatile register
// 0Ch bit 7, Table 6.6) set; Clear ERRB (B6h) clears it (8.24). Erase makes the chunk
// programmable again. The non-volatile switch holds over power-on; the volatile one does not.
static void test_ecc_aborts_a_second_program_of_a_chunk(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    sim_nor_set_ecc(part.nor, true);
    enter_octal(&part);
    assert_int_equal(reg_8d(&part, 0x85, true, 0x0b), 0xfe);
    assert_int_equal(reg_8d(&part, 0xb5, true, 0x0b), 0xfe);
    uint8_t first[2] = {0xf0, 0xf0}, second[2] = {0x0f, 0x0f};
    wren_8d(&part);
    program_8d(&part, 0x20, first, 2);
    wait_idle(&part);
    wren_8d(&part);
    program_8d(&part, 0x2e, second, 2);       // the same chunk, other bytes
    assert_int_equal(status_8d(&part), 0x00); // aborted at once, WEL cleared
    assert_int_equal(part.mem[0x2e], 0xff);
    assert_int_equal(reg_8d(&part, 0x85, true, 0x0c) & 0x80, 0x80);
    wren_8d(&part);
    program_8d(&part, 0x30, second, 2); // the next chunk is fresh
    wait_idle(&part);
    assert_int_equal(part.mem[0x30], 0x0f);
    exec(&part, octal(&part, 0xb6));
    assert_int_equal(reg_8d(&part, 0x85, true, 0x0c), 0x00);
    wren_8d(&part);
    erase_8d(&part, 0);
    wait_idle(&part);
    wren_8d(&part);
    program_8d(&part, 0x2e, second, 2);
    wait_idle(&part);
    assert_int_equal(part.mem[0x2e], 0x0f);
    // Off in the volatile register: double programs allowed until power-on.
    register_write_8d(&part, 0x81, 0x0b, 0xff);
    wren_8d(&part);
    program_8d(&part, 0x2e, first, 2);
    wait_idle(&part);
    assert_int_equal(part.mem[0x2e], 0x00);
    sim_nor_power_on(part.nor);
    enter_octal(&part);
    assert_int_equal(reg_8d(&part, 0x85, true, 0x0b), 0xfe);
    wren_8d(&part);
    program_8d(&part, 0x2e, first, 2); // programmed before the power cycle: still refused
    assert_int_equal(reg_8d(&part, 0x85, true, 0x0c) & 0x80, 0x80);
    part_close(&part);
}

// A board whose DDR sampling is wrong above some clock: 8D reads there are corrupted, 1S reads
// are not (issue 9).
static void test_fault_above_hz_corrupts_8d_reads_only(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    fill_pattern(&part, 0, 64);
    sim_nor_set_fault_above_hz(part.nor, 50000000);
    uint8_t buf[16];
    read_1s(&part, 0, buf, 16);
    assert_memory_equal(buf, part.mem, 16);
    uint8_t id[3];
    exec(&part, reading(single(0x9f), id, 3));
    assert_int_equal(id[0], 0x9d);
    enter_octal(&part);
    read_8d(&part, 0, buf, 16, 16);
    assert_memory_not_equal(buf, part.mem, 16);
    uint8_t id8[4];
    exec(&part, dummies(reading(octal(&part, 0x9f), id8, 4), 8));
    assert_int_not_equal(id8[0], 0x9d);
    sim_nor_set_clock_hz(part.nor, 50000000); // at or below: right
    read_8d(&part, 0, buf, 16, 16);
    assert_memory_equal(buf, part.mem, 16);
    sim_nor_set_clock_hz(part.nor, 100000000);
    sim_nor_set_fault_above_hz(part.nor, 0);
    read_8d(&part, 0, buf, 16, 16);
    assert_memory_equal(buf, part.mem, 16);
    part_close(&part);
}

// Deep power-down (B9h) until released (ABh, then tRDP: IS25WX Table 9.3 30 us): nothing is
// answered meanwhile.
static void test_deep_power_down_answers_nothing(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    enter_octal(&part);
    exec(&part, octal(&part, 0xb9));
    uint8_t v[2];
    exec(&part, dummies(reading(octal(&part, 0x05), v, 2), 8));
    assert_int_equal(v[0], 0xff);
    exec(&part, octal(&part, 0xab));
    exec(&part, dummies(reading(octal(&part, 0x05), v, 2), 8));
    assert_int_equal(v[0], 0xff);
    wait_ns(&part, 30 * US);
    assert_int_equal(status_8d(&part), 0x00);
    part_close(&part);
}

typedef struct {
    int calls;
    bool readable;
} readable_log_t;

static void log_readable(void *ctx, bool readable) {
    readable_log_t *log = ctx;
    log->calls++;
    log->readable = readable;
}

static void test_readability_follows_busy_sleep_and_power(void **state) {
    (void)state;
    part_t part = part_open("IS25WX256");
    readable_log_t log = {0};
    sim_nor_on_readable(part.nor, log_readable, &log);
    assert_int_equal(log.calls, 1);
    assert_true(log.readable);
    enter_octal(&part);
    uint8_t zeros[2] = {0, 0};
    wren_8d(&part);
    program_8d(&part, 0, zeros, 2);
    assert_false(log.readable);
    wait_idle(&part);
    assert_true(log.readable);
    exec(&part, octal(&part, 0xb9));
    assert_false(log.readable);
    exec(&part, octal(&part, 0xab));
    wait_ns(&part, 30 * US);
    assert_true(log.readable);
    sim_nor_cut_power_at(part.nor, 1, 3);
    wren_8d(&part);
    program_8d(&part, 2, zeros, 2);
    assert_false(sim_nor_powered(part.nor));
    wait_idle(&part);
    assert_false(log.readable);
    sim_nor_power_on(part.nor);
    assert_true(log.readable);
    assert_int_equal(log.calls, 7);
    part_close(&part);
}

#if defined(__linux__)
// Whether a read of this address kills a child process with SIGSEGV.
static bool read_faults(const volatile uint8_t *at) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL); // cmocka's handler would carry on with the next test
        _exit(*at == 0x5a ? 3 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}
#endif

// On the host board the XIP window is the image mapped read-only: it is mapped away while the
// part is busy, asleep or without power, so the read crashes; readable again once idle.
static void test_xip_window_unreadable_while_busy(void **state) {
    (void)state;
#if !defined(__linux__)
    skip(); // fork and an MMU: the M55's RAM image has neither
#else
    sim_board_t sb;
    test_board_open(&sb, "ALIF_ENSEMBLE", NULL, "xip-busy");
    const uint8_t *window = sb.image.ro;
    assert_false(read_faults(window));
    flash_bus_op_t wren = flash_op_8d(0x06, 0x06), erase = flash_op_8d(0x21, 0x21);
    flash_op_addr(&erase, 4, 0x1000);
    assert_int_equal(sb.part_bus.exec(sb.part_bus.ctx, &wren), 0);
    assert_int_equal(sb.part_bus.exec(sb.part_bus.ctx, &erase), 0);
    assert_true(read_faults(window));
    assert_true(read_faults(window + 16 * MIB));
    sb.part_bus.delay_ns(sb.part_bus.ctx, 1000 * MS);
    assert_false(read_faults(window));
    assert_int_equal(window[0x1000], 0xff);
    // Deep power-down, and power gone.
    flash_bus_op_t sleep = flash_op_8d(0xb9, 0xb9), wake = flash_op_8d(0xab, 0xab);
    assert_int_equal(sb.part_bus.exec(sb.part_bus.ctx, &sleep), 0);
    assert_true(read_faults(window));
    assert_int_equal(sb.part_bus.exec(sb.part_bus.ctx, &wake), 0);
    sb.part_bus.delay_ns(sb.part_bus.ctx, 30 * US);
    assert_false(read_faults(window));
    sim_nor_cut_power_at(sb.model, 1, 5);
    assert_int_equal(sb.part_bus.exec(sb.part_bus.ctx, &wren), 0);
    assert_int_equal(sb.part_bus.exec(sb.part_bus.ctx, &erase), 0);
    assert_true(read_faults(window));
    sim_nor_power_on(sb.model);
    assert_false(read_faults(window));
    sim_board_close(&sb);
#endif
}

// ALIF_SIM_TIMING and ALIF_SIM_SEED are taken exactly or refused with the variable named.
static void test_timing_knobs_from_the_environment(void **state) {
    (void)state;
    char path[4096], err[256];
    sim_board_config_t config;
    const char *names[] = {"drawn", "typical", "fast", "slow"};
    const sim_nor_timing_t want[] = {SIM_NOR_TIMING_DRAWN, SIM_NOR_TIMING_TYPICAL,
                                     SIM_NOR_TIMING_FAST, SIM_NOR_TIMING_SLOW};
    setenv("ALIF_FLASH_IMAGE", "/tmp/unused.img", 1);
    for (int i = 0; i < 4; i++) {
        setenv("ALIF_SIM_TIMING", names[i], 1);
        assert_int_equal(sim_board_config_from_env(&config, path, sizeof(path), err, sizeof(err)),
                         0);
        assert_int_equal(config.timing, want[i]);
    }
    setenv("ALIF_SIM_SEED", "4294967295", 1);
    assert_int_equal(sim_board_config_from_env(&config, path, sizeof(path), err, sizeof(err)), 0);
    assert_int_equal(config.seed, 4294967295u);
    // Each refused value with the other variable valid (the seed above) or unset.
    static const struct {
        const char *name, *value;
    } bad[] = {
        {"ALIF_SIM_TIMING", ""},         {"ALIF_SIM_TIMING", "Slow"}, {"ALIF_SIM_TIMING", "slow "},
        {"ALIF_SIM_TIMING", "max"},      {"ALIF_SIM_SEED", ""},       {"ALIF_SIM_SEED", "-1"},
        {"ALIF_SIM_SEED", "4294967296"}, {"ALIF_SIM_SEED", "12x"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setenv(bad[i].name, bad[i].value, 1);
        assert_int_equal(sim_board_config_from_env(&config, path, sizeof(path), err, sizeof(err)),
                         -ALIF_EINVAL);
        assert_non_null(strstr(err, bad[i].name));
        unsetenv(bad[i].name);
    }
    unsetenv("ALIF_FLASH_IMAGE");
    setenv("HOME", "/home/alif-test", 0); // the default image's place needs one; the M55 has none
    assert_int_equal(sim_board_config_from_env(&config, path, sizeof(path), err, sizeof(err)), 0);
    assert_int_equal(config.timing, SIM_NOR_TIMING_DRAWN);
    assert_int_equal(config.seed, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jedec_id_in_1s_after_power_on),
        cmocka_unit_test(test_write_enable_sets_wel_and_status_shows_it),
        cmocka_unit_test(test_mode_switch_needs_wel_and_the_right_register),
        cmocka_unit_test(test_octal_commands_need_the_right_extension_byte),
        cmocka_unit_test(test_program_needs_wel_and_clears_it),
        cmocka_unit_test(test_program_only_clears_bits),
        cmocka_unit_test(test_program_wraps_at_the_page_end),
        cmocka_unit_test(test_erase_sets_the_sector_to_ff_and_counts),
        cmocka_unit_test(test_busy_for_the_operation_time_and_deaf_meanwhile),
        cmocka_unit_test(test_clock_advances_with_bus_time),
        cmocka_unit_test(test_controller_clocks_the_part_by_baudr),
        cmocka_unit_test(test_ddr_needs_even_address_and_length),
        cmocka_unit_test(test_dummy_count_other_than_the_register_shifts_the_data),
        cmocka_unit_test(test_too_few_dummies_for_the_clock_return_wrong_data),
        cmocka_unit_test(test_dummy_register_codes),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_power_cut_leaves_the_operation_partly_done),
        cmocka_unit_test(test_power_cut_partial_erase_is_deterministic),
        cmocka_unit_test(test_unknown_family_answers_only_its_id),
        cmocka_unit_test(test_macronix_swaps_words_in_8d_against_1s),
        cmocka_unit_test(test_macronix_doubles_id_bytes_in_8d),
        cmocka_unit_test(test_macronix_sfdp_is_the_real_dump),
        cmocka_unit_test(test_sfdp_decoder_reads_the_macronix_dump),
        cmocka_unit_test(test_issi_sfdp_holds_the_datasheet),
        cmocka_unit_test(test_everspin_has_no_sfdp),
        cmocka_unit_test(test_everspin_writes_keep_wel),
        cmocka_unit_test(test_operation_times_are_the_sources),
        cmocka_unit_test(test_durations_are_drawn_between_the_bounds),
        cmocka_unit_test(test_register_writes_set_wip_where_the_part_does),
        cmocka_unit_test(test_failure_flags_set_and_cleared),
        cmocka_unit_test(test_fail_range_fails_what_touches_it),
        cmocka_unit_test(test_protection_refuses_and_wrsr_clears_it),
        cmocka_unit_test(test_ecc_aborts_a_second_program_of_a_chunk),
        cmocka_unit_test(test_fault_above_hz_corrupts_8d_reads_only),
        cmocka_unit_test(test_deep_power_down_answers_nothing),
        cmocka_unit_test(test_readability_follows_busy_sleep_and_power),
        cmocka_unit_test(test_xip_window_unreadable_while_busy),
        cmocka_unit_test(test_timing_knobs_from_the_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
