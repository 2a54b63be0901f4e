package io.tocsin.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Everything the daily summary email says, computed once and rendered by both templates
 * ({@code templates/summary/daily.txt} and {@code daily.html}).
 *
 * @param date               the summary's day in {@link #zone}: it is due at ALERT_SUMMARY_EMAIL_TIME that day
 * @param from               start of the 24 hours covered (inclusive)
 * @param to                 end of the 24 hours covered (exclusive): the due time
 * @param incidents          incidents created in the window (suppressed alerts excluded)
 * @param unresolved         the incidents open now, oldest first, at most {@link DailySummary#MAX_LISTED}
 * @param unresolvedTotal    how many incidents are open now (may exceed the list)
 */
public record SummaryReport(LocalDate date, ZoneId zone, Instant from, Instant to, Instant generatedAt,
        long incidents, List<Count> bySeverity, Stats mtta, Stats mttr, List<Count> topSources,
        long suppressedDuplicate, long suppressedMaintenance, long escalatedIncidents, long escalationLevelsRaised,
        long deliveryFailures, List<Unresolved> unresolved, int unresolvedTotal, HealthRule.Health health,
        String healthRule) {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

    public SummaryReport {
        bySeverity = List.copyOf(bySeverity);
        topSources = List.copyOf(topSources);
        unresolved = List.copyOf(unresolved);
    }

    /** {@code Daily Alert Summary - YYYY-MM-DD} */
    public String subject() {
        return "Daily Alert Summary - " + date;
    }

    /** Every alert received in the window: the incidents they opened plus the ones suppressed. */
    public long totalAlerts() {
        return incidents + suppressed();
    }

    public long suppressed() {
        return suppressedDuplicate + suppressedMaintenance;
    }

    public int unresolvedNotListed() {
        return unresolvedTotal - unresolved.size();
    }

    /** {@code 2027-05-10 08:00 to 2027-05-11 08:00 (Europe/Paris)} */
    public String windowText() {
        return LOCAL.format(from.atZone(zone)) + " to " + LOCAL.format(to.atZone(zone)) + " (" + zone.getId() + ")";
    }

    /** {@code 2027-05-11 08:00 (Europe/Paris)} */
    public String generatedText() {
        return LOCAL.format(generatedAt.atZone(zone)) + " (" + zone.getId() + ")";
    }

    public String severityText() {
        return join(bySeverity);
    }

    public String topSourcesText() {
        return topSources.isEmpty() ? "none" : join(topSources);
    }

    private static String join(List<Count> counts) {
        return String.join(", ", counts.stream().map(c -> io.tocsin.notify.Texts.singleLine(c.name()) + " " + c.count()).toList());
    }

    /** A name and how many. */
    public record Count(String name, long count) {
    }

    /** Minutes to acknowledge or to resolve: how many incidents had one, mean, p50, p90 (null when none). */
    public record Stats(long count, Double mean, Double p50, Double p90) {
        /** {@code mean 4 min, p50 3 min, p90 10 min (5 incidents)}, or {@code no incidents} */
        public String text() {
            if (count == 0) {
                return "n/a (no incidents)";
            }
            return "mean " + number(mean) + " min, p50 " + number(p50) + " min, p90 " + number(p90) + " min ("
                    + HealthRule.count(count, "incident") + ")";
        }

        public String meanText() {
            return count == 0 ? "n/a" : number(mean);
        }

        public String p50Text() {
            return count == 0 ? "n/a" : number(p50);
        }

        public String p90Text() {
            return count == 0 ? "n/a" : number(p90);
        }
    }

    /** An incident open when the summary was made; {@code link} is null without TOCSIN_DASHBOARD_URL. */
    public record Unresolved(String id, String severity, String status, String title, String source, Instant createdAt,
            Duration age, String link) {
        /** {@code 1 d 2 h}, {@code 3 h 05 min}, {@code 12 min} */
        public String ageText() {
            return io.tocsin.time.Durations.human(age);
        }
    }

    /** At most two decimals, no trailing zeros: 4, 12.5, 3.33. */
    static String number(Double value) {
        if (value == null) {
            return "n/a";
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
