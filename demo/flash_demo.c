// The main job until the Python API runs it: the flash stack on the simulated board, as a port
// would use it at boot. Each run leaves a record in the last block of the storage region, so
// the next run can show that it survived.
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alif_flash_port.h"
#include "sim_board.h"

#define RECORD_MAGIC "alif-demo run "

int main(void) {
    flash_storage_t *storage;
    const char *message;
    int ret = alif_flash_storage_get(&storage, &message);
    if (ret != 0) {
        fprintf(stderr, "flash: %s (%d)\n", message, ret);
        return 1;
    }
    sim_board_t *sb = sim_board_current();
    const nor_part_t *part = storage->nor->part;
    printf("board %s, flash %s (JEDEC %06" PRIx32 ", %" PRIu32 " MiB), 8D-8D-8D\n",
        sb->board->name, part->name, storage->nor->jedec_id, part->size >> 20);

    char err[160];
    flash_region_t fs, whole;
    flash_region_init(&fs, storage, -1, -1, err, sizeof(err));
    flash_region_init(&whole, storage, 0, -1, err, sizeof(err));
    char repr[64];
    flash_region_repr(&fs, repr, sizeof(repr));
    int64_t blocks, block_size;
    flash_region_ioctl(&fs, 4, 0, &blocks);
    flash_region_ioctl(&fs, 5, 0, &block_size);
    printf("singleton %s: %" PRId64 " blocks of %" PRId64 " bytes\n", repr, blocks, block_size);

    int64_t last_block;
    flash_region_ioctl(&whole, 4, 0, &last_block);
    last_block -= 1;
    uint8_t block[FLASH_BLOCK_SIZE];
    flash_region_readblocks(&whole, last_block, block, sizeof(block));
    unsigned run = 0;
    if (memcmp(block, RECORD_MAGIC, strlen(RECORD_MAGIC)) == 0) {
        sscanf((const char *)block + strlen(RECORD_MAGIC), "%u", &run);
        printf("a previous run left: \"%.40s\"\n", (const char *)block);
    } else {
        printf("no previous run found in block %" PRId64 " (a fresh image)\n", last_block);
    }

    memset(block, 0, sizeof(block));
    snprintf((char *)block, sizeof(block), RECORD_MAGIC "%u", run + 1);
    ret = flash_region_writeblocks(&whole, last_block, block, sizeof(block));
    uint8_t check[FLASH_BLOCK_SIZE];
    int read_ret = flash_region_readblocks(&whole, last_block, check, sizeof(check));
    bool same = ret == 0 && read_ret == 0 && memcmp(block, check, sizeof(block)) == 0;
    printf("wrote \"%s\" and read it back: %s\n", (const char *)block, same ? "same" : "DIFFERENT");

    const sim_nor_stats_t *stats = sim_nor_stats(sb->model);
    printf("simulated device: %" PRIu64 " erases, %" PRIu64 " page programs, %.3f ms busy+bus\n",
        stats->erases, stats->programs, sim_nor_now_ns(sb->model) / 1e6);
    return same ? 0 : 1;
}
