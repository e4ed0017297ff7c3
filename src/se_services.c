#include <errno.h>
#include <string.h>

#include "se_services.h"

// The packets are shared with the SE, which lays them out as its own C structs on the same
// Cortex-M ABI: these pin the layout down so a compiler change cannot move a field.
_Static_assert(sizeof(se_header_t) == 8, "SE header");
_Static_assert(offsetof(se_revision_packet_t, revision_length) == 8, "SE revision layout");
_Static_assert(offsetof(se_revision_packet_t, revision) == 12, "SE revision layout");
_Static_assert(offsetof(se_revision_packet_t, error_code) == 92, "SE revision layout");
_Static_assert(offsetof(se_device_data_packet_t, alif_pn) == 16, "SE device data layout");
_Static_assert(offsetof(se_device_data_packet_t, mfg_data) == 104, "SE device data layout");
_Static_assert(offsetof(se_device_data_packet_t, serial) == 136, "SE device data layout");
_Static_assert(offsetof(se_device_data_packet_t, lcs) == 144, "SE device data layout");
_Static_assert(offsetof(se_device_data_packet_t, error_code) == 148, "SE device data layout");

const char *se_service_name(uint16_t service_id) {
    switch (service_id) {
        case SE_SERVICE_FIRMWARE_VERSION:
            return "get SE revision";
        case SE_SERVICE_DEVICE_REVISION_DATA:
            return "get device data";
        default:
            return "unknown service";
    }
}

static int transport_error(uint16_t code) {
    switch (code) {
        case SE_REQ_SUCCESS:
            return 0;
        case SE_RESP_UNKNOWN_COMMAND:
            return -ENOSYS;
        case SE_REQ_TIMEOUT:
            return -ETIMEDOUT;
        default:
            return -EIO;
    }
}

static int service_error(uint32_t code) {
    switch (code) {
        case SE_SERVICE_SUCCESS:
            return 0;
        case SE_SERVICE_INVALID_PARAMETER:
            return -EINVAL;
        default:
            return -EIO;
    }
}

int se_call(const se_mailbox_t *mailbox, uint16_t service_id, void *packet, size_t size) {
    if (size > mailbox->packet_size) {
        return -EINVAL;
    }
    se_header_t *header = packet;
    *header = (se_header_t){.service_id = service_id};
    memcpy(mailbox->packet, packet, size);
    int ret = mailbox->send(mailbox->ctx, mailbox->packet_global);
    uint32_t reply;
    if (ret == 0) {
        ret = mailbox->receive(mailbox->ctx, &reply, SE_SERVICE_TIMEOUT_NS);
    }
    if (ret != 0) {
        return ret;
    }
    memcpy(packet, mailbox->packet, size);
    // A reply about another packet or another service is not an answer to this request.
    if (reply != mailbox->packet_global || header->service_id != service_id) {
        return -EPROTO;
    }
    ret = transport_error(header->error_code);
    if (ret == 0) {
        uint32_t code;
        memcpy(&code, (const uint8_t *)packet + size - sizeof(code), sizeof(code));
        ret = service_error(code);
    }
    return ret;
}

int se_get_revision(const se_mailbox_t *mailbox, char revision[SE_REVISION_MAX + 1]) {
    se_revision_packet_t packet = {0};
    int ret = se_call(mailbox, SE_SERVICE_FIRMWARE_VERSION, &packet, sizeof(packet));
    if (ret != 0) {
        return ret;
    }
    if (packet.revision_length > SE_REVISION_MAX) {
        return -EPROTO;
    }
    // The SE does not promise a terminating NUL.
    memcpy(revision, packet.revision, packet.revision_length);
    revision[packet.revision_length] = '\0';
    return 0;
}

int se_get_device_data(const se_mailbox_t *mailbox, se_device_data_packet_t *data) {
    *data = (se_device_data_packet_t){0};
    return se_call(mailbox, SE_SERVICE_DEVICE_REVISION_DATA, data, sizeof(*data));
}

void se_device_id64(const se_device_data_packet_t *data, uint8_t id[8]) {
    // Manufacturing data, byte by byte: x (7 bits), y (7), wafer (5) with the fab in bit 7,
    // year (6), week (6), lot (8). Packed into 40 bits, most significant first.
    const uint8_t *mfg = data->mfg_data;
    uint8_t x = mfg[0] & 0x7f, y = mfg[1] & 0x7f;
    uint8_t wafer_and_fab = (uint8_t)(((mfg[2] & 0x1f) << 1) | (mfg[2] >> 7));
    uint8_t year = mfg[3] & 0x3f, week = mfg[4] & 0x3f, lot = mfg[5];
    id[0] = (uint8_t)(x << 1 | y >> 6);
    id[1] = (uint8_t)((y & 0x3f) << 2 | wafer_and_fab >> 4);
    id[2] = (uint8_t)((wafer_and_fab & 0x0f) << 4 | year >> 2);
    id[3] = (uint8_t)((year & 0x03) << 6 | week);
    id[4] = lot;
    // Alif's organisational identifier.
    id[5] = 0x78;
    id[6] = 0x59;
    id[7] = 0x94;
}
