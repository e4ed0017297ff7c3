# SPDX-License-Identifier: MIT
# boot.py: mount the board's filesystem region with littlefs at /flash, making a fresh
# filesystem the first time (or when what is there is not littlefs).
import alif
import os
import vfs

flash = alif.Flash()
try:
    fs = vfs.VfsLfs2(flash)
except OSError:
    vfs.VfsLfs2.mkfs(flash)
    fs = vfs.VfsLfs2(flash)
vfs.mount(fs, "/flash")
os.chdir("/flash")
