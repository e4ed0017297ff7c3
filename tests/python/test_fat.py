# SPDX-License-Identifier: MIT
# FAT made and checked by the standard tools (dosfstools, mtools) on one side and moved through
# alif.Flash on the other, both ways. CPython only: it needs subprocess.
import os

import alif
from expect import is_micropython, skip

BS = 4096
FAT_BYTES = 1024 * 1024


def tools():
    """subprocess, or None where there is none (MicroPython)."""
    if is_micropython():
        return None
    import subprocess

    return subprocess


def sh(*argv, **kw):
    subprocess = tools()
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    return subprocess.run(argv, check=True, capture_output=True, env=env, **kw)


def image():
    return os.environ["ALIF_FLASH_IMAGE"]


def scratch(name):
    return os.path.join(os.path.dirname(image()), name)


def content(seed, n):
    return bytes((i * 31 + seed * 7 + (i >> 8)) & 0xFF for i in range(n))


def test_fat_from_mkfs_written_with_writeblocks_passes_fsck_and_mtools():
    if tools() is None:
        skip("needs subprocess")
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
    if tools() is None:
        skip("needs subprocess")
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
