# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers on records, shared by the suite's models."""


def field_labels(model, names):
    """The labels of the fields ``names`` of ``model``, in the order of their
    names, for a message: "Approved by, Status"."""
    return ", ".join(model._fields[name].string for name in sorted(names))


def name_copies(records, vals_list, default):
    """Names the copies of ``records`` "<name> (copy)", unless ``default``
    names them."""
    if default and "name" in default:
        return
    for record, vals in zip(records, vals_list, strict=True):
        vals["name"] = records.env._("%s (copy)", record.name)
