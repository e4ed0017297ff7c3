// SPDX-License-Identifier: MIT
// A client of the Secure Enclave's host services, limited to what alif.info() needs: the SE
// firmware banner and the device data record, one request at a time over the MHU mailbox.
// Service IDs, packet layouts and codes are the SE's own (SE Host Services API v1.107); the
// packets are little-endian C structs that the SE reads and writes in place, so their layout is
// pinned down in se_client.c.
#ifndef ALIF_SE_CLIENT_H
#define ALIF_SE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

// Service IDs.
#define SE_SERVICE_GET_SE_REVISION (103) // SERVICE_APPLICATION_FIRMWARE_VERSION_ID
#define SE_SERVICE_GET_DEVICE_DATA (208) // SERVICE_SYSTEM_MGMT_GET_DEVICE_REVISION_DATA

// Transport codes, in the header's error_code.
#define SE_REQ_SUCCESS (0x00)
#define SE_REQ_NOT_ACKNOWLEDGE (0xff)
#define SE_REQ_TIMEOUT (0xfd)
#define SE_RESP_UNKNOWN_COMMAND (0xfc)

// Service codes, in the error_code that ends every packet.
#define SE_SERVICE_SUCCESS (0x000)
#define SE_SERVICE_FAIL (0x200)
#define SE_SERVICE_INVALID_PARAMETER (0x201)

#define SE_REVISION_MAX (80)

typedef struct {
    uint16_t service_id;
    uint16_t flags;
    uint16_t error_code; // transport code
    uint16_t padding;
} se_header_t;

typedef struct {
    se_header_t header;
    uint32_t revision_length;
    uint8_t revision[SE_REVISION_MAX]; // not NUL-terminated
    uint32_t error_code;               // service code
} se_revision_packet_t;

// The device data record, as the SE hands it over (SERVICES_version_data_t).
typedef struct {
    uint32_t revision_id; // SoC revision
    uint8_t version[4];
    uint8_t alif_pn[16]; // part number, ASCII, NUL-padded when shorter
    uint8_t hbk0[16];
    uint8_t hbk1[16];
    uint8_t hbk_fw[20];
    uint8_t config[4];
    uint8_t dcu[16];
    uint8_t mfg_data[32];
    uint8_t serial[8];
    uint8_t lcs; // lifecycle state
    uint8_t padding[3];
    uint32_t external_config[4]; // zero on parts without the alternative boot path
    uint32_t flags2;
} se_device_data_t;

typedef struct {
    se_header_t header;
    se_device_data_t data;
    uint32_t error_code; // service code
} se_device_data_packet_t;

// The seam to the MHU. The client copies each request into the shared buffer, rings the SE with
// the buffer's global address and waits for the SE to send that address back. The platform owns
// whatever the buffer needs to be seen by both sides (placement, cache clean and invalidate).
typedef struct {
    void *packet; // the shared buffer, 4-byte aligned
    size_t packet_size;
    uint32_t packet_global; // the buffer's address as the SE sees it
    // 0 once the SE has acknowledged the message, or a negative errno (-ALIF_EIO) when it did not.
    int (*send)(void *ctx, uint32_t message);
    // 0 with the SE's reply message, or a negative errno (-ALIF_ETIMEDOUT) when none came within
    // timeout_ns.
    int (*wait_reply)(void *ctx, uint32_t *message, uint64_t timeout_ns);
    void *ctx;
} se_mailbox_t;

// How long one service may take before the client gives up on it.
#define SE_SERVICE_TIMEOUT_NS (100 * 1000 * 1000ull)

typedef enum {
    SE_FAULT_NONE,
    SE_FAULT_PACKET_SIZE,      // the request does not fit the shared buffer
    SE_FAULT_NOT_ACKNOWLEDGED, // the SE did not take the message
    SE_FAULT_NO_REPLY,         // no reply within the time-out
    SE_FAULT_MALFORMED,        // the reply does not answer this request
    SE_FAULT_TRANSPORT,        // the reply's header carries a transport error
    SE_FAULT_SERVICE,          // the service ran and reported an error
} se_fault_t;

// What went wrong in a service call, enough to say so in a message.
typedef struct {
    uint16_t service_id;
    se_fault_t fault;
    int err;            // the negative errno the call returned
    uint32_t code;      // the SE's code (transport and service faults)
    const char *detail; // what was malformed
} se_error_t;

// Runs one service. packet is the whole request, header first and the service code last; it is
// copied into the shared buffer and the reply is copied back over it. 0, or a negative errno with
// *error filled in (error may be NULL):
//   -ALIF_EINVAL      the packet does not fit the shared buffer
//   -ALIF_EIO         not acknowledged; transport code SE_REQ_NOT_ACKNOWLEDGE or one the
//                     manual does not define; service code SE_SERVICE_FAIL or another failure
//   -ALIF_ETIMEDOUT   no reply within SE_SERVICE_TIMEOUT_NS; transport code SE_REQ_TIMEOUT
//   -ALIF_EIO         a reply about another packet or another service (MicroPython has no
//                     EPROTO; error->fault tells it apart)
//   -ALIF_EOPNOTSUPP  transport code SE_RESP_UNKNOWN_COMMAND
//   -ALIF_EINVAL      service code SE_SERVICE_INVALID_PARAMETER
int se_call(const se_mailbox_t *mailbox, uint16_t service_id, se_header_t *packet, size_t size,
            se_error_t *error);

// The SE firmware banner, NUL-terminated. Errors as se_call, and -ALIF_EIO for a length past
// SE_REVISION_MAX.
int se_get_revision(const se_mailbox_t *mailbox, char revision[SE_REVISION_MAX + 1],
                    se_error_t *error);

// The device data record. Errors as se_call.
int se_get_device_data(const se_mailbox_t *mailbox, se_device_data_t *data, se_error_t *error);

// The 64-bit unique device ID that Alif's library calls get_device_id64: the 40-bit EUI-64
// extension packed from the manufacturing data, then Alif's 24-bit organisation ID.
void se_device_id64(const se_device_data_t *data, uint8_t id[8]);

// "get SE revision", "get device data", or "unknown service".
const char *se_service_name(uint16_t service_id);

// The message for a failed call, naming the service, e.g.
// "SE service 'get device data' timed out: the SE did not answer in time (100 ms)".
void se_error_message(const se_error_t *error, char *buf, size_t len);

#endif // ALIF_SE_CLIENT_H
