package io.tocsin.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.arc.Arc;
import io.quarkus.funqy.Funq;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.dashboard.DashboardPage;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.maintenance.MaintenanceStore;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;

/**
 * Runs {@code infra/smoke.sh --local} for real: bash, curl and node against the README's local-run contract
 * ({@code POST <url>/<function>} with the direct-invocation JSON, {@code GET <url>/dashboard}), served here by every
 * Funqy function of the application under test (found by their {@code @Funq} names, dynalite and PagerDuty at
 * WireMock behind them) through a small HTTP front, since the test build carries the Lambda binding rather than
 * funqy-http. Each request moves the application's clock one second on, as time passes between requests.
 */
@QuarkusTest
@TestProfile(SmokeScriptTest.OwnTable.class)
class SmokeScriptTest {

    /** Its own application start and dynalite: the script's test incidents meet no other test's items. */
    public static class OwnTable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "rules");
        }
    }

    /** Every check the local mode prints, in order. */
    static final List<String> LOCAL_CHECKS = List.of("rules", "ingest", "ingest-duplicate", "incident", "incidents",
            "acknowledge", "resolve", "resolve-read", "evaluate", "alertmanager", "alertmanager-resolved",
            "cloudwatch-alarm", "cloudwatch-ok", "maintenance", "maintenance-list", "maintenance-delete", "metrics",
            "escalation-sweep", "daily-summary", "dashboard", "pagerduty-webhook", "dashboard-http");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    @Inject
    MutableClock clock;
    @Inject
    DashboardPage dashboard;
    @Inject
    IncidentStore incidents;
    @Inject
    MaintenanceStore maintenance;

    private HttpServer front;
    private final Map<String, Method> functions = new TreeMap<>();

    @BeforeEach
    void startFront() throws IOException {
        PagerDutyFake.reset();
        clock.set(Instant.now()); // the script dates its maintenance window from the real time
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class)) {
            for (Method method : bean.getBeanClass().getDeclaredMethods()) {
                Funq funq = method.getAnnotation(Funq.class);
                if (funq != null && bean.getBeanClass().getName().startsWith("io.tocsin.")) {
                    functions.put(funq.value().isEmpty() ? method.getName() : funq.value(), method);
                }
            }
        }
        front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        front.createContext("/", this::handle);
        front.start();
    }

    @AfterEach
    void stopFront() {
        front.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + front.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        clock.advance(Duration.ofSeconds(1));
        String name = exchange.getRequestURI().getPath().substring(1);
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET") && name.equals("dashboard")) {
                DashboardPage.Rendered page = dashboard.render(query(exchange.getRequestURI().getRawQuery()));
                respond(exchange, page.status(), "text/html; charset=utf-8", page.html());
                return;
            }
            Method function = functions.get(name);
            if (!exchange.getRequestMethod().equals("POST") || function == null) {
                respond(exchange, 404, "text/plain", "no function " + name);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            JsonNode input = body.length == 0 ? null : JSON.readTree(body);
            Object bean = Arc.container().instance(function.getDeclaringClass()).get();
            Object output = function.invoke(bean, input);
            respond(exchange, 200, "application/json", JSON.writeValueAsString(output));
        } catch (InvocationTargetException e) {
            respond(exchange, 500, "text/plain", String.valueOf(e.getCause()));
        } catch (Exception e) {
            respond(exchange, 500, "text/plain", e.toString());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(key, value);
            }
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    record Run(int exit, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    static Run smoke(String... args) throws Exception {
        Path root = Projects.root();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("infra/smoke.sh").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add));
        reader.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("infra/smoke.sh did not finish in " + SCRIPT_TIMEOUT);
        }
        reader.join(10_000);
        return new Run(process.exitValue(), List.copyOf(lines));
    }

    @Test
    void theFrontServesEveryFunctionOfTheTemplate() {
        assertEquals(List.of("acknowledge", "alertmanager", "daily-summary", "dashboard", "escalation-sweep", "evaluate",
                "incident", "incidents", "ingest", "maintenance", "metrics", "pagerduty-webhook", "resolve", "rules"),
                List.copyOf(functions.keySet()));
    }

    @Test
    void theLocalModePassesEveryCheckAndLeavesNothingOpen() throws Exception {
        Run run = smoke("--local", url());
        String out = run.text();
        List<String> passed = run.lines().stream().filter(l -> l.startsWith("PASS "))
                .map(l -> l.substring(5, l.indexOf(':'))).toList();
        assertEquals(LOCAL_CHECKS, passed, out);
        assertEquals(LOCAL_CHECKS.size() + " passed, 0 failed", run.lines().get(run.lines().size() - 1), out);
        assertEquals(0, run.exit(), out);

        List<Incident> stillOpen = incidents.open().stream()
                .filter(i -> i.alert().source().contains("tocsin-smoke")).toList();
        assertTrue(stillOpen.isEmpty(), "the script resolves what it opened: " + stillOpen);
        assertTrue(maintenance.current(clock.instant()).isEmpty(), "its maintenance window is deleted");
        List<String> actions = PagerDutyFake.events().stream().map(PagerDutyFake::json)
                .map(e -> e.path("event_action").asText()).collect(Collectors.toList());
        assertEquals(List.of("trigger", "acknowledge", "resolve", "trigger", "resolve", "trigger", "resolve"), actions,
                "the test alert, the Alertmanager alert and the CloudWatch alarm, each paged and resolved");
        assertTrue(PagerDutyFake.events().stream().map(PagerDutyFake::json)
                .filter(e -> e.path("event_action").asText().equals("trigger"))
                .allMatch(e -> e.path("payload").path("severity").asText().equals("info")), "test pages are info");
    }

    @Test
    void aFailedCheckIsCountedAndTheExitIsNonZero() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run run = smoke("--local", "http://127.0.0.1:" + closed);
        String last = run.lines().get(run.lines().size() - 1);
        assertTrue(last.matches("0 passed, \\d+ failed"), run.text());
        assertFalse(last.startsWith("0 passed, 0 "), run.text());
        assertEquals(1, run.exit(), run.text());
        assertTrue(run.lines().stream().anyMatch(l -> l.startsWith("FAIL ingest: ingest did not answer")), run.text());
    }

    @Test
    void badUsageExitsWithTwo() throws Exception {
        Run run = smoke("--nonsense");
        assertEquals(2, run.exit(), run.text());
        assertTrue(run.text().contains("--local"), "prints the usage: " + run.text());
    }
}
