// SPDX-License-Identifier: MIT
// Where the facts come from: the transport and service codes from the SE Host Services API
// manual v1.107 ("SE Host Services Library Error Handling"); the device data record from its
// SERVICES_system_get_device_data; the banner's 80-byte limit from SERVICES_get_se_revision; the
// device ID from SERVICES_system_get_device_id64. Service IDs, the header, the packets and the
// manufacturing data layout are not in the manual's text; they are those of Alif's services
// library 0.50.6 and later (services_lib_ids.h, services_lib_protocol.h, services_host_system.c),
// the library that matches SE firmware 1.106 onwards.
#include <stdio.h>
#include <string.h>

#include "alif_errno.h"
#include "se_client.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the SE's packets are little-endian structs; a big-endian host would have to swap fields"
#endif

// The SE reads and writes these structs in place, as laid out by its own compiler on the same
// ABI: pin every offset so that no compiler or edit can move one unnoticed.
_Static_assert(sizeof(se_header_t) == 8, "SE header");
_Static_assert(offsetof(se_header_t, error_code) == 4, "SE header");
_Static_assert(offsetof(se_revision_packet_t, revision_length) == 8, "get SE revision packet");
_Static_assert(offsetof(se_revision_packet_t, revision) == 12, "get SE revision packet");
_Static_assert(offsetof(se_revision_packet_t, error_code) == 92, "get SE revision packet");
_Static_assert(sizeof(se_revision_packet_t) == 96, "get SE revision packet");
_Static_assert(offsetof(se_device_data_packet_t, data) == 8, "get device data packet");
_Static_assert(offsetof(se_device_data_t, alif_pn) == 8, "device data record");
_Static_assert(offsetof(se_device_data_t, mfg_data) == 96, "device data record");
_Static_assert(offsetof(se_device_data_t, serial) == 128, "device data record");
_Static_assert(offsetof(se_device_data_t, lcs) == 136, "device data record");
_Static_assert(offsetof(se_device_data_t, external_config) == 140, "device data record");
_Static_assert(offsetof(se_device_data_t, flags2) == 156, "device data record");
_Static_assert(sizeof(se_device_data_t) == 160, "device data record");
_Static_assert(offsetof(se_device_data_packet_t, error_code) == 168, "get device data packet");
_Static_assert(sizeof(se_device_data_packet_t) == 172, "get device data packet");

// The IEEE organisation ID that Alif puts after the EUI-64 extension.
static const uint8_t alif_oid[3] = {0x78, 0x59, 0x94};

const char *se_service_name(uint16_t service_id) {
    switch (service_id) {
        case SE_SERVICE_GET_SE_REVISION:
            return "get SE revision";
        case SE_SERVICE_GET_DEVICE_DATA:
            return "get device data";
        default:
            return "unknown service";
    }
}

static int fail(se_error_t *error, se_fault_t fault, int err, uint32_t code, const char *detail) {
    error->fault = fault;
    error->err = err;
    error->code = code;
    error->detail = detail;
    return err;
}

static int transport_errno(uint32_t code) {
    switch (code) {
        case SE_REQ_TIMEOUT:
            return -ALIF_ETIMEDOUT;
        case SE_RESP_UNKNOWN_COMMAND:
            return -ALIF_EOPNOTSUPP;
        default:
            return -ALIF_EIO;
    }
}

static int service_errno(uint32_t code) {
    return code == SE_SERVICE_INVALID_PARAMETER ? -ALIF_EINVAL : -ALIF_EIO;
}

int se_call(const se_mailbox_t *mailbox, uint16_t service_id, se_header_t *packet, size_t size,
            se_error_t *error) {
    se_error_t unused;
    if (error == NULL) {
        error = &unused;
    }
    *error = (se_error_t){.service_id = service_id};
    uint32_t code;
    if (size > mailbox->packet_size || size < sizeof(*packet) + sizeof(code)) {
        return fail(error, SE_FAULT_PACKET_SIZE, -ALIF_EINVAL, (uint32_t)size, NULL);
    }
    *packet = (se_header_t){.service_id = service_id};
    memcpy(mailbox->packet, packet, size);

    int ret = mailbox->send(mailbox->ctx, mailbox->packet_global);
    if (ret != 0) {
        return fail(error, SE_FAULT_NOT_ACKNOWLEDGED, ret < 0 ? ret : -ALIF_EIO, 0, NULL);
    }
    uint32_t reply;
    ret = mailbox->wait_reply(mailbox->ctx, &reply, SE_SERVICE_TIMEOUT_NS);
    if (ret != 0) {
        return fail(error, SE_FAULT_NO_REPLY, ret < 0 ? ret : -ALIF_ETIMEDOUT, 0, NULL);
    }

    memcpy(packet, mailbox->packet, size);
    // Only a reply that names this packet and this service answers this request; anything else
    // may be a stray or a corrupted packet, whose fields mean nothing.
    if (reply != mailbox->packet_global) {
        return fail(error, SE_FAULT_MALFORMED, -ALIF_EIO, reply, "the reply is for another packet");
    }
    if (packet->service_id != service_id) {
        return fail(error, SE_FAULT_MALFORMED, -ALIF_EIO, packet->service_id,
                    "the reply is for another service");
    }
    if (packet->error_code != SE_REQ_SUCCESS) {
        return fail(error, SE_FAULT_TRANSPORT, transport_errno(packet->error_code),
                    packet->error_code, NULL);
    }
    memcpy(&code, (const uint8_t *)packet + size - sizeof(code), sizeof(code));
    if (code != SE_SERVICE_SUCCESS) {
        return fail(error, SE_FAULT_SERVICE, service_errno(code), code, NULL);
    }
    return 0;
}

int se_get_revision(const se_mailbox_t *mailbox, char revision[SE_REVISION_MAX + 1],
                    se_error_t *error) {
    se_error_t unused;
    if (error == NULL) {
        error = &unused;
    }
    revision[0] = '\0';
    se_revision_packet_t packet = {0};
    int ret = se_call(mailbox, SE_SERVICE_GET_SE_REVISION, &packet.header, sizeof(packet), error);
    if (ret != 0) {
        return ret;
    }
    if (packet.revision_length > SE_REVISION_MAX) {
        return fail(error, SE_FAULT_MALFORMED, -ALIF_EIO, packet.revision_length,
                    "the revision is longer than 80 bytes");
    }
    memcpy(revision, packet.revision, packet.revision_length);
    revision[packet.revision_length] = '\0';
    return 0;
}

int se_get_device_data(const se_mailbox_t *mailbox, se_device_data_t *data, se_error_t *error) {
    se_device_data_packet_t packet = {0};
    int ret = se_call(mailbox, SE_SERVICE_GET_DEVICE_DATA, &packet.header, sizeof(packet), error);
    *data = ret == 0 ? packet.data : (se_device_data_t){0};
    return ret;
}

void se_device_id64(const se_device_data_t *data, uint8_t id[8]) {
    // Manufacturing data bytes: 0 year (6 bits), 1 wafer (5) with the fab in bit 7, 2 y (7),
    // 3 x (7), 6 lot, 7 week (6). They pack, most significant first, as x y wafer fab year week
    // lot: 7 + 7 + 5 + 1 + 6 + 6 + 8 = 40 bits.
    const uint8_t *mfg = data->mfg_data;
    uint64_t bits = (uint64_t)(mfg[3] & 0x7f);
    bits = bits << 7 | (mfg[2] & 0x7f);
    bits = bits << 5 | (mfg[1] & 0x1f);
    bits = bits << 1 | (mfg[1] >> 7);
    bits = bits << 6 | (mfg[0] & 0x3f);
    bits = bits << 6 | (mfg[7] & 0x3f);
    bits = bits << 8 | mfg[6];
    for (int i = 0; i < 5; i++) {
        id[i] = (uint8_t)(bits >> (8 * (4 - i)));
    }
    memcpy(id + 5, alif_oid, sizeof(alif_oid));
}

static const char *transport_words(uint32_t code) {
    switch (code) {
        case SE_REQ_TIMEOUT:
            return "timed out inside the SE";
        case SE_RESP_UNKNOWN_COMMAND:
            return "is unknown to the SE";
        case SE_REQ_NOT_ACKNOWLEDGE:
            return "was not acknowledged by the SE";
        default:
            return "failed in transport";
    }
}

void se_error_message(const se_error_t *error, char *buf, size_t len) {
    const char *name = se_service_name(error->service_id);
    unsigned long code = error->code;
    switch (error->fault) {
        case SE_FAULT_NONE:
            snprintf(buf, len, "SE service '%s' succeeded", name);
            break;
        case SE_FAULT_PACKET_SIZE:
            snprintf(buf, len,
                     "SE service '%s': a %lu-byte packet does not fit the mailbox's buffer", name,
                     code);
            break;
        case SE_FAULT_NOT_ACKNOWLEDGED:
            snprintf(buf, len, "SE service '%s' was not acknowledged by the SE", name);
            break;
        case SE_FAULT_NO_REPLY:
            snprintf(buf, len, "SE service '%s' timed out: the SE did not answer in time (%lu ms)",
                     name, (unsigned long)(SE_SERVICE_TIMEOUT_NS / 1000000u));
            break;
        case SE_FAULT_MALFORMED:
            snprintf(buf, len, "SE service '%s' answered with a malformed packet: %s", name,
                     error->detail != NULL ? error->detail : "an unexpected reply");
            break;
        case SE_FAULT_TRANSPORT:
            snprintf(buf, len, "SE service '%s' %s (transport error 0x%02lx)", name,
                     transport_words(error->code), code);
            break;
        case SE_FAULT_SERVICE:
            snprintf(buf, len, "SE service '%s' %s (service error 0x%03lx)", name,
                     error->code == SE_SERVICE_INVALID_PARAMETER ? "rejected a parameter"
                                                                 : "failed",
                     code);
            break;
    }
}
