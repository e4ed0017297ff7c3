# SPDX-License-Identifier: MIT
# alif.Flash against ../shared/spec/API.md, row by row. Plain functions and asserts, so pytest
# runs them and so does run_tests.py under MicroPython's unix port.
import array
import os

import alif
from expect import raises, message

BS = 4096
MIB = 1024 * 1024
FS_BYTES = {"ALIF_ENSEMBLE": 16 * MIB, "OPENMV_AE3": 8 * MIB}


def board():
    return os.getenv("ALIF_BOARD") or "ALIF_ENSEMBLE"


def storage_len():
    return alif.Flash(start=0).ioctl(4, 0) * BS


def scratch(slot, blocks=16):
    """A region of its own for each test, past every board's filesystem region, erased."""
    f = alif.Flash(start=20 * MIB + slot * 32 * BS, len=blocks * BS)
    for b in range(blocks):
        assert f.ioctl(6, b) == 0
    return f


def commands():
    return alif._sim_counters()["commands"]


def pattern(n, seed):
    out = bytearray(n)
    x = seed
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out[i] = (x >> 16) & 0xFF
    return out


def test_module_has_flash():
    assert hasattr(alif, "Flash")


def test_constructor_arguments_are_keyword_only():
    raises(TypeError, alif.Flash, 0)
    raises(TypeError, alif.Flash, 0, BS)
    raises(TypeError, alif.Flash, -1, -1)


def test_constructor_arguments_must_be_ints():
    raises(TypeError, alif.Flash, start="0")
    raises(TypeError, alif.Flash, len=4096.0)
    raises(TypeError, alif.Flash, start=None)
    raises(TypeError, alif.Flash, len=b"\x00")


def test_singleton_covers_the_filesystem_region():
    fs = alif.Flash()
    assert fs is alif.Flash()
    assert alif.Flash(start=-1, len=-1) is fs
    assert alif.Flash(start=-1) is fs
    assert alif.Flash(len=-1) is fs
    assert alif.Flash(start=0) is not fs
    assert fs.ioctl(4, 0) * BS == FS_BYTES[board()]
    assert repr(fs) == "Flash(start=0, len=%d)" % FS_BYTES[board()]


def test_storage_region_is_32_mib():
    assert storage_len() == 32 * MIB


def test_start_must_be_a_block_multiple_inside_storage():
    size = storage_len()
    for bad in (1, BS - 1, BS + 1, -2, -BS, size, size + BS, 2**40, 2**80, -(2**80)):
        e = raises(ValueError, alif.Flash, start=bad)
        assert "start" in message(e), message(e)
        assert "4096" in message(e), message(e)


def test_len_must_be_a_positive_block_multiple_that_fits():
    size = storage_len()
    for start, bad in ((0, 0), (0, -2), (0, 100), (0, BS + 1), (0, size + BS), (BS, size), (0, 2**80)):
        e = raises(ValueError, alif.Flash, start=start, len=bad)
        assert "len" in message(e), message(e)
    e = raises(ValueError, alif.Flash, len=-(2**80))
    assert "len" in message(e)


def test_defaults_and_repr_of_other_regions():
    size = storage_len()
    assert repr(alif.Flash(start=BS)) == "Flash(start=4096, len=%d)" % (size - BS)
    assert repr(alif.Flash(len=2 * BS)) == "Flash(start=0, len=8192)"
    assert repr(alif.Flash(start=size - BS)) == "Flash(start=%d, len=4096)" % (size - BS)
    assert repr(alif.Flash(start=0, len=size)) == "Flash(start=0, len=%d)" % size
    assert alif.Flash(start=BS).ioctl(4, 0) == size // BS - 1


def test_simple_write_then_read():
    f = scratch(0)
    data = pattern(2 * BS, 1)
    assert f.writeblocks(1, data) == 0
    buf = bytearray(2 * BS)
    assert f.readblocks(1, buf) == 0
    assert buf == data
    blank = bytearray(BS)
    assert f.readblocks(0, blank) == 0
    assert blank == b"\xff" * BS
    assert f.readblocks(3, blank) == 0
    assert blank == b"\xff" * BS


def test_simple_write_replaces_whatever_was_there():
    f = scratch(1)
    first = pattern(BS, 2)
    second = bytes(255 - b for b in first)  # every 0 bit of first is a 1 here
    assert f.writeblocks(0, first) == 0
    assert f.writeblocks(0, second) == 0
    buf = bytearray(BS)
    f.readblocks(0, buf)
    assert buf == second


def test_simple_write_erases_only_when_it_must():
    f = scratch(2)
    data = b"\xf0" * BS
    before = alif._sim_counters()
    assert f.writeblocks(0, data) == 0  # onto blank flash: programming alone
    assert f.writeblocks(0, data) == 0  # the same bytes: nothing at all
    assert f.writeblocks(0, b"\x30" * BS) == 0  # only clears bits
    after = alif._sim_counters()
    assert after["erases"] == before["erases"]
    assert f.writeblocks(0, b"\x0f" * BS) == 0  # needs bits back
    assert alif._sim_counters()["erases"] == before["erases"] + 1


def test_extended_read_any_offset_and_length():
    f = scratch(3)
    data = pattern(2 * BS, 3)
    f.writeblocks(0, data)
    for block, offset, n in ((0, 1, 1), (0, 1001, 37), (1, 4095, 1), (0, 4090, 13), (0, BS + 7, 5)):
        buf = bytearray(n)
        assert f.readblocks(block, buf, offset) == 0
        start = block * BS + offset
        assert buf == data[start : start + n]


def test_extended_write_programs_without_erasing():
    f = scratch(4)
    before = alif._sim_counters()["erases"]
    assert f.writeblocks(0, b"\xf0" * 7, 4093) == 0  # odd offset, odd length, across blocks
    assert f.writeblocks(0, b"\x3c" * 7, 4093) == 0
    assert alif._sim_counters()["erases"] == before
    buf = bytearray(9)
    f.readblocks(0, buf, 4092)
    assert buf == b"\xff" + b"\x30" * 7 + b"\xff"
    # Single bytes at odd and even offsets, and lengths that are not multiples of 2 or 4.
    assert f.writeblocks(2, b"\x12", 7) == 0
    assert f.writeblocks(2, b"\x34", 8) == 0
    assert f.writeblocks(2, b"abc", 301) == 0
    buf = bytearray(4)
    f.readblocks(2, buf, 6)
    assert buf == b"\xff\x12\x34\xff"
    buf = bytearray(3)
    f.readblocks(2, buf, 301)
    assert buf == b"abc"
    assert alif._sim_counters()["protocol_errors"] == 0


def test_erase_then_extended_write():
    f = scratch(5)
    f.writeblocks(0, bytes(BS))
    assert f.ioctl(6, 0) == 0
    buf = bytearray(BS)
    f.readblocks(0, buf)
    assert buf == b"\xff" * BS
    assert f.writeblocks(0, b"hello", 100) == 0
    buf = bytearray(5)
    f.readblocks(0, buf, 100)
    assert buf == b"hello"


def test_ioctl_table():
    f = scratch(6, blocks=3)
    assert f.ioctl(1, 0) == 0
    assert f.ioctl(2, 0) == 0
    assert f.ioctl(3, 0) == 0
    assert f.ioctl(4, 0) == 3
    assert f.ioctl(5, 0) == 4096
    for other in (0, 7, 8, 100, -1, 2**70):
        assert f.ioctl(other, 0) is None


def test_erase_outside_the_region_is_einval_and_touches_nothing():
    whole = alif.Flash(start=0)
    f = alif.Flash(start=20 * MIB + 7 * 32 * BS + BS, len=2 * BS)
    whole_block = (20 * MIB + 7 * 32 * BS) // BS
    whole.writeblocks(whole_block, bytes(4 * BS))  # the region and a block either side
    before = commands()
    for arg in (-1, 2, 3, 2**70, -(2**70)):
        assert f.ioctl(6, arg) == -22
    assert commands() == before
    buf = bytearray(4 * BS)
    whole.readblocks(whole_block, buf)
    assert buf == bytes(4 * BS)


def test_rejected_calls_return_einval_and_touch_nothing():
    whole = alif.Flash(start=0)
    f = alif.Flash(start=20 * MIB + 8 * 32 * BS + BS, len=2 * BS)
    whole_block = (20 * MIB + 8 * 32 * BS) // BS
    whole.writeblocks(whole_block, bytes(4 * BS))
    # A view of just these blocks: on 32-bit MicroPython (the boards) a memoryview slice may not
    # start 16 MiB or more into its object.
    view = memoryview(alif.Flash(start=whole_block * BS, len=4 * BS))
    snapshot = bytes(view)
    before = commands()
    cases = (
        (-1, BS, None),
        (0, 3 * BS, None),  # past the end
        (1, 2 * BS, None),
        (2, BS, None),
        (2**70, BS, None),
        (0, 100, None),  # not whole blocks
        (0, BS + 1, None),
        (0, 1, -1),
        (0, 1, 2**70),
        (-1, 1, BS),
        (1, 2, BS - 1),  # one byte past the end
        (0, 1, 2 * BS),
        (2, 1, 0),
    )
    for block, n, offset in cases:
        buf = bytearray(b"\x5a" * n)
        if offset is None:
            assert f.readblocks(block, buf) == -22, (block, n)
            assert f.writeblocks(block, buf) == -22, (block, n)
        else:
            assert f.readblocks(block, buf, offset) == -22, (block, n, offset)
            assert f.writeblocks(block, buf, offset) == -22, (block, n, offset)
        assert buf == b"\x5a" * n
    assert commands() == before
    assert bytes(view) == snapshot


def test_zero_length_inside_the_region():
    f = scratch(9, blocks=2)
    before = commands()
    assert f.readblocks(0, bytearray(0)) == 0
    assert f.writeblocks(1, b"") == 0
    assert f.readblocks(1, bytearray(0), 100) == 0
    assert f.writeblocks(0, b"", 4095) == 0
    assert commands() == before


def test_buffer_kinds():
    f = scratch(10)
    data = pattern(BS, 4)
    assert f.writeblocks(0, bytes(data)) == 0
    assert f.writeblocks(1, memoryview(data)) == 0
    assert f.writeblocks(2, array.array("B", data)) == 0
    assert f.writeblocks(3, data) == 0
    for buf in (bytearray(BS), memoryview(bytearray(BS)), array.array("B", bytes(BS))):
        for block in range(4):
            assert f.readblocks(block, buf) == 0
            assert bytes(buf) == data
    words = array.array("I", [0] * (BS // 4))
    assert f.readblocks(0, words) == 0
    assert bytes(words) == data


def test_bad_argument_types():
    f = scratch(11, blocks=1)
    raises(TypeError, f.readblocks, 0, b"read-only bytes")
    raises(TypeError, f.readblocks, 0, memoryview(b"read-only"))
    raises(TypeError, f.readblocks, 0, "text")
    raises(TypeError, f.readblocks, 0, None)
    raises(TypeError, f.writeblocks, 0, "text")
    raises(TypeError, f.writeblocks, 0, 1234)
    raises(TypeError, f.writeblocks, 0, None)
    raises(TypeError, f.readblocks, "0", bytearray(BS))
    raises(TypeError, f.readblocks, 0.0, bytearray(BS))
    raises(TypeError, f.writeblocks, None, bytes(BS))
    raises(TypeError, f.readblocks, 0, bytearray(1), 1.5)
    raises(TypeError, f.writeblocks, 0, b"x", "1")


def test_memoryview_is_a_read_only_zero_copy_view():
    f = scratch(12, blocks=4)
    before = commands()
    view = memoryview(f)
    assert len(view) == 4 * BS
    if hasattr(view, "readonly"):  # CPython exposes these; MicroPython has no such attributes
        assert view.readonly
        assert view.format == "B"
    assert bytes(view[:4]) == b"\xff" * 4
    assert sum(view[100:200]) == 100 * 255
    assert commands() == before  # no flash command to make the view or to read through it


def test_memoryview_shows_later_writes():
    f = scratch(13, blocks=2)
    view = memoryview(f)
    f.writeblocks(1, b"\x42" * BS)
    assert view[BS] == 0x42
    assert bytes(memoryview(f)[BS : BS + 2]) == b"\x42\x42"
    f.ioctl(6, 1)
    assert view[BS] == 0xFF
    f.writeblocks(0, b"new", 10)
    assert bytes(view[10:13]) == b"new"


def test_memoryview_cannot_be_written():
    f = scratch(14, blocks=1)
    view = memoryview(f)

    def store():
        view[0] = 0

    raises(TypeError, store)
    assert view[0] == 0xFF


def test_no_writable_buffer_is_given_out():
    # Reading blocks into a Flash object asks it for a writable buffer, which it refuses.
    source = scratch(17, blocks=1)
    target = scratch(18, blocks=1)
    raises(TypeError, source.readblocks, 0, target)
    raises(TypeError, source.readblocks, 0, target, 0)
    assert memoryview(target)[0] == 0xFF


def test_memoryview_outlives_its_object():
    view = memoryview(alif.Flash(start=20 * MIB + 15 * 32 * BS, len=BS))
    import gc

    gc.collect()
    alif.Flash(start=20 * MIB + 15 * 32 * BS, len=BS).writeblocks(0, b"\x99" * BS)
    assert view[0] == 0x99


def test_overlapping_regions_see_the_same_bytes():
    a = scratch(16, blocks=4)
    b = alif.Flash(start=20 * MIB + 16 * 32 * BS + 2 * BS, len=4 * BS)
    a.writeblocks(3, b"\x77" * BS)
    buf = bytearray(BS)
    assert b.readblocks(1, buf) == 0
    assert buf == b"\x77" * BS
    b.writeblocks(0, b"\x11" * BS)
    a.readblocks(2, buf)
    assert buf == b"\x11" * BS
    assert memoryview(a)[2 * BS] == memoryview(b)[0]


def check_copy_from_view(f, block_num, src, length, offset=None):
    """Writes from memoryview(f)[src:src+length] and checks the result is as if it had been copied
    first: the bytes themselves (simple form), or old & source (extended form)."""
    before = bytes(memoryview(f))
    source = before[src : src + length]
    view = memoryview(f)[src : src + length]
    if offset is None:
        assert f.writeblocks(block_num, view) == 0
        dst = block_num * BS
        expected = before[:dst] + source + before[dst + length :]
    else:
        assert f.writeblocks(block_num, view, offset) == 0
        dst = block_num * BS + offset
        anded = bytes(a & b for a, b in zip(before[dst : dst + length], source))
        expected = before[:dst] + anded + before[dst + length :]
    after = bytes(memoryview(f))
    assert after == expected, (block_num, src, length, offset)


def test_simple_write_from_a_view_of_the_flash_is_a_copy():
    f = scratch(20, 8)
    for src, block_num, length in (
        (0, 1, 2 * BS),  # the issue's case: block 2 kept block 1's old bytes
        (100, 0, BS),  # the case: 3,996 bytes left erased
        (BS + 7, 0, 3 * BS),  # source ahead, unaligned
        (0, 2, 3 * BS),  # source behind
        (5, 1, 2 * BS),  # source behind, unaligned
        (3 * BS, 3, BS),  # source on itself
        (6 * BS, 0, 2 * BS),  # no overlap
    ):
        assert f.writeblocks(0, pattern(8 * BS, src + block_num)) == 0
        check_copy_from_view(f, block_num, src, length)


def test_extended_write_from_a_view_of_the_flash_is_a_copy():
    f = scratch(21, 8)
    for src, block_num, offset, length in (
        (0, 0, 300, 5000),  # destination ahead of the source
        (300, 0, 0, 5000),  # source ahead
        (BS - 1, 1, 1, 2 * BS + 3),
        (2 * BS + 9, 0, 17, 3 * BS),
    ):
        assert f.writeblocks(0, pattern(8 * BS, src + offset)) == 0
        check_copy_from_view(f, block_num, src, length, offset)


def test_ioctl_reads_arg_only_for_the_erase():
    # As the stock port's ioctl: ioctl(4, None) is the block count, whatever arg is.
    f = scratch(24, blocks=3)
    for arg in (None, "x", 1.5, b""):
        assert f.ioctl(4, arg) == 3
        assert f.ioctl(5, arg) == 4096
        for cmd in (1, 2, 3):
            assert f.ioctl(cmd, arg) == 0
        assert f.ioctl(99, arg) is None
    raises(TypeError, f.ioctl, 6, None)
    raises(TypeError, f.ioctl, None, 0)
