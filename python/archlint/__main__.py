"""``python -m archlint ARGS``: runs the archlint binary with ARGS."""

import os
import subprocess
import sys

from archlint import find_archlint_bin


def main() -> int:
    binary = find_archlint_bin()
    if sys.platform == "win32":
        # Windows has no exec: run it as a child and pass its exit code on.
        return subprocess.run([binary, *sys.argv[1:]]).returncode
    os.execv(binary, [binary, *sys.argv[1:]])
    return 0  # not reached: exec replaces this process


if __name__ == "__main__":
    sys.exit(main())
