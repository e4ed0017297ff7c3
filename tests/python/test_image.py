# SPDX-License-Identifier: MIT
# The simulated board's image file and its knobs, from other processes: one process owns an image,
# a new image is whole before anyone maps it, a full disk is an OSError, every knob is parsed
# strictly, and a power cut ends the process as a board stops.
import os

import alif
import child
from expect import is_micropython, skip
from test_process import BRING_UP

BS = 4096
MIB = 1024 * 1024
EBUSY = 16
EINVAL = 22
ENAMETOOLONG = 36
POWER_CUT_EXIT_STATUS = 86


def new_image(name):
    path = child.scratch_dir() + "/" + name + ".img"
    try:
        os.remove(path)
    except OSError:
        pass
    return path


def oserror(out):
    """(errno, message) of the OSError a BRING_UP child printed."""
    assert out.startswith("OSError "), out
    number, message = out[len("OSError ") :].split(" ", 1)
    return int(number), message


def exit_status(status):
    return status >> 8 if status > 255 else status  # os.system gives a wait status


def test_every_bad_knob_value_is_oserror_naming_the_variable():
    # An empty ALIF_BOARD is the default board, for the flash and the SE alike (sim/boards.h).
    image = new_image("knobs")
    cases = (
        ("ALIF_BOARD", "NOPE"),
        ("ALIF_BOARD", "ALIF_ENSEMBLE "),
        ("ALIF_SIM_FLASH", ""),
        ("ALIF_SIM_FLASH", "W25Q999"),
        ("ALIF_SIM_STORAGE_BYTES", ""),
        ("ALIF_SIM_STORAGE_BYTES", "lots"),
        ("ALIF_SIM_STORAGE_BYTES", "4294971392"),  # wrapped to 4096 once
        ("ALIF_SIM_STORAGE_BYTES", "5000"),  # not whole blocks
        ("ALIF_SIM_STORAGE_BYTES", "-4096"),
        ("ALIF_SIM_STORAGE_BYTES", "33554432x"),
        ("ALIF_SIM_STORAGE_BYTES", "0"),
        ("ALIF_SIM_POWER_CUT", ""),
        ("ALIF_SIM_POWER_CUT", "0"),
        ("ALIF_SIM_POWER_CUT", "1e3"),
        ("ALIF_SIM_POWER_CUT", "99999999999999999999"),
        ("ALIF_FLASH_IMAGE", ""),
    )
    for name, value in cases:
        env = {"ALIF_FLASH_IMAGE": image}
        env[name] = value
        status, out = child.run(BRING_UP, **env)
        assert status == 0, out
        number, message = oserror(out)
        assert number == EINVAL and name in message, (name, value, out)


def test_storage_smaller_than_the_filesystem_region_is_refused():
    # 4096 once left a 16 MiB singleton writing past a 4 KiB storage region.
    status, out = child.run(
        BRING_UP,
        ALIF_BOARD="ALIF_ENSEMBLE",
        ALIF_SIM_STORAGE_BYTES="4096",
        ALIF_FLASH_IMAGE=new_image("tiny"),
    )
    assert status == 0, out
    number, message = oserror(out)
    assert number == EINVAL and "filesystem's 16777216" in message and "4096 bytes" in message, out


def test_image_path_too_long_is_enametoolong_and_touches_nothing():
    # A path of 4,095 characters that names an existing image, and the same with ".new": cut
    # short to 4,095, the second once opened (and grew) the first.
    base = child.scratch_dir() + "/long"
    component = "d" * 200
    victim = base
    while len(victim) + len(component) + 12 < 4095:
        victim += "/" + component
    victim += "/" + "v" * (4095 - len(victim) - 5) + ".img"
    assert len(victim) == 4095
    parent = victim.rsplit("/", 1)[0]
    path = ""
    for part in parent.split("/")[1:]:
        path += "/" + part
        try:
            os.mkdir(path)
        except OSError:
            pass
    with open(victim, "wb") as f:
        f.write(b"victim")
    status, out = child.run(BRING_UP, ALIF_FLASH_IMAGE=victim + ".new")
    assert status == 0, out
    number, message = oserror(out)
    assert number == ENAMETOOLONG and "ALIF_FLASH_IMAGE" in message, out
    with open(victim, "rb") as f:
        assert f.read() == b"victim"


POWER_CUT_WRITE = """
import alif
f = alif.Flash()
data = bytes((i * 7 + 3) & 0xff for i in range(4096))
assert f.ioctl(6, 3) == 0
assert f.writeblocks(3, data) == 0
print("not cut")
"""


def test_power_cut_ends_the_process_and_leaves_the_operation_part_done():
    image = new_image("cut")
    status, out = child.run(POWER_CUT_WRITE, ALIF_FLASH_IMAGE=image)
    assert status == 0 and "not cut" in out, out
    data = bytes((i * 7 + 3) & 0xFF for i in range(4096))
    # Cut 1: the erase of block 3, which held data. Cut 7: its sixth page program.
    for nth in (1, 7):
        status, out = child.run(POWER_CUT_WRITE, ALIF_FLASH_IMAGE=image, ALIF_SIM_POWER_CUT=str(nth))
        assert exit_status(status) == POWER_CUT_EXIT_STATUS, (status, out)
        assert "not cut" not in out, out
        with open(image, "rb") as f:
            f.seek(3 * BS)
            block = f.read(BS)
        if nth == 1:
            assert block != data and block != b"\xff" * BS
            assert all(b & d == d for b, d in zip(block, data))  # only bits set: part erased
        else:
            done = 5 * 256
            assert block[:done] == data[:done]
            page = block[done : done + 256]
            assert page != data[done : done + 256] and page != b"\xff" * 256
            assert block[done + 256 :] == b"\xff" * (BS - done - 256)
        # The next power-on finds the part and the rest of the image as they were.
        status, out = child.run(POWER_CUT_WRITE, ALIF_FLASH_IMAGE=image)
        assert status == 0 and "not cut" in out, out


# What follows needs subprocess (CPython): bytes in the environment, processes side by side.


def cpython_child(code, **env):
    """Starts code in a new interpreter with env added (values str or bytes)."""
    if is_micropython():
        skip("needs subprocess")
    import subprocess
    import sys

    full_env = {k.encode(): v.encode() for k, v in os.environ.items()}
    for k, v in env.items():
        full_env[k.encode()] = v if isinstance(v, bytes) else v.encode()
    full_env[b"PYTHONPATH"] = os.pathsep.join(sys.path).encode()
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=full_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def finish(proc, stdin=b""):
    out, _ = proc.communicate(stdin, timeout=120)
    return proc.returncode, out.decode(errors="replace")


def test_non_utf8_in_a_message_is_still_oserror():
    for env in (
        {"ALIF_BOARD": b"\xffBOARD", "ALIF_FLASH_IMAGE": new_image("u8")},
        {"ALIF_SIM_STORAGE_BYTES": b"4096\xfe", "ALIF_FLASH_IMAGE": new_image("u8")},
        {"ALIF_FLASH_IMAGE": b"/proc/no\xff/where.img"},
    ):
        status, out = finish(cpython_child(BRING_UP, **env))
        assert status == 0 and out.startswith("OSError "), out
        assert "\\xff" in out or "\\xfe" in out, out


HOLD = """
import sys
import alif
f = alif.Flash()
assert f.writeblocks(5, b"held" * 1024) == 0
print("holding", flush=True)
sys.stdin.read()
"""


def test_second_process_gets_oserror_naming_the_owner():
    image = new_image("owned")
    holder = cpython_child(HOLD, ALIF_FLASH_IMAGE=image)
    try:
        assert holder.stdout.readline().decode().strip() == "holding"
        status, out = finish(cpython_child(BRING_UP, ALIF_FLASH_IMAGE=image))
        assert status == 0, out
        number, message = oserror(out)
        assert number == 16 and str(holder.pid) in message, out  # EBUSY
    finally:
        status, out = finish(holder)
    assert status == 0, out
    # Once the owner is gone the image is anyone's, with what the owner wrote.
    status, out = finish(cpython_child(BRING_UP, ALIF_FLASH_IMAGE=image))
    assert status == 0 and out.startswith("len "), out
    with open(image, "rb") as f:
        f.seek(5 * BS)
        assert f.read(BS) == b"held" * 1024


RACE = """
import os, sys
import alif
print("ready", flush=True)
sys.stdin.readline()
try:
    f = alif.Flash()
except OSError as e:
    print("OSError", e.args[0], e.args[-1])
    raise SystemExit(0)
assert f.writeblocks(BLOCK, os.environ["MARKER"].encode() * 512) == 0
print("written", flush=True)
"""


def test_processes_starting_on_a_new_image_lose_no_write():
    # The filesystem region's last block on ALIF_ENSEMBLE: the one a process still filling a new
    # image reaches last of those another process may write.
    last = 16 * 1024 * 1024 // BS - 1
    code = RACE.replace("BLOCK", str(last))
    for attempt in range(4):
        image = new_image("race%d" % attempt)
        markers = ["writer%d " % n for n in range(3)]  # 8 bytes each
        procs = [
            cpython_child(code, ALIF_BOARD="ALIF_ENSEMBLE", ALIF_FLASH_IMAGE=image, MARKER=m)
            for m in markers
        ]
        for proc in procs:  # all started: now they go together
            assert proc.stdout.readline() == b"ready\n"
        for proc in procs:
            proc.stdin.write(b"go\n")
            proc.stdin.flush()
        writers = []
        for marker, proc in zip(markers, procs):
            status, out = finish(proc)
            assert status == 0, out
            if "written" in out:
                writers.append(marker)
            else:
                assert oserror(out)[0] == 16, out  # EBUSY: another process owned the image
        assert writers
        with open(image, "rb") as f:
            f.seek(last * BS)
            held = f.read(BS)
        # Whoever wrote last, their block is whole: no fill came after it.
        assert held in [(m.encode() * 512) for m in writers], held[:16]


FULL_DISK = """
import os, sys
import alif
try:
    alif.Flash()
    print("len")
except OSError as e:
    print("OSError", e.args[0], e.args[-1])
print("left", sorted(name for _, _, names in os.walk(sys.argv[1]) for name in names))
"""


def test_full_disk_is_oserror_and_leaves_no_image():
    if is_micropython():
        skip("needs subprocess")
    import subprocess
    import sys

    import shutil

    where = child.scratch_dir() + "/full"
    shutil.rmtree(where, ignore_errors=True)
    os.mkdir(where)
    env = dict(os.environ, ALIF_FLASH_IMAGE=where + "/sub/board.img", PYTHONPATH=os.pathsep.join(sys.path))
    try:
        namespaces = subprocess.run(["unshare", "-Urm", "true"], capture_output=True).returncode == 0
    except OSError:
        namespaces = False  # no unshare(1)
    if namespaces:
        # A 1 MiB filesystem of this process's own, where a 64 MiB image cannot fit: a full
        # disk as it is, ENOSPC.
        mount = 'mount -t tmpfs -o size=1m none "$1" && exec "$0" -c "$2" "$1"'
        argv = ["unshare", "-Urm", "sh", "-c", mount, sys.executable, where, FULL_DISK]
        expected, limit = 28, None
    else:
        # No namespaces here: a file size limit stands in for the full disk, EFBIG.
        import resource

        argv = [sys.executable, "-c", FULL_DISK, where]
        expected = 27

        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    done = subprocess.run(argv, env=env, capture_output=True, preexec_fn=limit)
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    assert done.returncode == 0, out  # no SIGBUS
    number, message = oserror(out.split("\n")[0])
    assert number == expected, out
    assert "left []" in out, out  # no image, whole or half made


def test_forked_process_cannot_write_the_owners_image():
    # Python's multiprocessing forks by default: the child inherits the owner's board, mapping and
    # lock. Two processes programming one flash turn each other's cleared bits back to 1, so the
    # child is refused (EBUSY) and the image stays the owner's.
    if not hasattr(os, "fork"):
        skip("needs os.fork")
    f = alif.Flash(start=29 * MIB, len=BS)
    mine = b"owner's " * 512
    assert f.ioctl(6, 0) == 0
    assert f.writeblocks(0, mine) == 0
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            result = [f.writeblocks(0, bytes(BS)), f.writeblocks(0, b"child's " * 512, 0), f.ioctl(6, 0)]
            try:
                alif.Flash()
                result.append("no error")
            except OSError as e:
                result.append((e.args[0], ("process %d" % os.getppid()) in e.args[-1]))
            os.write(w, repr(result).encode())
        finally:
            os._exit(0)
    os.close(w)
    out = b""
    chunk = os.read(r, 4096)
    while chunk:
        out += chunk
        chunk = os.read(r, 4096)
    os.close(r)
    os.waitpid(pid, 0)
    assert out.decode() == repr([-EBUSY, -EBUSY, -EBUSY, (EBUSY, True)]), out
    assert bytes(memoryview(f)) == mine
    # The owner keeps its image.
    assert f.writeblocks(0, b"again!!!" * 512) == 0
