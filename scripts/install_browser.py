"""Install headless Chromium and its WebDriver for the browser test (Debian, as root).

``make test`` calls this before pytest. It installs the Debian packages ``chromium`` and
``chromium-driver`` with apt-get when they are missing and we run as root; it does nothing when
they are present (so it is quick and idempotent), and it explains itself when it cannot install
(not root, no apt-get). ``tests/test_browser.py`` skips with a reason when Chromium is absent.

Exit status: 0 when both are present afterwards, 1 otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

PACKAGES = ("chromium", "chromium-driver")
#: where Debian's packages put the two programs
BINARIES = {"chromium": "/usr/bin/chromium", "chromium-driver": "/usr/bin/chromedriver"}


def missing() -> list[str]:
    """The packages whose program is not installed."""
    return [pkg for pkg, path in BINARIES.items() if not os.access(path, os.X_OK)]


def install(packages: list[str]) -> int:
    """apt-get install ``packages`` (after one ``apt-get update``); returns apt's exit status."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    update = subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    if update.returncode != 0:
        print("install_browser: apt-get update failed; trying the install anyway", file=sys.stderr)
    return subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        env=env,
        check=False,
    ).returncode


def main() -> int:
    todo = missing()
    if not todo:
        print("install_browser: chromium and chromedriver are installed; nothing to do")
        return 0
    if os.name != "posix" or os.geteuid() != 0:
        print(
            f"install_browser: {', '.join(todo)} missing and not running as root; install "
            f"them with `sudo apt-get install {' '.join(PACKAGES)}` (the browser test is "
            "skipped until then)"
        )
        return 1
    if shutil.which("apt-get") is None:
        print(
            f"install_browser: {', '.join(todo)} missing and no apt-get here; install "
            "Chromium and its chromedriver by hand (the browser test is skipped until then)"
        )
        return 1
    print(f"install_browser: installing {', '.join(todo)} with apt-get")
    status = install(todo)
    still = missing()
    if status != 0 or still:
        print(
            f"install_browser: apt-get exited {status}; still missing: "
            f"{', '.join(still) or 'nothing'}",
            file=sys.stderr,
        )
        return 1
    print(f"install_browser: installed {', '.join(todo)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
