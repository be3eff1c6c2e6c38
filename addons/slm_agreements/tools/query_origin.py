# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Whose code made a query: the query-count tests and the ticket-life
benchmark count those of the suite (issue 14)."""

# Wraps every model's create and write (catalogue rule "Wrong values"): whose
# create or write it is says whose query, not the wrapper.
WRAPPER = "slm_catalogue/models/base.py"


def suite_frame(frame):
    """The frame of the suite's code (an slm_* addon, not its tests) that
    made the query executed under ``frame``, or None: the nearest frame of
    an addon decides (a query of helpdesk_mgmt or mail made under one of the
    suite's overrides is theirs; the ORM's own frames are not an addon's)."""
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.endswith(WRAPPER) and "/addons/" in name:
            if "/addons/slm_" in name and "/tests/" not in name:
                return frame
            return None
        frame = frame.f_back
    return None


def describe(frame):
    """``path:line function`` of a frame of an addon."""
    where = frame.f_code.co_filename.split("/addons/")[-1]
    return f"{where}:{frame.f_lineno} {frame.f_code.co_name}"
