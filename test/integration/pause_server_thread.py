# gdb script (gdb -batch -x): stops the first thread of a running server that returns from a
# call to a function, keeps it stopped while the server's other threads run on, and lets it go
# when told. Integration tests use it to open a race window inside the server on purpose.
#
# Environment: PAUSE_PID (the server), PAUSE_AFTER_CALL (the callee's symbol, as objdump prints
# it: a mangled name), PAUSE_DIR (a directory for the handshake files below).
# Handshake: the script creates PAUSE_DIR/armed once the breakpoints are set, PAUSE_DIR/paused
# when a thread is stopped; the test creates PAUSE_DIR/resume to let it go; the script creates
# PAUSE_DIR/done after detaching. Any failure goes to PAUSE_DIR/error and detaches.
import os
import re
import subprocess
import time

import gdb

pid = int(os.environ["PAUSE_PID"])
callee = os.environ["PAUSE_AFTER_CALL"]
folder = os.environ["PAUSE_DIR"]


def touch(name, text=""):
    with open(os.path.join(folder, name), "w") as f:
        f.write(text)


def return_offsets(binary):
    """Offsets from `callee` to the instruction after each call of it, found by objdump."""
    listing = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], check=True,
                             capture_output=True, text=True).stdout
    callee_at = None
    offsets = []
    take_next = False
    for line in listing.splitlines():
        match = re.match(r"^([0-9a-f]+) <(\S+?)(@@\S+)?>:$", line)
        if match and match.group(2) == callee:
            callee_at = int(match.group(1), 16)
        instruction = re.match(r"^\s+([0-9a-f]+):\s", line)
        if not instruction:
            continue
        if take_next:
            offsets.append(int(instruction.group(1), 16))
            take_next = False
        if re.search(r"\scall\s+[0-9a-f]+ <" + re.escape(callee) + r"(@@\S+)?>$", line):
            take_next = True
    if callee_at is None or not offsets:
        raise RuntimeError("no call of %s in %s" % (callee, binary))
    return [offset - callee_at for offset in offsets]


class Pause(gdb.Breakpoint):
    paused = False

    def stop(self):
        if Pause.paused:
            return False
        Pause.paused = True
        touch("paused")
        # The other threads keep running (non-stop mode) while this one waits here.
        while not os.path.exists(os.path.join(folder, "resume")):
            time.sleep(0.005)
        return True


try:
    offsets = return_offsets(os.readlink("/proc/%d/exe" % pid))
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("set non-stop on")
    gdb.execute("attach %d" % pid)
    for offset in offsets:
        Pause("*('%s' + %d)" % (callee, offset))
    gdb.execute("continue -a")  # attaching stopped every thread
    touch("armed")
    while not Pause.paused and not os.path.exists(os.path.join(folder, "resume")):
        try:
            gdb.execute("continue -a")
        except gdb.error:
            time.sleep(0.01)
except Exception as error:  # noqa: BLE001 - reported to the test through the file
    touch("error", str(error))
finally:
    try:
        gdb.execute("detach")
    finally:
        touch("done")
