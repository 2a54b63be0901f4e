package io.tocsin.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.qute.RawString;
import io.tocsin.alert.Severity;
import io.tocsin.api.Problem;
import io.tocsin.heartbeat.HeartbeatStore;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentHistory;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.metrics.FigureSums;
import io.tocsin.metrics.Figures;
import io.tocsin.metrics.IncidentMetrics;
import io.tocsin.time.Durations;

/**
 * The dashboard as of now: MTTA and MTTR per UTC day over the last {@value #WINDOW_DAYS} days, incidents by severity
 * over the same days, every open incident with its age and escalation level, the heartbeats, and the alert history
 * with filters.
 * Reads a number of requests that does not grow with the incidents of the window: the figures from the hourly
 * rollups ({@link IncidentMetrics}: the rollup state, one Query of the hourly items, the closures not folded yet),
 * the {@code open} index (read once, for the figures and the open list), one page of the history (newest first,
 * filtered by DynamoDB), the heartbeats' partition, and the on-call partition (who is on call now and next).
 */
@Singleton
public class DashboardPage {

    /** Issue 5: "MTTA/MTTR over the last 14 days". The window is 14 UTC days, today included. */
    public static final int WINDOW_DAYS = 14;
    /** History rows shown: one page of the history (IncidentHistory.MAX_PAGE_SIZE). */
    public static final int HISTORY_ROWS = IncidentHistory.MAX_PAGE_SIZE;

    /** The on-call slot's note when no schedule is configured ({@link OnCallSlot}). */
    static final String ON_CALL = OnCallSlot.NOT_CONFIGURED;
    /** Sources offered as suggestions in the history filter (bounds the page whatever the sources of the window). */
    static final int SOURCE_SUGGESTIONS = 50;

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_LABEL = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT);

    /** A rendered page: 200 with the dashboard, or 400 with the problems of the filters. */
    public record Rendered(int status, String html, List<Problem> problems) {
    }

    private final IncidentMetrics metrics;
    private final IncidentHistory history;
    private final IncidentStore incidents;
    private final HeartbeatStore heartbeats;
    private final Clock clock;
    private final IncidentPage incidentPage;
    private final OnCallStore onCall;

    @Inject
    public DashboardPage(IncidentMetrics metrics, IncidentHistory history, IncidentStore incidents,
            HeartbeatStore heartbeats, Clock clock, IncidentPage incidentPage, OnCallStore onCall) {
        this.incidentPage = incidentPage;
        this.onCall = onCall;
        this.metrics = metrics;
        this.history = history;
        this.incidents = incidents;
        this.heartbeats = heartbeats;
        this.clock = clock;
    }

    /**
     * Where a page is served. {@code widget}: in a CloudWatch custom widget (links are {@code <cwdb-action>} calls of
     * {@code endpoint}, the function's ARN, null when unknown); {@code actions}: the route serving the page also takes
     * the incident page's acknowledge and resolve forms (the local run only, see {@link DashboardActions});
     * {@code dark}: the widget's console is in its dark theme (in a browser, {@code prefers-color-scheme} decides).
     */
    public record Surface(boolean widget, String endpoint, boolean actions, boolean dark) {
        public static final Surface BROWSER = new Surface(false, null, false, false);
        public static final Surface LOCAL_RUN = new Surface(false, null, true, false);

        public static Surface widget(String endpoint) {
            return widget(endpoint, false);
        }

        public static Surface widget(String endpoint, boolean dark) {
            return new Surface(true, endpoint, false, dark);
        }

        DashboardView.Nav nav() {
            return new DashboardView.Nav(widget, endpoint, ON_CALL, dark);
        }
    }

    /** The page for these query parameters ({@code severity}, {@code status}, {@code source}), in a browser. */
    public Rendered render(Map<String, String> query) {
        return render(query, Surface.BROWSER);
    }

    /**
     * The page for these query parameters: the dashboard (history filters {@code severity}, {@code status},
     * {@code source}; open-list filters {@code open_severity}, {@code open_status}, {@code open_source}), or with
     * {@code incident} that incident's own page.
     */
    public Rendered render(Map<String, String> query, Surface surface) {
        List<Problem> problems = new ArrayList<>();
        DashboardFilter filter = DashboardFilter.parse(query, problems);
        OpenList.Filter openFilter = OpenList.Filter.parse(query, problems);
        if (!problems.isEmpty()) {
            return new Rendered(400, DashboardTemplates.dashboardError(problems).render(), List.copyOf(problems));
        }
        Links links = surface.widget() ? Links.widget(filter, surface.endpoint()) : Links.browser(filter);
        String incident = query.get("incident");
        if (incident != null && !incident.isBlank()) {
            return incidentPage.render(incident.trim(), links, surface,
                    DashboardActions.NOTICES.get(query.getOrDefault("done", "")));
        }
        DashboardView view = view(filter, openFilter, links, surface, incidents.open());
        return new Rendered(200, DashboardTemplates.dashboard(view, surface.widget()).render(), List.of());
    }

    /** The dashboard page with these (valid) history filters. */
    public String html(DashboardFilter filter) {
        return DashboardTemplates.dashboard(view(filter), false).render();
    }

    /** The view model as of the clock's now, in a browser, the open list unfiltered. */
    public DashboardView view(DashboardFilter filter) {
        return view(filter, OpenList.Filter.NONE, Links.browser(filter), Surface.BROWSER, incidents.open());
    }

    /** The view model as of the clock's now, with these open incidents (read once by the caller). */
    DashboardView view(DashboardFilter filter, OpenList.Filter openFilter, Links links, Surface surface,
            List<Incident> openIncidents) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstDay = today.minusDays(WINDOW_DAYS - 1);
        Instant from = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        IncidentMetrics.Window window = metrics.window(from, now.plusMillis(1), openIncidents);
        FigureSums total = window.total();
        Figures figures = total.figures(from, now.plusMillis(1));

        List<LocalDate> days = firstDay.datesUntil(today.plusDays(1)).toList();
        String mtta = SvgChart.line("mtta-chart", "Mean time to acknowledge per day, minutes", "min",
                dailyMeans(days, window, FigureSums::mtta, "MTTA", "acknowledged"));
        String mttr = SvgChart.line("mttr-chart", "Mean time to resolve per day, minutes", "min",
                dailyMeans(days, window, FigureSums::mttr, "MTTR", "resolved"));

        List<SvgChart.Bar> bars = new ArrayList<>();
        for (Severity s : Severity.values()) {
            long n = figures.severity(s);
            bars.add(new SvgChart.Bar(s.wire(), n, s.wire() + ": " + n + (n == 1 ? " incident" : " incidents")
                    + " in the last " + WINDOW_DAYS + " days", "sev-" + s.wire()));
        }
        String severities = SvgChart.bars("severity-chart", "Incidents by severity, last " + WINDOW_DAYS + " days",
                "incidents", bars);

        DashboardView.OpenSection open = OpenList.section(openIncidents, openFilter, now, links);

        // The history: one page, newest first, with the filters applied by DynamoDB (IncidentHistory).
        IncidentHistory.Page page = history.list(new IncidentHistory.Filter(filter.statuses(), filter.severity(),
                filter.source(), from, now, HISTORY_ROWS + 1), null);
        boolean more = page.incidents().size() > HISTORY_ROWS;
        List<DashboardView.HistoryRow> rows = page.incidents().stream().limit(HISTORY_ROWS).map(i -> new DashboardView.HistoryRow(i.id(),
                TIME.format(i.createdAt()), i.alert().severity().wire(), i.status().wire(), i.alert().source(),
                i.alert().title(), i.duplicateCount(), humanOrDash(i.timeToAcknowledge()),
                humanOrDash(i.timeToResolve()))).toList();

        List<DashboardView.Tile> tiles = List.of(
                new DashboardView.Tile("Incidents", String.valueOf(figures.counts().total()),
                        "last " + WINDOW_DAYS + " days"),
                new DashboardView.Tile("Open now", String.valueOf(openIncidents.size()),
                        openIncidents.stream().filter(i -> i.escalationLevel() > 1).count() + " escalated"),
                meanTile("MTTA", figures.mtta(), "acknowledged"),
                meanTile("MTTR", figures.mttr(), "resolved"));

        List<DashboardView.HeartbeatRow> heartbeatRows = heartbeats.all().stream().map(h -> new DashboardView.HeartbeatRow(
                h.name(), h.lastPingAt() == null ? "never" : TIME.format(h.lastPingAt()), TIME.format(h.dueAt()),
                h.isLateAt(now) ? "overdue" : h.state().wire(), h.incidentId())).toList();

        return new DashboardView(TIME.format(now), WINDOW_DAYS,
                DAY_LABEL.format(firstDay) + " – " + DAY_LABEL.format(today) + " (UTC)", tiles,
                new RawString(mtta), new RawString(mttr), new RawString(severities), open, rows,
                more, HISTORY_ROWS, form(filter, total.sources()), heartbeatRows,
                surface.nav(), OnCallSlot.read(onCall, now));
    }

    private static List<SvgChart.Point> dailyMeans(List<LocalDate> days, IncidentMetrics.Window window,
            Function<FigureSums, Figures.Latency> measure, String name, String verb) {
        List<SvgChart.Point> points = new ArrayList<>();
        for (LocalDate day : days) {
            Figures.Latency latency = measure.apply(window.day(day));
            Double mean = latency.mean();
            String title = mean == null ? day + ": no incident " + verb
                    : day + ": " + name + " " + SvgChart.format(mean) + " min over " + latency.count()
                            + (latency.count() == 1 ? " incident" : " incidents");
            points.add(new SvgChart.Point(DAY_LABEL.format(day), mean, title));
        }
        return points;
    }

    private static DashboardView.Tile meanTile(String name, Figures.Latency latency, String verb) {
        Double mean = latency.mean();
        return new DashboardView.Tile(name + " · " + WINDOW_DAYS + " days",
                mean == null ? "–" : SvgChart.format(mean) + " min", "mean of " + latency.count() + " " + verb);
    }

    private static String humanOrDash(Duration duration) {
        return duration == null ? "–" : Durations.human(duration);
    }

    private static DashboardView.FilterForm form(DashboardFilter filter, List<String> sources) {
        List<DashboardView.Option> severities = new ArrayList<>();
        severities.add(new DashboardView.Option("", "any", filter.severity() == null));
        for (Severity s : Severity.values()) {
            severities.add(new DashboardView.Option(s.wire(), s.wire(), s == filter.severity()));
        }
        List<DashboardView.Option> statuses = new ArrayList<>();
        statuses.add(new DashboardView.Option("", "any", filter.statuses().isEmpty()));
        Set<IncidentStatus> open = EnumSet.of(IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED);
        statuses.add(new DashboardView.Option(wire(open), "open (triggered or acknowledged)",
                filter.statuses().equals(open)));
        boolean matched = filter.statuses().isEmpty() || filter.statuses().equals(open);
        for (IncidentStatus s : IncidentStatus.values()) {
            boolean selected = filter.statuses().equals(Set.of(s));
            matched |= selected;
            statuses.add(new DashboardView.Option(s.wire(), s.wire(), selected));
        }
        if (!matched) {
            statuses.add(new DashboardView.Option(wire(filter.statuses()), wire(filter.statuses()), true));
        }
        return new DashboardView.FilterForm(severities, statuses, filter.source() == null ? "" : filter.source(),
                sources.stream().limit(SOURCE_SUGGESTIONS).toList(), !filter.isEmpty());
    }

    private static String wire(Set<IncidentStatus> statuses) {
        return statuses.stream().sorted().map(IncidentStatus::wire).collect(Collectors.joining(","));
    }
}
