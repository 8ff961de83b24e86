"""Shared helpers for benchmark scripts: where the datasets are, and how results are written."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def datasets_dir() -> Path:
    """The shared datasets folder: $NEWSDESK_DATASETS, else ../shared/datasets beside the repo."""
    env = os.environ.get("NEWSDESK_DATASETS")
    path = Path(env) if env else ROOT.parent / "shared" / "datasets"
    if not path.is_dir():
        sys.exit(f"datasets not found at {path}; set NEWSDESK_DATASETS")
    return path


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def write_results(name: str, results: dict[str, Any]) -> Path:
    """Write results as JSON to bench/results/NAME.json, with the machine they ran on."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "results": results,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")
    return path
