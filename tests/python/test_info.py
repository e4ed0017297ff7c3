# SPDX-License-Identifier: MIT
# alif.info() through the Python API: each run in a process of its own, so that its output can
# be read whole and the simulated SE can be told to misbehave.
import errno

import alif
import child

INFO = """
import alif
print("BEGIN")
try:
    print("RETURNED", alif.info())
except OSError as e:
    print("OSError", e.args[0], e.args[-1])
"""


def info_output(**env):
    status, out = child.run(INFO, **env)
    assert status == 0, out
    assert out.startswith("BEGIN\n"), out
    return out[len("BEGIN\n") :]


def test_info_is_in_the_module():
    assert callable(alif.info)


def test_info_prints_readable_lines_then_the_record_and_returns_none():
    out = info_output(ALIF_BOARD="ALIF_ENSEMBLE")
    lines = out.splitlines()
    assert lines[0] == "SE revision:     SES B4 v1.107.0 (simulated)", lines
    assert lines[1] == "ALIF_PN:         AE722F80F55D5LS", lines
    assert lines[2] == "SoC revision:    B4 (0x0000b400)", lines
    assert lines[3] == "Serial number:   4d1e0793225ca108", lines
    assert lines[4] == "Lifecycle state: DM (device manufacture)", lines
    assert lines[5] == "Unique ID:       2ea4f6115a785994", lines
    assert lines[6] == "Device data (160 bytes):", lines
    dump = lines[7:-1]
    assert len(dump) == 10, dump
    for i, line in enumerate(dump):
        assert line.startswith("%04x:" % (16 * i)), line
        assert len(line.split()) == 17, line
    assert dump[0] == "0000: 00 b4 00 00 01 06 6b 00 41 45 37 32 32 46 38 30", dump
    assert lines[-1] == "RETURNED None", lines


def test_each_board_has_its_record():
    out = info_output(ALIF_BOARD="OPENMV_AE3")
    assert "ALIF_PN:         AE302F80F55D5AE\n" in out, out
    # Alif's tools know the E3 in revision B4 only (security toolkit, utils/featuresDB.db).
    assert "SoC revision:    B4 (0x0000b400)\n" in out, out
    assert "Lifecycle state: SE (secure enabled)\n" in out, out


def test_the_record_can_be_overridden():
    out = info_output(
        ALIF_SIM_SE_PN="AE101F4071542LH",
        ALIF_SIM_SE_SERIAL="0011223344556677",
        ALIF_SIM_SE_LCS="7",
        ALIF_SIM_SE_REVISION="SES Z9 v2.0.0",
    )
    assert "ALIF_PN:         AE101F4071542LH\n" in out, out
    assert "Serial number:   0011223344556677\n" in out, out
    assert "Lifecycle state: RMA (return merchandise)\n" in out, out
    assert "SE revision:     SES Z9 v2.0.0\n" in out, out


def test_each_fault_raises_oserror_naming_the_service_and_prints_nothing():
    for fault, errno_value, words in (
        ("timeout", errno.ETIMEDOUT, "did not answer in time"),
        ("error", errno.EIO, "failed"),
        # MicroPython has no EPROTO: a reply that makes no sense is an I/O error, named as such.
        ("malformed", errno.EIO, "malformed"),
    ):
        out = info_output(ALIF_SIM_SE_FAULT=fault)
        assert out.startswith("OSError %d SE service 'get SE revision'" % errno_value), out
        assert words in out, out
        assert len(out.splitlines()) == 1, out  # nothing half-done before it


def test_a_bad_fault_name_is_reported():
    out = info_output(ALIF_SIM_SE_FAULT="sometimes")
    assert out.startswith("OSError 22 "), out
    assert "ALIF_SIM_SE_FAULT" in out, out
