// SPDX-License-Identifier: MIT
// alif_se_port.h on the Ensemble: the SE channel of the port's own SE services
// (ports/alif/se_services.c), through Alif's services library, which that file sets up at boot
// (se_services_init: the SESS MHU, its interrupt handlers, the library's packet buffer). So the
// firmware has one driver on the channel: the library sends each request, waits, and takes the
// reply through the port's handlers; se_client.c builds the requests and checks the replies, as
// it does on the host over ensemble/se_mhu.c.
//
// The mailbox is the library's own packet buffer. se_client.c writes the whole request there
// and SERVICES_send_request (services_host_handler.c) runs it. That is the call the library's
// SERVICES_get_se_revision and SERVICES_system_get_device_data make, without their unpacking:
// they copy a revision of whatever length the SE states into the caller's buffer, and hand over
// a record without its last 20 bytes (the external configuration and flags2), which alif.info()
// prints.
#include <stdbool.h>

#include "services_lib_api.h"
#include "services_lib_protocol.h"
#include "system_utils.h" // LocalToGlobal

#include "alif_errno.h"
#include "alif_lazy.h"
#include "alif_se_port.h"

// ports/alif/se_services.c registers the SESS MHU as the library's MHU 0, channel 0
// (MHU_SESS_MHU0); SERVICES_register_channel only computes the handle from the two.
#define ENSEMBLE_SESS_MHU (0)
#define ENSEMBLE_SESS_CHANNEL (0)

_Static_assert(sizeof(service_header_t) == sizeof(se_header_t), "the SE's packet header");

static se_mailbox_t ensemble_mailbox;
static alif_lazy_t ensemble_lazy;
static uint32_t ensemble_handle;
static bool ensemble_answered;

// The library returns the reply's transport code once the SE has answered (and has invalidated
// the buffer from the cache, so the header holds that code); its own code when it has not: not
// acknowledged, or no answer within its count (the header then still holds the request's 0).
static int ensemble_send(void *ctx, uint32_t message) {
    (void)ctx;
    (void)message; // the library sends its buffer's address, which is this mailbox's packet
    const volatile service_header_t *header = ensemble_mailbox.packet;
    uint32_t code = SERVICES_send_request(ensemble_handle, header->hdr_service_id, DEFAULT_TIMEOUT);
    ensemble_answered = code == header->hdr_error_code;
    return ensemble_answered || code != SERVICES_REQ_NOT_ACKNOWLEDGE ? 0 : -ALIF_EIO;
}

static int ensemble_wait_reply(void *ctx, uint32_t *message, uint64_t timeout_ns) {
    (void)ctx;
    (void)timeout_ns; // the library's own count, set by the port, bounds the wait
    *message = ensemble_mailbox.packet_global;
    return ensemble_answered ? 0 : -ALIF_ETIMEDOUT;
}

static int ensemble_se_set_up(void) {
    ensemble_handle = SERVICES_register_channel(ENSEMBLE_SESS_MHU, ENSEMBLE_SESS_CHANNEL);
    // A size of 0 clears nothing: this only asks where the buffer is.
    void *packet = (void *)SERVICES_prepare_packet_buffer(0);
    ensemble_mailbox = (se_mailbox_t){
        .packet = packet,
        .packet_size = SERVICES_MAX_PACKET_BUFFER_SIZE,
        .packet_global = LocalToGlobal(packet),
        .send = ensemble_send,
        .wait_reply = ensemble_wait_reply,
    };
    return 0;
}

int alif_se_mailbox_get(const se_mailbox_t **mailbox, const char **message) {
    int ret = alif_lazy(&ensemble_lazy, ensemble_se_set_up);
    *mailbox = &ensemble_mailbox;
    *message = "";
    return ret;
}
