# SPDX-License-Identifier: MIT
# Power cut at every program and erase of a littlefs workload on alif.Flash, under MicroPython's
# unix port built with this module (see the README). By hand, not in CI (CI has no MicroPython):
#
#   /usr/bin/python3 tests/power_cut_littlefs.py path/to/mp-alif [--scratch DIR] [--every K]
#
# For each cut point N (1, 1+K, 1+2K, ... up to the programs and erases an uncut run makes) it
# starts from the same freshly made filesystem, runs the workload with ALIF_SIM_POWER_CUT=N, then
# in a new process (the next power-on) mounts the filesystem and reads every file. It checks that
# the filesystem mounts, that every file holds its content from before or after the step the cut
# fell in (and the whole tree is the state before or after that step, littlefs being atomic per
# operation), and that the filesystem takes a new write. Prints the counts; exits 1 on a failure.
import os
import shutil
import subprocess
import sys

POWER_CUT_EXIT_STATUS = 86  # README: how a process whose board lost power ends
REGION = "start=1048576, len=32 * 4096"


def blob(seed, n):
    return bytes((i * 131 + seed * 17 + (i >> 7)) & 0xFF for i in range(n))


# The workload: (description, statement run on the mounted filesystem at /t). Each is one littlefs
# operation as far as atomicity goes: rename, remove, mkdir, open-write-close of an existing file.
# Opening a new file creates it, empty, there and then (littlefs commits the new entry at open, as
# POSIX creates at open), so a new file is two steps: new() then fill().
STEPS = [
    ("create a.txt", "new('a.txt')"),
    ("write a.txt and close", "fill('a.txt', blob(1, 1000))"),
    ("append to a.txt", "add('a.txt', blob(2, 500))"),
    ("create b.bin", "new('b.bin')"),
    ("write b.bin across blocks", "fill('b.bin', blob(3, 6000))"),
    ("rename a.txt to c.txt", "os.rename('/t/a.txt', '/t/c.txt')"),
    ("overwrite b.bin, shorter", "put('b.bin', blob(4, 3000))"),
    ("remove keep.txt", "os.remove('/t/keep.txt')"),
    ("mkdir d", "os.mkdir('/t/d')"),
    ("create d/e.txt", "new('d/e.txt')"),
    ("write d/e.txt", "fill('d/e.txt', blob(5, 2500))"),
    ("overwrite c.txt, longer", "put('c.txt', blob(6, 9000))"),
    ("append to d/e.txt", "add('d/e.txt', blob(7, 4100))"),
    ("rename b.bin over c.txt", "os.rename('/t/b.bin', '/t/c.txt')"),
    ("remove d/e.txt", "os.remove('/t/d/e.txt')"),
]

PRELUDE = """
import os, vfs, alif
def blob(seed, n):
    return bytes((i * 131 + seed * 17 + (i >> 7)) & 0xFF for i in range(n))
def put(name, data):
    with open('/t/' + name, 'wb') as f:
        f.write(data)
def add(name, data):
    with open('/t/' + name, 'ab') as f:
        f.write(data)
def new(name):
    global opened
    opened = open('/t/' + name, 'wb')
def fill(name, data):
    opened.write(data)
    opened.close()
bdev = alif.Flash(%s)
""" % REGION

SETUP = PRELUDE + """
vfs.VfsLfs2.mkfs(bdev)
vfs.mount(vfs.VfsLfs2(bdev), '/t')
put('keep.txt', blob(9, 700))
vfs.umount('/t')
print('made')
"""

WORKLOAD = PRELUDE + """
vfs.mount(vfs.VfsLfs2(bdev), '/t')
c = alif._sim_counters()
start = c['programs'] + c['erases']
STEPS
c = alif._sim_counters()
print('ops', c['programs'] + c['erases'] - start)
"""

# Lists the tree as name, length and content in hex, then shows the filesystem still takes a write.
VERIFY = PRELUDE + """
try:
    vfs.mount(vfs.VfsLfs2(bdev), '/t')
except OSError as e:
    print('NOMOUNT', e)
    raise SystemExit
def walk(path):
    for entry in sorted(os.ilistdir('/t' + path)):
        name, kind = entry[0], entry[1]
        if kind == 0x4000:
            print('dir', path + '/' + name)
            walk(path + '/' + name)
        else:
            with open('/t' + path + '/' + name, 'rb') as f:
                print('file', path + '/' + name, f.read().hex())
walk('')
put('after.txt', b'after the cut')
vfs.umount('/t')
vfs.mount(vfs.VfsLfs2(bdev), '/t')
with open('/t/after.txt', 'rb') as f:
    print('rewrite', f.read() == b'after the cut')
"""


def states():
    """The tree after 0, 1, ... steps, as the verifier prints it: {'/name': bytes or None (dir)}."""
    tree = {"/keep.txt": blob(9, 700)}
    out = [dict(tree)]
    scope = {"blob": blob}

    def put(name, data):
        tree["/" + name] = data

    def add(name, data):
        tree["/" + name] = tree["/" + name] + data

    class FakeOs:
        @staticmethod
        def rename(a, b):
            tree[b[2:]] = tree.pop(a[2:])

        @staticmethod
        def remove(a):
            del tree[a[2:]]

        @staticmethod
        def mkdir(a):
            tree[a[2:]] = None

    def new(name):
        tree["/" + name] = b""

    scope.update(put=put, add=add, new=new, fill=put, os=FakeOs)
    for _, statement in STEPS:
        exec(statement, scope)
        out.append(dict(tree))
    return out


def workload_source():
    lines = []
    for i, (_, statement) in enumerate(STEPS):
        # MicroPython's unix port writes print() straight to the file descriptor: what was
        # printed before the cut is in the output.
        lines.append("print('step', %d)" % (i + 1))
        lines.append(statement)
    return WORKLOAD.replace("STEPS", "\n".join(lines))


def run(mp, script, image, scratch, **env):
    path = os.path.join(scratch, "script.py")
    with open(path, "w") as f:
        f.write(script)
    full_env = dict(os.environ, ALIF_FLASH_IMAGE=image, **env)
    done = subprocess.run([mp, path], env=full_env, capture_output=True, timeout=300)
    return done.returncode, done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")


def parse_tree(out):
    tree = {}
    for line in out.splitlines():
        words = line.split()
        if words and words[0] == "dir":
            tree[words[1]] = None
        elif words and words[0] == "file":
            tree[words[1]] = bytes.fromhex(words[2]) if len(words) > 2 else b""
    return tree


def describe(content):
    if content is None or content == "absent":
        return "directory" if content is None else "absent"
    return "%d bytes" % len(content)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__ if __doc__ else "usage: power_cut_littlefs.py MP_BINARY [--scratch DIR] [--every K]")
        return 2
    mp = os.path.abspath(args[0])
    scratch = args[args.index("--scratch") + 1] if "--scratch" in args else "/tmp/alif-power-cut"
    every = int(args[args.index("--every") + 1]) if "--every" in args else 1
    os.makedirs(scratch, exist_ok=True)
    pristine = os.path.join(scratch, "pristine.img")
    image = os.path.join(scratch, "run.img")
    for path in (pristine, image):
        if os.path.exists(path):
            os.remove(path)
    status, out = run(mp, SETUP, pristine, scratch)
    assert status == 0 and "made" in out, out

    expected = states()
    workload = workload_source()
    shutil.copyfile(pristine, image)
    status, out = run(mp, workload, image, scratch)
    assert status == 0, out
    total = int(out.split("ops")[1].split()[0])
    status, out = run(mp, VERIFY, image, scratch)
    assert parse_tree(out) == expected[-1], ("uncut run", out)

    tried = failures = 0
    at_step = [0] * (len(STEPS) + 1)
    for n in range(1, total + 1, every):
        shutil.copyfile(pristine, image)
        status, out = run(mp, workload, image, scratch, ALIF_SIM_POWER_CUT=str(n))
        tried += 1
        problem = None
        if status != POWER_CUT_EXIT_STATUS:
            problem = "workload ended with %d, not the power cut:\n%s" % (status, out)
        steps = [int(line.split()[1]) for line in out.splitlines() if line.startswith("step ")]
        step = steps[-1] if steps else 0
        at_step[step] += 1
        status, verified = run(mp, VERIFY, image, scratch)
        tree = parse_tree(verified)
        before, after = expected[step - 1] if step else expected[0], expected[step]
        if problem is None and "NOMOUNT" in verified:
            problem = "does not mount: " + verified
        elif problem is None and status != 0:
            problem = "verifier failed: " + verified
        elif problem is None and tree not in (before, after):
            bad = [
                name
                for name in set(tree) | set(before) | set(after)
                if tree.get(name, "absent") not in (before.get(name, "absent"), after.get(name, "absent"))
            ]
            shown = ["%s (%s)" % (name, describe(tree.get(name, "absent"))) for name in bad]
            problem = "files neither old nor new: %s" % shown if bad else "tree mixes before and after"
        elif problem is None and "rewrite True" not in verified:
            problem = "no write after the cut: " + verified
        if problem is not None:
            failures += 1
            print("cut %d (during step %d, %s): %s" % (n, step, STEPS[step - 1][0] if step else "-", problem))
    print("littlefs power cut: %d programs and erases in the workload, %d cut points tried, %d failures" % (total, tried, failures))
    print("cut points by step: " + ", ".join("%d: %d" % (i, c) for i, c in enumerate(at_step) if c))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
