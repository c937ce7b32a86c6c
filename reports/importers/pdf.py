"""Cleaning text extracted from an HMICFRS PDF (pdftotext-style) before a layout reads it:

- page numbers and running footers are dropped;
- footnotes (a number alone on a line, then the note, at the foot of a page) are dropped, with the
  reference number they left in the text ("people, 3 is inadequate");
- words the extractor joined across a line break ("problemsolving") get back the hyphen the same
  document uses elsewhere ("problem-solving");
- lines are rejoined into paragraphs and bullets ("•" alone on a line, its text on the next lines).

A line that starts with a space is where the extractor began a new text box (a page or a panel);
it is used as a hint, never required.
"""

import re
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

from reports.importers.text import AFI_HEADING, CAUSE_HEADING, RECOMMENDATIONS_HEADING, Block, SourceText, clean, grade_word

DIGITS = re.compile(r"^\d{1,3}$")
REFERENCE_LIST = re.compile(r"^\d{1,3}(?:,\s?\d{1,3})+$")
PAGE_LABEL = re.compile(r"^(?:Page )?\d{1,3}(?: of \d{1,3})?$", re.IGNORECASE)
FOOTER = re.compile(r"PEEL|HMIC|©|Crown copyright|justiceinspectorates", re.IGNORECASE)
PDF_BULLET = re.compile(r"^[•●▪◦‣∙]\s*(?P<text>.*)$")
HYPHENATED = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")
WORD = re.compile(r"\b[A-Za-z]{4,}\b")
TERMINATOR = re.compile(r"^(?:Next steps|Annex [A-Z]\b.*|Conclusions?|Figures throughout the report)$", re.IGNORECASE)
SUMMARY_OF_FINDINGS = re.compile(r"^Summary of findings$", re.IGNORECASE)
PARAGRAPH_END = re.compile(r"[.!?:][’”'\")]*$")
OVERVIEW_HEADING = re.compile(r"^Overall summary$", re.IGNORECASE)
# Reports are set in a proportional sans-serif font, so whether a word would have fitted at the end
# of a line is judged on approximate glyph widths (thousandths of an em, as in Helvetica/Arial),
# not on character counts: "victims." + "This" overflows where "practice." + "The" does not.
GLYPH_WIDTHS = {
    **dict.fromkeys("ijl", 222),
    **dict.fromkeys("ft .,;:/!", 278),
    **dict.fromkeys("r-()", 333),
    **dict.fromkeys("ckszvxy", 500),
    "m": 833,
    "w": 722,
    "'": 191,
    "’": 222,
    "‘": 222,
    "“": 333,
    "”": 333,
    "I": 278,
    "J": 500,
    "L": 556,
    "F": 611,
    "T": 611,
    "Z": 611,
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    "M": 833,
    "W": 944,
    "%": 889,
}
DEFAULT_GLYPH_WIDTH = 556  # most lower-case letters, digits, and (at 667) close enough for capitals
FIT_RATIO = 0.97
AVERAGE_GLYPH_WIDTH = 460
FOOTNOTE_LOOKBACK = 150


@dataclass
class PdfLine:
    """One line of extracted text: cleaned, with its file line number."""

    text: str
    number: int
    box_start: bool = False


def reference_pattern(number: int) -> re.Pattern:
    """A footnote reference to `number` left in running text: ' 3' after a word, never part of a
    figure such as 1,000 or 3.9."""
    return re.compile(rf"(?<=\S) {number}(?=\s|[.;:)](?!\d)|,(?!\d)|$)")


def text_width(text: str) -> int:
    """The approximate printed width of text, in thousandths of an em."""
    return sum(map(GLYPH_WIDTHS.get, text, repeat(DEFAULT_GLYPH_WIDTH)))


def width_of(lines: list[PdfLine]) -> int:
    """Where lines of body text wrap: the median printed width of a full line plus the word that did
    not fit on it. A line is surely wrapped when the next starts in lower case, and is body text
    (not a narrower bullet or table cell) when it is about as long as the longest usual lines."""
    body_length = chars_width_of(lines) * 0.8
    overflows = sorted(
        text_width(line.text) + text_width(" " + following.text.split(" ", 1)[0])
        for line, following in zip(lines, lines[1:], strict=False)
        if len(line.text) >= body_length and following.text[:1].islower()
    )
    if not overflows:
        return chars_width_of(lines) * AVERAGE_GLYPH_WIDTH
    return overflows[len(overflows) // 2]


def last_row_width(text: str, *, width: int) -> int:
    """The printed width of the last row a line filled: the whole line, or for a line the extractor
    made longer than a row by joining a hyphenated word, what came after that word (half of which
    is reckoned to the row)."""
    if text_width(text) <= width:
        return text_width(text)
    used = 0
    words = text.split(" ")
    for position, word in enumerate(words):
        used += text_width(word + " ")
        if used > width:
            return text_width(word) // 2 + text_width(" " + " ".join(words[position + 1 :]))
    return text_width(text)


def chars_width_of(lines: list[PdfLine]) -> int:
    """The usual length in characters of a full line (the 90th percentile of longer lines)."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 30)
    return lengths[int(len(lengths) * 0.9)] if lengths else 80


def footnotes_remove(lines: list[PdfLine]) -> list[PdfLine]:
    """Drop page numbers, footnotes and the references footnotes left in the text."""
    kept: list[PdfLine] = []
    last_footnote = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        if REFERENCE_LIST.match(line.text):
            index += 1
            continue
        if not DIGITS.match(line.text):
            kept.append(line)
            index += 1
            continue
        number = int(line.text)
        body = index + 1
        while body < len(lines) and not lines[body].text:
            body += 1
        is_footnote = (
            body < len(lines)
            and not DIGITS.match(lines[body].text)
            and not lines[body].text[:1].islower()
            and (last_footnote == 0 or last_footnote < number <= last_footnote + 2)
            and reference_remove(kept, number)
        )
        if not is_footnote:
            index += 1  # a page number
            continue
        last_footnote = number
        end = body + 1
        while end < len(lines) and lines[end].text and not lines[end].box_start and not DIGITS.match(lines[end].text):
            end += 1
        index = end
    return kept


def reference_remove(kept: list[PdfLine], number: int) -> bool:
    """Remove the closest reference to footnote `number` in the lines before it; False if none."""
    pattern = reference_pattern(number)
    for back in range(len(kept) - 1, max(-1, len(kept) - 1 - FOOTNOTE_LOOKBACK), -1):
        matches = list(pattern.finditer(kept[back].text))
        if matches:
            last = matches[-1]
            kept[back].text = kept[back].text[: last.start()] + kept[back].text[last.end() :]
            return True
    return False


def footers_remove(lines: list[PdfLine]) -> list[PdfLine]:
    """Drop running headers and footers: short lines naming the report that repeat on many pages."""
    counts = Counter(line.text for line in lines if line.text)
    return [
        line
        for line in lines
        if not (line.text and counts[line.text] >= 3 and len(line.text) < 120 and FOOTER.search(line.text))
        and not (line.text and not DIGITS.match(line.text) and PAGE_LABEL.match(line.text))
    ]


def joins_repair(lines: list[PdfLine]) -> None:
    """Put back the hyphen of words the extractor joined across a line break, in the over-long lines
    such joins leave, using the hyphenated spellings the document itself uses."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 30)
    usual = lengths[len(lengths) // 2] if lengths else 80
    long_lines = [line for line in lines if len(line.text) > usual * 1.2]
    if not long_lines:
        return
    hyphenated: dict[str, str] = {}
    for word in HYPHENATED.findall("\n".join(line.text for line in lines)):
        hyphenated.setdefault(word.replace("-", "").casefold(), word)
    candidates = {word.casefold() for line in long_lines for word in WORD.findall(line.text)} & hyphenated.keys()
    if not candidates:
        return
    long_ids = {id(line) for line in long_lines}
    # A joined spelling the document also uses on an ordinary line is a real word: leave it.
    ordinary = set(WORD.findall("\n".join(line.text for line in lines if id(line) not in long_ids).casefold()))
    joined = candidates - ordinary

    def repair(match: re.Match) -> str:
        word = match[0]
        if word.casefold() not in joined:
            return word
        spelled = hyphenated[word.casefold()]
        return word[0] + spelled[1:] if word[0].isupper() == spelled[0].isupper() else spelled

    for line in long_lines:
        line.text = WORD.sub(repair, line.text)


def pdf_lines(doc: SourceText) -> list[PdfLine]:
    """The document's lines cleaned of page furniture, blank lines kept as empty text."""
    lines = [
        PdfLine(clean(raw), doc.number(index), box_start=raw[:1].isspace() and bool(raw.strip()))
        for index, raw in enumerate(doc.lines)
    ]
    lines = footers_remove(lines)
    lines = footnotes_remove(lines)
    joins_repair(lines)
    return lines


def is_heading(text: str) -> bool:
    """A line that stands alone: a finding heading, a grade, a section the layouts look for."""
    return bool(
        CAUSE_HEADING.match(text)
        or RECOMMENDATIONS_HEADING.match(text)
        or AFI_HEADING.match(text)
        or SUMMARY_OF_FINDINGS.match(text)
        or OVERVIEW_HEADING.match(text)
        or TERMINATOR.match(text)
        or grade_word(text)
    )


def lines_join(texts: list[str]) -> str:
    """Lines of one paragraph as one line; a line ending in a hyphen joins the next word directly."""
    joined = ""
    for text in texts:
        if joined.endswith("-") and text[:1].islower():
            joined += text
        else:
            joined = f"{joined} {text}" if joined else text
    return joined


def pdf_blocks(lines: list[PdfLine], *, width: int) -> list[Block]:
    """Paragraphs, bullets and stand-alone lines of a stretch of cleaned PDF lines.

    A paragraph ends at a blank line (unless the sentence plainly goes on after it), or where a line
    ends a sentence and the next word would have fitted on it (so the break was the author's, not
    the wrap's)."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.text:
            index += 1
        elif is_heading(line.text):
            blocks.append(Block(line.text, line.number))
            index += 1
        elif bullet := PDF_BULLET.match(line.text):
            texts = [bullet["text"]] if bullet["text"] else []
            index += 1
            while index < len(lines):
                following = lines[index]
                if not following.text:
                    if texts:
                        break
                elif PDF_BULLET.match(following.text) or is_heading(following.text):
                    break
                else:
                    texts.append(following.text)
                index += 1
            if texts:
                blocks.append(Block(lines_join(texts), line.number, bullet=True))
        else:
            texts = [line.text]
            start = line.number
            index += 1
            while index < len(lines):
                following = lines[index]
                if not following.text:
                    # A page number or footnote left a gap mid-sentence: the paragraph goes on.
                    resume = index
                    while resume < len(lines) and not lines[resume].text:
                        resume += 1
                    if resume < len(lines) and lines[resume].text[:1].islower() and not PARAGRAPH_END.search(texts[-1]):
                        index = resume
                        continue
                    break
                if PDF_BULLET.match(following.text) or is_heading(following.text):
                    break
                previous = texts[-1]
                first_word = following.text.split(" ", 1)[0]
                fits = last_row_width(previous, width=width) + text_width(f" {first_word}") <= width * FIT_RATIO
                if PARAGRAPH_END.search(previous) and not first_word[:1].islower() and (fits or following.box_start):
                    blocks.append(Block(lines_join(texts), start))
                    texts, start = [], following.number
                texts.append(following.text)
                index += 1
            blocks.append(Block(lines_join(texts), start))
    return bullets_nest(blocks)


def bullets_nest(blocks: list[Block]) -> list[Block]:
    """PDF text loses indentation: bullets after a bullet ending in ':' are its sub-points, until a
    sub-point ends with a full stop or a paragraph comes."""
    nested: list[Block] = []
    depth = 0
    for block in blocks:
        if not block.bullet:
            depth = 0
            nested.append(block)
            continue
        nested.append(Block(block.text, block.line, bullet=True, level=depth))
        if block.text.endswith(":"):
            depth = 1
        elif depth and block.text.endswith("."):
            depth = 0
    return nested
