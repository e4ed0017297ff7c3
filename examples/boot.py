# SPDX-License-Identifier: MIT
# boot.py: mounts the board's filesystem region at /flash, as littlefs or FAT, whichever it
# holds, unless something (the stock frozen _boot.py) has mounted it already. Only a blank region,
# never written, gets a fresh littlefs: a region that holds anything else is left alone, since
# reformatting it would lose whatever files it has.
import alif
import os
import vfs


def mounted(path):
    try:
        os.stat(path)
        return True
    except OSError:
        return False


def blank(flash, blocks=2):
    view = memoryview(flash)
    return all(b == 0xFF for b in view[: blocks * 4096])


if not mounted("/flash"):
    flash = alif.Flash()
    for kind in (vfs.VfsLfs2, vfs.VfsFat):
        try:
            vfs.mount(kind(flash), "/flash")
            break
        except OSError:
            pass
    else:
        if not blank(flash):
            raise OSError("/flash holds neither littlefs nor FAT: not reformatting it")
        vfs.VfsLfs2.mkfs(flash)
        vfs.mount(vfs.VfsLfs2(flash), "/flash")
    os.chdir("/flash")
