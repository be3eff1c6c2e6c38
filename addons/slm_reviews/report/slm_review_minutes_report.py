# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The minutes of a service review as a PDF, with attainment charts.

Everything printed comes from the review's ``snapshot`` (the figures as they
were when the agenda/minutes were generated): nothing is recomputed here, so
that the PDF printed a year later shows what the customer was sent. The charts
are inline SVG drawn here in Python: wkhtmltopdf renders SVG, and no JavaScript
runs in a PDF report.
"""

import json
from datetime import date

from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools import is_html_empty
from odoo.tools.misc import format_date

CHARTS_TEMPLATE = "slm_reviews.report_review_minutes_charts"
# How many breaches the figures of a review without minutes list (the most
# late first); the XLSX lists them all.
PDF_BREACH_LIMIT = 100

GREEN = "#2e7d32"
RED = "#c62828"
GREY = "#9e9e9e"
INK = "#212121"
GRID = "#e0e0e0"


def review_snapshot(review):
    """The snapshot of ``review`` as a dict (empty when not generated yet)."""
    snapshot = review.snapshot or {}
    if isinstance(snapshot, str):
        # A Json field normally gives a dict; be lenient with a serialized one.
        snapshot = json.loads(snapshot or "{}")
    return snapshot if isinstance(snapshot, dict) else {}


def format_pct(value, digits=2):
    """87.5 -> '87.5 %', 95.0 -> '95 %', None -> 'n/a' (nothing measured)."""
    if value is None or value is False:
        return "n/a"
    return f"{format_number(value, digits)} %"


def format_number(value, digits=2):
    """3.50 -> '3.5', 100.0 -> '100' (no trailing zeros), None -> ''."""
    if value is None or value is False:
        return ""
    text = f"{float(value):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def selection_label(env, model, field, value):
    """The label of a selection key (snapshots may hold keys or labels)."""
    if value in (None, False, ""):
        return ""
    field_obj = env[model]._fields.get(field) if model in env else None
    if field_obj is not None and field_obj.type == "selection":
        labels = dict(field_obj._description_selection(env))
        return labels.get(value, value)
    return value


def snapshot_actions(review, snapshot):
    """The actions of the minutes: from the snapshot of Generate Minutes
    (carried and new actions with their states then); before that, the open
    actions of the agenda and the review's new actions as they are now."""
    if "carried_actions" in snapshot or "new_actions" in snapshot:
        return list(snapshot.get("carried_actions") or []) + list(
            snapshot.get("new_actions") or []
        )
    actions = list(snapshot.get("open_actions") or [])
    for action in review.action_ids:
        actions.append(
            {
                "name": action.name,
                "owner": action.owner_id.name or "",
                "due_date": action.due_date.isoformat() if action.due_date else "",
                "state": action.state,
                "origin": review.display_name,
            }
        )
    return actions


def minutes_with_charts(minutes, charts):
    """The minutes' HTML with the charts after their performance table (the
    first table of class o_slm_review_targets), or at the end without one."""
    html = str(minutes)
    marker = html.find("o_slm_review_targets")
    end = html.find("</table>", marker) if marker != -1 else -1
    if end == -1:
        return Markup(html) + charts
    end += len("</table>")
    return Markup(html[:end]) + charts + Markup(html[end:])


def sorted_breaches(breaches):
    """Breaches the most late first (the ones a meeting talks about)."""
    return sorted(breaches, key=lambda b: -(b.get("late_hours") or 0.0))


def iso_date(value):
    """A date from a snapshot date or month ('2026-05-01'), or None."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _text(x, y, text, size=9, anchor="start", color=INK, weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="{size}" fill="{color}" text-anchor="{anchor}" '
        f'font-weight="{weight}">{escape(text)}</text>'
    )


def _shorten(text, size):
    text = str(text or "")
    return text if len(text) <= size else text[: size - 1] + "…"


def svg_attainment_bars(targets, width=680):
    """Horizontal bars: each target's attainment (green when achieved, red when
    not, a grey note when nothing was measured) with its objective marked."""
    if not targets:
        return Markup("")
    label_w, value_w, row_h, top = 230, 70, 22, 24
    plot_w = width - label_w - value_w
    height = top + row_h * len(targets) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, top - 8, f"{tick} %", size=8, anchor="middle"))
    for row, target in enumerate(targets):
        y = top + row * row_h
        label = _shorten(target.get("name"), 40)
        parts.append(_text(label_w - 6, y + 14, label, anchor="end"))
        attainment = target.get("attainment")
        if attainment is None:
            parts.append(_text(label_w + 4, y + 14, "not measured", color=GREY))
        else:
            bar_w = plot_w * max(0.0, min(float(attainment), 100.0)) / 100
            color = GREEN if target.get("achieved") else RED
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" '
                f'height="{row_h - 8}" fill="{color}"/>'
            )
            parts.append(_text(width - value_w + 6, y + 14, format_pct(attainment)))
        objective = target.get("objective")
        if objective is not None:
            x = label_w + plot_w * max(0.0, min(float(objective), 100.0)) / 100
            parts.append(
                f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + row_h - 1}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def svg_trend(target, months, month_label, width=330, height=160):
    """One target's attainment month after month (a line, broken where nothing
    was measured), with its objective as a dashed line."""
    by_month = {
        str(point.get("month"))[:10]: point.get("attainment")
        for point in target.get("trend") or []
    }
    months = [str(m)[:10] for m in months] or sorted(by_month)
    if not months:
        return Markup("")
    left, right, top, bottom = 40, 22, 22, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    objective = target.get("objective")
    values = [v for v in by_month.values() if v is not None]
    low = min(values + ([objective] if objective is not None else []) or [0.0])
    # The axis starts at the tens below the lowest value, so that small
    # differences near the objective stay visible.
    low = max(0, min(90, int(float(low) // 10 * 10)))
    span = 100 - low

    def x_of(index):
        if len(months) == 1:
            return left + plot_w / 2
        return left + plot_w * index / (len(months) - 1)

    def y_of(value):
        value = max(float(low), min(float(value), 100.0))
        return top + plot_h * (100 - value) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        _text(left, 12, _shorten(target.get("name"), 48), size=9, weight="bold"),
    ]
    for tick in (low, low + span / 2, 100):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(left - 4, y + 3, format_pct(tick, 0), size=7, anchor="end"))
    if objective is not None:
        y = y_of(objective)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="4,3"/>'
        )
    step = max(1, (len(months) + 5) // 6)
    for index, month in enumerate(months):
        if index % step == 0 or index == len(months) - 1:
            parts.append(
                _text(
                    x_of(index),
                    height - bottom + 14,
                    month_label(month),
                    size=7,
                    anchor="middle",
                )
            )
    segment = []
    segments = [segment]
    for index, month in enumerate(months):
        value = by_month.get(month)
        if value is None:
            segment = []
            segments.append(segment)
        else:
            segment.append((x_of(index), y_of(value), value))
    for points in segments:
        if len(points) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="#1565c0" '
                f'stroke-width="2"/>'
            )
        for x, y, value in points:
            color = GREEN if objective is None or value >= objective else RED
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


class ReportSlmReviewMinutes(models.AbstractModel):
    _name = "report.slm_reviews.report_review_minutes"
    _description = "Service Review Minutes (PDF)"
    # The customer's version (portal, e-mail to the attendees) leaves out the
    # internal-only part: OLAs and contracts (portal rule 3).
    _slm_internal = False

    @api.model
    def _get_report_values(self, docids, data=None):
        reviews = self.env["slm.review"].browse(docids)
        env = self.env

        def month_label(value):
            month = iso_date(value)
            return format_date(env, month, date_format="MMM yy") if month else value

        sections = {}
        for review in reviews:
            snapshot = review_snapshot(review)
            targets = snapshot.get("targets") or []
            months = snapshot.get("months") or []
            breaches = sorted_breaches(snapshot.get("breaches") or [])
            sections[review.id] = {
                "snapshot": snapshot,
                "targets": targets,
                "bars": svg_attainment_bars(targets),
                "trends": [svg_trend(t, months, month_label) for t in targets],
                "breaches": breaches[:PDF_BREACH_LIMIT],
                "actions": snapshot_actions(review, snapshot),
                "breach_count": len(breaches),
                "achieved_count": len([t for t in targets if t.get("achieved")]),
                "measured_count": len(
                    [t for t in targets if t.get("attainment") is not None]
                ),
                "minutes": False,
            }
            if not is_html_empty(review.minutes):
                # The minutes as generated (and edited) are what was agreed:
                # printed as they are, the charts added after their figures.
                section = sections[review.id]
                charts = self.env["ir.qweb"]._render(CHARTS_TEMPLATE, {"sec": section})
                minutes = (
                    review.minutes if self._slm_internal else review._customer_minutes()
                )
                section["minutes"] = minutes_with_charts(minutes, charts)
        return {
            "doc_ids": reviews.ids,
            "doc_model": "slm.review",
            "docs": reviews,
            "sections": sections,
            "breach_limit": PDF_BREACH_LIMIT,
            "internal": self._slm_internal,
            "fmt_pct": format_pct,
            "fmt_num": format_number,
            "month_label": month_label,
            "label": lambda model, field, value: selection_label(
                env, model, field, value
            ),
        }


class ReportSlmReviewMinutesInternal(models.AbstractModel):
    """The minutes with their internal-only part, for the provider's staff."""

    _name = "report.slm_reviews.report_review_minutes_internal"
    _inherit = "report.slm_reviews.report_review_minutes"
    _description = "Service Review Minutes, Internal (PDF)"
    _slm_internal = True
