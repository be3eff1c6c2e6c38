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


def composer_action(records, template, layout, **context):
    """The e-mail composer on ``records`` (comment mode) with ``template``
    (none if it was deleted) and the notification ``layout``; ``context`` adds
    the caller's defaults and keys."""
    return {
        "type": "ir.actions.act_window",
        "res_model": "mail.compose.message",
        "view_mode": "form",
        "views": [(False, "form")],
        "target": "new",
        "context": {
            "default_model": records._name,
            "default_res_ids": records.ids,
            "default_composition_mode": "comment",
            "default_template_id": template.id if template else False,
            "default_email_layout_xmlid": layout,
            **context,
        },
    }
