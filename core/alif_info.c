// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "alif_info.h"

// Plain conversions only (%s, %u, %lx, zero-padded widths): MicroPython ports may link a small
// printf of their own, without %z or %ll.

#define DUMP_BYTES_PER_LINE (16)

// The lifecycle states of the SE's CryptoCell-312, which get device data reports as they are.
const char *alif_lcs_name(uint8_t lcs) {
    switch (lcs) {
        case 0:
            return "CM (chip manufacture)";
        case 1:
            return "DM (device manufacture)";
        case 5:
            return "SE (secure enabled)";
        case 7:
            return "RMA (return merchandise)";
        default:
            return NULL;
    }
}

// The SoC revision register as Alif's security toolkit names it: isp/device_probe.py, REVISIONS,
// keyed by the four bytes that ISP_GET_REVISION returns lowest first, which precede the part
// number there as revision_id precedes ALIF_PN in the SE's device data. Every silicon revision
// it names has its upper 16 bits clear; Fusion is the Ensemble E3/E5/E7, Spark the E1C, Eagle
// the E4/E6/E8 (its FPGA builds are left out: no chip carries them).
const char *alif_soc_revision_name(uint32_t revision_id) {
    static const struct {
        uint16_t id;
        char name[3];
    } names[] = {
        {0xa100, "A1"}, {0xb000, "B0"}, {0xb200, "B2"}, {0xb300, "B3"}, {0xb400, "B4"}, // Fusion
        {0xa500, "A5"}, {0xa001, "A0"}, {0xa501, "A5"},                                 // Spark
        {0x02a0, "A0"}, {0x02a1, "A1"},                                                 // Eagle
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].id == revision_id) {
            return names[i].name;
        }
    }
    return NULL;
}

int alif_info_gather(const se_mailbox_t *mailbox, alif_info_t *info, se_error_t *error) {
    int ret = se_get_revision(mailbox, info->se_revision, error);
    if (ret == 0) {
        ret = se_get_device_data(mailbox, &info->device, error);
    }
    if (ret == 0) {
        // Alif's get_device_id64 derives the ID from this very record; deriving it here keeps
        // the ID and the record printed below from two different answers.
        se_device_id64(&info->device, info->unique_id);
    }
    return ret;
}

// Text from the SE as one printable line: up to the first NUL, without trailing white space,
// and with anything that is not printable ASCII shown as '.', so that a terminal never sees
// control bytes.
static void printable(char *out, const uint8_t *in, size_t in_len) {
    size_t len = 0;
    while (len < in_len && in[len] != '\0') {
        len++;
    }
    while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t' || in[len - 1] == '\r' ||
                       in[len - 1] == '\n')) {
        len--;
    }
    for (size_t i = 0; i < len; i++) {
        out[i] = in[i] >= 0x20 && in[i] < 0x7f ? (char)in[i] : '.';
    }
    out[len] = '\0';
}

static void hex(char *out, const uint8_t *bytes, size_t len) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    out[2 * len] = '\0';
}

static void print_field(alif_print_t print, void *ctx, const char *label, const char *value) {
    char line[32 + SE_REVISION_MAX];
    snprintf(line, sizeof(line), "%s%s\n", label, value);
    print(ctx, line);
}

void alif_info_print(const alif_info_t *info, alif_print_t print, void *ctx) {
    const se_device_data_t *d = &info->device;
    char text[SE_REVISION_MAX + 1];

    printable(text, (const uint8_t *)info->se_revision, strlen(info->se_revision));
    print_field(print, ctx, "SE revision:     ", text);
    printable(text, d->alif_pn, sizeof(d->alif_pn));
    print_field(print, ctx, "ALIF_PN:         ", text);
    const char *revision = alif_soc_revision_name(d->revision_id);
    snprintf(text, sizeof(text), "%s (0x%08lx)", revision ? revision : "unknown",
             (unsigned long)d->revision_id);
    print_field(print, ctx, "SoC revision:    ", text);
    hex(text, d->serial, sizeof(d->serial));
    print_field(print, ctx, "Serial number:   ", text);
    const char *lcs = alif_lcs_name(d->lcs);
    if (lcs == NULL) {
        snprintf(text, sizeof(text), "unknown (0x%02x)", (unsigned)d->lcs);
        lcs = text;
    }
    print_field(print, ctx, "Lifecycle state: ", lcs);
    hex(text, info->unique_id, sizeof(info->unique_id));
    print_field(print, ctx, "Unique ID:       ", text);

    char line[8 + 3 * DUMP_BYTES_PER_LINE + 2];
    snprintf(line, sizeof(line), "Device data (%u bytes):\n", (unsigned)sizeof(*d));
    print(ctx, line);
    const uint8_t *record = (const uint8_t *)d;
    for (size_t at = 0; at < sizeof(*d); at += DUMP_BYTES_PER_LINE) {
        size_t n = (size_t)snprintf(line, sizeof(line), "%04x:", (unsigned)at);
        for (size_t i = at; i < at + DUMP_BYTES_PER_LINE && i < sizeof(*d); i++) {
            n += (size_t)snprintf(line + n, sizeof(line) - n, " %02x", (unsigned)record[i]);
        }
        snprintf(line + n, sizeof(line) - n, "\n");
        print(ctx, line);
    }
}

int alif_info(const se_mailbox_t *mailbox, alif_print_t print, void *ctx, char *err,
              size_t err_len) {
    alif_info_t info;
    se_error_t error;
    int ret = alif_info_gather(mailbox, &info, &error);
    if (ret != 0) {
        se_error_message(&error, err, err_len);
        return ret;
    }
    if (err_len > 0) {
        err[0] = '\0';
    }
    alif_info_print(&info, print, ctx);
    return 0;
}
