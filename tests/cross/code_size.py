# SPDX-License-Identifier: MIT
# Code size on the target, as the firmware would link it: a relocatable link of the cross-built
# portable and driver objects with --gc-sections, rooted at the functions a path's callers use
# (the MicroPython binding and alif_port/ glue), so that code nobody calls drops as it does in
# the firmware. Text is Berkeley text (code and read-only data); C library and MicroPython
# functions stay undefined, as in the stock figures, which count the port's own objects only.
#
#   code_size.py LD OUT_DIR JSON OBJECT...
# Prints each path's total and its objects, and writes flash_text_bytes and info_text_bytes to
# JSON (the Makefile merges them into build/bench.json).
import json
import os
import subprocess
import sys

PATHS = {
    # alif.Flash (binding over the region layer), ROMFS and the USB disk (core/flash_services.c),
    # boot (flash_bring_up) and stop mode (nor_flash_power_down).
    "flash_text_bytes": [
        "flash_bring_up",
        "flash_region_init",
        "flash_region_is_singleton_request",
        "flash_region_readblocks",
        "flash_region_readblocks_ext",
        "flash_region_writeblocks",
        "flash_region_writeblocks_ext",
        "flash_region_ioctl",
        "flash_region_xip",
        "flash_region_repr",
        "flash_romfs_init",
        "flash_romfs_prepare",
        "flash_romfs_write",
        "flash_span_inside",
        "flash_msc_init",
        "flash_msc_block_count",
        "flash_msc_read",
        "flash_msc_write",
        "nor_flash_power_down",
    ],
    # alif.info(): the formatter over the SE client, on the MHU transport.
    "info_text_bytes": ["alif_info", "se_mhu_mailbox"],
}


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
    per_object = {}
    for obj, section, size in kept_sections(map_path):
        if section.startswith((".text", ".rodata")):
            per_object[obj] = per_object.get(obj, 0) + size
    return sum(per_object.values()), per_object


def main():
    ld, out_dir, json_path, objects = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    os.makedirs(out_dir, exist_ok=True)
    results = {}
    for key, roots in PATHS.items():
        total, per_object = measure(ld, out_dir, key, roots, objects)
        results[key] = total
        print("%s: %d bytes" % (key, total))
        for obj, size in sorted(per_object.items(), key=lambda item: -item[1]):
            print("  %6d  %s" % (size, obj))
    with open(json_path, "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
