from __future__ import annotations

import pytest

from tests.coordination.meeting_scene import Scene, scene_build


@pytest.fixture
def scene(db: None) -> Scene:
    return scene_build()
