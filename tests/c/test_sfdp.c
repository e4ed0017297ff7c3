// SPDX-License-Identifier: MIT
// The SFDP parser against evidence: the tables Macronix read from its parts (tests/fixtures/sfdp,
// posted with "[PATCH v8 8/9] mtd: spi-nor: add support for Macronix Octal flash MX25 series",
// linux-spi 2024-02-01) and tables broken the ways a part, a board or a tool can break them.
#include <string.h>

#include "nor_parts.h"
#include "sfdp.h"
#include "support.h"

#define SPACE (512)

// A part that answers Read SFDP (5Ah, 3-byte address, 8 dummy cycles, JESD216) from bytes; what
// lies past them reads as 0xff, as an unprogrammed SFDP area does.
typedef struct {
    uint8_t bytes[SPACE];
    size_t len;
    unsigned reads;
} sfdp_part_t;

static int sfdp_part_exec(void *ctx, const flash_bus_op_t *op) {
    sfdp_part_t *part = ctx;
    assert_int_equal(op->cmd.opcode, 0x5a);
    assert_int_equal(op->addr.nbytes, 3);
    assert_int_equal(op->dummy.ncycles, 8);
    for (size_t i = 0; i < op->data.nbytes; i++) {
        size_t at = op->addr.val + i;
        op->data.buf.in[i] = at < part->len ? part->bytes[at] : 0xff;
    }
    part->reads++;
    return 0;
}

static const flash_bus_t *bus_for(sfdp_part_t *part) {
    static flash_bus_t bus;
    bus = (flash_bus_t){.exec = sfdp_part_exec, .ctx = part};
    return &bus;
}

static void load(sfdp_part_t *part, const char *name) {
    *part = (sfdp_part_t){0};
    part->len = test_fixture_hex(name, part->bytes, sizeof(part->bytes));
}

static int parse(sfdp_part_t *part, sfdp_params_t *p, const char **unusable) {
    *unusable = NULL;
    // Garbage where the parser must write, so that anything it leaves shows.
    memset(p, 0xa5, sizeof(*p));
    return sfdp_read(bus_for(part), p, unusable);
}

// Where a parameter table of this ID lives in the dump, from its header.
static size_t table_at(const sfdp_part_t *part, uint16_t id) {
    for (unsigned i = 0; i <= part->bytes[6]; i++) {
        const uint8_t *h = part->bytes + 8 + 8 * i;
        if ((h[0] | h[7] << 8) == id) {
            return h[4] | h[5] << 8 | h[6] << 16;
        }
    }
    fail_msg("no table %04x", id);
    return 0;
}

static size_t header_of(const sfdp_part_t *part, uint16_t id) {
    for (unsigned i = 0; i <= part->bytes[6]; i++) {
        const uint8_t *h = part->bytes + 8 + 8 * i;
        if ((h[0] | h[7] << 8) == id) {
            return 8 + 8 * i;
        }
    }
    fail_msg("no header %04x", id);
    return 0;
}

// The values below are the dump's, decoded by hand from JESD216 and checked against Macronix's
// own reading in /work/shared/reference/sfdp/README.md: density 256 Mbit, page 256, erase 4 KiB
// (4-byte 21h, 25 ms, 400 ms) and 64 KiB (DCh, 256 ms, 4096 ms), page program 152 us and
// 1520 us, byte swap and inverted extension in 8D, xSPI profile 20/16/14/10 dummy cycles.
static void test_mx25um25645g_real_table(void **state) {
    (void)state;
    sfdp_part_t part;
    load(&part, "sfdp/MX25UM25645G.sfdp.txt");
    assert_int_equal(part.len, 316);
    sfdp_params_t p;
    const char *unusable;
    assert_int_equal(parse(&part, &p, &unusable), 0);
    assert_null(unusable);
    assert_int_equal(p.size, 32 * 1024 * 1024);
    assert_true(p.octal_dtr_said);
    assert_true(p.swap16);
    assert_true(p.cmd_ext_invert);
    assert_int_equal(p.erase[0].size_shift, 12);
    assert_int_equal(p.erase[0].opcode, 0x21);
    assert_int_equal(p.erase[1].size_shift, 16);
    assert_int_equal(p.erase[1].opcode, 0xdc);
    assert_int_equal(p.erase[2].size_shift, 0);
    assert_int_equal(p.erase[3].size_shift, 0);
    static const uint8_t dummies[SFDP_PROFILE_CLOCKS] = {10, 14, 16, 20};
    assert_memory_equal(p.read_dummy_cycles, dummies, sizeof(dummies));
}

// The parts table's MX25UM25645G page and times are the ones its real dump gives, decoded here
// from JESD216: BFPT DWORD 11, page 2^N (bits 7:4), typical program (count + 1) x 8 or 64 us
// (bits 12:8, 13), max 2 x (multiplier + 1) x typical (bits 3:0); DWORD 10, each erase type's
// typical (count + 1) x 1, 16, 128 or 1000 ms (7 bits from bit 4 + 7i), max as for programs.
static void test_parts_table_times_are_the_mx25um25645g_dump(void **state) {
    (void)state;
    sfdp_part_t part;
    load(&part, "sfdp/MX25UM25645G.sfdp.txt");
    const uint8_t *bfpt = part.bytes + table_at(&part, 0xff00);
    uint32_t dw10 = bfpt[36] | bfpt[37] << 8 | bfpt[38] << 16 | (uint32_t)bfpt[39] << 24;
    uint32_t dw11 = bfpt[40] | bfpt[41] << 8 | bfpt[42] << 16 | (uint32_t)bfpt[43] << 24;
    const nor_part_t *mx = nor_part_find(0xc28039);
    assert_non_null(mx);
    assert_int_equal(1u << ((dw11 >> 4) & 0xf), NOR_PAGE_SIZE);
    uint32_t program_typ = (((dw11 >> 8) & 0x1f) + 1) * ((dw11 >> 13) & 1 ? 64 : 8);
    assert_int_equal(mx->facts.page_program_typ_us, program_typ);
    assert_int_equal(mx->facts.page_program_max_us, 2 * ((dw11 & 0xf) + 1) * program_typ);
    static const uint32_t unit_us[4] = {1000, 16000, 128000, 1000000};
    for (unsigned i = 0; i < 2; i++) {
        uint32_t field = (dw10 >> (4 + 7 * i)) & 0x7f;
        uint32_t typ = ((field & 0x1f) + 1) * unit_us[field >> 5];
        assert_int_equal(mx->facts.erase[i].typ_us, typ);
        assert_int_equal(mx->facts.erase[i].max_us, 2 * ((dw10 & 0xf) + 1) * typ);
    }
}

// The siblings from the same patch: their densities, and that nothing else trips the parser.
static void test_macronix_siblings(void **state) {
    (void)state;
    static const struct {
        const char *file;
        uint32_t size;
    } cases[] = {{"sfdp/MX25UM51245G.sfdp.txt", 64 * 1024 * 1024},
                 {"sfdp/MX25UM25345G.sfdp.txt", 32 * 1024 * 1024}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sfdp_part_t part;
        load(&part, cases[i].file);
        sfdp_params_t p;
        const char *unusable;
        assert_int_equal(parse(&part, &p, &unusable), 0);
        assert_int_equal(p.size, cases[i].size);
        assert_int_equal(p.erase[0].opcode, 0x21);
    }
}

// The EM064LX answers no Read SFDP: nobody drives the lines.
static void test_no_signature_is_named(void **state) {
    (void)state;
    sfdp_part_t part = {.len = 0};
    sfdp_params_t p;
    const char *unusable;
    assert_int_equal(parse(&part, &p, &unusable), -ALIF_EIO);
    assert_string_equal(unusable, "no signature");
}

// Without a 4BAIT the 4-byte erase opcodes are unsaid, and read as 0, never as whatever lay on
// the stack; without a BFPT the table is unusable, named so.
static void test_absent_tables_are_absent(void **state) {
    (void)state;
    sfdp_part_t part;
    load(&part, "sfdp/MX25UM25645G.sfdp.txt");
    part.bytes[header_of(&part, 0xff84)] = 0x42; // the 4BAIT's ID, changed: no 4BAIT
    sfdp_params_t p;
    const char *unusable;
    assert_int_equal(parse(&part, &p, &unusable), 0);
    assert_int_equal(p.erase[0].size_shift, 12);
    assert_int_equal(p.erase[0].opcode, 0);
    assert_int_equal(p.erase[1].opcode, 0);
    assert_int_equal(p.erase[2].size_shift, 0);

    load(&part, "sfdp/MX25UM25645G.sfdp.txt");
    part.bytes[header_of(&part, 0xff00)] = 0x42;
    assert_int_equal(parse(&part, &p, &unusable), -ALIF_EIO);
    assert_string_equal(unusable, "no BFPT");
}

// A BFPT shorter than 18 DWORDs says nothing of 8D byte order: the parts table must.
static void test_short_bfpt_leaves_octal_fields_unsaid(void **state) {
    (void)state;
    sfdp_part_t part;
    load(&part, "sfdp/MX25UM25645G.sfdp.txt");
    part.bytes[header_of(&part, 0xff00) + 3] = 16; // JESD216B's 16 DWORDs
    sfdp_params_t p;
    const char *unusable;
    assert_int_equal(parse(&part, &p, &unusable), 0);
    assert_false(p.octal_dtr_said);
    assert_false(p.swap16);
    assert_false(p.cmd_ext_invert);
    // JESD216's first BFPT, 9 DWORDs, still gives the size and the erase types; 8 do not.
    part.bytes[header_of(&part, 0xff00) + 3] = 9;
    assert_int_equal(parse(&part, &p, &unusable), 0);
    assert_int_equal(p.size, 32 * 1024 * 1024);
    assert_int_equal(p.erase[1].size_shift, 16);
    part.bytes[header_of(&part, 0xff00) + 3] = 8;
    assert_int_equal(parse(&part, &p, &unusable), -ALIF_EIO);
    assert_string_equal(unusable, "no BFPT");
}

// An erase size exponent of 32 or more cannot be a size in a 32-bit address space (and was a
// shift by 32 or more: undefined behaviour).
static void test_erase_size_beyond_32_bits_is_unusable(void **state) {
    (void)state;
    for (unsigned shift = 32; shift < 256; shift += 223) {
        sfdp_part_t part;
        load(&part, "sfdp/MX25UM25645G.sfdp.txt");
        part.bytes[table_at(&part, 0xff00) + 4 * 7 + 2] = (uint8_t)shift; // DWORD 8: type 2
        sfdp_params_t p;
        const char *unusable;
        assert_int_equal(parse(&part, &p, &unusable), -ALIF_EIO);
        assert_string_equal(unusable, "an erase type of 4 GiB or more");
    }
}

// A table pointer and length that run past the 24-bit SFDP space, or a density beyond 4 GiB.
static void test_lengths_and_pointers_are_checked(void **state) {
    (void)state;
    sfdp_part_t part;
    load(&part, "sfdp/MX25UM25645G.sfdp.txt");
    size_t h = header_of(&part, 0xff00);
    part.bytes[h + 4] = 0xf0;
    part.bytes[h + 5] = 0xff;
    part.bytes[h + 6] = 0xff;
    sfdp_params_t p;
    const char *unusable;
    assert_int_equal(parse(&part, &p, &unusable), -ALIF_EIO);
    assert_string_equal(unusable, "a table past its space");

    load(&part, "sfdp/MX25UM25645G.sfdp.txt");
    // DWORD 2 bit 31 set: 2^N bits; N = 35 is 4 GiB.
    size_t dw2 = table_at(&part, 0xff00) + 4;
    part.bytes[dw2] = 35;
    part.bytes[dw2 + 1] = part.bytes[dw2 + 2] = 0;
    part.bytes[dw2 + 3] = 0x80;
    assert_int_equal(parse(&part, &p, &unusable), -ALIF_EIO);
    assert_string_equal(unusable, "a size of 4 GiB or more");
    part.bytes[dw2] = 31; // 2^31 bits: 256 MiB
    assert_int_equal(parse(&part, &p, &unusable), 0);
    assert_int_equal(p.size, 256 * 1024 * 1024);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mx25um25645g_real_table),
        cmocka_unit_test(test_parts_table_times_are_the_mx25um25645g_dump),
        cmocka_unit_test(test_macronix_siblings),
        cmocka_unit_test(test_no_signature_is_named),
        cmocka_unit_test(test_absent_tables_are_absent),
        cmocka_unit_test(test_short_bfpt_leaves_octal_fields_unsaid),
        cmocka_unit_test(test_erase_size_beyond_32_bits_is_unusable),
        cmocka_unit_test(test_lengths_and_pointers_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
