# SPDX-License-Identifier: MIT
# What the stock port's own modules read from alif: usb_msc, which its _boot.py uses to choose FAT
# (shared with the USB drive) over littlefs.
import alif
import child

USB_MSC = """
import alif
print("usb_msc", getattr(alif, "usb_msc", "absent"))
"""


def test_usb_msc_is_true_as_in_the_stock_module():
    assert alif.usb_msc is True


def test_every_simulated_board_has_a_usb_drive():
    # Both real boards set MICROPY_HW_USB_MSC on their HP core (mpconfigboard.h).
    for board in ("ALIF_ENSEMBLE", "OPENMV_AE3"):
        status, out = child.run(USB_MSC, ALIF_BOARD=board)
        assert status == 0, out
        assert out == "usb_msc True\n", (board, out)


# What the stock _boot.py does on a board, in short: the filesystem region as alif.Flash(), made
# into a filesystem where there is none, mounted, used. littlefs under MicroPython; CPython has no
# vfs, so there the block device is checked alone.
BOOT = """
import alif
f = alif.Flash()
n = f.ioctl(4, 0)
try:
    alif.Flash(start=n * 4096)
    past = "reached"
except ValueError:
    past = "refused"
try:
    import vfs
    vfs.VfsLfs2.mkfs(f)
    vfs.mount(vfs.VfsLfs2(f), "/flash")
    with open("/flash/boot.txt", "w") as out:
        out.write("booted")
    vfs.umount("/flash")
    vfs.mount(vfs.VfsLfs2(f), "/flash")
    with open("/flash/boot.txt") as back:
        mounted = back.read()
except ImportError:
    block = b"booted" * 682 + b"...."
    f.writeblocks(n - 1, block)
    mounted = bytes(memoryview(f)[-4096:-4090]).decode()
print(n * 4096, past, mounted, alif._sim_counters()["flash"])
"""


def test_em064lx_on_openmv_ae3_boots_and_mounts_its_filesystem():
    # The board's own 32 MiB storage figure (mpconfigboard.h) over the 8 MiB part: stock firmware
    # boots there; so does this one, and nothing past the part is reachable.
    image = child.scratch_dir() + "/em064lx-boot.img"
    status, out = child.run(BOOT, ALIF_BOARD="OPENMV_AE3", ALIF_SIM_FLASH="EM064LX",
                            ALIF_FLASH_IMAGE=image)
    assert status == 0, out
    assert out == "8388608 refused booted EM064LX\n", out
    import os

    os.remove(image)
