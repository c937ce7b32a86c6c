"""PDF files turned into text: limits, and a clear message for every file that cannot be read."""

import io

import pytest
from pypdf import PdfWriter

from reports.importers.document import ReportImportError
from reports.importers.pdf_file import pdf_text_extract


def pdf_with_text(pages: list[list[str]]) -> bytes:
    """A minimal PDF, written by hand, whose pages hold the given lines in Helvetica."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    font = 3
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for lines in pages:
        commands = (
            "BT /F1 11 Tf 14 TL 50 780 Td "
            + " ".join("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines)
            + " ET"
        )
        objects.append(f"<< /Length {len(commands)} >>\nstream\n{commands}\nendstream")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{kid} 0 R' for kid in kids)}] /Count {len(kids)} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


REPORT_LINES = [
    "Norfolk PEEL 2018",
    "How effectively does the force reduce crime and keep people safe?",
    "Good",
    "The force keeps the people of the county safe and reduces crime well.",
]


def blank_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_text_pdf_gives_its_lines_page_after_page():
    text = pdf_text_extract(data=pdf_with_text([REPORT_LINES, ["Questions for Effectiveness", "More words on the second page."]]))
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert lines[:3] == REPORT_LINES[:3]
    assert "Questions for Effectiveness" in lines
    assert text.index("Good") < text.index("\f") < text.index("Questions for Effectiveness")


def test_a_file_that_is_not_a_pdf_is_refused_with_a_clear_message():
    with pytest.raises(ReportImportError, match="the file is not a PDF"):
        pdf_text_extract(data=b"Norfolk PEEL 2018\nGood\n")


def test_a_damaged_pdf_is_refused_with_a_clear_message():
    with pytest.raises(ReportImportError, match="cannot be read|no pages|no text"):
        pdf_text_extract(data=b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF")


def test_an_encrypted_pdf_is_refused_with_a_clear_message():
    writer = PdfWriter()
    writer.append(io.BytesIO(pdf_with_text([REPORT_LINES])))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReportImportError, match="the PDF is encrypted"):
        pdf_text_extract(data=out.getvalue())


def test_a_scanned_pdf_with_no_text_is_refused_with_a_clear_message():
    with pytest.raises(ReportImportError, match=r"hold almost no text \(0 letters\): it looks scanned"):
        pdf_text_extract(data=blank_pdf(pages=2))


def test_a_pdf_over_the_size_or_page_limit_is_refused():
    with pytest.raises(ReportImportError, match="the limit is 1 MB"):
        pdf_text_extract(data=b"%PDF-1.4\n" + b" " * (1024 * 1024 + 1), max_bytes=1024 * 1024)
    with pytest.raises(ReportImportError, match="the PDF has 3 pages; the limit is 2"):
        pdf_text_extract(data=blank_pdf(pages=3), max_pages=2)
