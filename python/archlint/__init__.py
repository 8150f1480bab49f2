"""archlint: a fast static auditor for Python projects, shipped as one binary.

This package only finds the binary: ``python -m archlint`` runs it, and
:func:`find_archlint_bin` says where it is.
"""

import os
import sys
import sysconfig

__all__ = ["find_archlint_bin"]


def find_archlint_bin() -> str:
    """The path of the ``archlint`` binary installed with this package."""
    name = "archlint" + (".exe" if sys.platform == "win32" else "")
    # Where pip puts scripts: this interpreter's prefix, then the user's (`pip install --user`).
    user_schemes = ("nt_user",) if os.name == "nt" else ("posix_user", "osx_framework_user")
    folders = [sysconfig.get_path("scripts")]
    folders += [
        sysconfig.get_path("scripts", scheme)
        for scheme in user_schemes
        if scheme in sysconfig.get_scheme_names()
    ]
    # `pip install --target DIR` puts the binary in DIR/bin, beside the package.
    folders.append(os.path.join(os.path.dirname(os.path.dirname(__file__)), "bin"))
    folders = list(dict.fromkeys(folders))
    for folder in folders:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(
        f"the archlint binary is not in {', '.join(folders)}; reinstall the archlint package"
    )
