// A client of the Secure Enclave's host services: the packet layouts and service IDs of the
// services alif.info() needs, and the exchange over the MHU mailbox, after Alif's SE Host
// Services API (v1.107) and its public services headers.
#ifndef ALIF_SE_SERVICES_H
#define ALIF_SE_SERVICES_H

#include <stddef.h>
#include <stdint.h>

// Service IDs, as the SE numbers them.
#define SE_SERVICE_FIRMWARE_VERSION (103)      // SERVICE_APPLICATION_FIRMWARE_VERSION_ID
#define SE_SERVICE_DEVICE_REVISION_DATA (208) // SERVICE_SYSTEM_MGMT_GET_DEVICE_REVISION_DATA

// Transport-level codes, in the header's error field.
#define SE_REQ_SUCCESS (0x00)
#define SE_REQ_NOT_ACKNOWLEDGE (0xff)
#define SE_REQ_TIMEOUT (0xfd)
#define SE_RESP_UNKNOWN_COMMAND (0xfc)
// Service-level codes, in each packet's trailing resp_error_code.
#define SE_SERVICE_SUCCESS (0x000)
#define SE_SERVICE_FAIL (0x200)
#define SE_SERVICE_INVALID_PARAMETER (0x201)

#define SE_REVISION_MAX (80)

typedef struct {
    uint16_t service_id;
    uint16_t flags;
    uint16_t error_code; // transport
    uint16_t padding;
} se_header_t;

typedef struct {
    se_header_t header;
    uint32_t revision_length;
    uint8_t revision[SE_REVISION_MAX];
    uint32_t error_code;
} se_revision_packet_t;

// The device data record is everything between the header and the error code.
typedef struct {
    se_header_t header;
    uint32_t revision_id;
    uint8_t version[4];
    uint8_t alif_pn[16];
    uint8_t hbk0[16];
    uint8_t hbk1[16];
    uint8_t hbk_fw[20];
    uint8_t config[4];
    uint8_t dcu[16];
    uint8_t mfg_data[32];
    uint8_t serial[8];
    uint8_t lcs;
    uint32_t error_code;
} se_device_data_packet_t;

#define SE_DEVICE_RECORD_OFFSET (offsetof(se_device_data_packet_t, revision_id))
#define SE_DEVICE_RECORD_SIZE (offsetof(se_device_data_packet_t, lcs) + 1 - SE_DEVICE_RECORD_OFFSET)

// The MHU seam: the SE reads and writes the packet in place, found by its global address.
typedef struct {
    void *packet;            // shared packet buffer, 4-byte aligned
    size_t packet_size;
    uint32_t packet_global;  // the buffer's address as the SE sees it
    // Rings the SE's doorbell with a message; 0, or -EIO when the SE did not acknowledge it.
    int (*send)(void *ctx, uint32_t message);
    // Waits for the SE's reply message; 0, or -ETIMEDOUT when none came within timeout_ns.
    int (*receive)(void *ctx, uint32_t *message, uint64_t timeout_ns);
    void *ctx;
} se_mailbox_t;

// How long a service may take before the client gives up.
#define SE_SERVICE_TIMEOUT_NS (100 * 1000000ull)

// Runs one service: the request packet (header filled in here) is copied into the shared buffer,
// sent, and the reply copied back. 0, or a negative errno for a transport failure (-EIO not
// acknowledged, -ETIMEDOUT, -ENOSYS unknown command, -EPROTO a reply that does not match the
// request) or a service failure (-EIO fail, -EINVAL invalid parameter).
int se_call(const se_mailbox_t *mailbox, uint16_t service_id, void *packet, size_t size);

// The services' names, for messages.
const char *se_service_name(uint16_t service_id);

int se_get_revision(const se_mailbox_t *mailbox, char revision[SE_REVISION_MAX + 1]);
int se_get_device_data(const se_mailbox_t *mailbox, se_device_data_packet_t *data);

// The 64-bit unique device ID: the EUI-64 extension packed from the manufacturing data, then
// Alif's organisational ID.
void se_device_id64(const se_device_data_packet_t *data, uint8_t id[8]);

#endif // ALIF_SE_SERVICES_H
