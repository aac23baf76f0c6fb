"""The booking pages over real HTTP on loopback: choose, book, see, cancel; the language;
the rate limit; and what a page never shows."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.web.pages import RateLimiter, build_app
from tests.conftest import make_service
from tests.store.test_appointments import booking_hall

Client = TestClient[web.Request, web.Application]


@pytest.fixture
def booking_service(store: Store, clock: FrozenClock) -> QueueService:
    return make_service(store, clock, booking_hall())


@pytest.fixture
async def client(booking_service: QueueService) -> AsyncIterator[Client]:
    app = build_app(booking_service, limiter=RateLimiter(limit=1000),
                    booking_limiter=RateLimiter(limit=3, window=3600))
    async with TestClient(TestServer(app)) as c:
        yield c


async def book(client: Client, slot: str, phone: str = "") -> str:
    response = await client.post("/book/B", data={"day": "2026-11-25", "slot": slot,
                                                  "phone": phone}, allow_redirects=False)
    assert response.status == 303, await response.text()
    return response.headers["Location"].removeprefix("/b/")


async def test_a_citizen_books_sees_and_cancels(client: Client,
                                               booking_service: QueueService) -> None:
    fields = await (await client.get("/book")).text()
    assert 'href="/book/B">Hộ tịch</a>' in fields and 'lang="vi"' in fields
    page = await (await client.get("/book/B")).text()
    # 08:00 now: 08:30 is the first slot still open (30 minutes' cut-off).
    assert re.findall(r'value="(\d\d:\d\d)"', page)[:2] == ["08:30", "09:00"]
    assert "Lấy số trực tuyến: giờ sớm nhất hôm nay" in page and "Thứ Tư 25/11/2026" in page
    assert "T4 " not in page  # dates as the rest of the product writes them
    code = await book(client, "09:00", phone="0901 234 567")
    page = await (await client.get(f"/b/{code.lower()}")).text()
    assert f"id=code>{code}</h1>" in page and "<svg" in page and "Đã đặt lịch" in page
    assert "Thứ Tư 25/11/2026 09:00–09:30" in page and "từ 08:45 đến 09:15" in page
    assert "0901" not in page and "234" not in page  # the phone is never on a page
    response = await client.post(f"/b/{code}/cancel", allow_redirects=False)
    assert response.status == 303
    page = await (await client.get(f"/b/{code}")).text()
    assert "Đã hủy" in page and "Hủy lịch hẹn" not in page
    assert Appointments(booking_service).find(code).status == "cancelled"


async def test_the_first_free_slot_today_and_english(client: Client) -> None:
    english = {"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"}
    page = await (await client.get("/book/B", headers=english)).text()
    assert "Online number: the earliest time today" in page and 'lang="en"' in page
    code = await book(client, "asap")
    page = await (await client.get(f"/b/{code}", headers=english)).text()
    assert "Wednesday 25/11/2026 08:30–09:00" in page and "Booked" in page
    assert "Come to the centre between 08:15 and 08:45" in page


async def test_a_client_books_a_few_times_an_hour_and_no_more(
        client: Client, booking_service: QueueService) -> None:
    for slot in ("08:30", "09:00", "09:30"):
        await book(client, slot)
    response = await client.post("/book/B", data={"day": "2026-11-25", "slot": "10:00"})
    assert response.status == 429 and "thử lại sau" in await response.text()
    assert len(Appointments(booking_service).day_list(booking_service.today())) == 3


async def test_unknown_codes_and_full_slots_say_so(client: Client) -> None:
    for path in ("/b/ZZZZZZ", "/b/not-a-code", "/book/Q"):
        response = await client.get(path)
        assert response.status == 404, path
    for _ in range(2):
        await book(client, "08:30")  # its room: 2
    response = await client.post("/book/B", data={"day": "2026-11-25", "slot": "08:30"})
    assert response.status == 409 and "vừa hết chỗ" in await response.text()


async def test_a_hall_without_bookings_has_no_booking_page(service: QueueService) -> None:
    async with TestClient(TestServer(build_app(service))) as plain:
        response = await plain.get("/book")
        assert response.status == 404
        assert "chưa nhận đặt lịch" in await response.text()


async def test_a_booking_with_the_card_one_per_person_field_and_day(
        store: Store, clock: FrozenClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Where the hall reads cards, the page takes the 12 digits too (optional): a second
    booking of the field that day with the same number is refused in words, and the number
    is in no page, no log and not in the database."""
    import logging

    from sqlalchemy import select

    from queue_kiosk.service.identity import make_key
    from queue_kiosk.store.tables import booking_t
    from tests.identity.cards import number_for

    hall = booking_hall()
    service = make_service(store, clock, hall.model_copy(update={
        "identity": hall.identity.model_copy(update={"enabled": True})}))
    make_key(tmp_path / "identity.key")
    monkeypatch.setenv("QUEUE_KIOSK_IDENTITY_KEY", str(tmp_path / "identity.key"))
    number = number_for(1950, serial=77)
    caplog.set_level(logging.DEBUG)
    app = build_app(service, limiter=RateLimiter(limit=1000),
                    booking_limiter=RateLimiter(limit=10, window=3600))
    async with TestClient(TestServer(app)) as client:
        page = await (await client.get("/book/B")).text()
        assert 'name=cccd' in page and "không lưu số, họ tên hay ảnh thẻ" in page
        form = {"day": "2026-11-25", "slot": "09:00", "cccd": number[:6] + " " + number[6:]}
        first = await client.post("/book/B", data=form, allow_redirects=False)
        assert first.status == 303
        code = first.headers["Location"].removeprefix("/b/")
        again = await client.post("/book/B", data={**form, "slot": "10:00"},
                                  allow_redirects=False)
        text = await again.text()
        assert again.status == 409
        assert f"Quý khách đã có lịch hẹn {code} cho Hộ tịch ngày 25/11/2026" in text
        bad = await client.post("/book/B", data={**form, "cccd": "12345"})
        assert bad.status == 400 and "đúng 12 chữ số" in await bad.text()
        assert number not in await (await client.get(f"/b/{code}")).text()
    assert number not in caplog.text and number[:6] not in caplog.text
    with store.read() as conn:
        assert conn.execute(select(booking_t.c.person).where(
            booking_t.c.code == code)).scalar_one() not in (None, number)
