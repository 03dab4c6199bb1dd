"""The package carries its data: a wheel holds the demo files, icons and migrations, and an
installed copy (not the checkout) finds them through ``importlib.resources``.

A user who runs ``pip install .`` or ``pipx install`` never has the checkout beside the
code, so anything read by a path relative to the repository would be missing there. The
wheel is built from a copy of just what setuptools packages, so the checkout stays clean.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ("pyproject.toml", "README.md", "main.py", "vru_crm", "db", "ui")
DATA = ("vru_crm/resources/demo/*.json", "ui/resources/icons/*.svg", "db/migrations/versions/*.py")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in PACKAGED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("vru_crm-*.whl")
    return found


def test_the_wheel_holds_the_demo_data_icons_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for pattern in DATA:
        expected = {p.relative_to(ROOT).as_posix() for p in ROOT.glob(pattern)}
        assert expected, f"nothing in the checkout matches {pattern}"
        assert expected <= names, f"missing from the wheel: {sorted(expected - names)}"
    assert "db/migrations/script.py.mako" in names


def test_an_installed_copy_reads_its_data_from_itself(wheel, tmp_path):
    """Unpacked outside the checkout, the package loads the demo facts, an icon and migrates."""
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import sys\n"
        "from vru_crm.demo import data\n"
        "from db.migrate import open_database\n"
        "from ui import style\n"
        "assert data.__file__.startswith(sys.argv[1]), data.__file__\n"
        "assert all(data.load(name) for name in data.FILES)\n"
        "assert (style.ICON_DIR / 'home.svg').is_file(), style.ICON_DIR\n"
        "open_database(sys.argv[2], username='tester').dispose()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(target), str(tmp_path / "installed.sqlite3")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
