package io.tocsin.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.api.Problem;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.time.Durations;

/**
 * An incident's own page, reached from its row of the dashboard: details, timeline, deliveries per channel, and how
 * to acknowledge or resolve it. A GET never changes anything. The forms are shown only where the route serving the
 * page takes them (the local run, {@link DashboardActions}); elsewhere (API Gateway, the CloudWatch widget) the page
 * shows the signed API calls that do it, as there is no role model saying who may (issue 23). One consistent
 * GetItem, and one read of the dedup claim for an open incident ({@link IncidentStore#findWithDuplicates}).
 */
@Singleton
public class IncidentPage {

    /** The longest incident id accepted in the query (ids are UUIDs; this only bounds what is echoed back). */
    static final int MAX_ID_CHARS = 64;

    private final IncidentStore incidents;
    private final Clock clock;

    @Inject
    public IncidentPage(IncidentStore incidents, Clock clock) {
        this.incidents = incidents;
        this.clock = clock;
    }

    DashboardPage.Rendered render(String id, Links links, DashboardPage.Surface surface) {
        return render(id, links, surface, null);
    }

    DashboardPage.Rendered render(String id, Links links, DashboardPage.Surface surface, String notice) {
        if (id.length() > MAX_ID_CHARS) {
            return notFound(new Problem("incident", "is " + id.length() + " characters; ids are at most "
                    + MAX_ID_CHARS), 400);
        }
        var incident = incidents.findWithDuplicates(id);
        if (incident.isEmpty()) {
            return notFound(new Problem("incident", "no incident has the id '" + id + "'"), 404);
        }
        IncidentView view = view(incident.get(), links, surface, notice);
        return new DashboardPage.Rendered(200, DashboardTemplates.dashboardIncident(view).render(), List.of());
    }

    private static DashboardPage.Rendered notFound(Problem problem, int status) {
        return new DashboardPage.Rendered(status, DashboardTemplates.dashboardError(List.of(problem)).render(),
                List.of(problem));
    }

    IncidentView view(Incident i, Links links, DashboardPage.Surface surface, String notice) {
        Instant now = clock.instant();
        List<IncidentView.Detail> details = new ArrayList<>();
        details.add(new IncidentView.Detail("Source", i.alert().source(), true));
        details.add(new IncidentView.Detail("Created", DashboardPage.TIME.format(i.createdAt()) + " ("
                + Durations.human(Duration.between(i.createdAt(), now)) + " ago)"));
        details.add(new IncidentView.Detail("Escalation level", "L" + i.escalationLevel()));
        details.add(new IncidentView.Detail("Duplicates", String.valueOf(i.duplicateCount())));
        if (i.acknowledgedAt() != null) {
            details.add(new IncidentView.Detail("Acknowledged", DashboardPage.TIME.format(i.acknowledgedAt())
                    + " by " + i.acknowledgedBy()));
        }
        if (i.resolvedAt() != null) {
            details.add(new IncidentView.Detail("Resolved", DashboardPage.TIME.format(i.resolvedAt()) + " by "
                    + i.resolvedBy()));
            details.add(new IncidentView.Detail("Resolution notes", i.resolutionNotes(), true));
        }
        if (i.alert().rule() != null) {
            details.add(new IncidentView.Detail("Rule", i.alert().rule()));
        }
        io.tocsin.alert.KeySpace.Scoped key = io.tocsin.alert.KeySpace.parse(i.alert().dedupKey());
        details.add(new IncidentView.Detail("Dedup key", key.scope() == null ? key.key()
                : key.key() + " (key space of token prefix " + key.scope() + ")"));
        List<IncidentView.TimelineRow> timeline = i.timeline().stream().map(IncidentPage::row).toList();
        List<IncidentView.DeliveryRow> deliveries = i.outbox().stream().map(IncidentPage::delivery).toList();
        boolean open = i.status() == IncidentStatus.TRIGGERED || i.status() == IncidentStatus.ACKNOWLEDGED;
        IncidentView.Actions actions = new IncidentView.Actions(open, i.status() == IncidentStatus.TRIGGERED,
                surface.actions(), surface.actions() || !open ? List.of() : commands(i));
        return new IncidentView(i.id(), i.alert().severity().wire(), i.status().wire(), i.alert().title(),
                i.alert().description(), details, timeline, i.timelineDropped(), deliveries, actions,
                links.dashboard(), surface.nav(),
                DashboardPage.TIME.format(now), notice);
    }

    private static IncidentView.TimelineRow row(TimelineEvent e) {
        return new IncidentView.TimelineRow(DashboardPage.TIME.format(e.at()), e.type().wire().replace('_', ' '),
                e.actor(), e.detail());
    }

    private static IncidentView.DeliveryRow delivery(OutboxEntry e) {
        String channel = channel(e.kind());
        String what = e.kind().describe(e.action(), e.level());
        String error = e.errors().isEmpty() ? "" : e.errors().get(e.errors().size() - 1);
        Instant at = e.doneAt() != null ? e.doneAt() : e.createdAt();
        return new IncidentView.DeliveryRow(channel, what, e.state().name().toLowerCase(java.util.Locale.ROOT),
                e.attempts(), e.lastStatus() == 0 ? "–" : String.valueOf(e.lastStatus()), error,
                at == null ? "–" : DashboardPage.TIME.format(at));
    }

    /** The channel an entry goes out on, for people; a kind this page does not know shows its stored name. */
    private static String channel(EffectKind kind) {
        if (kind == EffectKind.PAGERDUTY_EVENT || kind == EffectKind.PAGERDUTY_ESCALATION) {
            return "PagerDuty";
        }
        if (kind == EffectKind.ESCALATION_EMAIL || kind == EffectKind.PAGE_FAILED_EMAIL) {
            return "email";
        }
        return kind.wire().replace('_', ' ');
    }

    /** The signed API calls (README "Incident lifecycle") that acknowledge or resolve it, to run from a shell. */
    private static List<IncidentView.Command> commands(Incident i) {
        String sign = "curl --aws-sigv4 \"aws:amz:$AWS_REGION:execute-api\" --user "
                + "\"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" -H 'content-type: application/json' -X POST ";
        List<IncidentView.Command> commands = new ArrayList<>();
        if (i.status() == IncidentStatus.TRIGGERED) {
            commands.add(new IncidentView.Command("Acknowledge", sign + "\"$API/incidents/" + i.id()
                    + "/acknowledge\" -d '{\"acknowledged_by\":\"your-name\"}'"));
        }
        commands.add(new IncidentView.Command("Resolve (notes required)", sign + "\"$API/incidents/" + i.id()
                + "/resolve\" -d '{\"resolution_notes\":\"what fixed it\",\"resolved_by\":\"your-name\"}'"));
        return commands;
    }
}
