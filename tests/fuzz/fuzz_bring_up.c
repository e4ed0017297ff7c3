// SPDX-License-Identifier: MIT
// libFuzzer target over SFDP parsing and bring-up: a part that answers its JEDEC ID (one of the
// table's, picked by the input's first byte) and Read SFDP with the rest of the input, and
// accepts everything else as an idle, write-enabled part would. Whatever the SFDP says,
// nor_flash_init must not read outside what it was given, nor accept values that contradict the
// parts table: a part it brings up erases with the table's opcodes and sizes only.
#include <stdlib.h>
#include <string.h>

#include "alif_errno.h"
#include "nor_flash.h"

static const uint32_t known_ids[] = {0x9d5b1a, 0x9d5b19, 0xc28039, 0x6bbb17};

typedef struct {
    const uint8_t *sfdp;
    size_t sfdp_len;
    uint32_t id;
    bool wel;
    uint64_t now;
} fake_part_t;

static int fake_exec(void *ctx, const flash_bus_op_t *op) {
    fake_part_t *part = ctx;
    uint8_t opcode = op->octal_ddr ? op->cmd.opcode >> 8 : op->cmd.opcode;
    uint8_t *in = op->data.to_flash ? NULL : op->data.buf.in;
    part->now += 1000;
    for (size_t i = 0; in != NULL && i < op->data.nbytes; i++) {
        size_t at = op->addr.val + i;
        switch (opcode) {
            case 0x9f: {
                // 1S: three bytes; 8D: as the part's table frames them (doubled on Macronix).
                size_t k = op->octal_ddr && part->id >> 16 == 0xc2 ? i / 2 : i;
                in[i] = k < 3 ? (uint8_t)(part->id >> (16 - 8 * k)) : 0;
                break;
            }
            case 0x5a:
                in[i] = at < part->sfdp_len ? part->sfdp[at] : 0xff;
                break;
            case 0x05:
                in[i] = part->wel ? 0x02 : 0x00;
                break;
            case 0x85:
                in[i] = 0x01; // ECC off
                break;
            default:
                in[i] = 0x00;
        }
    }
    part->wel = opcode == 0x06;
    return 0;
}

static uint64_t fake_now(void *ctx) {
    return ((fake_part_t *)ctx)->now;
}

static void fake_delay(void *ctx, uint64_t ns) {
    ((fake_part_t *)ctx)->now += ns;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    fake_part_t part = {
        .id = known_ids[data[0] % (sizeof(known_ids) / sizeof(known_ids[0]))],
        .sfdp = data + 1,
        .sfdp_len = size - 1,
    };
    flash_bus_t bus = {.exec = fake_exec, .now_ns = fake_now, .delay_ns = fake_delay, .ctx = &part};
    nor_flash_t nor;
    int ret = nor_flash_init(&nor, &bus, 100000000);
    if (ret != 0) {
        return 0;
    }
    const nor_facts_t *facts = &nor.part->facts;
    if (nor.params.size != facts->size || nor.params.swap16 != facts->swap16 ||
        nor.params.cmd_ext_invert != facts->cmd_ext_invert) {
        abort();
    }
    for (unsigned i = 0; i < NOR_ERASE_TYPES; i++) {
        if (nor.params.erase[i].size_shift != facts->erase[i].size_shift ||
            nor.params.erase[i].opcode != facts->erase[i].opcode) {
            abort();
        }
    }
    return 0;
}
