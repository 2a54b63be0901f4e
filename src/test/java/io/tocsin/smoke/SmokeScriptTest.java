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
import java.util.Locale;
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
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.arc.Arc;
import io.quarkus.funqy.Funq;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.dashboard.DashboardPage;
import io.tocsin.heartbeat.HeartbeatService;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.maintenance.MaintenanceStore;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokenStore;
import io.tocsin.lambda.Exports;

/**
 * Runs {@code infra/smoke.sh --local} for real: bash, curl and node against the README's local-run contract
 * ({@code POST <url>/<function>} with the direct-invocation JSON, {@code GET <url>/dashboard}), served here by every
 * Funqy function of the application under test (found by their {@code @Funq} names, dynalite and PagerDuty at
 * WireMock behind them) through a small HTTP front, since the test build carries the Lambda binding rather than
 * funqy-http. Each request moves the application's clock one second on, as time passes between requests.
 */
@QuarkusTest
@TestProfile(Exports.Rules.class)
class SmokeScriptTest {


    /** Every check the local mode prints, in order. */
    static final List<String> LOCAL_CHECKS = List.of("rules", "ingest", "ingest-duplicate", "incident", "incidents",
            "acknowledge", "resolve", "resolve-read", "evaluate", "alertmanager", "alertmanager-resolved",
            "cloudwatch-alarm", "cloudwatch-ok", "maintenance", "maintenance-list", "maintenance-delete", "tokens",
            "tokens-list", "grafana", "grafana-resolved", "tokens-revoke", "hooks-revoked", "heartbeat",
            "heartbeat-ping", "heartbeat-list", "heartbeat-delete", "oncall", "oncall-feed", "metrics", "escalation-sweep", "daily-summary",
            "dashboard", "pagerduty-webhook", "dashboard-http", "http-errors");

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
    @Inject
    TokenStore tokens;
    @Inject
    HeartbeatService heartbeats;

    private HttpServer front;
    private HttpServer api;
    private final Map<String, Method> functions = new TreeMap<>();
    /** Requests the HTTP API front received: "METHOD path signed|unsigned". */
    private final List<String> apiRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

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
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", this::handleApi);
        api.start();
    }

    @AfterEach
    void stopFront() {
        front.stop(0);
        api.stop(0);
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
            if (exchange.getRequestMethod().equals("POST") && ("/" + name).startsWith(TokenRoute.PATH_PREFIX)) {
                hook(exchange, name.substring(TokenRoute.PATH_PREFIX.length() - 1));
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
            // as LocalFunctions: the direct-call body, with the status API Gateway's route gives it
            JsonNode answer = JSON.valueToTree(invoke(name, input));
            respond(exchange, io.tocsin.api.Answer.statusOf(answer), "application/json", JSON.writeValueAsString(answer));
        } catch (InvocationTargetException e) {
            respond(exchange, 500, "text/plain", String.valueOf(e.getCause()));
        } catch (Exception e) {
            respond(exchange, 500, "text/plain", e.toString());
        }
    }

    /**
     * The local run's token routes ({@code src/local/java/io/tocsin/local/LocalHooks.java}): {@code POST /hooks/<route>}
     * becomes an HTTP API event (payload 2.0: route key, headers, the raw body in base64) for the route's function,
     * which checks the token; its proxy response is the HTTP answer.
     */
    private void hook(HttpExchange exchange, String name) throws Exception {
        var route = TokenRoute.parse(name);
        if (route.isEmpty()) {
            respond(exchange, 404, "application/json", "{\"error\":\"not_found\"}");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("routeKey", route.get().routeKey())
                .put("rawPath", route.get().path()).put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((header, values) -> headers.put(header.toLowerCase(Locale.ROOT),
                String.join(",", values)));
        ObjectNode context = event.putObject("requestContext").put("routeKey", route.get().routeKey())
                .put("requestId", java.util.UUID.randomUUID().toString()).put("stage", "$default");
        context.putObject("http").put("method", "POST").put("path", route.get().path()).put("sourceIp", "127.0.0.1");
        event.put("body", java.util.Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
        JsonNode answer = JSON.valueToTree(invoke(route.get().wire(), event));
        respond(exchange, answer.path("statusCode").asInt(500), "application/json", answer.path("body").asText(""));
    }

    private Object invoke(String name, JsonNode input) throws Exception {
        Method function = functions.get(name);
        Object bean = Arc.container().instance(function.getDeclaringClass()).get();
        return function.invoke(bean, input);
    }

    /** An HTTP API route of template.yaml: method, path template, the function it invokes, IAM-authorised or public. */
    record Route(String method, String path, String function, boolean iam) {
        Map<String, String> match(String method, String actual) {
            if (!this.method.equals(method)) {
                return null;
            }
            String[] want = path.substring(1).split("/");
            String[] got = actual.substring(1).split("/");
            if (want.length != got.length) {
                return null;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{")) {
                    parameters.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else if (!want[i].equals(got[i])) {
                    return null;
                }
            }
            return parameters;
        }
    }

    /** The HttpApi events of every function in template.yaml (intrinsic functions read as their tag). */
    @SuppressWarnings("unchecked")
    static List<Route> routes() throws IOException {
        org.yaml.snakeyaml.constructor.SafeConstructor constructor = new org.yaml.snakeyaml.constructor.SafeConstructor(
                new org.yaml.snakeyaml.LoaderOptions()) {
            {
                this.yamlConstructors.put(null, new org.yaml.snakeyaml.constructor.AbstractConstruct() {
                    @Override
                    public Object construct(org.yaml.snakeyaml.nodes.Node node) {
                        return node.getTag().getValue();
                    }
                });
            }
        };
        Map<String, Object> template;
        try (var reader = java.nio.file.Files.newBufferedReader(Projects.root().resolve("template.yaml"))) {
            template = new org.yaml.snakeyaml.Yaml(constructor).load(reader);
        }
        List<Route> routes = new ArrayList<>();
        for (Object resource : ((Map<String, Object>) template.get("Resources")).values()) {
            Map<String, Object> r = (Map<String, Object>) resource;
            if (!"AWS::Serverless::Function".equals(r.get("Type"))) {
                continue;
            }
            Map<String, Object> properties = (Map<String, Object>) r.get("Properties");
            String export = (String) ((Map<String, Object>) ((Map<String, Object>) properties.get("Environment"))
                    .get("Variables")).get("QUARKUS_FUNQY_EXPORT");
            Map<String, Object> events = (Map<String, Object>) properties.getOrDefault("Events", Map.of());
            for (Object e : events.values()) {
                Map<String, Object> event = (Map<String, Object>) e;
                if ("HttpApi".equals(event.get("Type"))) {
                    Map<String, Object> p = (Map<String, Object>) event.get("Properties");
                    Map<String, Object> auth = (Map<String, Object>) p.get("Auth");
                    boolean open = auth != null && "NONE".equals(auth.get("Authorizer"));
                    routes.add(new Route((String) p.get("Method"), (String) p.get("Path"), export, !open));
                }
            }
        }
        return routes;
    }

    /**
     * The HTTP API as API Gateway serves it: the route's function gets a payload 2.0 event and answers
     * {statusCode, headers, body}; an IAM route without a SigV4 Authorization for execute-api in us-east-1 gets 403.
     */
    private void handleApi(HttpExchange exchange) throws IOException {
        clock.advance(Duration.ofSeconds(1));
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        boolean signed = authorization != null && authorization.startsWith("AWS4-HMAC-SHA256 Credential=")
                && authorization.contains("/us-east-1/execute-api/aws4_request")
                && exchange.getRequestHeaders().getFirst("x-amz-date") != null;
        apiRequests.add(method + " " + path + " " + (signed ? "signed" : "unsigned"));
        try (exchange) {
            for (Route route : routes()) {
                Map<String, String> parameters = route.match(method, path);
                if (parameters == null) {
                    continue;
                }
                if (route.iam() && !signed) {
                    respond(exchange, 403, "application/json", "{\"message\":\"Forbidden\"}");
                    return;
                }
                ObjectNode event = JSON.createObjectNode().put("version", "2.0")
                        .put("routeKey", route.method() + " " + route.path()).put("rawPath", path)
                        .put("rawQueryString", String.valueOf(exchange.getRequestURI().getRawQuery() == null ? ""
                                : exchange.getRequestURI().getRawQuery()));
                ObjectNode headers = event.putObject("headers");
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                        String.join(",", values)));
                ObjectNode queryParameters = event.putObject("queryStringParameters");
                query(exchange.getRequestURI().getRawQuery()).forEach(queryParameters::put);
                ObjectNode pathParameters = event.putObject("pathParameters");
                parameters.forEach(pathParameters::put);
                ObjectNode context = event.putObject("requestContext");
                context.putObject("http").put("method", method).put("path", path).put("sourceIp", "127.0.0.1");
                context.put("requestId", java.util.UUID.randomUUID().toString());
                // the IAM routes: API Gateway passes the SigV4 signer's principal (functions refuse it missing)
                context.putObject("authorizer").putObject("iam").put("userArn",
                        "arn:aws:iam::123456789012:user/smoke");
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                if (body.length > 0) {
                    event.put("body", new String(body, StandardCharsets.UTF_8));
                }
                event.put("isBase64Encoded", false);
                JsonNode answer = JSON.valueToTree(invoke(route.function(), event));
                String type = answer.path("headers").path("content-type").asText(
                        answer.path("headers").path("Content-Type").asText("application/json"));
                respond(exchange, answer.path("statusCode").asInt(200), type, answer.path("body").asText(""));
                return;
            }
            respond(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
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
        return smoke(Map.of(), args);
    }

    static Run smoke(Map<String, String> environment, String... args) throws Exception {
        Path root = Projects.root();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("infra/smoke.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
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
                "grafana", "heartbeat", "incident", "incidents", "ingest", "maintenance", "metrics", "oncall", "oncall-feed",
                "pagerduty-webhook",
                "resolve", "rules", "tokens"), List.copyOf(functions.keySet()));
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
        assertLeavesNoTokenOrHeartbeat(out);
        assertTrue(out.contains("PASS grafana: a firing Grafana alert raised"), out);
        List<String> actions = PagerDutyFake.events().stream().map(PagerDutyFake::json)
                .map(e -> e.path("event_action").asText()).collect(Collectors.toList());
        assertEquals(List.of("trigger", "acknowledge", "resolve", "trigger", "resolve", "trigger", "resolve", "trigger",
                "resolve"), actions,
                "the test alert, the Alertmanager alert, the CloudWatch alarm and the Grafana alert, each paged and resolved");
        assertTrue(PagerDutyFake.events().stream().map(PagerDutyFake::json)
                .filter(e -> e.path("event_action").asText().equals("trigger"))
                .allMatch(e -> e.path("payload").path("severity").asText().equals("info")), "test pages are info");
    }

    /** The run's webhook token is revoked and its heartbeat deleted. */
    private void assertLeavesNoTokenOrHeartbeat(String out) {
        var smokeTokens = tokens.list().stream().filter(t -> t.name().startsWith("tocsin-smoke-")).toList();
        assertFalse(smokeTokens.isEmpty(), "the script made a token: " + out);
        assertTrue(smokeTokens.stream().allMatch(t -> t.revoked()), "its token is revoked: " + smokeTokens);
        assertTrue(heartbeats.list().stream().noneMatch(h -> h.name().startsWith("tocsin-smoke-")),
                "its heartbeat is deleted");
    }

    /** Every check the stack mode prints, in order. */
    static final List<String> STACK_CHECKS;

    static {
        // the local run's HTTP checks (dashboard-http, http-errors) are the stack's http-* ones
        List<String> checks = new ArrayList<>(LOCAL_CHECKS.subList(0, LOCAL_CHECKS.size() - 2));
        checks.addAll(List.of("http-ingest", "http-incident", "http-resolve", "http-dashboard", "http-unsigned",
                "http-webhook"));
        STACK_CHECKS = List.copyOf(checks);
    }

    @Test
    void theStackModeInvokesEveryLambdaAndTheSignedHttpApi(@org.junit.jupiter.api.io.TempDir Path bin) throws Exception {
        Path aws = bin.resolve("aws");
        java.nio.file.Files.copy(Projects.root().resolve("src/test/resources/smoke/fake-aws"), aws);
        assertTrue(aws.toFile().setExecutable(true));
        StringBuilder functionList = new StringBuilder();
        Map<String, String> exports = new TreeMap<>();
        for (var entry : logicalIds().entrySet()) {
            functionList.append(entry.getKey()).append(' ').append(entry.getValue()).append('\n');
            exports.put(entry.getValue(), entry.getKey());
        }
        Path log = bin.resolve("aws.log");
        Run run = smoke(Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_LAMBDA_URL", url(),
                "FAKE_API_URL", "http://127.0.0.1:" + api.getAddress().getPort(), "FAKE_FUNCTIONS",
                functionList.toString(), "FAKE_AWS_LOG", log.toString(), "AWS_REGION", "us-east-1"),
                "--stack", "tocsin-smoke-stack");
        String out = run.text();
        List<String> passed = run.lines().stream().filter(l -> l.startsWith("PASS "))
                .map(l -> l.substring(5, l.indexOf(':'))).toList();
        assertEquals(STACK_CHECKS, passed, out);
        assertEquals(STACK_CHECKS.size() + " passed, 0 failed", run.lines().get(run.lines().size() - 1), out);
        assertEquals(0, run.exit(), out);
        assertTrue(run.lines().get(0).startsWith("stack tocsin-smoke-stack: API http://127.0.0.1:")
                && run.lines().get(0).contains("(region us-east-1), 19 functions"), out);

        List<String> calls = java.nio.file.Files.readAllLines(log);
        for (String function : exports.keySet()) {
            assertTrue(calls.stream().anyMatch(c -> c.startsWith("lambda invoke --function-name tocsin-smoke-stack-"
                    + exports.get(function) + "-X-" + function + " --qualifier live")),
                    function + " invoked through aws lambda invoke: " + calls);
        }
        assertTrue(calls.contains("configure export-credentials --format env"), "credentials from the CLI: " + calls);
        assertTrue(apiRequests.stream().filter(r -> r.startsWith("POST /ingest") || r.startsWith("GET /dashboard"))
                .allMatch(r -> r.endsWith(" signed")), "SigV4 for execute-api in us-east-1: " + apiRequests);
        assertTrue(apiRequests.contains("GET /incidents unsigned") && apiRequests.stream()
                .anyMatch(r -> r.startsWith("POST /pagerduty/webhook") && r.endsWith(" unsigned")), apiRequests.toString());
        assertTrue(apiRequests.contains("POST /hooks/grafana unsigned"), "the token route, without SigV4: " + apiRequests);
        assertTrue(incidents.open().stream().noneMatch(i -> i.alert().source().contains("tocsin-smoke")),
                "everything the stack mode opened is resolved");
        assertLeavesNoTokenOrHeartbeat(out);
    }

    /** Template Lambda → its function (QUARKUS_FUNQY_EXPORT), from template.yaml. */
    @SuppressWarnings("unchecked")
    static Map<String, String> logicalIds() throws IOException {
        String text = java.nio.file.Files.readString(Projects.root().resolve("template.yaml"));
        Map<String, String> ids = new TreeMap<>();
        var m = java.util.regex.Pattern.compile("(?m)^  (\\w+):\\n    Type: AWS::Serverless::Function\\n(?:.*\\n)*?"
                + "          QUARKUS_FUNQY_EXPORT: ([a-z-]+)").matcher(text);
        while (m.find()) {
            ids.put(m.group(1), m.group(2));
        }
        assertEquals(19, ids.size(), "functions in template.yaml: " + ids);
        return ids;
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
