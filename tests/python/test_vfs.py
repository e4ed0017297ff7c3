# SPDX-License-Identifier: MIT
# littlefs and FAT through MicroPython's vfs on alif.Flash: made, mounted, written, read,
# unmounted and mounted again. MicroPython only: CPython has no vfs module.
import alif
from expect import skip

BS = 4096
MIB = 1024 * 1024


def vfs_module():
    try:
        import vfs

        return vfs
    except ImportError:
        return None


def round_trip(vfs, fs_class, device, name):
    fs_class.mkfs(device)
    vfs.mount(fs_class(device), "/t")
    with open("/t/" + name, "w") as f:
        f.write("written through %s\n" % name)
    with open("/t/" + name) as f:
        assert f.read() == "written through %s\n" % name
    vfs.umount("/t")
    vfs.mount(fs_class(device), "/t")
    with open("/t/" + name) as f:
        assert f.read() == "written through %s\n" % name
    vfs.umount("/t")


def test_littlefs_on_the_singleton_and_on_a_region():
    vfs = vfs_module()
    if vfs is None or not hasattr(vfs, "VfsLfs2"):
        skip("no vfs.VfsLfs2 here")
    round_trip(vfs, vfs.VfsLfs2, alif.Flash(), "lfs-singleton.txt")
    round_trip(vfs, vfs.VfsLfs2, alif.Flash(start=24 * MIB, len=MIB), "lfs-region.txt")


def test_fat_on_the_singleton_and_on_a_region():
    vfs = vfs_module()
    if vfs is None or not hasattr(vfs, "VfsFat"):
        skip("no vfs.VfsFat here")
    round_trip(vfs, vfs.VfsFat, alif.Flash(), "fat-singleton.txt")
    round_trip(vfs, vfs.VfsFat, alif.Flash(start=25 * MIB, len=MIB), "fat-region.txt")
