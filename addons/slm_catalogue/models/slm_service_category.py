# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SlmServiceCategory(models.Model):
    """A hierarchical grouping of catalogue services (e.g. Workplace / E-mail)."""

    _name = "slm.service.category"
    _description = "Service Category"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    parent_id = fields.Many2one(
        "slm.service.category",
        string="Parent Category",
        index=True,
        ondelete="restrict",
        help="Categories nest: a parent groups the services of all its children.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("slm.service.category", "parent_id")
    description = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the category across companies."
    )
    service_ids = fields.One2many("slm.service", "category_id", string="Services")
    service_count = fields.Integer(compute="_compute_service_count")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = (
                    f"{category.parent_id.complete_name} / {category.name}"
                )
            else:
                category.complete_name = category.name

    def _compute_service_count(self):
        counts = dict(
            self.env["slm.service"]._read_group(
                [("category_id", "child_of", self.ids)],
                ["category_id"],
                ["__count"],
            )
        )
        for category in self:
            category.service_count = sum(
                count
                for cat, count in counts.items()
                if cat.parent_path.startswith(category.parent_path)
            )

    @api.constrains("parent_id")
    def _check_parent_cycle(self):
        if self._has_cycle():
            self._raise_parent_cycle()

    def _raise_parent_cycle(self):
        raise ValidationError(
            self.env._(
                "A service category cannot be its own parent, directly or "
                "through its sub-categories."
            )
        )

    def write(self, vals):
        # Checked before writing: the parent path update would otherwise stop
        # on the loop first, with a message that does not say what is wrong.
        if vals.get("parent_id") and self.search_count(
            [("id", "child_of", self.ids), ("id", "=", vals["parent_id"])]
        ):
            self._raise_parent_cycle()
        return super().write(vals)

    def action_view_services(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "slm_catalogue.slm_service_action"
        )
        action["domain"] = [("category_id", "child_of", self.id)]
        return action
