"""notebooks/walkthrough.ipynb runs from top to bottom on the bundled samples."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "walkthrough.ipynb"


def test_walkthrough_notebook_runs_to_the_end():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    if not (REPO / "data" / "samples" / "config.toml").is_file():
        pytest.skip("data/samples is not present")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, when one fails
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.get("execution_count") for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.get("output_type") == "error"]
    assert errors == []
    last_output = "".join(o.get("text", "") for o in code[-1].outputs)
    assert last_output.strip() == "done"
    report_cell = "".join(o.get("text", "") for o in code[-2].outputs)
    assert report_cell.startswith("2026-W47 (Mon 16 Nov 2026 – Sun 22 Nov 2026): 7 runs")
    chart_outputs = [o for cell in code for o in cell.outputs if "image/png" in o.get("data", {})]
    assert chart_outputs, "the chart cell shows a PNG"
