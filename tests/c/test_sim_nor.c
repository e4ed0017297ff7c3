// SPDX-License-Identifier: MIT
// The part model's rules, one by one, with raw bus transactions and no driver: if the model
// stopped enforcing one of them, the driver's tests could pass against a part that is not real.
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define MIB (1024 * 1024)

typedef struct {
    uint8_t *mem;
    sim_nor_t *nor;
    flash_bus_t bus;
    bool macronix;
} part_t;

static part_t part_open(const char *name) {
    const sim_nor_part_t *p = sim_nor_part_by_name(name);
    assert_non_null(p);
    part_t part = {.mem = malloc(p->size)};
    memset(part.mem, 0xff, p->size);
    part.nor = sim_nor_new(p, part.mem, 100000000);
    sim_nor_bus(part.nor, &part.bus);
    part.macronix = p->family == SIM_NOR_FAMILY_MACRONIX_MX25UM;
    return part;
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

static uint8_t status_1s(part_t *part) {
    uint8_t sr = 0;
    exec(part, reading(single(0x05), &sr, 1));
    return sr;
}

static uint8_t status_8d(part_t *part) {
    uint8_t sr[2] = {0, 0};
    flash_bus_op_t op = reading(octal(part, 0x05), sr, 2);
    op = with_addr(op, part->macronix ? 4 : 0, 0);
    op.dummy.ncycles = part->macronix ? 4 : 8;
    exec(part, op);
    assert_int_equal(sr[0], sr[1]);
    return sr[0];
}

static void register_write_1s(part_t *part, uint32_t addr, uint8_t value) {
    exec(part, single(0x06));
    flash_bus_op_t op =
        part->macronix ? with_addr(single(0x72), 4, addr) : with_addr(single(0x81), 3, addr);
    exec(part, writing(op, &value, 1));
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

static void wait_idle(part_t *part) {
    part->bus.delay_ns(part->bus.ctx, 1000000000ull);
}

static void read_8d(part_t *part, uint32_t addr, uint8_t *buf, size_t len, uint8_t dummy) {
    flash_bus_op_t op =
        reading(with_addr(octal(part, part->macronix ? 0xee : 0xfd), 4, addr), buf, len);
    op.dummy.ncycles = dummy;
    exec(part, op);
}

static void test_jedec_id_in_1s_after_power_on(void **state) {
    (void)state;
    const char *names[] = {"IS25WX512", "IS25WX256", "MX25UM25645G", "W25Q128"};
    const uint32_t ids[] = {0x9d5b1a, 0x9d5b19, 0xc28039, 0xef4018};
    for (int i = 0; i < 4; i++) {
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
    part_t part = part_open("IS25WX512");
    assert_int_equal(status_1s(&part), 0x00);
    exec(&part, single(0x06));
    assert_int_equal(status_1s(&part), 0x02);
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

static void test_octal_commands_need_the_right_extension_byte(void **state) {
    (void)state;
    part_t mx = part_open("MX25UM25645G");
    enter_octal(&mx);
    flash_bus_op_t repeat = octal(&mx, 0x06);
    repeat.cmd.opcode = 0x0606; // ISSI's framing on a Macronix part
    exec(&mx, repeat);
    assert_int_equal(status_8d(&mx) & 0x02, 0);
    wren_8d(&mx);
    assert_int_equal(status_8d(&mx) & 0x02, 0x02);
    part_close(&mx);

    part_t issi = part_open("IS25WX512");
    enter_octal(&issi);
    flash_bus_op_t invert = octal(&issi, 0x06);
    invert.cmd.opcode = 0x06f9;
    exec(&issi, invert);
    assert_int_equal(status_8d(&issi) & 0x02, 0);
    part_close(&issi);
}

static void test_program_needs_wel_and_clears_it(void **state) {
    (void)state;
    part_t part = part_open("IS25WX512");
    enter_octal(&part);
    uint8_t data[4] = {0x00, 0x11, 0x22, 0x33};
    program_8d(&part, 0x100, data, 4);
    assert_int_equal(stats(&part)->programs, 0);
    assert_int_equal(part.mem[0x100], 0xff);
    wren_8d(&part);
    program_8d(&part, 0x100, data, 4);
    assert_int_equal(status_8d(&part), 0x01); // busy, WEL gone
    wait_idle(&part);
    assert_int_equal(status_8d(&part), 0x00);
    assert_memory_equal(part.mem + 0x100, data, 4);
    part_close(&part);
}

static void test_program_only_clears_bits(void **state) {
    (void)state;
    part_t part = part_open("IS25WX512");
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
    part_t part = part_open("IS25WX512");
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
    part_t part = part_open("IS25WX512");
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
    erase_8d(&part, 4096); // no WEL: ignored
    assert_int_equal(stats(&part)->erases, 1);
    part_close(&part);
}

static void test_busy_for_the_operation_time_and_deaf_meanwhile(void **state) {
    (void)state;
    part_t part = part_open("MX25UM25645G");
    enter_octal(&part);
    const sim_nor_part_t *p = sim_nor_part_by_name("MX25UM25645G");
    wren_8d(&part);
    uint64_t t0 = sim_nor_now_ns(part.nor);
    erase_8d(&part, 0);
    // A write-enable while busy is ignored.
    wren_8d(&part);
    assert_int_equal(status_8d(&part), 0x01);
    uint8_t buf[2];
    read_8d(&part, 0, buf, 2, 20);
    assert_int_equal(buf[0], 0xff);
    uint64_t ignored = stats(&part)->ignored;
    assert_true(ignored >= 2);
    part.bus.delay_ns(part.bus.ctx,
                      p->erase[0].typ_us * 1000ull - (sim_nor_now_ns(part.nor) - t0) - 1000);
    assert_int_equal(status_8d(&part) & 0x01, 0x01);
    part.bus.delay_ns(part.bus.ctx, 1000);
    assert_int_equal(status_8d(&part), 0x00);
    // An override makes operations slower, for time-out tests.
    sim_nor_set_op_time_ns(part.nor, 5000000000ull);
    wren_8d(&part);
    erase_8d(&part, 0);
    part.bus.delay_ns(part.bus.ctx, 4000000000ull);
    assert_int_equal(status_8d(&part) & 0x01, 0x01);
    part_close(&part);
}

static void test_clock_advances_with_bus_time(void **state) {
    (void)state;
    part_t part = part_open("IS25WX512");
    enter_octal(&part);
    uint64_t t0 = sim_nor_now_ns(part.nor);
    uint8_t buf[256];
    read_8d(&part, 0, buf, 256, 16);
    // 1 command clock + 2 address clocks + 16 dummy + 128 data clocks at 100 MHz.
    assert_int_equal(sim_nor_now_ns(part.nor) - t0, (1 + 2 + 16 + 128) * 10);
    flash_bus_op_t op = single(0x9f);
    op.data.nbytes = 3;
    assert_int_equal(sim_nor_op_bus_ns(part.nor, &op), (8 + 24) * 10);
    part_close(&part);
}

static void test_ddr_needs_even_address_and_length_and_the_right_dummies(void **state) {
    (void)state;
    part_t part = part_open("IS25WX512");
    enter_octal(&part);
    uint8_t data[3] = {0, 0, 0};
    wren_8d(&part);
    program_8d(&part, 0x11, data, 2); // odd address
    wren_8d(&part);
    program_8d(&part, 0x10, data, 3); // odd length
    assert_int_equal(stats(&part)->protocol_errors, 2);
    assert_int_equal(stats(&part)->programs, 0);
    uint8_t buf[4];
    read_8d(&part, 0, buf, 4, 8); // the part is set for 16 dummy cycles
    assert_int_equal(stats(&part)->protocol_errors, 3);
    // The dummy count follows the volatile register.
    part_t other = part_open("IS25WX512");
    register_write_1s(&other, 1, 10);
    enter_octal(&other);
    read_8d(&other, 0, buf, 4, 10);
    assert_int_equal(stats(&other)->protocol_errors, 0);
    part_close(&other);
    part_t mx = part_open("MX25UM25645G");
    register_write_1s(&mx, 0x300, 5); // 10 cycles
    enter_octal(&mx);
    read_8d(&mx, 0, buf, 4, 20);
    assert_int_equal(stats(&mx)->protocol_errors, 1);
    read_8d(&mx, 0, buf, 4, 10);
    assert_int_equal(stats(&mx)->protocol_errors, 1);
    part_close(&mx);
    part_close(&part);
}

static void test_counters(void **state) {
    (void)state;
    part_t part = part_open("IS25WX512");
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
    part_close(&part);
}

static void test_power_cut_leaves_the_operation_partly_done(void **state) {
    (void)state;
    part_t part = part_open("IS25WX512");
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
    assert_int_equal(status_8d(&part), 0xff);
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

// Issue 8, problem 2: READ ID in 8D on the Macronix part sends each byte twice.
static void test_macronix_doubles_id_bytes_in_8d(void **state) {
    (void)state;
    part_t mx = part_open("MX25UM25645G");
    enter_octal(&mx);
    uint8_t id[6];
    flash_bus_op_t op = with_addr(reading(octal(&mx, 0x9f), id, 6), 4, 0);
    op.dummy.ncycles = 4;
    exec(&mx, op);
    uint8_t want[6] = {0xc2, 0xc2, 0x80, 0x80, 0x39, 0x39};
    assert_memory_equal(id, want, 6);
    part_close(&mx);
    part_t issi = part_open("IS25WX512");
    enter_octal(&issi);
    op = reading(octal(&issi, 0x9f), id, 4);
    op.dummy.ncycles = 8;
    exec(&issi, op);
    uint8_t want_issi[3] = {0x9d, 0x5b, 0x1a};
    assert_memory_equal(id, want_issi, 3);
    part_close(&issi);
}

// Issue 8, problem 4: the ISSI dummy-cycle register takes 0x00 and 0x1f as the default 16 and
// refuses 1, 2 and codes above 0x1f; 16 cycles are too few above about 171 MHz.
static void test_issi_dummy_codes_and_clock_limit(void **state) {
    (void)state;
    uint8_t codes[] = {0x00, 0x1f, 1, 2, 0x20, 10};
    uint8_t want[] = {16, 16, 16, 16, 16, 10};
    for (int k = 0; k < 6; k++) {
        part_t part = part_open("IS25WX512");
        register_write_1s(&part, 1, codes[k]);
        enter_octal(&part);
        uint8_t buf[4];
        read_8d(&part, 0, buf, 4, want[k]);
        assert_int_equal(stats(&part)->protocol_errors,
                         (codes[k] >= 1 && codes[k] <= 2) || codes[k] == 0x20);
        assert_int_equal(stats(&part)->ignored, 0);
        part_close(&part);
    }
    const sim_nor_part_t *p = sim_nor_part_by_name("IS25WX512");
    uint8_t *mem = malloc(p->size);
    memset(mem, 0xff, p->size);
    part_t fast = {.mem = mem, .nor = sim_nor_new(p, mem, 200000000)};
    sim_nor_bus(fast.nor, &fast.bus);
    enter_octal(&fast);
    uint8_t buf[4];
    read_8d(&fast, 0, buf, 4, 16);
    assert_int_equal(stats(&fast)->protocol_errors, 1);
    part_close(&fast);
}

// Every part with an octal command set answers Read SFDP in 1S with its JESD216 table, whose
// BFPT DWORD 18 bit 31 tells the byte swap.
static void test_sfdp_answers_in_1s(void **state) {
    (void)state;
    const char *names[] = {"IS25WX512", "IS25WX256", "MX25UM25645G", "EM064LX"};
    for (int k = 0; k < 4; k++) {
        part_t part = part_open(names[k]);
        uint8_t head[16];
        flash_bus_op_t op = reading(with_addr(single(0x5a), 3, 0), head, sizeof(head));
        op.dummy.ncycles = 8;
        exec(&part, op);
        assert_memory_equal(head, "SFDP", 4);
        assert_int_equal(head[8] | head[15] << 8, 0xff00); // BFPT first
        uint32_t bfpt = head[12] | head[13] << 8 | head[14] << 16;
        uint8_t dw18[4];
        op = reading(with_addr(single(0x5a), 3, bfpt + 17 * 4), dw18, 4);
        op.dummy.ncycles = 8;
        exec(&part, op);
        assert_int_equal(dw18[3] >> 7, part.macronix);
        part_close(&part);
    }
}

// MRAM stores what it is given, without AND, and is never busy.
static void test_mram_stores_bytes_and_is_never_busy(void **state) {
    (void)state;
    part_t part = part_open("EM064LX");
    enter_octal(&part);
    uint8_t first[2] = {0x00, 0x0f}, second[2] = {0x3c, 0xff};
    wren_8d(&part);
    program_8d(&part, 0x10, first, 2);
    assert_int_equal(status_8d(&part), 0x00);
    wren_8d(&part);
    program_8d(&part, 0x10, second, 2);
    assert_memory_equal(part.mem + 0x10, second, 2);
    part_close(&part);
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
        cmocka_unit_test(test_ddr_needs_even_address_and_length_and_the_right_dummies),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_power_cut_leaves_the_operation_partly_done),
        cmocka_unit_test(test_power_cut_partial_erase_is_deterministic),
        cmocka_unit_test(test_unknown_family_answers_only_its_id),
        cmocka_unit_test(test_macronix_swaps_words_in_8d_against_1s),
        cmocka_unit_test(test_macronix_doubles_id_bytes_in_8d),
        cmocka_unit_test(test_issi_dummy_codes_and_clock_limit),
        cmocka_unit_test(test_sfdp_answers_in_1s),
        cmocka_unit_test(test_mram_stores_bytes_and_is_never_busy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
