# SPDX-License-Identifier: MIT
# FAT made and checked by the standard tools (dosfstools, mtools) on one side and moved through
# alif.Flash on the other, both ways. CPython only: it needs subprocess.
import os

import alif
from expect import is_micropython, skip

BS = 4096
FAT_BYTES = 1024 * 1024


# The host programs these tests run, with their Debian packages. Debian installs mkfs.fat and
# fsck.fat in /usr/sbin, which is not on a normal user's PATH: they are looked for there too.
TOOLS = {
    "mkfs.fat": "dosfstools",
    "fsck.fat": "dosfstools",
    "mcopy": "mtools",
    "mdir": "mtools",
    "mtype": "mtools",
}
SBIN = ("/usr/sbin", "/sbin")


def need_tools():
    """Skips the test, saying why, where subprocess or a host program is missing; where make
    test is the caller (ALIF_TEST_REQUIRE_TOOLS, it installs them), a missing program fails."""
    if is_micropython():
        skip("needs subprocess")
    for name in TOOLS:
        tool(name)


def tool(name):
    import shutil

    path = os.pathsep.join([os.environ.get("PATH", "")] + list(SBIN))
    found = shutil.which(name, path=path)
    if found is None:
        why = "needs %s (Debian package %s)" % (name, TOOLS[name])
        assert not os.environ.get("ALIF_TEST_REQUIRE_TOOLS"), why
        skip(why)
    return found


def sh(*argv, **kw):
    import subprocess

    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    return subprocess.run((tool(argv[0]),) + argv[1:], check=True, capture_output=True, env=env, **kw)


def image():
    return os.environ["ALIF_FLASH_IMAGE"]


def scratch(name):
    return os.path.join(os.path.dirname(image()), name)


def content(seed, n):
    return bytes((i * 31 + seed * 7 + (i >> 8)) & 0xFF for i in range(n))


def test_fat_from_mkfs_written_with_writeblocks_passes_fsck_and_mtools():
    need_tools()
    fat = scratch("mkfs.img")
    if os.path.exists(fat):
        os.remove(fat)
    sh("mkfs.fat", "-C", fat, str(FAT_BYTES // 1024))
    files = {"HELLO.TXT": b"hello from the host\n", "DATA.BIN": content(1, 10000)}
    for name, data in files.items():
        src = scratch(name)
        with open(src, "wb") as f:
            f.write(data)
        sh("mcopy", "-i", fat, src, "::" + name)
    with open(fat, "rb") as f:
        fat_bytes = f.read()
    flash = alif.Flash()
    for block in range(FAT_BYTES // BS):
        assert flash.writeblocks(block, fat_bytes[block * BS : (block + 1) * BS]) == 0
    # The simulator's own image file, as the flash holds it: the filesystem region starts at 0.
    sh("fsck.fat", "-n", image())
    listing = sh("mdir", "-b", "-i", image(), "::").stdout.decode()
    for name, data in files.items():
        assert name in listing, listing
        assert sh("mtype", "-i", image(), "::" + name).stdout == data


def test_files_put_on_with_mtools_read_back_through_readblocks():
    need_tools()
    flash = alif.Flash()
    fat = scratch("mkfs2.img")
    if os.path.exists(fat):
        os.remove(fat)
    sh("mkfs.fat", "-C", fat, str(FAT_BYTES // 1024))
    with open(fat, "rb") as f:
        fat_bytes = f.read()
    for block in range(FAT_BYTES // BS):
        assert flash.writeblocks(block, fat_bytes[block * BS : (block + 1) * BS]) == 0
    data = content(2, 6000)
    src = scratch("PUT.BIN")
    with open(src, "wb") as f:
        f.write(data)
    sh("mcopy", "-o", "-i", image(), src, "::PUT.BIN")
    # What the flash now holds, read only through the block device.
    read_back = bytearray(FAT_BYTES)
    assert flash.readblocks(0, read_back) == 0
    assert data in bytes(read_back)
    copy = scratch("readback.img")
    with open(copy, "wb") as f:
        f.write(read_back)
    sh("fsck.fat", "-n", copy)
    assert sh("mtype", "-i", copy, "::PUT.BIN").stdout == data


# Every part each board may carry (issue 8). The EM064LX holds 8 MiB: the board's storage
# region is cut to it, as a board built for that part would be.
PARTS = [
    ("ALIF_ENSEMBLE", "IS25WX512", None),
    ("OPENMV_AE3", "MX25UM25645G", None),
    ("OPENMV_AE3", "IS25WX256", None),
    ("OPENMV_AE3", "EM064LX", str(8 * 1024 * 1024)),
]


def child(board, part, storage, img, code):
    import subprocess
    import sys

    env = dict(os.environ, ALIF_BOARD=board, ALIF_SIM_FLASH=part, ALIF_FLASH_IMAGE=img)
    if storage:
        env["ALIF_SIM_STORAGE_BYTES"] = storage
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert out.returncode == 0, (part, out.stdout, out.stderr)
    return out.stdout


def fat_with_file(name, data):
    fat = scratch("tool.img")
    if os.path.exists(fat):
        os.remove(fat)
    sh("mkfs.fat", "-C", fat, str(FAT_BYTES // 1024))
    src = scratch(name)
    with open(src, "wb") as f:
        f.write(data)
    sh("mcopy", "-i", fat, src, "::" + name)
    with open(fat, "rb") as f:
        return f.read()


# The image file is the flash array in 1S order: a FAT made by the host tools and placed in it
# reads the same through readblocks and through the XIP view, on every part.
def test_tool_made_fat_in_the_image_reads_natural_on_every_part():
    need_tools()
    for board, part, storage in PARTS:
        data = content(5, 9000)
        fat = fat_with_file("TOOL.BIN", data)
        img = scratch("part-%s.img" % part)
        with open(img, "wb") as f:
            f.write(fat)
        code = (
            "import alif\n"
            "f = alif.Flash()\n"
            "fat = open(%r, 'rb').read()\n"
            "buf = bytearray(len(fat))\n"
            "assert f.readblocks(0, buf) == 0\n"
            "assert bytes(buf) == fat, 'readblocks'\n"
            "assert bytes(memoryview(f)[: len(fat)]) == fat, 'memoryview'\n"
            "print('ok')\n" % scratch("tool.img")
        )
        assert child(board, part, storage, img, code).strip() == b"ok"
        os.remove(img)


# And the reverse: written through writeblocks, read by mtools straight from the image file.
def test_fat_written_through_writeblocks_reads_with_mtools_on_every_part():
    need_tools()
    for board, part, storage in PARTS:
        data = content(6, 7000)
        fat_with_file("MOD.BIN", data)
        img = scratch("part-%s.img" % part)
        if os.path.exists(img):
            os.remove(img)
        code = (
            "import alif\n"
            "f = alif.Flash()\n"
            "fat = open(%r, 'rb').read()\n"
            "for b in range(len(fat) // 4096):\n"
            "    assert f.writeblocks(b, fat[b * 4096 : (b + 1) * 4096]) == 0\n"
            "print('ok')\n" % scratch("tool.img")
        )
        assert child(board, part, storage, img, code).strip() == b"ok"
        sh("fsck.fat", "-n", img)
        assert sh("mtype", "-i", img, "::MOD.BIN").stdout == data
        os.remove(img)
