# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Clear errors for wrong values (catalogue rule "Wrong values"): a value of
the wrong type, or out of what the database can hold, given to a field of the
suite's models (``slm.*``) is refused with a ValidationError in the user's
words, before anything is written, instead of a raw ValueError, TypeError or
database error. The guards on deletion hold for every caller but the
superuser (catalogue rule "Deletion guards hold for every caller"). Also the
records related to a record, counted and opened the same way by all the
suite's smart buttons (``_related_counts``, ``_related_action``)."""

import math
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# Models of Odoo and OCA whose deletion the suite guards (the team of an OLA,
# the calendar of a target: fail-soft rule 6 of slm_agreements).
GUARDED_MODELS = ("helpdesk.ticket.team", "resource.calendar")

# What a PostgreSQL integer column holds.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
NUMBER_TYPES = ("float", "monetary")
RELATION_TYPES = ("many2many", "one2many")


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._slm_check_values(vals, "create")
        return super().create(vals_list)

    def write(self, vals):
        self._slm_check_values(vals)
        return super().write(vals)

    def unlink(self):
        records = self
        if (
            (self._name.startswith("slm.") or self._name in GUARDED_MODELS)
            and self.env.context.get(MODULE_UNINSTALL_FLAG)
            and not self.env.su
        ):
            # The uninstall flag skips the guards on deletion: only the
            # superuser uninstalls modules (catalogue rule "Deletion guards
            # hold for every caller").
            records = self.with_context(**{MODULE_UNINSTALL_FLAG: False})
        return super(Base, records).unlink()

    # ------------------------------------------------------------------

    def _slm_check_values(self, vals, operation="write"):
        """Raise a ValidationError for the first value of ``vals`` a field of
        this model cannot take. Only the suite's models, only for callers
        (the system's own writes are trusted). Who may not write at all
        learns that first (AccessError), not what is wrong with the values."""
        if not self._name.startswith("slm.") or self.env.su:
            return
        error = self._slm_values_error(vals)
        if error:
            self.check_access(operation)
            raise ValidationError(error)

    def _slm_values_error(self, vals):
        """The message for the first value of ``vals`` that does not fit, or
        None."""
        if not isinstance(vals, dict):
            return self.env._(
                "%(model)s: the values must be given as a dictionary.",
                model=self._description,
            )
        for name, value in vals.items():
            field = self._fields.get(name) if isinstance(name, str) else None
            if field is None:
                return self.env._(
                    "%(model)s has no field %(field)s.",
                    model=self._description,
                    field=repr(name)[:60],
                )
            error = self._slm_value_error(field, value)
            if error:
                return self.env._(
                    "%(model)s, %(field)s: %(error)s",
                    model=self._description,
                    field=field._description_string(self.env),
                    error=error,
                )
        return None

    def _slm_value_error(self, field, value):
        """Why ``value`` does not fit ``field``, or None."""
        if value is None or value is False or isinstance(value, models.BaseModel):
            return None  # empty, or records given by the suite's own code
        check = {
            "float": self._slm_number_error,
            "monetary": self._slm_number_error,
            "integer": self._slm_number_error,
            "date": self._slm_date_error,
            "datetime": self._slm_date_error,
            "selection": self._slm_selection_error,
            "many2one": self._slm_many2one_error,
            "many2many": self._slm_commands_error,
            "one2many": self._slm_commands_error,
            "char": self._slm_text_error,
            "text": self._slm_text_error,
            "html": self._slm_text_error,
        }.get(field.type)
        return check(field, value) if check else None

    def _slm_number_error(self, field, value):
        _ = self.env._
        shown = repr(value)[:60]
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return _("%s is not a number.", shown)
        try:
            number = float(value)
        except ValueError:
            return _("%s is not a number.", shown)
        if not math.isfinite(number):
            return _("%s is not a number.", shown)
        if field.type == "integer":
            if number != int(number):
                return _("%s is not a whole number.", shown)
            if not INT_MIN <= number <= INT_MAX:
                return _("%s is too large.", shown)
        elif abs(number) > 1e15:
            return _("%s is too large.", shown)
        return None

    def _slm_date_error(self, field, value):
        shown = repr(value)[:60]
        if not isinstance(value, str | date | datetime):
            return self.env._("%s is not a date.", shown)
        try:
            converted = (
                fields.Date.to_date(value)
                if field.type == "date"
                else fields.Datetime.to_datetime(value)
            )
        except (ValueError, TypeError, OverflowError):
            converted = None
        if converted is None:
            return self.env._("%s is not a date (expected e.g. 2026-12-31).", shown)
        return None

    def _slm_selection_error(self, field, value):
        shown = repr(value)[:60]
        if not isinstance(value, str | int):
            return self.env._("%s is not one of the choices.", shown)
        if not isinstance(field.selection, list):
            return None  # computed choices (e.g. time zones): the model checks
        allowed = field.get_values(self.env)
        if value not in allowed:
            if len(allowed) > 12:
                return self.env._("%s is not one of the choices.", shown)
            return self.env._(
                "%(value)s is not one of the choices (%(allowed)s).",
                value=shown,
                allowed=", ".join(str(v) for v in allowed),
            )
        return None

    def _slm_many2one_error(self, field, value):
        shown = repr(value)[:60]
        if isinstance(value, models.NewId):
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            return self.env._("%s is not a record id.", shown)
        if not 0 < value <= INT_MAX or not self._slm_ids_exist(
            field.comodel_name, [value]
        ):
            return self.env._("no such record (id %s).", shown)
        return None

    def _slm_text_error(self, field, value):
        if isinstance(value, dict | list | tuple | set):
            return self.env._("%s is not a text.", repr(value)[:60])
        return None

    def _slm_commands_error(self, field, value):
        _ = self.env._
        shown = repr(value)[:60]
        if not isinstance(value, list | tuple):
            return _("%s is not a list of commands.", shown)
        ids = []
        for command in value:
            if isinstance(command, int) and not isinstance(command, bool):
                ids.append(command)  # a bare id, as Odoo accepts for many2many
                continue
            if not isinstance(command, list | tuple) or not command:
                return _("%s is not a list of commands.", shown)
            code = command[0]
            if isinstance(code, bool) or code not in range(7):
                return _("%s is not a list of commands.", shown)
            if code in (1, 2, 3, 4):
                if (
                    len(command) < 2
                    or isinstance(command[1], bool)
                    or not isinstance(command[1], int)
                ):
                    return _("%s is not a list of commands.", shown)
                ids.append(command[1])
            elif code == 6:
                if len(command) < 3 or not isinstance(command[2], list | tuple):
                    return _("%s is not a list of commands.", shown)
                for record_id in command[2]:
                    if isinstance(record_id, bool) or not isinstance(record_id, int):
                        return _("%s is not a record id.", repr(record_id)[:60])
                    ids.append(record_id)
            elif (
                code in (0, 1) and len(command) > 2 and not isinstance(command[2], dict)
            ):
                return _("%s is not a list of commands.", shown)
        if any(not 0 < i <= INT_MAX for i in ids) or not self._slm_ids_exist(
            field.comodel_name, ids
        ):
            return _("no such record among %s.", shown)
        return None

    def _slm_ids_exist(self, model_name, ids):
        """Whether every id is a record of ``model_name`` (archived included)."""
        ids = set(ids)
        if not ids:
            return True
        Model = self.env[model_name].sudo().with_context(active_test=False)
        return len(Model.browse(ids).exists()) == len(ids)

    # ------------------------------------------------------------------
    # Related records (smart buttons)
    # ------------------------------------------------------------------

    def _related_counts(self, model, field, domain=()):
        """{record: number of ``model`` records whose ``field`` holds it (and
        that match ``domain``)}, for all of ``self`` in one grouped read
        (``counts.get(record, 0)``)."""
        return dict(
            self.env[model]._read_group(
                [(field, "in", self.ids), *domain], [field], ["__count"]
            )
        )

    def _related_action(self, xmlid, domain, context=None):
        """The window action ``xmlid`` on the records ``domain`` finds, with
        ``context`` (the defaults of a new one) instead of the action's."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = context or {}
        return action
