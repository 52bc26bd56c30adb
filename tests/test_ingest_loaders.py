"""Loading and cleaning: chrome out, content kept verbatim, offsets exact, bad files refused."""

from __future__ import annotations

import codecs
import io
import random
from pathlib import Path

import pytest

from rag.errors import DocumentError
from rag.ingest.loaders import clean_text, is_chrome, load_file
from tests.conftest import SEEDS

LIMIT = 20 * 1024 * 1024  # the default RAG_MAX_UPLOAD_BYTES

CHROME = [
    "Subscribe",
    "Continue reading",
    "Share On Facebook",
    "reCAPTCHA",
    "Newsletter",
    "Discover more from",
    "Vous devez souscrire",
    "Gain full access",
    "Latest News",
]


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_chrome_is_removed_and_offsets_map_back(path: Path) -> None:
    doc = load_file(path, LIMIT)
    for phrase in CHROME:
        assert phrase.lower() not in doc.text.lower(), phrase
    source = path.read_text(encoding="utf-8")
    assert doc.source_text == source
    for offset, char in enumerate(doc.text):
        if char != "\n":
            assert source[doc.source_offset(offset)] == char


def test_content_is_kept_verbatim() -> None:
    doc = load_file(SEEDS / "001_f4cdcd2d35e961d2.txt", LIMIT)
    assert "Marta Furlan holds a Ph.D. in international relations" in doc.text
    assert "This article was originally published by the Jerusalem Institute" in doc.text
    assert doc.title == "The Meeting Between Assad and Khamenei: What Was on the Table?"


def test_repeated_lines_and_chrome_lines_are_dropped() -> None:
    src = "Title of a piece\n\nReal paragraph one.\nShare on Twitter\nReal paragraph one.\n"
    doc = clean_text(src)
    assert doc.text == "Title of a piece\n\nReal paragraph one."
    assert doc.dropped_lines == 2


def test_the_dropped_chrome_is_kept_as_the_masthead_that_names_the_publisher() -> None:
    src = (
        "A Title\n\nA real paragraph.\nJoin the Algemeiner\nA real paragraph.\n"
        "All publishing rights and copyrights reserved to MENA Research Center.\n"
    )
    doc = clean_text(src)
    assert "Algemeiner" not in doc.text and "MENA" not in doc.text
    assert doc.masthead == (
        "Join the Algemeiner / "
        "All publishing rights and copyrights reserved to MENA Research Center."
    )


def test_the_author_is_read_from_a_byline_or_an_author_box_at_the_end() -> None:
    byline = "Title of the piece\n\navatar by Marta Furlan /\n\nThe body says things here."
    assert clean_text(byline).author == "Marta Furlan"
    boxed = (
        "Title of the piece\n\nThe body says things here.\n\nJane Q Doe\nJane Q Doe\n"
        "Editor-in-chief, The Daily Planet. Middle East affairs expert.\n\nPublic Reaction"
    )
    assert clean_text(boxed).author == "Jane Q Doe"
    # a short capitalised line followed by anything but a role is no author box
    plain = "Title of the piece\n\nThe body.\n\nPublic Reaction\n\nSubscribe to our Newsletter"
    assert clean_text(plain).author == ""
    herald = clean_text((SEEDS / "000_cecc55bc2f7d4b03.txt").read_text(encoding="utf-8"))
    assert herald.author == "Muzaffar Ahmad Noori Bajwa"


def test_the_date_a_text_was_published_is_read_from_its_dateline() -> None:
    """A dateline near the top ("May 30, 2022 10:10 am") or a line saying so; not the site's
    date of the day atop the page ("Saturday, July 13, 2024")."""
    algemeiner = clean_text((SEEDS / "001_f4cdcd2d35e961d2.txt").read_text(encoding="utf-8"))
    assert algemeiner.published == "May 30, 2022"
    said = (
        "Title of the piece\n\nSaturday, July 13, 2024\n\nPosted on 3 June 2024 by staff\n\nBody."
    )
    assert clean_text(said).published == "3 June 2024"
    herald = clean_text((SEEDS / "000_cecc55bc2f7d4b03.txt").read_text(encoding="utf-8"))
    assert herald.published == ""  # only "Saturday, July 13, 2024", the page's date of the day
    # a date in the body is what the text tells of, not when it was published
    body = "Title of the piece\n\n" + "The war began on March 15, 2011, in the south of Syria. " * 3
    assert clean_text(body).published == ""


def test_long_paragraph_mentioning_subscriptions_is_content() -> None:
    para = "Analysts say the subscription model " + "and its economics " * 30 + "matter."
    assert not is_chrome(para)
    assert is_chrome("Subscribe to our Newsletter")


def test_html_main_text_without_scripts(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = " ".join(["Tehran and Damascus signed a new trade agreement on Tuesday."] * 5)
    page.write_text(
        "<html><head><title>Trade pact</title><script>alert('x')</script>"
        '<meta property="article:published_time" content="2024-06-01T10:00:00Z"></head><body>'
        "<nav>Home | About | Subscribe to our newsletter</nav>"
        f"<article><h1>Trade pact</h1><p>{body}</p><p>Officials praised the deal.</p></article>"
        "<footer>All rights reserved</footer></body></html>",
        encoding="utf-8",
    )
    doc = load_file(page, LIMIT)
    assert "signed a new trade agreement" in doc.text
    assert doc.published == "2024-06-01"  # the page's date, as its metadata gives it
    assert "alert(" not in doc.text
    assert "newsletter" not in doc.text.lower()
    assert doc.title == "Trade pact"
    assert doc.kind == "html"


def test_markdown_title_from_heading(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text("# Field notes\n\nThe envoy met the minister twice.\n", encoding="utf-8")
    doc = load_file(md, LIMIT)
    assert doc.title == "Field notes"
    assert "envoy met the minister" in doc.text


def minimal_pdf(*pages: str) -> bytes:
    """A valid PDF with one page per text, in Helvetica (written by hand: no PDF writer
    needed)."""
    n = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    font = 3 + 2 * n
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
    ]
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_pages_are_known(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(minimal_pdf("Page one is about Damascus.", "", "Page three is about Tehran."))
    doc = load_file(pdf, LIMIT)
    first, third = doc.text.index("Damascus"), doc.text.index("Tehran")
    assert doc.page_at(doc.source_offset(first)) == 1  # the empty page 2 holds no text
    assert doc.page_at(doc.source_offset(third)) == 3
    note = tmp_path / "a.txt"
    note.write_text("Plain text here, on no page at all.")
    assert load_file(note, LIMIT).page_at(0) is None


@pytest.mark.parametrize("depth", [400, 10_000])
def test_deeply_nested_html_keeps_all_its_text(tmp_path: Path, depth: int) -> None:
    """lxml cuts what lies below ~255 levels without a word: such a page is read whole."""
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><head><title>Deep page</title><style>p {}</style></head><body>"
        + "<font>" * depth
        + "<p>The harbor master is Jane Doe.</p><p>She was appointed in 2020.</p></body></html>"
    )
    doc = load_file(page, LIMIT)
    assert "The harbor master is Jane Doe." in doc.text and "appointed in 2020" in doc.text
    assert "p {}" not in doc.text and doc.title == "Deep page"


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(minimal_pdf("The memo was signed in Damascus in March 2021."))
    doc = load_file(pdf, LIMIT)
    assert "signed in Damascus in March 2021" in doc.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary"),
        ("late-nul.txt", b"Plain text. " * 1000 + b"\x00 and more", "NUL"),
        ("controls.txt", b"\x01\x02\x03 hello " * 100, "control characters"),
        ("noise.txt", bytes(b % 255 + 1 for b in random.Random(0).randbytes(9000)), "binary"),
        ("empty.txt", b"   \n\n", "no text"),
        ("image.png", b"\x89PNG\r\n", "unsupported"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=reason):
        load_file(path, LIMIT)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-8", b"")],
)
def test_unicode_text_is_decoded_by_its_byte_order_mark(
    tmp_path: Path, encoding: str, bom: bytes
) -> None:
    path = tmp_path / "windows-unicode.txt"
    path.write_bytes(bom + "The minister’s visit to Tehran – a first.".encode(encoding))
    assert "minister’s visit to Tehran – a first" in load_file(path, LIMIT).text


def test_other_legacy_encodings_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "cyrillic.txt"
    path.write_bytes(("Президент Сирии посетил Тегеран в мае. " * 5).encode("cp1251"))
    assert "Президент Сирии посетил Тегеран" in load_file(path, LIMIT).text


def test_windows_1252_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("The minister’s visit – a first.".encode("cp1252"))
    assert "minister’s visit – a first" in load_file(path, LIMIT).text


def test_a_pdf_encrypted_without_a_user_password_is_read_and_one_with_is_refused(
    tmp_path: Path,
) -> None:
    """Restrictions-only encryption (an empty user password) opens like any PDF; a real
    password gets a clear error."""
    from pypdf import PdfReader, PdfWriter

    for user, name in (("", "open.pdf"), ("s3cret", "locked.pdf")):
        writer = PdfWriter(
            clone_from=PdfReader(io.BytesIO(minimal_pdf("The envoy met the minister.")))
        )
        writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-128")
        with (tmp_path / name).open("wb") as out:
            writer.write(out)
    assert PdfReader(str(tmp_path / "open.pdf")).is_encrypted
    assert "envoy met the minister" in load_file(tmp_path / "open.pdf", 10**7).text
    with pytest.raises(DocumentError, match="password"):
        load_file(tmp_path / "locked.pdf", 10**7)


def big_page(paragraphs: int) -> str:
    seed = (SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8")
    lines = [line for line in seed.splitlines() if line.strip()]
    body = "".join(f"<p>{lines[n % len(lines)]} ({n})</p>" for n in range(paragraphs))
    return f"<html><head><title>Big</title></head><body>{body}</body></html>"


def test_pdf_and_html_parse_in_a_worker_with_the_same_result(tmp_path: Path) -> None:
    from rag.config import Settings
    from rag.ingest.bounded import load_bounded

    page = tmp_path / "page.html"
    page.write_text(big_page(40), encoding="utf-8")
    bounded, direct = load_bounded(page, Settings()), load_file(page, LIMIT)
    assert bounded.text == direct.text and bounded.title == direct.title
    assert bounded.source_offset(len(bounded.text) // 2) == direct.source_offset(
        len(direct.text) // 2
    )


def test_a_parse_past_its_time_or_memory_bound_fails_and_the_next_file_goes_on(
    tmp_path: Path,
) -> None:
    from rag.config import Settings
    from rag.ingest.bounded import load_bounded

    slow, ok = tmp_path / "slow.html", tmp_path / "ok.html"
    slow.write_text(big_page(60_000), encoding="utf-8")  # ~8 MB: seconds of parsing
    ok.write_text(big_page(5), encoding="utf-8")
    with pytest.raises(DocumentError, match=r"longer than 0\.3 s"):
        load_bounded(slow, Settings(parse_timeout_s=0.3))
    assert "(4)" in load_bounded(ok, Settings(parse_timeout_s=30)).text  # a fresh worker
    with pytest.raises(DocumentError, match="more than 64 MB"):
        load_bounded(slow, Settings(parse_memory_mb=64, parse_timeout_s=120))
    assert "(4)" in load_bounded(ok, Settings(parse_memory_mb=64)).text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("filler.txt", "word " * 200_000),  # 1 MB that compresses ~185 to 1
        ("one-char.txt", "A" * 2_000_000),  # one "word" of 2 million characters
        ("filler.md", "lorem ipsum " * 100_000),
    ],
)
def test_a_highly_compressible_file_is_refused_before_any_embedding(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError, match="mostly repetition"):
        load_file(path, LIMIT)


def test_prose_on_one_huge_line_is_read(tmp_path: Path) -> None:
    """No line breaks in a megabyte of prose: still prose (it compresses like prose)."""
    prose = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in SEEDS.glob("*.txt"))
    path = tmp_path / "one-line.txt"
    path.write_text((prose * 20)[:1_000_000], encoding="utf-8")
    doc = load_file(path, LIMIT)
    assert len(doc.text) == 1_000_000 and "\n" not in doc.text
