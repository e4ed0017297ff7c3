# SPDX-License-Identifier: MIT
# Runs a small script in a new interpreter (the same one running the tests), with extra
# environment, and returns its exit status and output. os.system and files, so that it works
# under MicroPython's unix port too.
import os
import sys


def scratch_dir():
    image = os.getenv("ALIF_FLASH_IMAGE") or "/tmp/alif-test.img"
    return image.rsplit("/", 1)[0] if "/" in image else "."


def shell_value(v):
    # bytes go through printf's octal escapes, so that a value need not be text (or UTF-8).
    if isinstance(v, bytes):
        return "\"$(printf '%s')\"" % "".join("\\%03o" % b for b in v)
    return "'%s'" % v


def run(code, **env):
    d = scratch_dir()
    script = d + "/child_script.py"
    out = d + "/child_output.txt"
    with open(script, "w") as f:
        f.write(code)
    assignments = " ".join("%s=%s" % (k, shell_value(v)) for k, v in env.items())
    status = os.system("%s '%s' '%s' > '%s' 2>&1" % (assignments, sys.executable, script, out))
    with open(out) as f:
        output = f.read()
    os.remove(script)
    os.remove(out)
    return status, output
