package io.tocsin.summary;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;


import io.quarkus.mailer.Mail;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.tocsin.config.Settings;
import io.tocsin.incident.Incident;
import io.tocsin.notify.Texts;
import io.tocsin.incident.IncidentStore;
import io.tocsin.alert.Severity;
import io.tocsin.metrics.Figures;
import io.tocsin.metrics.IncidentMetrics;
import io.tocsin.notify.EmailNotifier;

/**
 * The daily summary email: figures of the 24 hours before the due time, the incidents still open, and the system's
 * health, mailed once a day to {@code ALERT_SUMMARY_EMAIL_RECIPIENTS} with an HTML and a plain-text part.
 *
 * <p>The summary of day D is due at {@code ALERT_SUMMARY_EMAIL_TIME} on D in {@code TOCSIN_SUMMARY_ZONE} and covers
 * the 24 hours before that moment, so a retried or late run of the same day sends the same figures. A run before the
 * day's due time is the previous day's summary (already sent, normally). {@link SummaryLedger} makes each day's email
 * go out once.
 */
@Singleton
public class DailySummary {

    private static final Logger LOG = Logger.getLogger(DailySummary.class);

    /** The figures cover the last 24 hours (issue 5). */
    static final Duration WINDOW = Duration.ofHours(24);
    /**
     * How long a claim on a day lasts: longer than the function's Lambda timeout (60 s, template.yaml), so a live
     * invocation never loses it, and shorter than the time to Lambda's second asynchronous retry (about 1 and then 2
     * more minutes after a failure), so at the latest that retry takes over the day of an invocation that died.
     */
    public static final Duration LEASE = Duration.ofSeconds(90);
    /** Unresolved incidents listed in the email, oldest first; the rest are counted. */
    public static final int MAX_LISTED = 50;

    /** What a run did. {@code report} is null when nothing was computed (disabled, already sent). */
    public record Result(boolean sent, LocalDate date, String reason, SummaryReport report) {
    }

    private final Settings settings;
    private final IncidentMetrics metrics;
    private final IncidentStore incidents;
    private final SummaryLedger ledger;
    private final EmailNotifier email;
    private final Template html;
    private final Template text;
    private final io.tocsin.fault.FaultHook faults;

    @Inject
    public DailySummary(Settings settings, IncidentMetrics metrics, IncidentStore incidents, SummaryLedger ledger,
            EmailNotifier email, @Location("summary/daily.html") Template html,
            @Location("summary/daily.txt") Template text, io.tocsin.fault.FaultHook faults) {
        this.faults = faults;
        this.settings = settings;
        this.metrics = metrics;
        this.incidents = incidents;
        this.ledger = ledger;
        this.email = email;
        this.html = html;
        this.text = text;
    }

    /** The day whose summary is due at {@code now}: today once today's time has come, else yesterday. */
    public static LocalDate dueDate(Instant now, LocalTime time, ZoneId zone) {
        LocalDate today = now.atZone(zone).toLocalDate();
        return now.isBefore(dueAt(today, time, zone)) ? today.minusDays(1) : today;
    }

    /** When the summary of {@code date} is due (a time skipped by a DST change moves forward, as java.time does). */
    public static Instant dueAt(LocalDate date, LocalTime time, ZoneId zone) {
        return ZonedDateTime.of(date, time, zone).toInstant();
    }

    /**
     * Sends the summary due at {@code now} unless it is disabled or was sent already.
     *
     * @throws SummaryRetryException when the email could not be sent (the day is released for the retry) or another
     *                               invocation holds the day (it may have died; the retry looks again)
     */
    public Result run(Instant now) {
        Settings.SummaryEmail config = settings.summaryEmail();
        LocalDate date = dueDate(now, config.time(), config.zone());
        if (!config.enabled()) {
            return new Result(false, date, "disabled: ALERT_SUMMARY_EMAIL_ENABLED is false", null);
        }
        String token = UUID.randomUUID().toString();
        SummaryLedger.Claim claim = ledger.claim(date, token, now, now.plus(LEASE));
        LOG.debugf("Daily summary of %s: %s", date, claim);
        if (claim instanceof SummaryLedger.Claim.AlreadySent already) {
            return new Result(false, date, "already sent at " + already.sentAt(), null);
        }
        if (claim instanceof SummaryLedger.Claim.HeldElsewhere held) {
            throw new SummaryRetryException("the summary of " + date + " is being sent by another invocation (claimed"
                    + " until " + held.leaseUntil() + "); failing so that a retry looks again", null);
        }
        faults.reached(io.tocsin.fault.FaultPoint.SUMMARY_CLAIMED);
        SummaryReport report;
        try {
            report = report(date, now);
            Mail mail = Mail.withHtml(config.recipients().get(0), report.subject(),
                    html.data("report", report).render())
                    .setText(text.data("report", report).render())
                    .setTo(config.recipients());
            // the same Message-ID on every attempt at one day: a copy sent again after a crash is the same message
            mail.addHeader("Message-ID", "<summary-" + date + "@tocsin>");
            email.deliver(mail);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Daily summary of %s not sent; releasing the day for the retry", date);
            if (!ledger.release(date, token, e.toString())) {
                LOG.errorf("Daily summary of %s: the claim was lost, a retry may take it at %s", date, now.plus(LEASE));
            }
            throw new SummaryRetryException("the summary of " + date + " could not be sent: " + e.getMessage(), e);
        }
        faults.reached(io.tocsin.fault.FaultPoint.SUMMARY_SENT);
        if (!ledger.sent(date, token, now, config.recipients(), report.subject(), figures(report))) {
            // Sent, but the lease had run out and another invocation may send too: no retry would help.
            LOG.errorf("Daily summary of %s was sent but its claim had been taken over; it may arrive twice", date);
        }
        LOG.infof("Daily summary of %s sent to %s: %s", date, config.recipients(), report.health().line());
        return new Result(true, date, null, report);
    }

    /** The summary of {@code date} as it stands at {@code now} (nothing sent; public for the long-history bench). */
    public SummaryReport report(LocalDate date, Instant now) {
        Settings.SummaryEmail config = settings.summaryEmail();
        Instant to = dueAt(date, config.time(), config.zone());
        Instant from = to.minus(WINDOW);
        List<Incident> open = incidents.open();
        Figures figures = metrics.window(from, to, open).figures();
        HealthRule rule = new HealthRule(settings.escalationTimeout());
        HealthRule.Health health = rule.evaluate(new HealthRule.Inputs(open, figures.deliveryFailures(),
                figures.escalations().incidents(), figures.mtta().p90(), now));
        List<SummaryReport.Unresolved> listed = open.stream().limit(MAX_LISTED).map(i -> unresolved(i, now)).toList();
        List<SummaryReport.Count> severities = new ArrayList<>();
        for (Severity s : Severity.values()) {
            severities.add(new SummaryReport.Count(s.wire(), figures.severity(s)));
        }
        List<SummaryReport.Count> sources = figures.topSources().stream()
                .map(c -> new SummaryReport.Count(c.source(), c.count())).toList();
        return new SummaryReport(date, config.zone(), from, to, now, figures.counts().total(), severities,
                stats(figures.mtta()), stats(figures.mttr()), sources, figures.suppressed().duplicate(),
                figures.suppressed().maintenance(), figures.escalations().incidents(),
                figures.escalations().levelsRaised(), figures.deliveryFailures(), listed, open.size(), health,
                rule.describe());
    }

    /** The dashboard's page of one incident: {@code <url>?incident=<id>} (or {@code &incident=} after a query). */
    static String incidentPage(java.net.URI dashboard, String incidentId) {
        String url = dashboard.toString();
        return url + (dashboard.getRawQuery() == null ? "?" : "&") + "incident="
                + java.net.URLEncoder.encode(incidentId, java.nio.charset.StandardCharsets.UTF_8);
    }

    private SummaryReport.Unresolved unresolved(Incident incident, Instant now) {
        String link = settings.dashboardUrl().map(url -> incidentPage(url, incident.id())).orElse(null);
        return new SummaryReport.Unresolved(incident.id(), incident.alert().severity().wire(),
                incident.status().wire(), Texts.singleLine(incident.alert().title()),
                Texts.singleLine(incident.alert().source()), incident.createdAt(),
                Duration.between(incident.createdAt(), now), link);
    }

    private static SummaryReport.Stats stats(Figures.Latency latency) {
        return new SummaryReport.Stats(latency.count(), latency.mean(), latency.p50(), latency.p90());
    }

    /** What the ledger keeps of a sent summary: its headline figures, to see later what was reported. */
    private static String figures(SummaryReport report) {
        return "window " + report.from() + "/" + report.to() + "; alerts " + report.totalAlerts() + "; incidents "
                + report.incidents() + " (" + report.severityText() + "); MTTA " + report.mtta().text() + "; MTTR "
                + report.mttr().text() + "; unresolved " + report.unresolvedTotal() + "; " + report.health().line();
    }
}
