# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Kept importable: the fixtures of the slm_supplier tests are in common.py."""

from .common import SupplierContractCase  # noqa: F401
