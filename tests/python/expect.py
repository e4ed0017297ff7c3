# SPDX-License-Identifier: MIT
# Exception checks and skips that read the same under pytest and under MicroPython's unix port.

try:
    # pytest reports this exception as a skip, and it is no pytest-only feature.
    from unittest import SkipTest
except ImportError:

    class SkipTest(Exception):
        pass


def skip(reason):
    raise SkipTest(reason)


def raises(exc_type, fn, *args, **kwargs):
    """Calls fn and returns the exception of exc_type it raised; fails if it raised none."""
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        return e
    raise AssertionError("%s did not raise %s" % (fn, exc_type.__name__))


def message(exc):
    return str(exc.args[-1]) if exc.args else ""


def is_micropython():
    import sys

    return sys.implementation.name == "micropython"
