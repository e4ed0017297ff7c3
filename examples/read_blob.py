# SPDX-License-Identifier: MIT
# Read a data blob kept in raw flash (a model, a font, a table) through the XIP window: no copy
# into RAM, no flash command, just memory.
#
# The blob lives in the last 64 KiB of the storage region, past the filesystem region; it is
# written once with writeblocks, only where those blocks are blank, and read as often as wanted
# through a memoryview. On both boards that end of the storage region belongs to the ROMFS
# segment too (docs/API.md): a ROMFS image that reaches it is never overwritten, and this
# script then stops.
import alif

BLOB_LEN = 64 * 1024
MAGIC = b"BLOB"

storage_len = alif.Flash(start=0).ioctl(4, None) * 4096
region = alif.Flash(start=storage_len - BLOB_LEN, len=BLOB_LEN)
view = memoryview(region)

if bytes(view[:4]) != MAGIC:
    if any(b != 0xFF for b in view[:4096]):
        raise OSError("the last 64 KiB of the storage region hold other data: not writing there")
    # First run: put a blob there (length-prefixed), a whole block at a time.
    payload = bytes(range(256)) * 8
    block = bytearray(b"\xff" * 4096)
    block[0:4] = MAGIC
    block[4:8] = len(payload).to_bytes(4, "little")
    block[8 : 8 + len(payload)] = payload
    region.writeblocks(0, block)

length = int.from_bytes(view[4:8], "little")
blob = view[8 : 8 + length]  # still no copy: a slice of the XIP window
print("blob of", length, "bytes; first bytes", bytes(blob[:8]), "sum", sum(blob))
