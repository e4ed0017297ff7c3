# SPDX-License-Identifier: MIT
# What needs a process of its own: persistence across runs, and boards that come up differently.
import child

BS = 4096
MIB = 1024 * 1024
BLOCK = (28 * MIB) // BS  # in the storage region, past every test's scratch area

def fresh_image(name):
    return child.scratch_dir() + "/" + name + ".img"


WRITE = """
import alif
f = alif.Flash(start=0)
assert f.writeblocks(%d, b"%s" * %d) == 0
print("written")
"""

READ = """
import alif
f = alif.Flash(start=0)
buf = bytearray(%d)
assert f.readblocks(%d, buf) == 0
print(bytes(buf[:8]))
"""


def test_data_persists_across_processes():
    # An image of their own: this process may own the test image (one process at a time).
    image = fresh_image("persist")
    for marker in (b"persist1", b"PERSIST2"):
        status, out = child.run(WRITE % (BLOCK, marker.decode(), BS // 8), ALIF_FLASH_IMAGE=image)
        assert status == 0 and "written" in out, out
        status, out = child.run(READ % (BS, BLOCK), ALIF_FLASH_IMAGE=image)
        assert status == 0, out
        assert marker.decode() in out, out


BRING_UP = """
import alif
try:
    f = alif.Flash()
    print("len", f.ioctl(4, 0) * 4096)
except OSError as e:
    print("OSError", e.args[0], e.args[-1])
"""


def test_each_board_has_its_filesystem_region():
    status, out = child.run(BRING_UP, ALIF_BOARD="OPENMV_AE3", ALIF_FLASH_IMAGE=fresh_image("ae3"))
    assert status == 0 and "len 8388608" in out, out
    status, out = child.run(BRING_UP, ALIF_BOARD="ALIF_ENSEMBLE", ALIF_FLASH_IMAGE=fresh_image("e7"))
    assert status == 0 and "len 16777216" in out, out
    status, out = child.run(
        BRING_UP, ALIF_BOARD="OPENMV_AE3", ALIF_SIM_FLASH="IS25WX256", ALIF_FLASH_IMAGE=fresh_image("ae3b")
    )
    assert status == 0 and "len 8388608" in out, out


def test_unknown_flash_part_is_oserror_enodev_with_its_id():
    status, out = child.run(BRING_UP, ALIF_SIM_FLASH="W25Q128", ALIF_FLASH_IMAGE=fresh_image("unknown"))
    assert status == 0, out
    assert "OSError 19 " in out, out  # ENODEV
    assert "ef 40 18" in out, out


def test_part_smaller_than_the_storage_region_comes_up_with_what_it_holds():
    # 64 MiB of storage over the 32 MiB MX25UM25645G: the board boots, as stock does.
    status, out = child.run(
        BRING_UP,
        ALIF_BOARD="OPENMV_AE3",
        ALIF_SIM_STORAGE_BYTES="67108864",
        ALIF_FLASH_IMAGE=fresh_image("small"),
    )
    assert status == 0 and "len 8388608" in out, out


def test_non_utf8_knob_is_still_oserror():
    # The message names the value, which is not UTF-8: it must not turn into UnicodeError.
    status, out = child.run(BRING_UP, ALIF_BOARD=b"\xffBOARD", ALIF_FLASH_IMAGE=fresh_image("u8"))
    assert status == 0 and out.startswith("OSError 22 "), out
    assert "\\xff" in out and "BOARD" in out, out
