"""A hall that reads cards, its service and the site's key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.config.hall import HallConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.identity import Identities, load_key, make_key
from queue_kiosk.store.store import Store
from tests.conftest import make_service, small_hall


def identity_hall(**identity: Any) -> HallConfig:
    data = small_hall().model_dump()
    data["hours"]["enforce"] = False
    data["identity"] = {"enabled": True, **identity}
    return HallConfig.model_validate(data)


@pytest.fixture
def key(tmp_path: Path) -> bytes:
    path = tmp_path / "identity.key"
    make_key(path)
    return load_key(path)


def identities(store: Store, clock: FrozenClock, key: bytes,
               **identity: Any) -> tuple[QueueService, Identities]:
    service = make_service(store, clock, identity_hall(**identity))
    return service, Identities(service, key)
