# SPDX-License-Identifier: MIT
# Read a data blob kept in raw flash (a model, a font, a table) through the XIP window: no copy
# into RAM, no flash command, just memory.
#
# The blob lives in the storage region past the filesystem; it is written once with writeblocks
# and read as often as wanted through a memoryview.
import alif

BLOB_START = 16 * 1024 * 1024  # past the 16 MiB filesystem region of the E7 DevKit
MAGIC = b"BLOB"

region = alif.Flash(start=BLOB_START, len=64 * 1024)
view = memoryview(region)

if bytes(view[:4]) != MAGIC:
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
