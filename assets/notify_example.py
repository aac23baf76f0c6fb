#!/usr/bin/env python3
"""An example of queue-kiosk's notification hook: one JSON event arrives on stdin.

Hall file:
    [notify]
    command = "python3 /path/to/notify_example.py /var/log/queue-kiosk-notify.log"
    near = 3

Events ("event" key): "booked", "cancelled" (with the booking: code, field, date,
slot_start, slot_end, status), "near" (ahead: citizens before them) and "called" (number,
counter). "phone" is the number the citizen gave, or null. This example appends a line per
event to the log file named on its command line; a centre replaces `deliver` with a call to
the SMS or Zalo gateway it has. A non-zero exit or an exception is logged by queue-kiosk and
never holds up the queue.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

MESSAGES = {
    "booked": "Lịch hẹn {code}: ngày {date} lúc {slot_start}. Mời đến trước ít phút, chọn "
              "\"Tôi có lịch hẹn\" ở máy lấy số.",
    "cancelled": "Lịch hẹn {code} đã hủy.",
    "near": "Sắp đến lượt số {number}: còn {ahead} người trước Quý khách.",
    "called": "Mời số {number} đến quầy {counter}.",
}


def deliver(phone: str, text: str, log_path: str) -> None:
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"{datetime.now().isoformat(timespec='seconds')}\t{phone}\t{text}\n")


def main() -> int:
    event = json.load(sys.stdin)
    template = MESSAGES.get(event.get("event", ""))
    if template is None or not event.get("phone"):
        return 0  # nothing to say, or nobody to say it to
    deliver(event["phone"], template.format(**event), sys.argv[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
