# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The performance pack of a service review: an XLSX workbook with native
Excel charts, made from the review's ``snapshot`` only (never recomputed).

Percentages are written as numbers of percent (87.5 means 87.5 %), so that the
customer can chart and sum them as they are; a cell left empty means nothing
was measured (the charts show a gap there, not a zero).
"""

from odoo import fields, models

from .slm_review_minutes_report import (
    iso_date,
    review_snapshot,
    selection_label,
    snapshot_actions,
    sorted_breaches,
)

TARGET_HEADERS = [
    "Agreement",
    "Target",
    "Metric",
    "Objective (%)",
    "Measured",
    "Met",
    "Breached",
    "Excused",
    "Attainment (%)",
    "Achieved",
]
BREACH_HEADERS = [
    "Ticket",
    "Subject",
    "Target",
    "Cause",
    "Late (h)",
    "Excused",
    "Status",
]
AVAILABILITY_HEADERS = [
    "Target",
    "Agreement",
    "Service",
    "Month",
    "Availability (%)",
    "Objective (%)",
    "Status",
]
ACTION_HEADERS = ["Action", "Owner", "Due Date", "Status", "Agreed in"]


class ReportSlmReviewPerformanceXlsx(models.AbstractModel):
    _name = "report.slm_reviews.review_performance_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Service Review Performance Pack (XLSX)"

    def get_workbook_options(self):
        """Safe exports (reviews rule "Safe exports"): a text is never read as
        a formula or a link, whoever typed it (ticket subjects come from
        customers)."""
        options = dict(super().get_workbook_options())
        options.update({"strings_to_formulas": False, "strings_to_urls": False})
        return options

    def generate_xlsx_report(self, workbook, data, objs):
        formats = self._xlsx_formats(workbook)
        for review in objs:
            # One set of sheets per review; with several reviews the workbook
            # de-duplicates the names (Summary, Summary~01, ...).
            self._xlsx_review(workbook, formats, review)

    def _xlsx_formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#d9e1f2", "border": 1, "text_wrap": True}
            ),
            "label": workbook.add_format({"bold": True}),
            "pct": workbook.add_format({"num_format": "0.00"}),
            "num": workbook.add_format({"num_format": "0.00"}),
            "int": workbook.add_format({"num_format": "0"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "month": workbook.add_format({"num_format": "mmm yyyy"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }

    def _xlsx_review(self, workbook, formats, review):
        snapshot = review_snapshot(review)
        self._xlsx_summary(workbook, formats, review, snapshot)
        self._xlsx_targets(workbook, formats, snapshot)
        self._xlsx_trend(workbook, formats, snapshot)
        self._xlsx_breaches(workbook, formats, snapshot)
        self._xlsx_availability(workbook, formats, snapshot)
        self._xlsx_actions(workbook, formats, review, snapshot)
        self._xlsx_process(workbook, formats, snapshot)

    @staticmethod
    def _xlsx_header(sheet, formats, headers, row=0):
        for col, header in enumerate(headers):
            sheet.write_string(row, col, header, formats["header"])
        sheet.freeze_panes(row + 1, 0)

    def _xlsx_table(self, workbook, formats, name, headers, widths):
        """A new sheet with its frozen header row and its column widths
        (first column, last column, width)."""
        sheet = workbook.add_worksheet(name)
        self._xlsx_header(sheet, formats, headers)
        for first, last, width in widths:
            sheet.set_column(first, last, width)
        return sheet

    @staticmethod
    def _cell(sheet, row, col, value, cell_format=None):
        """Write a value; None/False becomes an empty cell (not 0, not FALSE)."""
        if value is None or value is False:
            sheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, str):
            # Text stays text, even if it starts with "=" (safe exports).
            sheet.write_string(row, col, value, cell_format)
        else:
            sheet.write(row, col, value, cell_format)

    def _xlsx_summary(self, workbook, formats, review, snapshot):
        sheet = workbook.add_worksheet("Summary")
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 1, 60)
        sheet.write_string(0, 0, review.name, formats["title"])
        targets = snapshot.get("targets") or []
        breaches = snapshot.get("breaches") or []
        period = snapshot.get("period") or {}
        rows = [
            ("Review", review.name, None),
            ("Customer", review.partner_id.display_name or "", None),
            (
                "Agreements",
                ", ".join(review.agreement_ids.mapped("display_name")),
                None,
            ),
            (
                "Period Start",
                iso_date(period.get("start")) or review.period_start,
                formats["date"],
            ),
            (
                "Period End",
                iso_date(period.get("end")) or review.period_end,
                formats["date"],
            ),
            (
                "Meeting Date",
                review.date
                and fields.Datetime.context_timestamp(review, review.date).replace(
                    tzinfo=None
                ),
                formats["datetime"],
            ),
            ("Chair", review.chair_id.name or "", None),
            (
                "Status",
                selection_label(self.env, "slm.review", "state", review.state),
                None,
            ),
            ("Figures As Of (UTC)", snapshot.get("generated_at") or "", None),
            ("Months In", snapshot.get("months_tz") or "UTC", None),
            ("Targets", len(targets), formats["int"]),
            (
                "Targets Achieved",
                len([t for t in targets if t.get("achieved")]),
                formats["int"],
            ),
            (
                "Breaches",
                len([b for b in breaches if not b.get("excused")]),
                formats["int"],
            ),
            (
                "Excused Breaches",
                len([b for b in breaches if b.get("excused")]),
                formats["int"],
            ),
        ]
        for index, (label, value, cell_format) in enumerate(rows, start=2):
            sheet.write_string(index, 0, label, formats["label"])
            self._cell(sheet, index, 1, value, cell_format)
        return sheet

    def _xlsx_targets(self, workbook, formats, snapshot):
        sheet = self._xlsx_table(
            workbook, formats, "Targets", TARGET_HEADERS, [(0, 1, 30), (2, 9, 12)]
        )
        targets = snapshot.get("targets") or []
        for row, target in enumerate(targets, start=1):
            attainment = target.get("attainment")
            values = [
                (target.get("agreement") or "", None),
                (target.get("name") or "", None),
                (
                    target.get("metric_label")
                    or selection_label(
                        self.env, "slm.target", "metric", target.get("metric")
                    ),
                    None,
                ),
                (target.get("objective"), formats["pct"]),
                (target.get("measured"), formats["int"]),
                (target.get("met"), formats["int"]),
                (target.get("breached"), formats["int"]),
                (target.get("excused"), formats["int"]),
                (attainment, formats["pct"]),
                (
                    "Not measured"
                    if attainment is None
                    else ("Yes" if target.get("achieved") else "No"),
                    None,
                ),
            ]
            for col, (value, cell_format) in enumerate(values):
                self._cell(sheet, row, col, value, cell_format)
        if targets:
            last = len(targets)
            # Attainment as columns, the objective as a line over them.
            chart = workbook.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": [sheet.name, 0, 8],
                    "categories": [sheet.name, 1, 1, last, 1],
                    "values": [sheet.name, 1, 8, last, 8],
                    "fill": {"color": "#1565c0"},
                }
            )
            objective = workbook.add_chart({"type": "line"})
            objective.add_series(
                {
                    "name": [sheet.name, 0, 3],
                    "categories": [sheet.name, 1, 1, last, 1],
                    "values": [sheet.name, 1, 3, last, 3],
                    "line": {"color": "#c62828", "dash_type": "dash"},
                    "marker": {"type": "diamond"},
                }
            )
            chart.combine(objective)
            chart.set_title({"name": "Attainment vs Objective"})
            chart.set_y_axis({"min": 0, "max": 100, "name": "%"})
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": 720, "height": 360})
            sheet.insert_chart(last + 2, 0, chart)
        return sheet

    def _xlsx_trend(self, workbook, formats, snapshot):
        """Months down, targets across: the attainment of each month."""
        sheet = workbook.add_worksheet("Trend")
        targets = snapshot.get("targets") or []
        months = [str(m)[:10] for m in snapshot.get("months") or []]
        if not months:
            months = sorted(
                {
                    str(point.get("month"))[:10]
                    for target in targets
                    for point in target.get("trend") or []
                }
            )
        sheet.write_string(0, 0, "Month", formats["header"])
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, max(1, len(targets)), 18)
        for col, target in enumerate(targets, start=1):
            sheet.write_string(0, col, target.get("name") or "", formats["header"])
        sheet.freeze_panes(1, 1)
        for row, month in enumerate(months, start=1):
            self._cell(sheet, row, 0, iso_date(month) or month, formats["month"])
        for col, target in enumerate(targets, start=1):
            by_month = {
                str(point.get("month"))[:10]: point.get("attainment")
                for point in target.get("trend") or []
            }
            for row, month in enumerate(months, start=1):
                self._cell(sheet, row, col, by_month.get(month), formats["pct"])
        if targets and months:
            last = len(months)
            chart = workbook.add_chart({"type": "line"})
            for col in range(1, len(targets) + 1):
                chart.add_series(
                    {
                        "name": [sheet.name, 0, col],
                        "categories": [sheet.name, 1, 0, last, 0],
                        "values": [sheet.name, 1, col, last, col],
                        "marker": {"type": "circle"},
                    }
                )
            chart.set_title({"name": "Attainment per Month"})
            chart.set_y_axis({"max": 100, "name": "%"})
            chart.set_legend({"position": "bottom"})
            # Months without measure are gaps, not zeros.
            chart.show_blanks_as("gap")
            chart.set_size({"width": 720, "height": 360})
            sheet.insert_chart(last + 2, 0, chart)
        return sheet

    def _xlsx_breaches(self, workbook, formats, snapshot):
        sheet = self._xlsx_table(
            workbook,
            formats,
            "Breaches",
            BREACH_HEADERS,
            [(0, 0, 12), (1, 3, 30), (4, 6, 12)],
        )
        breaches = sorted_breaches(snapshot.get("breaches") or [])
        for row, breach in enumerate(breaches, start=1):
            self._cell(sheet, row, 0, breach.get("ticket") or "")
            self._cell(sheet, row, 1, breach.get("ticket_name") or "")
            self._cell(sheet, row, 2, breach.get("target") or "")
            self._cell(sheet, row, 3, breach.get("cause") or "")
            self._cell(sheet, row, 4, breach.get("late_hours"), formats["num"])
            self._cell(sheet, row, 5, "Yes" if breach.get("excused") else "No")
            self._cell(
                sheet,
                row,
                6,
                selection_label(self.env, "slm.breach", "state", breach.get("state")),
            )
        return sheet

    def _xlsx_availability(self, workbook, formats, snapshot):
        sheet = self._xlsx_table(
            workbook,
            formats,
            "Availability",
            AVAILABILITY_HEADERS,
            [(0, 2, 28), (3, 6, 14)],
        )
        for row, line in enumerate(snapshot.get("availability") or [], start=1):
            self._cell(sheet, row, 0, line.get("target") or "")
            self._cell(sheet, row, 1, line.get("agreement") or "")
            self._cell(sheet, row, 2, line.get("service") or "")
            month = line.get("month")
            self._cell(sheet, row, 3, iso_date(month) or month, formats["month"])
            self._cell(sheet, row, 4, line.get("availability"), formats["pct"])
            self._cell(sheet, row, 5, line.get("objective"), formats["pct"])
            self._cell(
                sheet,
                row,
                6,
                selection_label(
                    self.env, "slm.availability", "status", line.get("status")
                ),
            )
        return sheet

    def _xlsx_actions(self, workbook, formats, review, snapshot):
        """The actions of the minutes: earlier reviews' open actions, then
        those agreed in this review (states as in the snapshot)."""
        sheet = self._xlsx_table(
            workbook, formats, "Actions", ACTION_HEADERS, [(0, 0, 40), (1, 4, 18)]
        )
        for row, action in enumerate(snapshot_actions(review, snapshot), start=1):
            self._cell(sheet, row, 0, action.get("name") or "")
            self._cell(sheet, row, 1, action.get("owner") or "")
            due = action.get("due_date")
            self._cell(sheet, row, 2, iso_date(due) or due or None, formats["date"])
            self._cell(
                sheet,
                row,
                3,
                selection_label(
                    self.env, "slm.review.action", "state", action.get("state")
                ),
            )
            self._cell(sheet, row, 4, action.get("origin") or "")
        return sheet

    def _xlsx_process(self, workbook, formats, snapshot):
        """Annual process review: each list of the "process" section as a
        table (its keys as the header)."""
        process = snapshot.get("process")
        if not isinstance(process, dict):
            return None
        sheet = workbook.add_worksheet("Process")
        sheet.set_column(0, 8, 20)
        row = 0
        for key, value in process.items():
            title = key.replace("_", " ").capitalize()
            if isinstance(value, list):
                sheet.write_string(row, 0, title, formats["label"])
                row += 1
                rows = [item for item in value if isinstance(item, dict)]
                headers = list(rows[0]) if rows else []
                for col, header in enumerate(headers):
                    sheet.write_string(
                        row, col, header.replace("_", " "), formats["header"]
                    )
                row += 1 if headers else 0
                for item in rows:
                    for col, header in enumerate(headers):
                        cell = item.get(header)
                        if isinstance(cell, dict):
                            cell = ", ".join(f"{k}: {v}" for k, v in cell.items())
                        elif isinstance(cell, list):
                            cell = ", ".join(str(v) for v in cell)
                        self._cell(sheet, row, col, cell)
                    row += 1
                row += 1
            elif not isinstance(value, dict):
                sheet.write_string(row, 0, title, formats["label"])
                self._cell(sheet, row, 1, value)
                row += 2
        return sheet
