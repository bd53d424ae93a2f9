"""Time only the YAML parse of every file of a project, in this process.

    python bench/parse_only.py kkctl DIR   # kkctl's loader: data + positions
    python bench/parse_only.py bare DIR    # libyaml's bare event parse (PyYAML's C binding)

Prints the elapsed seconds of the parse alone (files are read into memory first, and each
parser has parsed one tiny document, so neither pays for its imports in the timed part). The
cycle collector is paused for both, as kkctl's loader pauses it while it loads.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    blobs = [(str(p), p.read_bytes()) for p in sorted(folder.rglob("*.yaml"))]
    gc.disable()
    if mode == "kkctl":
        from kkctl.yamlread import read_yaml

        read_yaml(b"warm: [up]\n", "warm-up")
        start = time.perf_counter()
        for name, data in blobs:
            read_yaml(data, name)
    elif mode == "bare":
        import yaml

        for _event in yaml.parse(b"warm: [up]\n", Loader=yaml.CSafeLoader):
            pass
        start = time.perf_counter()
        for _, data in blobs:
            for _event in yaml.parse(data, Loader=yaml.CSafeLoader):
                pass
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(f"{time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main()
