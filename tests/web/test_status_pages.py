"""The status page, its JSON, rating, health and the rate limit, over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from queue_kiosk.domain.errors import StoreError
from queue_kiosk.service.facade import QueueService
from queue_kiosk.web.pages import RateLimiter, build_app

Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def client(service: QueueService) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(service, limiter=RateLimiter(limit=1000)))) as c:
        yield c


async def test_the_status_page_follows_the_ticket(client: Client,
                                                  service: QueueService) -> None:
    service.issue("B")
    ticket = service.issue("B")
    page = await (await client.get(f"/t/{ticket.token}")).text()
    assert "B002" in page and "Đang chờ" in page and "Số người chờ trước Quý khách" in page
    assert 'http-equiv="refresh"' in page
    service.call_next("1")
    service.finish("1")
    service.call_next("1")
    page = await (await client.get(f"/t/{ticket.token}")).text()
    assert "Mời đến quầy số 1" in page
    english = await (await client.get(f"/t/{ticket.token}",
                                      headers={"Accept-Language": "en-US,en;q=0.9"})).text()
    assert "Please go to counter 1" in english and 'lang="en"' in english


async def test_a_status_page_reveals_nothing_about_others(client: Client,
                                                          service: QueueService) -> None:
    mine = service.issue("B")
    other = service.issue("B")
    page = await (await client.get(f"/t/{mine.token}")).text()
    assert other.number not in page and other.token not in page
    data = await (await client.get(f"/api/tickets/{mine.token}")).json()
    assert data["number"] == "B001" and data["status"] == "waiting"
    assert "token" not in data and "id" not in data


@pytest.mark.parametrize("token", ["A" * 22, "short", "../../etc/passwd", "x" * 200, "%00"])
async def test_unknown_and_malformed_tokens_get_404(client: Client,
                                                    token: str) -> None:
    response = await client.get(f"/t/{token}")
    assert response.status == 404
    assert "Traceback" not in await response.text()
    assert (await client.get(f"/api/tickets/{token}")).status == 404


async def test_one_rating_per_ticket_from_the_phone(client: Client,
                                                    service: QueueService) -> None:
    ticket = service.issue("B")
    service.call_next("1")
    service.finish("1")
    page = await (await client.get(f"/t/{ticket.token}")).text()
    assert "Rất hài lòng" in page
    rated = await client.post(f"/t/{ticket.token}/rate", data={"level": "3"},
                              allow_redirects=False)
    assert rated.status == 303
    assert "Cảm ơn Quý khách đã đánh giá" in await (await client.get(f"/t/{ticket.token}")).text()
    again = await client.post(f"/t/{ticket.token}/rate", data={"level": "1"})
    assert again.status == 409


async def test_rating_an_unfinished_ticket_is_refused(client: Client,
                                                      service: QueueService) -> None:
    ticket = service.issue("B")
    response = await client.post(f"/t/{ticket.token}/rate", data={"level": "3"})
    assert response.status == 409 and "chưa hoàn thành" in await response.text()


async def test_health_reports_the_store(client: Client,
                                        service: QueueService,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    healthy = await client.get("/health")
    assert healthy.status == 200 and (await healthy.json())["status"] == "ok"

    def down(self: QueueService) -> int:
        raise StoreError("store.unreachable", url="x", detail="gone")
    monkeypatch.setattr(QueueService, "last_event_id", down)
    sick = await client.get("/health")
    assert sick.status == 503 and (await sick.json())["status"] == "error"


async def test_bad_requests_get_http_errors_not_tracebacks(
        client: Client, service: QueueService,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = service.issue("B")

    def broken(self: QueueService, token: str) -> None:
        raise RuntimeError("boom")
    monkeypatch.setattr(QueueService, "ticket_by_token", broken)
    response = await client.get(f"/t/{ticket.token}")
    body = await response.text()
    assert response.status == 500 and "boom" not in body and "Traceback" not in body
    assert (await client.get("/no/such/page")).status == 404
    assert (await client.put(f"/t/{ticket.token}")).status == 405


async def test_lookups_are_rate_limited_per_client(service: QueueService) -> None:
    ticket = service.issue("B")
    app = build_app(service, limiter=RateLimiter(limit=5, window=60))
    async with TestClient(TestServer(app)) as client:
        codes = [(await client.get(f"/t/{ticket.token}")).status for _ in range(7)]
        limited = await client.get("/api/tickets/whatever-token-here")
        assert limited.headers["Retry-After"] == "60"
        assert (await client.get("/health")).status == 200  # monitoring is not limited
    assert codes == [200] * 5 + [429] * 2 and limited.status == 429


def test_the_window_slides() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window=10, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")
    now[0] = 11
    assert limiter.allow("a")


async def test_an_old_ticket_says_what_to_do_and_names_the_centre(
        client: Client, service: QueueService) -> None:
    service.issue("B")
    absent = service.issue("B")
    expired = service.issue("B")
    service.call_next("1")
    service.finish("1")
    service.call_next("1")
    service.no_show("1")
    service.close_day()
    page = await (await client.get(f"/t/{expired.token}")).text()
    assert "Hết hạn" in page and "lấy số mới" in page
    assert "Trung tâm Phục vụ hành chính công xã Thử" in page
    page = await (await client.get(f"/t/{absent.token}")).text()
    assert "không có mặt" in page and "gọi lại" in page
