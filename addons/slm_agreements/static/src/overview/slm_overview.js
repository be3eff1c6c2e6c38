/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The SLM overview (reporting display rule 4): every figure comes from one
// call, slm.overview.get_overview; each counter and row opens exactly the
// records it counts (the model and domain sent with it).

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

export class SlmOverview extends Component {
    static template = "slm_agreements.SlmOverview";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("slm.overview", "get_overview", []);
    }

    get sections() {
        return [...this.state.data.sections].sort((a, b) => a.sequence - b.sequence);
    }

    /** Attainment rows grouped by agreement, the agreement's name once. */
    get attainmentGroups() {
        const groups = [];
        for (const row of this.state.data.attainment) {
            let group = groups.at(-1);
            if (!group || group.agreementId !== row.agreement_id) {
                group = { agreementId: row.agreement_id, agreement: row.agreement, rows: [] };
                groups.push(group);
            }
            group.rows.push(row);
        }
        return groups;
    }

    formatPct(value) {
        return value === null || value === undefined ? _t("not measured") : `${value.toFixed(2)} %`;
    }

    open(name, model, domain, views) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: model,
            domain,
            views: views || [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    openItem(item) {
        return this.open(item.label, item.model, item.domain, item.views);
    }

    openAttainment(row) {
        return this.open(
            _t("%(agreement)s: %(target)s this month", {
                agreement: row.agreement,
                target: row.target,
            }),
            "slm.attainment.report",
            row.domain
        );
    }

    openAvailability(row) {
        return this.open(row.agreement, "slm.availability", row.domain);
    }
}

registry.category("actions").add("slm_overview", SlmOverview);
