from __future__ import annotations

import unicodedata

from queue_kiosk.text import fold, nfc


def test_nfc_composes_combining_tone_marks() -> None:
    decomposed = unicodedata.normalize("NFD", "Hộ tịch")
    assert decomposed != "Hộ tịch"
    assert nfc(decomposed) == "Hộ tịch"


def test_fold_ignores_case_tones_and_d_stroke() -> None:
    assert fold("Đất đai") == "dat dai"
    assert fold("HỘ TỊCH") == fold("ho tich")
    assert fold(unicodedata.normalize("NFD", "Chứng thực")) == "chung thuc"
