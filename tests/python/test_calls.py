# SPDX-License-Identifier: MIT
# API.md, "Inside a call": a call runs to its end as one operation (a Ctrl-C or a scheduled
# callback that arrives between its steps waits until it has returned), and calls from several
# threads are serialised. The simulated board makes the events arrive mid-call
# (alif._sim_events); under MicroPython's unix port the threads have no GIL. Runs under pytest
# and under run_tests.py alike.
import os

import alif
import child
from test_flash import BS, MIB, pattern

BLOCKS = 64  # 256 KiB: two erase runs and 64 program steps, each followed by a between-steps


def region(n):
    """A region of its own for each test, past every scratch slot of test_flash.py."""
    return alif.Flash(start=26 * MIB + n * BLOCKS * BS, len=BLOCKS * BS)


def settle():
    # Where the interpreter handles what is pending (a backward jump), at the latest.
    for _ in range(100):
        pass


def test_ctrl_c_during_a_write_is_raised_after_it():
    f = region(0)
    assert f.writeblocks(0, bytes(BLOCKS * BS)) == 0  # so the next write erases every block
    data = pattern(BLOCKS * BS, 3)
    interrupted = False
    alif._sim_events(2, interrupt=True)  # after the first 128 KiB erase
    try:
        f.writeblocks(0, data)
        settle()
    except KeyboardInterrupt:
        interrupted = True
    # Raised, and only once the whole write was done: raised inside, it would have cut the write
    # short with 128 KiB erased and nothing programmed.
    assert interrupted
    assert bytes(memoryview(f)) == data


def test_scheduled_callback_that_copies_within_the_flash_runs_after_the_call():
    f, g = region(1), region(2)
    assert f.writeblocks(0, pattern(BLOCKS * BS, 5)) == 0
    assert g.writeblocks(0, pattern(BLOCKS * BS, 6)) == 0
    expected_f = bytes(memoryview(f)[BS : 33 * BS])
    expected_g = bytes(memoryview(g)[BS : 9 * BS])
    seen = []

    def callback(_):
        # Run inside the call, it would find the outer copy half done.
        seen.append(bytes(memoryview(f)[: 32 * BS]) == expected_f)
        # A copy within the flash of its own (as ROMFS, or a file from /rom, writes).
        seen.append(g.writeblocks(0, memoryview(g)[BS : 9 * BS]))

    alif._sim_events(3, callback=callback)
    # A copy within the flash onto an overlapping range.
    ret = f.writeblocks(0, memoryview(f)[BS : 33 * BS])
    settle()
    assert ret == 0
    assert seen == [True, 0], seen
    assert bytes(memoryview(f)[: 32 * BS]) == expected_f
    assert bytes(memoryview(g)[: 8 * BS]) == expected_g


def run_threads(worker, n):
    import _thread
    import time

    lock = _thread.allocate_lock()
    results = {}

    def run(i):
        try:
            result = worker(i)
        except Exception as e:
            result = repr(e)
        with lock:
            results[i] = result

    for i in range(n):
        _thread.start_new_thread(run, (i,))
    for _ in range(3000):
        with lock:
            if len(results) == n:
                break
        time.sleep(0.01)
    return [results.get(i, "did not finish") for i in range(n)]


def test_threads_writing_at_once_each_keep_their_bytes():
    def worker(i):
        f = region(3 + i)
        mine = pattern(8 * BS, 40 + i)
        for r in range(6):
            # Simple and extended forms, reads and erases, interleaved with the other threads.
            if f.writeblocks(r, mine) != 0 or f.ioctl(6, r + 8) != 0:
                return "write failed"
            if f.writeblocks(r + 8, mine[:100], 7) != 0:
                return "extended write failed"
            back = bytearray(8 * BS)
            if f.readblocks(r, back) != 0 or back != mine:
                return "read back wrong"
        return "ok"

    assert run_threads(worker, 4) == ["ok"] * 4


RACE = """
import _thread, time, alif
lock = _thread.allocate_lock()
got = []
def first_use(i):
    try:
        f = alif.Flash()
        r = (f.ioctl(4, 0), id(f))
    except Exception as e:
        r = repr(e)
    with lock:
        got.append(r)
for i in range(8):
    _thread.start_new_thread(first_use, (i,))
for _ in range(1000):
    with lock:
        if len(got) == 8:
            break
    time.sleep(0.01)
try:
    after = repr(alif.Flash().ioctl(4, 0))
except Exception as e:
    after = repr(e)
print(len(set(got)), got[0], after)
"""


def test_racing_first_uses_bring_the_flash_up_once():
    image = child.scratch_dir() + "/race.img"
    for attempt in range(4):
        try:
            os.remove(image)
        except OSError:
            pass
        status, out = child.run(RACE, ALIF_FLASH_IMAGE=image)
        words = out.split()
        # Every thread got the one singleton, and the process can still use it.
        assert status == 0 and words[0] == "1" and "Error" not in out, (attempt, out)
    os.remove(image)
