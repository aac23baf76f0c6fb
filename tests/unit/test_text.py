from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from queue_kiosk.domain.text import DANGLING, fit_lines, fold, nfc


def test_nfc_composes_combining_tone_marks() -> None:
    decomposed = unicodedata.normalize("NFD", "Hộ tịch")
    assert decomposed != "Hộ tịch"
    assert nfc(decomposed) == "Hộ tịch"


def test_fold_ignores_case_tones_and_d_stroke() -> None:
    assert fold("Đất đai") == "dat dai"
    assert fold("HỘ TỊCH") == fold("ho tich")
    assert fold(unicodedata.normalize("NFD", "Chứng thực")) == "chung thuc"


WORDS = st.lists(st.sampled_from(["Tư", "pháp", "–", "Hộ", "tịch", "Nông", "nghiệp,",
                                  "Hướng", "dẫn", "hỗ", "trợ", "Văn", "hóa", "và", "xã"]),
                 min_size=1, max_size=12)


@given(words=WORDS, width=st.integers(min_value=2, max_value=30),
       most=st.integers(min_value=1, max_value=3))
def test_fitted_lines_keep_whole_words_in_order_within_the_width(
        words: list[str], width: int, most: int) -> None:
    text = " ".join(words)
    lines = fit_lines(text, cell_len, width, most)
    assert 1 <= len(lines) <= most
    assert all(cell_len(line) <= width for line in lines)
    shown = " ".join(lines).split()
    if not lines[-1].endswith("…"):
        assert shown == words
        return
    if lines[-1].endswith(" …"):  # cut after a whole word, not after "–", "," or "và"
        shown.pop()
        assert shown == words[:len(shown)] or shown[-1] == words[len(shown) - 1].rstrip(",")
        assert shown[-1] not in DANGLING
    else:  # no whole word fit before "…" (too wide, or only "–" and the like): one is cut
        assert any(word.startswith(lines[-1][:-1]) for word in words)


def test_a_name_too_long_for_its_box_ends_after_a_word() -> None:
    assert fit_lines("Hướng dẫn, hỗ trợ dịch vụ công trực tuyến", cell_len, 20, 1) == [
        "Hướng dẫn, hỗ trợ …"]
    assert fit_lines("Tư pháp – Hộ tịch", cell_len, 11, 1) == ["Tư pháp …"]
    assert fit_lines("Tư pháp – Hộ tịch", cell_len, 11, 2) == ["Tư pháp –", "Hộ tịch"]
