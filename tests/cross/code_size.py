# SPDX-License-Identifier: MIT
# Code and RAM on the target, as the firmware would link them: a relocatable link of the
# cross-built portable and driver objects (core/, ensemble/) with --gc-sections, rooted at the
# functions each path's callers use (the MicroPython binding and the alif_port/ glue), so that code
# nobody calls drops as it does in the firmware. Text is code and read-only data (.text, .rodata);
# RAM is .bss and .data. C library and MicroPython functions stay undefined, and the binding and
# alif_port/ are not counted (they are measured by hand in the firmware, README), as the stock
# figures count the port's own flash objects only.
#
#   code_size.py LD OUT_DIR JSON OBJECT...
# Prints each path's totals beside their goals and references, and its objects, and writes the
# figures to JSON (the Makefile merges them into build/bench.json). Fails if the glue calls a
# function of these objects that no path has as a root, or a root is defined nowhere.
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Every flash caller's entry points into core/ and ensemble/, by caller.
FLASH_ROOTS = [
    # alif.Flash (micropython/alif_flash_mp.c)
    "flash_region_init",
    "flash_region_is_singleton_request",
    "flash_region_repr",
    "flash_region_xip",
    "flash_region_readblocks",
    "flash_region_readblocks_ext",
    "flash_region_writeblocks",
    "flash_region_writeblocks_ext",
    "flash_region_source_in_flash",
    "flash_region_ioctl",
    # boot (alif_port/ensemble_flash.c, ospi_flash_init and the lazy bring-up)
    "flash_bring_up",
    # ROMFS (alif_port/ensemble_romfs.c, vfs.rom_ioctl)
    "flash_romfs_init",
    "flash_romfs_prepare",
    "flash_romfs_min_prepare",
    "flash_romfs_write",
    "flash_span_inside",
    # the USB drive (alif_port/ensemble_msc.c, TinyUSB's MSC callbacks)
    "flash_msc_init",
    "flash_msc_block_count",
    "flash_msc_read",
    "flash_msc_write",
    # stop mode (alif_port/ensemble_flash.c, ospi_flash_sleep)
    "nor_flash_power_down",
]

# alif.info() (micropython/modalif.c through alif_info_run, an inline of core/alif_se_port.h).
INFO_ROOTS = ["alif_info"]

# Goals (issue 16) and the stock port's flash path (its ospi_flash.c, ospi_ext.c, the DFP's
# ospi_drv.c, alif_flash.c, vfs_rom_ioctl.c, msc_disk.c, as the issue measured them).
FIGURES = [
    # key, path, what, goal, stock
    ("flash_path_text_bytes", "flash", "text", 6000, 3499),
    ("flash_path_bss_bytes", "flash", "ram", 128, 57),
    ("info_text_bytes", "info", "text", None, None),
]


def kept_sections(map_path):
    """(object, section, size) of each input section the link kept."""
    kept = []
    with open(map_path) as f:
        lines = f.read().split("Linker script and memory map", 1)[1].splitlines()
    name = None
    for line in lines:
        fields = line.split()
        if len(fields) == 1 and line.startswith(" ."):
            name = fields[0]  # the address and size follow on the next line
            continue
        if line.startswith(" .") and len(fields) == 4:
            name, fields = fields[0], fields[1:]
        if name and len(fields) == 3 and fields[1].startswith("0x") and fields[2].endswith(".o"):
            kept.append((fields[2], name, int(fields[1], 16)))
        name = None
    return kept


def measure(ld, out_dir, key, roots, objects):
    out = os.path.join(out_dir, key + ".o")
    map_path = os.path.join(out_dir, key + ".map")
    args = [ld, "-r", "--gc-sections", "-Map", map_path, "-o", out]
    for root in roots:
        args += ["-u", root]
    subprocess.run(args + objects, check=True)
    sizes = {"text": {}, "ram": {}}
    for obj, section, size in kept_sections(map_path):
        kind = "text" if section.startswith((".text", ".rodata")) else None
        kind = "ram" if section.startswith((".bss", ".data")) else kind
        if kind and size:
            sizes[kind][obj] = sizes[kind].get(obj, 0) + size
    return sizes


def defined_functions(ld, objects):
    """The global symbols the objects define."""
    nm = ld[: -len("ld")] + "nm" if ld.endswith("ld") else "nm"
    out = subprocess.run([nm, "-g", "--defined-only"] + objects, check=True, capture_output=True)
    return {f[2] for f in (l.split() for l in out.stdout.decode().splitlines()) if len(f) == 3}


def glue_calls(defined):
    """The defined symbols the binding and alif_port/ name outside comments."""
    text = ""
    for path in glob.glob(os.path.join(ROOT, "micropython", "*.c")) + glob.glob(
        os.path.join(ROOT, "alif_port", "*.c")
    ):
        with open(path) as f:
            text += re.sub(r"//[^\n]*|/\*.*?\*/", "", f.read(), flags=re.S)
    return {s for s in defined if re.search(r"\b%s\b" % re.escape(s), text)}


def main():
    ld, out_dir, json_path, objects = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    os.makedirs(out_dir, exist_ok=True)
    defined = defined_functions(ld, objects)
    unknown = sorted(set(FLASH_ROOTS + INFO_ROOTS) - defined)
    missing = sorted(glue_calls(defined) - set(FLASH_ROOTS + INFO_ROOTS))
    if unknown or missing:
        sys.exit(
            "code_size.py: roots defined nowhere: %s; called by the glue but no root: %s"
            % (unknown or "none", missing or "none")
        )
    paths = {
        "flash": measure(ld, out_dir, "flash_path", FLASH_ROOTS, objects),
        "info": measure(ld, out_dir, "info_path", INFO_ROOTS, objects),
    }
    results = {}
    for key, path, kind, goal, stock in FIGURES:
        per_object = paths[path][kind]
        total = sum(per_object.values())
        results[key] = total
        verdict = ""
        if goal is not None:
            verdict = "  goal <= %d: %s; stock's flash path %d" % (
                goal,
                "meets" if total <= goal else "MISSES",
                stock,
            )
        print("%s: %d bytes%s" % (key, total, verdict))
        for obj, size in sorted(per_object.items(), key=lambda item: -item[1]):
            print("  %6d  %s" % (size, obj))
    with open(json_path, "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
