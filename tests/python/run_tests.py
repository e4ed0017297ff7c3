# SPDX-License-Identifier: MIT
# Runs the test_* functions of the given test modules (all of them by default) with no test
# framework, so that the very files pytest runs also run under MicroPython's unix port:
#   micropython tests/python/run_tests.py [test_flash ...]
import sys

DEFAULT_MODULES = (
    "test_flash",
    "test_process",
    "test_image",
    "test_info",
    "test_fat",
    "test_vfs",
    "test_port",
    "test_calls",
)


def run(module_names):
    from expect import SkipTest

    passed = failed = skipped = 0
    for name in module_names:
        module = __import__(name)
        for attr in sorted(dir(module)):
            if not attr.startswith("test_"):
                continue
            try:
                getattr(module, attr)()
                passed += 1
            except SkipTest as e:
                skipped += 1
                print("skip %s.%s: %s" % (name, attr, e))
            except Exception as e:
                failed += 1
                print("FAIL %s.%s: %s: %s" % (name, attr, type(e).__name__, e))
                if hasattr(sys, "print_exception"):
                    sys.print_exception(e)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return failed


if __name__ == "__main__":
    here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
    sys.path.insert(0, here)
    sys.exit(1 if run(sys.argv[1:] or DEFAULT_MODULES) else 0)
