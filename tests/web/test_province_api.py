"""The province's page and API: a token or an account scoped to one commune never sees
another's data, every refusal of the API reads alike, a province account acts on nothing,
and nothing personal (names, phones, booking codes) leaves."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.service.province_access import ProvinceAccess, Scope
from queue_kiosk.service.staff import StaffDirectory
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import event_t
from queue_kiosk.web.pages import build_app
from queue_kiosk.web.province import HUB_KEY
from tests.ops.test_province import commune

Client = TestClient[Any, Any]


@pytest.fixture
async def province(store: Store, clock: FrozenClock) -> AsyncIterator[
        tuple[Client, dict[str, QueueService], ProvinceAccess]]:
    for code in ("a-1", "b-2"):
        load_catalog(store, commune(code), clock)
    sites = {code: QueueService(store, site=code, clock=clock) for code in ("a-1", "b-2")}
    app = build_app(sites["a-1"])
    async with TestClient(TestServer(app)) as client:
        yield client, sites, ProvinceAccess(store, clock)


async def fresh(client: Client) -> None:
    """Until the follower has read every event the test wrote."""
    hub = client.app[HUB_KEY]
    with hub.overview.store.read() as conn:
        newest = conn.execute(select(func.max(event_t.c.id))).scalar_one()
    for _ in range(200):
        await asyncio.sleep(0.05)
        if hub.overview.sites and hub.overview.last >= newest:
            return
    raise AssertionError("the overview did not catch up")


async def test_a_token_for_one_commune_never_sees_another(province: Any) -> None:
    client, sites, access = province
    only_a = access.add_token("IOC", Scope.parse("a-1"))
    every = access.add_token("tỉnh", Scope())
    sites["b-2"].issue("B")
    sites["a-1"].issue("C")
    await fresh(client)
    bearer = {"Authorization": f"Bearer {only_a}"}
    overview = await (await client.get("/api/province/overview", headers=bearer)).json()
    assert [(s["site"], s["waiting"]) for s in overview["sites"]] == [("a-1", 1)]
    assert (await client.get("/api/province/sites/b-2", headers=bearer)).status == 404
    assert (await client.get("/api/province/sites/x-9", headers=bearer)).status == 404
    one = await (await client.get("/api/province/sites/a-1", headers=bearer)).json()
    assert one["summary"]["site"] == "a-1" and "b-2" not in json.dumps(one)
    assert (await (await client.get("/api/province/alerts", headers=bearer)).json()) == \
        {"alerts": []}
    everything = await (await client.get(
        "/api/province/overview", headers={"Authorization": f"Bearer {every}"})).json()
    assert sorted(s["site"] for s in everything["sites"]) == ["a-1", "b-2"]


async def test_every_refusal_reads_alike(province: Any) -> None:
    client, _, access = province
    revoked = access.add_token("cũ", Scope())
    access.revoke_token("cũ")
    answers = []
    for header in ({"Authorization": f"Bearer {revoked}"},
                   {"Authorization": "Bearer qkp_unknown"}, {"Authorization": "Basic x"}, {}):
        response = await client.get("/api/province/overview", headers=header)
        answers.append((response.status, await response.text()))
    assert len(set(answers)) == 1 and answers[0][0] == 401


async def test_a_province_account_sees_its_communes_only_and_acts_on_nothing(
        province: Any) -> None:
    client, sites, access = province
    a = sites["a-1"]
    StaffDirectory(a).add("tinh", "Sở Nội vụ", "2468", role="province")
    access.grant_account(a.site_id, "tinh", Scope.parse("a-1"))
    sites["b-2"].issue("B")
    a.issue("A")
    await fresh(client)
    assert "sign-in" in await (await client.get("/province/")).text()
    assert (await client.get("/province/sites/a-1")).status == 403
    refused = await client.post("/province/sign-in", data={"code": "tinh", "pin": "0000"})
    assert refused.status == 403
    a.clock.advance(seconds=2)  # a wrong PIN makes the client wait a second
    signed = await client.post("/province/sign-in", data={"code": "tinh", "pin": "2468"})
    assert signed.status == 200 and "province-config" in await signed.text()
    detail = await (await client.get("/province/sites/a-1")).json()
    assert detail["summary"]["waiting"] == 1
    assert (await client.get("/province/sites/b-2")).status == 404
    async with client.get("/province/events") as stream:
        line = b""
        while not line.startswith(b"data:"):
            line = await stream.content.readline()
    frame = json.loads(line[5:])
    assert [s["site"] for s in frame["sites"]] == ["a-1"]
    assert "Sở Nội vụ" not in line.decode() and "tinh" not in line.decode()
    # The counter's sign-in refuses the account: it never acts on a queue.
    with pytest.raises(Exception, match="tinh"):
        StaffDirectory(a).login("tinh", "2468")


async def test_an_alert_reads_alike_on_the_tiles_and_the_api(province: Any,
                                                            clock: FrozenClock) -> None:
    """A citizen waiting 21 minutes at one commune: its tile and the API both name the
    `wait` alert, for that commune only, in words; served, both clear it."""
    from queue_kiosk.service.alerts import evaluate_sites

    client, sites, access = province
    bearer = {"Authorization": f"Bearer {access.add_token('IOC', Scope())}"}
    hub = client.app[HUB_KEY]

    async def alerts_seen(expected: int) -> tuple[dict[str, list[str]],
                                                  list[tuple[str, str]]]:
        hub.overview.slow_at = None  # read alerts at the next look, not in 30 s
        for _ in range(100):
            tiles = {t["site"]: [a["what"] for a in t["alerts"]]
                     for t in hub.view(Scope())["sites"]}
            if sum(map(len, tiles.values())) == expected:
                break
            await asyncio.sleep(0.05)
        api = await (await client.get("/api/province/alerts", headers=bearer)).json()
        return tiles, [(a["site"], a["kind"]) for a in api["alerts"]]

    waiting = sites["a-1"].issue("B")
    sites["b-2"].issue("B")
    sites["b-2"].call_next("1")
    clock.advance(minutes=21)
    evaluate_sites(sites["a-1"].store, clock)
    tiles, api = await alerts_seen(1)
    assert api == [("a-1", "wait")]
    assert tiles["b-2"] == [] and len(tiles["a-1"]) == 1 and "21" in tiles["a-1"][0]
    assert sites["a-1"].call_next("1").number == waiting.number
    evaluate_sites(sites["a-1"].store, clock)
    assert await alerts_seen(0) == ({"a-1": [], "b-2": []}, [])


async def test_the_comparison_answers_for_the_token_s_communes_only(province: Any) -> None:
    client, sites, access = province
    only_a = {"Authorization": f"Bearer {access.add_token('IOC', Scope.parse('a-1'))}"}
    sites["a-1"].issue("B")
    sites["b-2"].issue("B")
    answer = await client.get("/api/province/comparison?from=25/11/2026", headers=only_a)
    assert answer.status == 200
    assert [c["site"] for c in (await answer.json())["communes"]] == ["a-1"]
    bad = await client.get("/api/province/comparison?from=25/11/2026&to=24/11/2026",
                           headers=only_a)
    assert bad.status == 400 and "from" in (await bad.json())["error"]
    assert (await client.get("/api/province/comparison?from=25/11/2026")).status == 401
