"""Files the tool reads and writes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aicompare import store


# --- Ctrl-C at the one moment that made test_ctrl_c_during_import_exits_130_quietly flaky -----


def test_ctrl_c_just_after_the_temp_file_object_is_built(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT handled right after io.open returned inside os.fdopen: the new file object is dropped
    unreturned. When it owned the descriptor, dropping it closed the descriptor and the cleanup
    closed it again: EBADF replaced the KeyboardInterrupt, and the run exited 1 ("Bad file
    descriptor") instead of 130. The descriptor now has one owner."""
    path = tmp_path / "models.toml"
    path.write_text("a = 1\n", "utf-8")
    real = os.fdopen
    calls = [0]

    def interrupted(fd: int, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 2:  # the file's temp, after the backup's
            real(fd, *args, **kwargs)  # built and dropped at once, as the unwinding does
            raise KeyboardInterrupt
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt) as caught:
        store.atomic_write_text(path, "a = 2\n")
    assert caught.value.__context__ is None
    assert path.read_text("utf-8") == "a = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models.toml", "models.toml.bak"]
