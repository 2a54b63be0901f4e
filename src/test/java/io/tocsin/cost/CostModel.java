package io.tocsin.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.tocsin.emf.Emf;

/**
 * What Tocsin costs a month on AWS at a given number of alerts a day: the arithmetic behind BENCHMARKS.md "Cost per
 * alert", from the measured inputs below ({@link CostInputsTest} keeps them equal to what the code does;
 * {@code CostBenchTest} measured the durations), stated assumptions, and list prices of us-east-1. {@link #report()}
 * renders the tables; {@code CostModelTest} checks BENCHMARKS.md shows exactly them and writes them to
 * {@code target/cost-table.md}: {@code ./mvnw test -Dtest=CostModelTest}.
 */
public final class CostModel {

    // ---------------------------------------------------------------------------------------------------------------
    // Prices: us-east-1, on-demand list prices, no free tier; read 2026-12-01 (stored copies of the pages, through the
    // project's search tool).
    // ---------------------------------------------------------------------------------------------------------------

    public record Price(String what, double usd, String unit, String source) {
    }

    static final Price LAMBDA_REQUESTS = new Price("Lambda requests", 0.20, "per million requests",
            "docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html; aws.amazon.com/lambda/pricing");
    static final Price LAMBDA_DURATION = new Price("Lambda duration, x86", 0.0000166667, "per GB-second",
            "aws.amazon.com/lambda/pricing (first 6 billion GB-s a month); since 2025-08-01 the INIT phase of managed "
                    + "runtimes is billed too (AWS Compute Blog, \"AWS Lambda standardizes billing for INIT Phase\")");
    static final Price DYNAMODB_WRITES = new Price("DynamoDB on-demand write request units", 0.625,
            "per million WRU", "aws.amazon.com/dynamodb/pricing/on-demand (price cut of 2024-11-01; figure as "
                    + "quoted by airbyte.com/data-engineering-resources/dynamodb-pricing, 2025-07-21)");
    static final Price DYNAMODB_READS = new Price("DynamoDB on-demand read request units", 0.125, "per million RRU",
            "same");
    static final Price DYNAMODB_STORAGE = new Price("DynamoDB storage, Standard table class", 0.25, "per GB-month",
            "aws.amazon.com/dynamodb/pricing (first 25 GB a month free: not deducted here)");
    static final Price HTTP_API = new Price("API Gateway HTTP API", 1.00, "per million requests",
            "docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/"
                    + "cost-optimization.html (first 300 million a month; metered per 512 KB)");
    static final Price SCHEDULER = new Price("EventBridge Scheduler", 1.00, "per million invocations",
            "cloudburn.io/blog/amazon-eventbridge-pricing (2026-03; first 14 million a month free: not deducted)");
    static final Price LOGS_INGESTION = new Price("CloudWatch Logs ingestion, Standard class", 0.50, "per GB",
            "aws.amazon.com/cloudwatch/pricing, as quoted by factualminds.com (2026-06) and cloudburn.io (2026-02)");
    static final Price SECRET = new Price("Secrets Manager secret", 0.40, "per secret-month",
            "aws.amazon.com/secrets-manager/pricing, as quoted by hivebook.wiki");
    static final Price DASHBOARD = new Price("CloudWatch dashboard", 3.00, "per dashboard-month",
            "aws.amazon.com/cloudwatch/pricing, as quoted by factualminds.com (2026-06)");
    static final Price ALARM = new Price("CloudWatch standard-resolution alarm", 0.10, "per alarm-month",
            "c3x.dev/resources/aws/aws_cloudwatch_metric_alarm");
    static final Price CUSTOM_METRIC = new Price("CloudWatch custom metric (EMF)", 0.30, "per metric-month",
            "signoz.io/guides/cloudwatch-pricing (first 10,000 metrics, 2026-02)");

    static final List<Price> PRICES = List.of(LAMBDA_REQUESTS, LAMBDA_DURATION, DYNAMODB_WRITES, DYNAMODB_READS,
            DYNAMODB_STORAGE, HTTP_API, SCHEDULER, LOGS_INGESTION, SECRET, DASHBOARD, ALARM, CUSTOM_METRIC);

    // ---------------------------------------------------------------------------------------------------------------
    // Measured: what one run of each path costs (CostInputsTest asserts these values; means over the four
    // severities). Write and read request units as on-demand DynamoDB bills them (CapacityRecorder); log bytes are
    // what the function writes to standard output (Embedded Metric Format lines; these paths log nothing else).
    // ---------------------------------------------------------------------------------------------------------------

    /** One run of a path: DynamoDB requests, write and read request units, bytes of log. */
    public record PathUse(String path, double requests, double writeUnits, double readUnits, double logBytes) {
    }

    static final List<PathUse> MEASURED = List.of(
            new PathUse("new alert", 2.0, 8.5, 0.0, 193.25),
            new PathUse("duplicate", 1.0, 1.0, 0.0, 392.25),
            new PathUse("incident view", 2.0, 0.0, 2.0, 0.0),
            new PathUse("acknowledge", 2.0, 16.5, 0.0, 182.0),
            new PathUse("resolve", 4.0, 39.0, 0.0, 174.0),
            new PathUse("sweep (idle)", 8.0, 0.0, 5.5, 0.0),
            new PathUse("dashboard view (floor)", 20.0, 0.0, 11.5, 0.0),
            new PathUse("daily summary (floor)", 6.0, 2.0, 2.5, 0.0));
    /** Mean stored size of a resolved incident item (the realistic alert of CostPaths), bytes as DynamoDB counts them. */
    static final double INCIDENT_BYTES = 2320.25;
    /** Mean stored size of a dedup claim item. */
    static final double CLAIM_BYTES = 937.75;
    /** Mean size of a claim's entry in the keys-only {@code claims} index (its table and index keys). */
    static final double CLAIM_INDEX_ENTRY_BYTES = 174.0;

    static PathUse use(String path) {
        return MEASURED.stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measured path " + path));
    }

    /**
     * Warm durations in ms, median of 200 runs through each function, in-process against dynalite and PagerDuty at
     * WireMock ({@code ./mvnw test -Dbench -Dtest=CostBenchTest}, 2026-12-01 06:17 UTC, on the code with the outbox,
     * load average 4.1 falling to 2.1 on 2 shared cores). The summary's per-incident figure is noisy (its SMTP send
     * dominates its time). The four paths issue 14 changed (new alert, duplicate, incident view, resolve) re-measured
     * by the same command at 2026-12-01 11:12 UTC on the code where a duplicate is one request, load 5.9 falling to
     * 4.2; the others kept from the 06:17 run (unchanged code).
     */
    record Durations(double newAlert, double duplicate, double incidentView, double acknowledge, double resolve,
            double sweep, double dashboardFloor, double dashboardPerIncident, double summaryFloor,
            double summaryPerIncident) {
    }

    static final Durations DURATIONS = new Durations(10.65, 3.98, 5.41, 12.73, 17.95, 14.85, 49.45, 0.1368, 78.03,
            0.2055);
    /** BENCHMARKS.md "Start-up": median JVM start to the first handled event, through the packaged function.zip. */
    static final double COLD_START_MS = 3086;

    // ---------------------------------------------------------------------------------------------------------------
    // Assumptions (not measured)
    // ---------------------------------------------------------------------------------------------------------------

    static final double DUPLICATE_SHARE = 0.20;
    static final int DAYS_PER_MONTH = 30;
    /** template.yaml Globals.Function.MemorySize (CostModelTest checks it). */
    static final double MEMORY_GB = 1024 / 1024.0;
    /** template.yaml: the sweep runs rate(1 minute). */
    static final int SWEEPS_PER_DAY = 24 * 60;
    /** One screen showing the dashboard all day: the page reloads itself every minute. */
    static final int DASHBOARD_VIEWS_PER_DAY = 24 * 60;
    /** The days a dashboard view shows (DashboardPage.WINDOW_DAYS). */
    static final int DASHBOARD_DAYS = 14;
    /** The hourly rollup items a dashboard view reads (Rollups: one per UTC hour of its 14 days). */
    static final int DASHBOARD_HOURS = DASHBOARD_DAYS * 24;
    /** The hourly rollup items the daily summary reads (its 24 hours). */
    static final int SUMMARY_HOURS = 24;
    /** The history page of a dashboard view: DashboardPage.HISTORY_ROWS and one more to know there are more. */
    static final int HISTORY_ROWS = 101;
    /**
     * The closures read live by a view (not folded yet): those of the last Rollups.LAG (16 min) and the sweep's
     * minute, as a share of a day's incidents.
     */
    static final double TAIL_DAYS = 17.0 / (24 * 60);
    /**
     * Mean stored size of an hourly rollup item, bytes: measured by LongHistoryBenchTest (about 300 incidents an
     * hour, 5 sources, 4 severities); an hour with fewer incidents has a smaller item.
     */
    static final double ROLLUP_HOUR_BYTES = 1762;
    /** Round trip of one PagerDuty Events API call from Lambda: assumed, not measured. */
    static final double PAGERDUTY_MS = 200;
    /** New execution environments a day for each of the 6 busy functions (ingest, incident, acknowledge, resolve, sweep, dashboard). */
    static final int COLD_STARTS_PER_FUNCTION_PER_DAY = 24;
    static final int BUSY_FUNCTIONS = 6;
    /** Lambda's own lines per invocation (START, END, REPORT): about 300 bytes; assumed from their documented format. */
    static final double PLATFORM_LOG_BYTES = 300;
    /** DynamoDB adds 100 bytes of overhead per item and per index entry to the billed storage. */
    static final double ITEM_OVERHEAD_BYTES = 100;
    /** TOCSIN_RETENTION's default: a closed incident is kept this long after it closed, then expires (TTL). */
    static final int RETENTION_DAYS = 400;
    /** DynamoDB deletes an expired item lazily, up to about two days late. */
    static final int TTL_LAG_DAYS = 2;
    /**
     * Storage is shown at its steady state: the incidents of the last retention (plus the deletion lag), since every
     * incident closes and expires RETENTION_DAYS later; the rollup items, which never expire, counted for as long.
     */
    static final int STORAGE_DAYS = RETENTION_DAYS + TTL_LAG_DAYS;
    /**
     * A dedup claim lives about 32 days: DedupStore.CLAIM_RETENTION (30 days after the last alert of its key), then up
     * to 2 days of lazy TTL deletion. One claim per key: counted here as one per incident (every key new, an upper bound).
     */
    static final double CLAIM_DAYS = 32;
    /**
     * The secrets of docs/deploy.md "Secrets" (PagerDuty key, REST API key, SMTP, PagerDuty and Grafana webhook
     * secrets) as the guide recommends them: SSM Parameter Store standard parameters, "no additional charge"
     * (docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html, read 2026-12-08;
     * the stored pages do not say what GetParameter calls cost at standard throughput: counted as nothing). In Secrets
     * Manager, as before (the template parameters' defaults), they are {@link #SECRETS_MANAGER_SECRETS} secrets.
     */
    static final int SECRETS = 0;
    static final int SECRETS_MANAGER_SECRETS = 5;
    /**
     * template.yaml's CloudWatch alarms (failed summaries, ingest failures, delivery failures, failed sweeps, an
     * exhausted escalation policy, the scheduler's dead letters, unscoped maintenance).
     */
    static final int ALARMS = 7;
    /** template.yaml's CloudWatch dashboard: optional (parameter CloudWatchDashboard), on by default. */
    static final int DASHBOARDS = 1;
    static final double GB = 1024.0 * 1024 * 1024;

    // ---------------------------------------------------------------------------------------------------------------
    // The arithmetic
    // ---------------------------------------------------------------------------------------------------------------

    /** What one day does at {@code alertsPerDay}. */
    record Day(double alerts, double incidents, double duplicates, double invocations, double gbSeconds,
            double dashboardGbSeconds, double apiRequests, double writeUnits, double readUnits,
            double dashboardReadUnits, double logBytes, double dashboardMs) {
    }

    static Day day(double alertsPerDay) {
        double incidents = alertsPerDay * (1 - DUPLICATE_SHARE);
        double duplicates = alertsPerDay * DUPLICATE_SHARE;
        // each incident: paged once, viewed once, acknowledged once, resolved once (an upper bound)
        double[][] paths = {
                // runs a day, ms per run, index of the measured path
                {incidents, DURATIONS.newAlert() + PAGERDUTY_MS, 0},
                {duplicates, DURATIONS.duplicate(), 1},
                {incidents, DURATIONS.incidentView(), 2},
                {incidents, DURATIONS.acknowledge() + PAGERDUTY_MS, 3},
                {incidents, DURATIONS.resolve() + PAGERDUTY_MS, 4},
                {SWEEPS_PER_DAY, DURATIONS.sweep(), 5},
                // the summary decodes the closures not folded yet, not the day's incidents (they are in the rollups)
                {1, DURATIONS.summaryFloor() + DURATIONS.summaryPerIncident() * incidents * TAIL_DAYS, 7},
        };
        double invocations = 0;
        double ms = 0;
        double writes = 0;
        double reads = 0;
        double logBytes = 0;
        for (double[] p : paths) {
            PathUse use = MEASURED.get((int) p[2]);
            invocations += p[0];
            ms += p[0] * p[1];
            writes += p[0] * use.writeUnits();
            reads += p[0] * use.readUnits();
            logBytes += p[0] * (use.logBytes() + PLATFORM_LOG_BYTES);
        }
        // the daily summary reads 24 hourly rollup items and the closures not folded yet (eventually consistent
        // Queries: half a unit per 4 KB)
        reads += (SUMMARY_HOURS * ROLLUP_HOUR_BYTES + incidents * TAIL_DAYS * INCIDENT_BYTES) / 4096 / 2;
        // the sweep folds every closure once: reads it from the CLOSED partition, and rewrites the hourly item of its
        // creation (a consistent read and a write of the item; at most one per sweep and hour: closures of one minute
        // were mostly created in one or two hours, counted here as one)
        double folds = Math.min(SWEEPS_PER_DAY, incidents);
        reads += incidents * INCIDENT_BYTES / 4096 / 2 + folds * Math.ceil(ROLLUP_HOUR_BYTES / 4096);
        writes += folds * (Math.ceil(ROLLUP_HOUR_BYTES / 1024) + 2);
        // a dashboard view reads 14 days of hourly rollup items, one page of history and the closures not folded yet
        PathUse dashboard = use("dashboard view (floor)");
        double decoded = Math.min(HISTORY_ROWS, DASHBOARD_DAYS * incidents) + incidents * TAIL_DAYS;
        double dashboardMs = DURATIONS.dashboardFloor() + DURATIONS.dashboardPerIncident() * decoded;
        double dashboardReads = DASHBOARD_VIEWS_PER_DAY * (dashboard.readUnits()
                + (decoded * INCIDENT_BYTES + DASHBOARD_HOURS * ROLLUP_HOUR_BYTES) / 4096 / 2);
        invocations += DASHBOARD_VIEWS_PER_DAY;
        logBytes += DASHBOARD_VIEWS_PER_DAY * PLATFORM_LOG_BYTES;
        double gbSeconds = MEMORY_GB * (ms + COLD_START_MS * COLD_STARTS_PER_FUNCTION_PER_DAY * BUSY_FUNCTIONS) / 1000;
        double dashboardGbSeconds = MEMORY_GB * DASHBOARD_VIEWS_PER_DAY * dashboardMs / 1000;
        double apiRequests = alertsPerDay + 3 * incidents + DASHBOARD_VIEWS_PER_DAY;
        return new Day(alertsPerDay, incidents, duplicates, invocations, gbSeconds, dashboardGbSeconds, apiRequests,
                writes, reads, dashboardReads, logBytes, dashboardMs);
    }

    /** Dollars a month, by line. */
    record Month(double lambdaRequests, double lambdaDuration, double lambdaDashboard, double dynamoWrites,
            double dynamoReads, double dynamoDashboardReads, double dynamoStorage, double apiGateway, double scheduler,
            double logs, double fixed) {
        double total() {
            return lambdaRequests + lambdaDuration + lambdaDashboard + dynamoWrites + dynamoReads + dynamoDashboardReads
                    + dynamoStorage + apiGateway + scheduler + logs + fixed;
        }
    }

    static int customMetrics() {
        int n = 0;
        for (Emf.Metric metric : Emf.Metric.values()) {
            n += Math.max(1, metric.dimensionValues().size());
        }
        return n;
    }

    static double storageGb(double alertsPerDay) {
        double incidents = alertsPerDay * (1 - DUPLICATE_SHARE);
        // the incident item, its copy in the by-created index and, once closed, in the escalation-due index's CLOSED
        // partition (ALL projections); open and delivery indexes hold only the few open or due incidents
        double incidentBytes = STORAGE_DAYS * incidents * 3 * (INCIDENT_BYTES + ITEM_OVERHEAD_BYTES);
        // one rollup item per hour
        incidentBytes += STORAGE_DAYS * 24 * (ROLLUP_HOUR_BYTES + ITEM_OVERHEAD_BYTES);
        // the claim item, and its entry in the keys-only claims index
        double claimBytes = CLAIM_DAYS * incidents
                * (CLAIM_BYTES + ITEM_OVERHEAD_BYTES + CLAIM_INDEX_ENTRY_BYTES + ITEM_OVERHEAD_BYTES);
        return (incidentBytes + claimBytes) / GB;
    }

    static Month month(double alertsPerDay) {
        Day d = day(alertsPerDay);
        double m = DAYS_PER_MONTH;
        return new Month(
                d.invocations() * m / 1e6 * LAMBDA_REQUESTS.usd(),
                d.gbSeconds() * m * LAMBDA_DURATION.usd(),
                d.dashboardGbSeconds() * m * LAMBDA_DURATION.usd(),
                d.writeUnits() * m / 1e6 * DYNAMODB_WRITES.usd(),
                d.readUnits() * m / 1e6 * DYNAMODB_READS.usd(),
                d.dashboardReadUnits() * m / 1e6 * DYNAMODB_READS.usd(),
                storageGb(alertsPerDay) * DYNAMODB_STORAGE.usd(),
                d.apiRequests() * m / 1e6 * HTTP_API.usd(),
                (SWEEPS_PER_DAY + 1) * m / 1e6 * SCHEDULER.usd(),
                d.logBytes() * m / GB * LOGS_INGESTION.usd(),
                fixedWithoutDashboard() + DASHBOARDS * DASHBOARD.usd());
    }

    /** The fixed costs with CloudWatchDashboard=false. */
    static double fixedWithoutDashboard() {
        return SECRETS * SECRET.usd() + ALARMS * ALARM.usd() + customMetrics() * CUSTOM_METRIC.usd();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Compared with: per-seat pagers for a team of 10, from their published prices (read through the project's search
    // tool, stored copies; the dates are those of the copies)
    // ---------------------------------------------------------------------------------------------------------------

    /** A per-seat product: its monthly price for {@code SEATS} users, how it is made up, and where it was read. */
    record Seat(String product, double usdPerMonth, String makeUp, String source) {
    }

    static final int SEATS = 10;

    static final List<Seat> COMPARED = List.of(
            new Seat("PagerDuty Professional", SEATS * 25.0, "$25 per user a month billed monthly ($21 billed yearly: "
                    + "$210)", "pagerduty.com/pricing/incident-management, as transcribed verbatim on 2026-09-20 in "
                    + "api-evangelist/pagerduty plans/pagerduty-plans-pricing.yml"),
            new Seat("Opsgenie Essentials", SEATS * 9.45, "$9.45 per user a month; Atlassian stopped selling Opsgenie "
                    + "to new customers in June 2025", "atlassian.com/software/opsgenie/pricing, as listed (generated, "
                    + "not read from the page) on 2026-05-04 in api-evangelist/opsgenie plans/opsgenie-plans-pricing.yml"),
            new Seat("Grafana Cloud IRM", 19.0 + SEATS * 20.0, "Grafana Cloud Pro's $19 platform fee and $20 per active "
                    + "IRM user a month (the Free tier covers 3 IRM users)", "grafana.com/pricing, as reconciled on "
                    + "2026-05-25 in api-evangelist/grafana-com plans/grafana-com-plans-pricing.yml"));

    // ---------------------------------------------------------------------------------------------------------------
    // The tables
    // ---------------------------------------------------------------------------------------------------------------

    static final List<Integer> VOLUMES = List.of(1_000, 10_000, 100_000);

    private static String usd(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "$%,.0f" : "$%,.2f", v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%,.2f", v);
    }

    private static void row(StringBuilder md, String label, ToDoubleFunction<Integer> value,
            java.util.function.DoubleFunction<String> format) {
        md.append("| ").append(label);
        for (int v : VOLUMES) {
            md.append(" | ").append(format.apply(value.applyAsDouble(v)));
        }
        md.append(" |\n");
    }

    /** The cost table, the usage table behind it and the per-path inputs, as Markdown. */
    public static String report() {
        StringBuilder md = new StringBuilder();
        md.append("| per month, us-east-1, list prices | 1,000 alerts/day | 10,000 alerts/day | 100,000 alerts/day |\n")
                .append("|---|--:|--:|--:|\n");
        row(md, "Lambda requests", v -> month(v).lambdaRequests(), CostModel::usd);
        row(md, "Lambda duration: alerts, acknowledges, resolves, reads, sweep, summary, cold starts",
                v -> month(v).lambdaDuration(), CostModel::usd);
        row(md, "Lambda duration: dashboard views", v -> month(v).lambdaDashboard(), CostModel::usd);
        row(md, "DynamoDB writes", v -> month(v).dynamoWrites(), CostModel::usd);
        row(md, "DynamoDB reads: all but the dashboard", v -> month(v).dynamoReads(), CostModel::usd);
        row(md, "DynamoDB reads: dashboard views", v -> month(v).dynamoDashboardReads(), CostModel::usd);
        row(md, "DynamoDB storage (steady state: " + RETENTION_DAYS + "-day retention)", v -> month(v).dynamoStorage(),
                CostModel::usd);
        row(md, "API Gateway HTTP API", v -> month(v).apiGateway(), CostModel::usd);
        row(md, "EventBridge Scheduler", v -> month(v).scheduler(), CostModel::usd);
        row(md, "CloudWatch Logs ingestion", v -> month(v).logs(), CostModel::usd);
        row(md, "fixed: secrets in Parameter Store, " + DASHBOARDS + " dashboard, " + ALARMS + " alarms, "
                + customMetrics() + " custom metrics", v -> month(v).fixed(), CostModel::usd);
        row(md, "**total**", v -> month(v).total(), v -> "**" + usd(v) + "**");
        row(md, "total without dashboard views", v -> month(v).total() - month(v).lambdaDashboard()
                - month(v).dynamoDashboardReads(), CostModel::usd);
        row(md, "per 1,000 alerts, without dashboard views", v -> (month(v).total() - month(v).lambdaDashboard()
                - month(v).dynamoDashboardReads()) / (v * (double) DAYS_PER_MONTH / 1000), CostModel::usd);
        row(md, "total with `CloudWatchDashboard=false`", v -> month(v).total() - DASHBOARDS * DASHBOARD.usd(),
                CostModel::usd);
        row(md, "total with the secrets in Secrets Manager (" + SECRETS_MANAGER_SECRETS + " secrets)",
                v -> month(v).total() + SECRETS_MANAGER_SECRETS * SECRET.usd(), CostModel::usd);

        md.append("\n| per day | 1,000 alerts/day | 10,000 alerts/day | 100,000 alerts/day |\n|---|--:|--:|--:|\n");
        row(md, "new incidents (the rest of the alerts are duplicates)", v -> day(v).incidents(), CostModel::num);
        row(md, "Lambda invocations", v -> day(v).invocations(), CostModel::num);
        row(md, "Lambda GB-seconds (without dashboard views)", v -> day(v).gbSeconds(), CostModel::num);
        row(md, "dashboard view: ms per view", v -> day(v).dashboardMs(), CostModel::num);
        row(md, "API requests", v -> day(v).apiRequests(), CostModel::num);
        row(md, "DynamoDB write request units", v -> day(v).writeUnits(), CostModel::num);
        row(md, "DynamoDB read request units (without dashboard views)", v -> day(v).readUnits(), CostModel::num);
        row(md, "DynamoDB read request units, dashboard views", v -> day(v).dashboardReadUnits(), CostModel::num);
        row(md, "DynamoDB GB stored (steady state, " + RETENTION_DAYS + "-day retention)", CostModel::storageGb,
                CostModel::num);
        row(md, "MB of log ingested", v -> day(v).logBytes() / (1024 * 1024), CostModel::num);

        md.append("\n| path (one run) | DynamoDB requests | write units | read units | log bytes | ms (warm) |\n")
                .append("|---|--:|--:|--:|--:|--:|\n");
        List<Double> ms = new ArrayList<>(List.of(DURATIONS.newAlert(), DURATIONS.duplicate(),
                DURATIONS.incidentView(), DURATIONS.acknowledge(), DURATIONS.resolve(), DURATIONS.sweep(),
                DURATIONS.dashboardFloor(), DURATIONS.summaryFloor()));
        for (int i = 0; i < MEASURED.size(); i++) {
            PathUse p = MEASURED.get(i);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", p.path(), trim(p.requests()),
                    trim(p.writeUnits()), trim(p.readUnits()), trim(p.logBytes()), trim(ms.get(i))));
        }
        md.append(String.format(Locale.ROOT, "| stored incident / dedup claim / its `claims` index entry | | | | | %s / %s / %s bytes |%n",
                trim(INCIDENT_BYTES), trim(CLAIM_BYTES), trim(CLAIM_INDEX_ENTRY_BYTES)));

        md.append("\n| compared with, " + SEATS + " users | per month | made up of | read from |\n|---|--:|---|---|\n");
        for (Seat seat : COMPARED) {
            md.append("| ").append(seat.product()).append(" | ").append(usd(seat.usdPerMonth())).append(" | ")
                    .append(seat.makeUp()).append(" | ").append(seat.source()).append(" |\n");
        }
        return md.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private CostModel() {
    }
}
