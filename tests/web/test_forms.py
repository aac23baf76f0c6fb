"""What the pages' forms accept, over real HTTP on loopback: a booking form books only the
field in its URL; a body none of the forms sends gets a 400 in the citizen's language on every
POST, never a 500 and a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from queue_kiosk.config.devices import KioskConfig
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.appointments import Appointments
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.store import Store
from queue_kiosk.web.pages import RateLimiter, build_app
from tests.conftest import make_service
from tests.store.test_appointments import booking_hall

Client = TestClient[web.Request, web.Application]
DAY = "2026-11-25"
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture
def hall_service(store: Store, clock: FrozenClock) -> QueueService:
    hall = booking_hall()
    return make_service(store, clock, hall.model_copy(
        update={"kiosk": KioskConfig(ask_procedure=True)}))


@pytest.fixture
async def client(hall_service: QueueService) -> AsyncIterator[Client]:
    app = build_app(hall_service, limiter=RateLimiter(limit=1000),
                    booking_limiter=RateLimiter(limit=1000))
    async with TestClient(TestServer(app)) as c:
        yield c


def bookings(service: QueueService) -> list[tuple[str, str | None]]:
    return [(b.field, b.procedure) for b in Appointments(service).day_list(service.today())]


async def test_the_slot_page_offers_only_its_fields_procedures(client: Client) -> None:
    page = await (await client.get("/book/A")).text()
    assert '<option value="A1">Chứng thực chữ ký</option>' in page
    assert "<select" not in await (await client.get("/book/B")).text()  # B has none


@pytest.mark.parametrize("procedure", ["A1", "a1", "Chứng thực", "Chứng thực chữ ký", "C"])
async def test_a_booking_form_books_only_the_field_in_its_url(
        client: Client, hall_service: QueueService, procedure: str) -> None:
    # Before: POST /book/B with procedure=A1 (or a name of A) booked field A.
    response = await client.post("/book/B", data={"day": DAY, "slot": "09:00",
                                                  "procedure": procedure})
    assert response.status == 400
    assert "không thuộc lĩnh vực Hộ tịch" in await response.text()
    english = await client.post("/book/B", data={"day": DAY, "slot": "09:00",
                                                 "procedure": procedure}, headers=ENGLISH)
    assert "is not one of Hộ tịch" in await english.text()
    assert bookings(hall_service) == []


async def test_a_procedure_of_the_field_is_booked_with_it(client: Client,
                                                         hall_service: QueueService) -> None:
    response = await client.post("/book/A", data={"day": DAY, "slot": "09:00",
                                                  "procedure": "A1"}, allow_redirects=False)
    assert response.status == 303
    response = await client.post("/book/A", data={"day": DAY, "slot": "09:30",
                                                  "procedure": ""}, allow_redirects=False)
    assert response.status == 303
    assert sorted(bookings(hall_service), key=str) == [("A", "A1"), ("A", None)]


BOUNDARY = "QkBoundary"


def multipart(*parts: tuple[str, str]) -> bytes:
    """A multipart body from (Content-Disposition, value) pairs."""
    body = "".join(f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n{value}\r\n"
                   for disposition, value in parts)
    return f"{body}--{BOUNDARY}--\r\n".encode()


FORM = "application/x-www-form-urlencoded"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
MALFORMED = {
    "invalid UTF-8": (FORM, f"day={DAY}&slot=09:00&level=3&phone=".encode() + b"\xff\xfe"),
    "a part without a name": (MULTIPART, multipart(("form-data", "3"))),
    "a file": (MULTIPART, multipart(('form-data; name="level"; filename="x.txt"', "3"))),
    "oversize": (FORM, f"day={DAY}&slot=09:00&level=3&phone=".encode() + b"0" * 20_000),
    "far oversize": (FORM, b"level=" + b"3" * 2_000_000),  # past aiohttp's own 1 MiB
    "JSON": ("application/json", b'{"day": "2026-11-25", "slot": "09:00", "level": "3"}'),
    "plain text": ("text/plain", b"level=3"),
    "an unknown charset": (f"{FORM}; charset=x-no-such", b"level=3"),
}


@pytest.fixture
def targets(hall_service: QueueService) -> dict[str, str]:
    """The pages' POST handlers: booking, cancelling a booking, rating a ticket."""
    booked = Appointments(hall_service).book("B", hall_service.today(), "10:00")
    ticket = hall_service.issue("B")
    hall_service.call_next("1")
    hall_service.finish("1")
    return {"book": "/book/B", "cancel": f"/b/{booked.code}/cancel",
            "rate": f"/t/{ticket.token}/rate"}


@pytest.mark.parametrize("case", list(MALFORMED))
@pytest.mark.parametrize("target", ["book", "cancel", "rate"])
async def test_a_malformed_body_gets_400_in_the_citizens_language(
        client: Client, hall_service: QueueService, targets: dict[str, str],
        caplog: pytest.LogCaptureFixture, target: str, case: str) -> None:
    kind, body = MALFORMED[case]
    caplog.set_level(logging.DEBUG)
    before = (bookings(hall_service), Appointments(hall_service).day_list(
        hall_service.today())[0].status)
    response = await client.post(targets[target], data=body, headers={"Content-Type": kind},
                                 allow_redirects=False)
    text = await response.text()
    assert response.status == 400, text
    assert "Trang không đọc được yêu cầu này" in text and 'lang="vi"' in text
    english = await client.post(targets[target], data=body,
                                headers={"Content-Type": kind, **ENGLISH})
    assert english.status == 400
    assert "This page could not read the request" in await english.text()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text
    # Nothing happened: no booking made, none cancelled, no rating given.
    assert (bookings(hall_service), Appointments(hall_service).day_list(
        hall_service.today())[0].status) == before
    rated = hall_service.ticket_by_token(targets["rate"].split("/")[2])
    assert rated is not None and not hall_service.is_rated(rated.id)


async def test_well_formed_multipart_and_empty_bodies_still_work(
        client: Client, hall_service: QueueService, targets: dict[str, str]) -> None:
    rated = await client.post(targets["rate"], data=multipart(('form-data; name="level"', "3")),
                              headers={"Content-Type": MULTIPART}, allow_redirects=False)
    assert rated.status == 303
    cancelled = await client.post(targets["cancel"], allow_redirects=False)  # no body at all
    assert cancelled.status == 303


async def test_a_day_that_is_not_a_date_is_a_bad_request(client: Client) -> None:
    response = await client.post("/book/B", data={"day": "29/02/2027", "slot": "09:00"})
    assert response.status == 400 and "Trang không đọc được" in await response.text()
