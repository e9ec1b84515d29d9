"""The notice is really rendered: a one-page US Letter PDF whose text carries the notice."""

import subprocess

import pytest

from compliance.notices.render import render_notice_html, render_notice_pdf
from tests.notices.support import notice


def pdf_text(pdf: bytes) -> str:
    """Text of a PDF via poppler's pdftotext (CI installs poppler-utils)."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def english_pdf():
    return render_notice_pdf(notice())


@pytest.fixture(scope="module")
def spanish_pdf():
    return render_notice_pdf(notice(language="es"))


def test_english_pdf_is_one_letter_page_with_the_notice(english_pdf):
    assert english_pdf.startswith(b"%PDF")
    assert pdf_pages(english_pdf) == 1
    text = pdf_text(english_pdf)
    for expected in ("Pat Doe", "12 Oak St", "Northstar Recovery LLC is a debt collector", "****4421",
                     "$1,700.00", "+ $118.27", "+ $25.00", "$0.00", "$1,843.27", "July 9, 2025",
                     "www.cfpb.gov/debt-collection", "How do you want to respond?", "This is not my debt.",
                     "I enclosed this amount", "Mail this form to:", "PO Box 4410"):
        assert expected in text, expected
    assert "4111-2222-3333-4421" not in text


def test_spanish_pdf_is_in_spanish(spanish_pdf):
    assert spanish_pdf.startswith(b"%PDF")
    assert pdf_pages(spanish_pdf) == 1
    text = pdf_text(spanish_pdf)
    for expected in ("Pat Doe", "es un cobrador de deudas", "$1,843.27", "+ $118.27", "9 de julio de 2025",
                     "¿Cómo desea responder?", "Esta no es mi deuda.", "Adjunté esta cantidad"):
        assert expected in text, expected
    assert "How do you want to respond?" not in text


def test_a_translation_and_its_english_original_share_one_pdf():
    pdf = render_notice_pdf(notice(language="es"), notice())
    assert pdf_pages(pdf) == 2
    text = pdf_text(pdf)
    assert text.index("¿Cómo desea responder?") < text.index("How do you want to respond?")


def test_html_declares_its_language_and_escapes_names():
    html = render_notice_html(notice(language="es", consumer={"name": "Pat <b>Doe</b>"}))
    assert '<html lang="es">' in html
    assert "Pat &lt;b&gt;Doe&lt;/b&gt;" in html and "<b>Doe</b>" not in html


def test_unsupported_language_is_refused():
    content = notice()
    content["language"] = "fr"
    with pytest.raises(ValueError, match="Unsupported notice language 'fr'"):
        render_notice_html(content)
