# SPDX-License-Identifier: MIT
# The main job on the simulated board: what a MicroPython user sees on an Ensemble board, run
# here through the CPython binding (or MicroPython's unix port built with the module).
import alif

print("== alif.info()")
try:
    alif.info()
except OSError as e:
    print("alif.info() failed:", e)

fs = alif.Flash()
sim = alif._sim_counters()
print("\n== flash")
print("board %s, flash part %s (JEDEC ID %06x)" % (sim["board"], sim["flash"], sim["jedec_id"]))
print("singleton %r: %d blocks of %d bytes" % (fs, fs.ioctl(4, 0), fs.ioctl(5, 0)))

# A record in the last block of the storage region, past the filesystem, counts the runs.
storage = alif.Flash(start=0)
last = storage.ioctl(4, 0) - 1
view = memoryview(storage)
record = bytes(view[last * 4096 : last * 4096 + 32])
MAGIC = b"alif-demo run "
if record.startswith(MAGIC):
    run = int(record[len(MAGIC) :].split(b"\0")[0])
    print("a previous run left: %r" % record.split(b"\0")[0])
else:
    run = 0
    print("no previous run found (a fresh image)")

block = bytearray(4096)
text = MAGIC + str(run + 1).encode()
block[: len(text)] = text
before = alif._sim_counters()
assert storage.writeblocks(last, block) == 0
check = bytearray(4096)
assert storage.readblocks(last, check) == 0
after = alif._sim_counters()
print("wrote %r and read it back: %s" % (text, "same" if check == block else "DIFFERENT"))
print(
    "that took %d erase(s) and %d page program(s), %.3f ms of device time"
    % (
        after["erases"] - before["erases"],
        after["programs"] - before["programs"],
        (after["device_ns"] - before["device_ns"]) / 1e6,
    )
)
