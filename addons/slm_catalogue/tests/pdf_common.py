# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reading a report back from the PDF wkhtmltopdf made (PDF rules)."""

import io

from odoo.tools.pdf import PdfFileReader


def pdf_text(env, report, ids):
    """The text of ``report`` rendered to PDF by wkhtmltopdf (not the HTML
    tests get by default), its whitespace collapsed. Call it from an
    HttpCase: wkhtmltopdf then loads the layout's styles and web fonts from
    the test server, as in real use."""
    pdf, report_format = (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf(report, ids)
    )
    assert report_format == "pdf" and pdf.startswith(b"%PDF"), report_format
    reader = PdfFileReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
