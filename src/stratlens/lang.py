"""English / Welsh language identification for passages.

Strategies in Wales are published in both languages and sometimes mix them on one page, so
language is decided per passage. Two languages only need function words, not a statistical
model: Welsh and English share almost none, and the few shared ones ("a", "i") are ignored.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zA-ZâêîôûŵŷÂÊÎÔÛŴŶáéíóúàèìòùäëïöüÿ'’]+")

_CY = frozenset(
    """y yr yn ac ar o ei eu mae bydd byddwn byddant gyda ein ni hyn hynny sy sy'n wedi cael gan
    fel mewn drwy trwy neu ond hefyd rydym roedd yw oes pob bob i'r o'r a'r ar gyfer ynghylch
    dros rhwng sut beth pwy lle pan felly ymhlith ymlaen mwy mwyaf eich chi nhw hi fe ef fy
    gall gallu dylai angen cyngor cynghorau gwasanaethau gwasanaeth digidol ddigidol cymru
    cymunedau trigolion strategaeth llywodraeth leol lleol sydd fydd nad nid dim ydym
    byddai wrth tuag at ôl hon hwn""".split()
)
_EN = frozenset(
    """the and of to is we will for that with our are on be by this as it from at an or have
    has which their they these those would should can more all its not but been was were
    council services residents people support use using through into across within how what
    who when where there also such new make help work working""".split()
)


def detect_language(text: str) -> str:
    """Return 'cy', 'en' or 'und' (too little text to tell)."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if not words:
        return "und"
    cy = sum(1 for w in words if w in _CY)
    en = sum(1 for w in words if w in _EN)
    cy += 2 * len(re.findall(r"[ŵŷ]|\b(?:ddigidol|gwasanaeth\w*|cyngor|ein|yr|rydym)\b", text.lower()))
    if cy == 0 and en == 0:
        return "und"
    return "cy" if cy > en else "en"
