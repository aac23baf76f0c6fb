"""Provides the hall's `[identity]` section: reading a citizen's CCCD or VNeID at the kiosk."""

from __future__ import annotations

from pydantic import Field

from queue_kiosk.config.base import Code, Strict


class IdentityConfig(Strict):
    """Off by default: a hall without a scanner works as before. On, a card scanned (or its
    number typed) offers the elderly priority by age and caps the numbers one person takes;
    only a keyed hash of the number is kept, until the day is closed."""

    enabled: bool = False
    per_person_per_field: int = Field(default=1, ge=0, le=99)
    """Numbers one person may take per field and day (0: no limit)."""
    per_person_per_day: int = Field(default=3, ge=0, le=99)
    """Numbers one person may take per day over all fields but the proxy field (0: no
    limit)."""
    proxy_field: Code | None = None
    """The field for filing on others' behalf ("Nộp hồ sơ hộ"), if the hall has one: its
    numbers count against `per_proxy_per_day` alone, not the two limits above."""
    per_proxy_per_day: int = Field(default=10, ge=0, le=999)
    """Numbers one person may take per day in the proxy field (0: no limit)."""
    elderly_age: int = Field(default=60, ge=1, le=120)
    """From this age (full years on the day) the elderly priority is offered, pre-selected."""
    elderly_priority: Code = "elderly"
    """The priority category offered by age: one of the hall's `[[priorities]]`."""

    def limits(self, field: str) -> dict[str, int]:
        """The counters a number of `field` raises, each with its limit (0s left out): the
        field's own, and the day's ("*") unless it is the proxy field."""
        if field == self.proxy_field:
            wanted = {field: self.per_proxy_per_day}
        else:
            wanted = {field: self.per_person_per_field, "*": self.per_person_per_day}
        return {scope: limit for scope, limit in wanted.items() if limit}
