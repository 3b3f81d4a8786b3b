"""Compact CJK font subsets: a WeasyPrint finisher that drops the empty glyph slots.

WeasyPrint subsets each font with HarfBuzz keeping glyph ids (HB_SUBSET_FLAGS_RETAIN_GIDS),
because its content streams address glyphs by their id in the full font. A CJK font has
~63,000 glyphs, so a subset of 600 characters still carries ~62,000 empty CharStrings and
metrics entries: about half the PDF. A CID-keyed CFF font (Noto CJK, Source Han) need not
keep them: the PDF's CIDs reach glyphs through the font's charset (ISO 32000-1, 9.7.4.2),
which fontTools writes from the glyph names (cidNNNNN) whatever their new order. So each such
font is subset again by fontTools without retaining ids — same glyphs, same CIDs, same text.
TrueType fonts (FontFile2, addressed by glyph id) are left as WeasyPrint wrote them.
"""

from __future__ import annotations

import io
import logging

from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError


def compact(data: bytes, cids: set[int]) -> bytes | None:
    """The CFF program with only `cids` (and .notdef) as glyphs, or None when not CID-keyed CFF."""
    try:
        font = TTFont(io.BytesIO(data), lazy=False)
        if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
            return None
        order = font.getGlyphOrder()
        options = subset.Options(retain_gids=False, notdef_outline=True, notdef_glyph=True,
                                 passthrough_tables=True, hinting=True, desubroutinize=True,
                                 name_IDs=["*"], name_languages=["*"], name_legacy=True,
                                 layout_features=["*"], ignore_missing_glyphs=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(glyphs=[order[c] for c in sorted(cids) if c < len(order)])
        subsetter.subset(font)
        # The bare CFF program (FontFile3 /CIDFontType0C): its charset maps CIDs to glyphs in
        # every reader, where some take an OpenType wrapper's glyph ids for CIDs.
        out = io.BytesIO()
        font["CFF "].cff.compile(out, font)
    except (TTLibError, KeyError, ValueError, AssertionError) as exc:
        logging.getLogger(__name__).debug("font not compacted: %s", exc)
        return None
    return out.getvalue()


def compact_fonts(document, pdf) -> None:
    """WeasyPrint finisher: replace each embedded CID-keyed CFF subset with its compact form."""
    used: dict[int, set[int]] = {}  # id of the font bytes embedded → glyph ids (= CIDs) used
    contents: dict[int, bytes] = {}
    for font in document.fonts.values():
        key = id(font.file_content)
        used.setdefault(key, set()).update(font.to_unicode)
        contents[key] = font.file_content
    for obj in pdf.objects:
        stream = getattr(obj, "stream", None)
        extra = getattr(obj, "extra", None)
        if not stream or extra is None or extra.get("Subtype") != "/OpenType" or len(stream) != 1:
            continue
        key = id(stream[0])
        if key in used and (small := compact(contents[key], used[key])) is not None:
            obj.stream = [small]
            extra["Subtype"] = "/CIDFontType0C"
