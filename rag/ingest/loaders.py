"""Load files into clean text that remembers where each character came from.

Supported: ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm`` (main text through trafilatura)
and ``.pdf`` (pypdf). Cleaning drops web-page debris line by line (newsletter prompts, share
buttons, paywall notes, "Continue reading", repeated paragraphs) but never rewrites a kept
line, so every character of the clean text maps back to an offset in the source text: the
file's text for txt/md, the extracted text for html/pdf.
"""

from __future__ import annotations

import bisect
import codecs
import re
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

from rag.errors import DocumentError, FileTooLarge, UnsupportedFileType

SUPPORTED_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}

# A line shorter than this that matches a pattern below is page chrome, not content.
# Long lines are never dropped: an article may well discuss "subscriptions".
_CHROME_MAX_CHARS = 300
_CHROME_PATTERNS = [
    r"\bsubscri(be|bing|ption)\b",
    r"\bnewsletter\b",
    r"^continue reading\W*$",
    r"^discover more from\b",
    r"^share (this story|on)\b|\bshare on (facebook|twitter|x)\b",
    r"^(latest news|public reaction|related (posts|articles)|read more|advertisement)\W*$",
    r"\b(gain full access|never miss a story|exclusive stories right into your inbox)\b",
    r"\bprotected by recaptcha\b",
    r"^let your voice be heard\W*$|^join the \w+\W*$",
    r"\bfollow .{0,60} on google news\b|\bto show your support\b",
    r"\bcontact-form-7\b",
    r"^[-–—\s]*published on:?\s*$",
    r"\bsouscrire\b|\babonnement\b",
    r"\ball (publishing )?rights (and copyrights )?reserved\b",
    r"\bdo not represent those of\b",
    r"^the files we follow:",
    # Hebrew-calendar page dates ("Sunday, July 14th | 8 Tammuz 5784"): site header.
    r"\b(tishrei|cheshvan|kislev|tevet|shevat|adar|nisan|iyar|sivan|tammuz|av|elul) 57\d\d\b",
]
_MASTHEAD_CHARS = 600

# A whole date as a page prints it: "May 30, 2022", "30 May 2022", "July 14th, 2024",
# "2024-06-01".
_MONTH_NAMES = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_FULL_DATE = re.compile(
    rf"\b{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAMES},?\s+(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d-[01]\d-[0-3]\d\b",
    re.IGNORECASE,
)
# "Saturday, July 13, 2024" atop a page is the site's date of the day, not the article's.
_WEEKDAY_FIRST = re.compile(r"^\W*(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_PUBLISHED_SAYS = re.compile(r"\b(?:published|posted|updated|first appeared)\b", re.IGNORECASE)
_DATELINE_WORDS = 8
_DATELINE_LINES = 12
_CHROME = re.compile("|".join(f"(?:{p})" for p in _CHROME_PATTERNS), re.IGNORECASE)


@dataclass
class CleanDocument:
    """Clean text plus the map back to the source text.

    ``segments`` holds ``(clean_start, source_start)`` for each kept line; within a line the
    offsets advance together because kept lines are copied verbatim.
    """

    text: str
    title: str
    kind: str
    source_text: str
    segments: list[tuple[int, int]] = field(default_factory=list)
    dropped_lines: int = 0
    author: str = ""
    published: str = ""
    """The date the page gives the text ("May 30, 2022"), "" when it gives none."""
    masthead: str = ""
    """The page chrome that names the publisher ("All publishing rights reserved to MENA
    Research Center", "Join the Algemeiner"): dropped from the text, kept so a question can
    name the document by it ("according to the MENA paper")."""
    pages: list[tuple[int, int]] = field(default_factory=list)
    """``(source offset, page number)`` where each page of a paged document (PDF) starts."""

    def page_at(self, source_offset: int) -> int | None:
        """The 1-based page holding ``source_offset``, or None for a document without pages."""
        if not self.pages:
            return None
        i = max(0, bisect.bisect_right([start for start, _ in self.pages], source_offset) - 1)
        return self.pages[i][1]

    def source_offset(self, clean_offset: int) -> int:
        """Map an offset in ``text`` to the matching offset in ``source_text``."""
        if not self.segments:
            return clean_offset
        starts = [s[0] for s in self.segments]
        i = max(0, bisect.bisect_right(starts, clean_offset) - 1)
        clean_start, source_start = self.segments[i]
        return source_start + (clean_offset - clean_start)


def is_chrome(line: str) -> bool:
    """True for a line that is web-page debris rather than document content."""
    stripped = line.strip()
    return len(stripped) < _CHROME_MAX_CHARS and bool(_CHROME.search(stripped))


def clean_text(source_text: str, kind: str = "text") -> CleanDocument:
    """Drop chrome and repeated lines; keep everything else verbatim, one line a paragraph."""
    kept: list[str] = []
    segments: list[tuple[int, int]] = []
    seen: set[str] = set()
    chrome: list[str] = []
    dropped = 0
    clean_len = 0
    for match in re.finditer(r"[^\n]+", source_text):
        raw = match.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        key = re.sub(r"\s+", " ", stripped).lower()
        if is_chrome(stripped) or key in seen:
            dropped += 1
            if key not in seen and len(" / ".join(chrome)) < _MASTHEAD_CHARS:
                chrome.append(stripped)
            seen.add(key)
            continue
        # A repeated line is either chrome (a repeated sign-up box) or a page that printed its
        # body twice: either way the first copy is enough.
        seen.add(key)
        lead = len(raw) - len(raw.lstrip())
        if kept:
            clean_len += 2  # the "\n\n" joining paragraphs
        segments.append((clean_len, match.start() + lead))
        kept.append(stripped)
        clean_len += len(stripped)
    text = "\n\n".join(kept)
    return CleanDocument(
        text=text,
        title=_guess_title(kept, kind),
        kind=kind,
        source_text=source_text,
        segments=segments,
        dropped_lines=dropped,
        author=_guess_author(kept),
        published=_guess_published(kept),
        masthead=" / ".join(chrome)[:_MASTHEAD_CHARS],
    )


# A byline near the top: "By Jane Doe", "avatar by Marta Furlan /", "Written by J. Smith".
_BYLINE = re.compile(
    r"^(?:avatar\s+|written\s+)?by\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s*[/|,]?\s*$",
    re.IGNORECASE,
)


# An author box at the end of a page: the name on a line of its own, then a line saying who
# they are ("Muzaffar Ahmad Noori Bajwa" / "Editor-in-chief, The Eastern Herald. ...").
_NAME_LINE = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,4}$")
_ROLE_LINE = re.compile(
    r"^(?:(?:senior|chief|contributing|staff|managing|deputy|associate|executive|freelance|guest)"
    r"\s+)?(?:editor|editor-in-chief|reporter|correspondent|journalist|writer|author|columnist"
    r"|contributor|analyst|researcher|fellow|director|professor|lecturer|founder)\b",
    re.IGNORECASE,
)
_AUTHOR_BOX_LINES = 12


def _guess_author(lines: list[str]) -> str:
    """A byline near the top, else an author box among the last lines."""
    for line in lines[:12]:
        match = _BYLINE.match(line.strip())
        if match:
            return match.group(1)
    tail = lines[-_AUTHOR_BOX_LINES:]
    for name, about in pairwise(tail):
        if _NAME_LINE.match(name.strip()) and _ROLE_LINE.match(about.strip()):
            return name.strip()
    return ""


def _guess_published(lines: list[str]) -> str:
    """The date near the top that the text was published on: one a line says it was
    ("Published on: June 1, 2024"), else a dateline ("May 30, 2022 10:10 am": a short line
    holding a whole date, not the site's date of the day)."""
    top = lines[:_DATELINE_LINES]
    for line in top:
        said = _PUBLISHED_SAYS.search(line)
        if said and (date := _FULL_DATE.search(line, said.end())):
            return date.group(0)
    for line in top:
        date = _FULL_DATE.search(line)
        if date and len(line.split()) <= _DATELINE_WORDS and not _WEEKDAY_FIRST.match(line):
            return date.group(0)
    return ""


def _guess_title(lines: list[str], kind: str) -> str:
    if kind == "markdown":
        for line in lines:
            if line.startswith("#"):
                return line.lstrip("#").strip()[:200]
    for line in lines[:6]:
        words = line.split()
        # A title is short, is not a heading like "Summary:" and is not a dateline.
        dateline = len(words) <= 8 and re.search(r"\b(19|20)\d\d\b", line)
        if 3 <= len(words) <= 25 and not line.endswith((":", ".")) and not dateline:
            return line[:200]
    return lines[0][:200] if lines else ""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than those text holds (tab, newlines, form feed): signs of binary.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
MAX_MESS = 0.2
"""charset-normalizer's mess ratio above which decoded bytes are not taken for text."""


def _detected(data: bytes) -> str:
    """Bytes that are not UTF-8: Windows-1252 when that reads cleanly (the usual legacy
    encoding of Western text, which detection on short texts confuses with its siblings),
    else the encoding charset-normalizer finds; refused when nothing reads as text."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        text = data.decode("cp1252")
        if mess_ratio(text, MAX_MESS) < MAX_MESS:
            return text
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_exclusion=["utf_16", "utf_16_be", "utf_16_le", "utf_32"]).best()
    text = str(best) if best is not None else ""
    if not text or mess_ratio(text, MAX_MESS) >= MAX_MESS:
        raise DocumentError(
            "not text in any encoding found (UTF-8, UTF-16, Windows-1252, ...): a binary file?"
        )
    return text


def decode_text(data: bytes) -> str:
    """Decode a text file: by its byte-order mark (UTF-8, UTF-16 or UTF-32, as Windows'
    "Unicode" files have), else as UTF-8, else by detection (charset-normalizer: cp1252,
    Latin-1, ...). Refused, with the reason: NUL bytes anywhere, undetectable bytes, or text
    whose control characters are more than ``MAX_CONTROL_SHARE`` of it."""
    codec = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if codec is None and b"\x00" in data:
        raise DocumentError("looks like a binary file (contains NUL bytes), not text")
    try:
        text = data.decode(codec or "utf-8")
    except UnicodeDecodeError as exc:
        if codec is not None:
            raise DocumentError(f"not valid {codec.upper()} text: {exc}") from exc
        text = _detected(data)
    text = text.removeprefix("\ufeff")
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise DocumentError(
            f"looks like a binary file ({controls} control characters in {len(text)}), not text"
        )
    return text


# lxml (under trafilatura) silently drops what lies deeper than libxml2's ~255 levels.
MAX_HTML_DEPTH = 200
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


class _PlainText(HTMLParser):
    """The text of a page of any nesting depth (the standard library's parser keeps no tree),
    without scripts and styles, and the deepest nesting of its elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.depth = 0
        self.pieces: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.open.append(tag)
        self.depth = max(self.depth, len(self.open))
        self._skip += tag in ("script", "style")
        self._in_title = self._in_title or tag == "title"
        if tag in ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article"):
            self.pieces.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:  # close it and whatever was left open inside it
            while self.open:
                closed = self.open.pop()
                self._skip -= closed in ("script", "style")
                if closed == "title":
                    self._in_title = False
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.pieces.append(data)

    def text(self) -> str:
        paragraphs = (" ".join(p.split()) for p in "".join(self.pieces).split("\n\n"))
        return "\n\n".join(p for p in paragraphs if p)


def html_to_text(html: str) -> tuple[str, str, str, str]:
    """Main text, title, author and date of an HTML page (scripts, navigation and footers removed).

    A page nested deeper than ``MAX_HTML_DEPTH`` (400 unclosed ``<font>`` tags) is read by the
    standard library's parser instead, whole: lxml would cut everything below its depth limit
    without a word."""
    import trafilatura

    plain = _PlainText()
    plain.feed(html)
    plain.close()
    if plain.depth > MAX_HTML_DEPTH:
        return plain.text(), " ".join(plain.title.split())[:200], "", ""

    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=True,
        include_links=False,
        deduplicate=True,
        favor_recall=True,
    )
    if not text:
        # Very small pages (no <article>) can defeat the main-text heuristic: fall back to
        # the plain text of the body, still without scripts or styles.
        text = trafilatura.html2txt(html) or ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta and meta.title else "") or ""
    author = (meta.author if meta and meta.author else "") or ""
    published = (meta.date if meta and meta.date else "") or ""
    return text, title, author, published


def pdf_to_text(path: Path) -> tuple[str, list[tuple[int, int]]]:
    """Text of every page of a PDF, pages separated by blank lines, and where each page starts:
    ``(offset in the text, 1-based page number)`` for every page that holds text."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        # Many PDFs are encrypted with an empty user password (only printing or copying is
        # restricted): they open without one. Others need a password we do not have.
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("PDF is encrypted with a password: upload an unlocked copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:
        # A damaged PDF can fail anywhere inside pypdf (PdfReadError, LimitReachedError,
        # KeyError, ...): whatever pypdf cannot parse is a bad file, not a server fault.
        raise DocumentError(f"unreadable PDF: {exc or type(exc).__name__}") from exc
    text, starts = "", []
    for number, page in enumerate(pages, start=1):
        if page:
            text += "\n\n" if text else ""
            starts.append((len(text), number))
            text += page
    return text, starts


def kind_of(filename: str) -> str:
    """The loader kind for a file name; ``DocumentError`` if the type is not supported."""
    suffix = Path(filename).suffix.lower()
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        raise UnsupportedFileType(
            f"unsupported file type {suffix or '(none)'!r}; "
            f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    return kind


# Prose compresses about 2.3 to 1 (the seeds, SQuAD's paragraphs; a table of numbers 2 to 1).
# Filler repeated up to the size limit — "word word word …", one character 20 million times —
# compresses 100 to 1 and more, and would cost many minutes of embedding (20 MB of "word " is
# 34,000 chunks) or one giant chunk: it is refused. Small texts are never refused.
MAX_REPETITION = 10.0
REPETITION_MIN_CHARS = 64 * 1024


def repetition(text: str) -> float:
    """How many times over ``text`` compresses (zlib, fast level); 1.0 for short texts."""
    if len(text) < REPETITION_MIN_CHARS:
        return 1.0
    data = text.encode("utf-8", "surrogatepass")
    return len(data) / max(len(zlib.compress(data, 1)), 1)


def load_file(path: Path, max_bytes: int) -> CleanDocument:
    """Load and clean one file; raise ``DocumentError`` with a user-facing reason."""
    kind = kind_of(path.name)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"file is {size} bytes; the limit is {max_bytes}")
    title = author = published = ""
    pages: list[tuple[int, int]] = []
    if kind == "pdf":
        source, pages = pdf_to_text(path)
    else:
        source = decode_text(path.read_bytes())
        if kind == "html":
            source, title, author, published = html_to_text(source)
    doc = clean_text(source, kind)
    if not doc.text.strip():
        raise DocumentError("no text found in the file")
    ratio = repetition(doc.text)
    if ratio > MAX_REPETITION:
        raise DocumentError(
            f"the text is mostly repetition (it compresses {ratio:.0f} to 1; prose compresses "
            "about 2 to 1): refused rather than embedded"
        )
    doc.title = title or doc.title
    doc.author = author or doc.author
    doc.published = published or doc.published
    doc.pages = pages
    return doc
