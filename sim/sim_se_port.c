// SPDX-License-Identifier: MIT
// alif_se_port.h on the host: the process's simulated SE behind the MHU register model, reached
// through the target's own MHU driver, as alif.info() reaches the real SE.
#include <stdio.h>

#include "alif_errno.h"
#include "alif_lazy.h"
#include "alif_se_port.h"
#include "se_mhu.h"
#include "sim_mhu.h"
#include "sim_se.h"

static sim_se_t process_se;
static se_mhu_t process_mhu;
static se_mailbox_t process_mailbox;
static alif_lazy_t process_se_lazy;
static char process_se_message[160];

static int open_process_se(void) {
    sim_se_config_t config;
    sim_se_config_from_env(&config);
    int ret = sim_se_open(&process_se, &config, process_se_message, sizeof(process_se_message));
    if (ret != 0) {
        return ret;
    }
    sim_mhu_t *mhu = sim_mhu_new(&process_se); // lives as long as the process
    if (mhu == NULL) {
        snprintf(process_se_message, sizeof(process_se_message), "out of memory");
        return -ALIF_ENOMEM;
    }
    sim_mhu_driver_config(mhu, &process_mhu);
    se_mhu_mailbox(&process_mhu, process_se.mailbox.packet, process_se.mailbox.packet_size,
                   process_se.mailbox.packet_global, &process_mailbox);
    return 0;
}

int alif_se_mailbox_get(const se_mailbox_t **mailbox, const char **message) {
    int ret = alif_lazy(&process_se_lazy, open_process_se);
    *mailbox = ret == 0 ? &process_mailbox : NULL;
    *message = process_se_message;
    return ret;
}
