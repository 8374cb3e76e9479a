"""Text normalization shared by parsing, matching, answering and the eval.

One place decides how full-width characters, control characters and languages are treated.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
# Lone surrogate halves cannot be encoded, so nothing downstream (model, Chroma, terminal) takes them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_ASIDE = re.compile(r"\([^()A-Za-z]*\)")
# where a sentence ends (a clause break such as ；or ， is not one)
FULL_STOP = re.compile(r"[。！？!?]")


def strip_control(text: str) -> str:
    """Remove control and invisible formatting characters, keep newlines and tabs as spaces.

    A lone surrogate (U+D800–DFFF: a broken UTF-16 pair, or undecodable bytes of a command-line
    argument) becomes U+FFFD, so the text can be encoded by the model, Chroma and the terminal.
    """
    return _SPACES.sub(" ", _CONTROL.sub("", replace_surrogates(text))).strip()


def replace_surrogates(text: str) -> str:
    """Each lone surrogate replaced by U+FFFD (the replacement character)."""
    return _SURROGATE.sub("\ufffd", text)


def fold(text: str) -> str:
    """Matching form: NFKC (full-width digits and punctuation to ASCII), lower case, no spaces.

    Used only to compare text, never to show it: quotes keep the plan's own characters.
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


def is_english(text: str) -> bool:
    """True when the text is written mostly in Latin letters rather than Chinese. Chinese in
    parentheses is an aside ("How big is it (算力中心) planned to be?") and does not count."""
    latin = len(_LATIN.findall(text))
    han = len(_HAN.findall(_ASIDE.sub(" ", text)))
    return latin > 0 and latin >= 2 * han
