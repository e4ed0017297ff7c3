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
