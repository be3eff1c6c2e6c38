/** @odoo-module **/
// Copyright 2026 SLM Suite contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Clock display rule 5: the ticket form follows its clocks. When a reply, a
// stage change or the breach scan changes a clock of the ticket on screen
// (in another tab, by another user, by e-mail), the server sends one bus
// notification for the ticket, on a channel only users who may read it can
// join (slm_agreements/models/ir_websocket.py); the form reloads the record,
// unless the user has unsaved changes (saving reloads it anyway). While a
// clock counts, the form also reads it again every minute, so that the
// business time left counts down (clock display rules 2 and 4: the server
// computes it, the browser does not know the business hours).
// Used with js_class="slm_ticket_form".

import { useEffect } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";

export class SlmTicketFormController extends FormController {
    setup() {
        super.setup();
        this.busService = useService("bus_service");
        useEffect(
            (resId) => {
                if (!resId) {
                    return;
                }
                const channel = `slm_clocks:${resId}`;
                this.busService.addChannel(channel);
                return () => this.busService.deleteChannel(channel);
            },
            () => [this.model.root.resId]
        );
        const onClocksChanged = (payload) => this.onSlmClocksChanged(payload);
        useEffect(
            () => {
                this.busService.subscribe("slm.clocks_changed", onClocksChanged);
                return () => this.busService.unsubscribe("slm.clocks_changed", onClocksChanged);
            },
            () => []
        );
        useEffect(
            () => {
                const interval = browser.setInterval(() => this.onSlmMinute(), 60000);
                return () => browser.clearInterval(interval);
            },
            () => []
        );
    }

    async onSlmClocksChanged({ ticket_id }) {
        if (ticket_id === this.model.root.resId) {
            await this.slmReload();
        }
    }

    async onSlmMinute() {
        // The ticket's service level (in the form): a clock on track or at risk.
        const status = this.model.root.data.slm_status;
        if (document.visibilityState === "visible" && ["running", "at_risk"].includes(status)) {
            await this.slmReload();
        }
    }

    async slmReload() {
        const record = this.model.root;
        if (!record.resId || (await record.isDirty())) {
            return;
        }
        await record.load();
    }
}

registry.category("views").add("slm_ticket_form", {
    ...formView,
    Controller: SlmTicketFormController,
});
