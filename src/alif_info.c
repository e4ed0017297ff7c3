#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alif_info.h"

// CryptoCell-312 lifecycle states, which the SE reports as they are.
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
            return "unknown";
    }
}

static void hex(char *out, const uint8_t *bytes, size_t len) {
    for (size_t i = 0; i < len; i++) {
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    }
}

static int failed(int ret, uint16_t service, char *err, size_t err_len) {
    const char *why = ret == -ETIMEDOUT ? "did not answer in time"
                      : ret == -EPROTO  ? "answered with a malformed packet"
                      : ret == -ENOSYS  ? "does not know the service"
                      : ret == -EINVAL  ? "rejected a parameter"
                                        : "failed";
    snprintf(err, err_len, "SE service '%s' %s", se_service_name(service), why);
    return ret;
}

int alif_info(const se_mailbox_t *mailbox, alif_print_t print, void *ctx, char *err,
    size_t err_len) {
    char revision[SE_REVISION_MAX + 1];
    se_device_data_packet_t data;
    int ret = se_get_revision(mailbox, revision);
    if (ret != 0) {
        return failed(ret, SE_SERVICE_FIRMWARE_VERSION, err, err_len);
    }
    ret = se_get_device_data(mailbox, &data);
    if (ret != 0) {
        return failed(ret, SE_SERVICE_DEVICE_REVISION_DATA, err, err_len);
    }
    uint8_t id[8];
    se_device_id64(&data, id);

    char line[128], text[2 * sizeof(data.serial) + 1];
    snprintf(line, sizeof(line), "SE revision:     %s\n", revision);
    print(ctx, line);
    // The part number fills its 16 bytes with no room promised for a NUL.
    snprintf(line, sizeof(line), "ALIF_PN:         %.*s\n", (int)sizeof(data.alif_pn),
        (const char *)data.alif_pn);
    print(ctx, line);
    snprintf(line, sizeof(line), "SoC revision:    0x%08lx\n", (unsigned long)data.revision_id);
    print(ctx, line);
    hex(text, data.serial, sizeof(data.serial));
    snprintf(line, sizeof(line), "Serial number:   %s\n", text);
    print(ctx, line);
    snprintf(line, sizeof(line), "Lifecycle state: %s\n", alif_lcs_name(data.lcs));
    print(ctx, line);
    hex(text, id, sizeof(id));
    snprintf(line, sizeof(line), "Unique ID:       %s\n", text);
    print(ctx, line);
    snprintf(line, sizeof(line), "Device data (%u bytes):\n", (unsigned)SE_DEVICE_RECORD_SIZE);
    print(ctx, line);
    const uint8_t *record = (const uint8_t *)&data + SE_DEVICE_RECORD_OFFSET;
    for (size_t at = 0; at < SE_DEVICE_RECORD_SIZE; at += 16) {
        int n = snprintf(line, sizeof(line), "%04x:", (unsigned)at);
        for (size_t i = at; i < at + 16 && i < SE_DEVICE_RECORD_SIZE; i++) {
            n += snprintf(line + n, sizeof(line) - (size_t)n, " %02x", record[i]);
        }
        snprintf(line + n, sizeof(line) - (size_t)n, "\n");
        print(ctx, line);
    }
    return 0;
}
