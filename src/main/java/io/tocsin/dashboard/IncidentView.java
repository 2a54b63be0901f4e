package io.tocsin.dashboard;

import java.util.List;

/**
 * What the incident page shows (template {@code dashboardIncident.html}), every value formatted.
 *
 * @param details    name and value pairs: source, times, people, escalation level, duplicates, notes
 * @param deliveries every outward effect of the incident's outbox, with its channel, oldest first
 * @param actions    what the viewer can do about it from here
 * @param notice     a line about what was just done (after an acknowledge or resolve), or null
 */
public record IncidentView(String id, String severity, String status, String title, String description,
        List<Detail> details, List<TimelineRow> timeline, long timelineDropped, List<DeliveryRow> deliveries,
        Actions actions, DashboardView.Link back, DashboardView.Nav nav, String generatedAt, String notice) {

    /** {@code wide}: long text (the source, the notes) that takes a whole row. */
    public record Detail(String name, String value, boolean wide) {

        Detail(String name, String value) {
            this(name, value, false);
        }
    }

    public record TimelineRow(String at, String type, String actor, String detail) {
    }

    /** One outbox entry: the channel (PagerDuty, email), what it carries, how it went. */
    public record DeliveryRow(String channel, String what, String state, int attempts, String lastStatus,
            String lastError, String at) {
    }

    /**
     * @param forms    the page's route takes the acknowledge and resolve forms (the local run)
     * @param commands otherwise: the signed API calls that do it, to copy
     */
    public record Actions(boolean open, boolean canAcknowledge, boolean forms, List<Command> commands) {
    }

    public record Command(String label, String text) {
    }
}
