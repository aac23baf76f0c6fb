"""Provides the hall file's building blocks: strict models (a TOML string is not a bool),
codes and names."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]


Name = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    # strict: a TOML string is not a bool (`enforce = "no"` used to mean true), nor a number.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Named(Strict):
    code: Code
    name: Name
    name_en: str = ""

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name
