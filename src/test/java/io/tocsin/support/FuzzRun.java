package io.tocsin.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.RestAssured;
import io.tocsin.api.ApiGateway;
import io.tocsin.store.DynamoRequestMeter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs generated inputs against the exported function through Quarkus' mock Lambda event server (the real Funqy Lambda
 * path), directly and wrapped in API Gateway HTTP API (payload 2.0) and REST API (1.0) requests, and classifies every
 * answer: a success, a 4xx (or a direct {@code {"error":…}} answer) whose problems name a field, or a server error
 * (the invocation failed, or a 5xx). For every input that made a DynamoDB write request, the table's items are counted
 * (consistent Scan) before and after: a rejected input must leave the count unchanged. An input that made no write
 * request cannot have stored anything ({@link DynamoRequestMeter} sees every request the functions send).
 */
public final class FuzzRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> WRITES = List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");
    /** The ingest event limit (README "The ingest API": 512 KB); every function is tried at its boundary. */
    public static final int BOUNDARY = 512 * 1024;

    /** An API Gateway route of the function: method, path, path parameters, and headers for a given raw body. */
    public record Route(String method, String path, Map<String, String> pathParameters,
            Function<String, Map<String, String>> headers) {

        public static Route of(String method, String path) {
            return new Route(method, path, Map.of(), body -> Map.of());
        }

        public Route withPathParameters(Map<String, String> parameters) {
            return new Route(method, path, parameters, headers);
        }

        public Route withHeaders(Function<String, Map<String, String>> forBody) {
            return new Route(method, path, pathParameters, forBody);
        }
    }

    public record Totals(String function, long seed, int inputs, int ok, int rejected, int serverErrors,
            int storedFromRejected, int unnamedRejections, List<String> failures, long millis) {

        public String line() {
            return "FUZZ function=" + function + " inputs=" + inputs + " ok=" + ok + " rejected=" + rejected
                    + " server_errors=" + serverErrors + " stored_from_rejected=" + storedFromRejected;
        }
    }

    private final String function;
    private final List<ObjectNode> seeds;
    private final List<Route> routes;
    private final DynamoDbClient dynamo;
    private final String table;
    private final long seed;
    private final Fuzz fuzz;
    /** The field a padded event grows in, for the 512 KB boundary inputs. */
    private String padField = "description";

    public FuzzRun(String function, List<ObjectNode> seeds, List<Route> routes, DynamoDbClient dynamo, String table) {
        this.function = function;
        this.seeds = seeds;
        this.routes = routes;
        this.dynamo = dynamo;
        this.table = table;
        this.seed = Long.getLong("fuzz.seed", 0x70C51E + function.hashCode());
        this.fuzz = new Fuzz(seed);
    }

    public FuzzRun padding(String field) {
        this.padField = field;
        return this;
    }

    /** How many inputs every function gets (at least 1,000; {@code -Dfuzz.inputs} raises it). */
    public static int inputs() {
        return Math.max(1000, Integer.getInteger("fuzz.inputs", 1000));
    }

    public Totals run(int inputs) {
        long started = System.nanoTime();
        int ok = 0;
        int rejected = 0;
        int serverErrors = 0;
        int storedFromRejected = 0;
        int unnamed = 0;
        List<String> failures = new ArrayList<>();
        long items = TableItems.count(dynamo, table);
        for (int i = 0; i < inputs; i++) {
            boolean wrapped = i % 2 == 1;
            String input = wrapped ? apiGatewayEvent(i) : directEvent(i);
            long writesBefore = writes();
            Response response = post(input);
            Verdict verdict = classify(response, wrapped);
            if (writes() != writesBefore) {
                long now = TableItems.count(dynamo, table);
                if (verdict == Verdict.REJECTED && now != items) {
                    storedFromRejected++;
                    failures.add("stored " + (now - items) + " item(s) for a rejected input: " + cut(input) + " -> "
                            + cut(response.asString()));
                }
                items = now;
            }
            switch (verdict) {
                case OK -> ok++;
                case REJECTED -> rejected++;
                case UNNAMED -> {
                    rejected++;
                    unnamed++;
                    failures.add("rejected without naming a field: " + cut(input) + " -> " + cut(response.asString()));
                }
                case SERVER_ERROR -> {
                    serverErrors++;
                    failures.add("server error (HTTP " + response.statusCode() + "): " + cut(input) + " -> "
                            + cut(response.asString()));
                }
            }
        }
        Totals totals = new Totals(function, seed, inputs, ok, rejected, serverErrors, storedFromRejected, unnamed,
                failures, (System.nanoTime() - started) / 1_000_000);
        System.out.println(totals.line() + " (seed " + seed + ", " + totals.millis() + " ms)");
        failures.stream().limit(15).forEach(f -> System.out.println("FUZZ-FAILURE function=" + function + " " + f));
        return totals;
    }

    /** The mock event server's answer: its HTTP status and body. */
    record Response(int statusCode, String asString) {
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** Posts an event to the mock Lambda event server (where RestAssured is pointed), as the other tests do. */
    private static Response post(String event) {
        java.net.URI uri = java.net.URI.create(RestAssured.baseURI + ":" + RestAssured.port + RestAssured.basePath);
        try {
            java.net.http.HttpResponse<String> answer = HTTP.send(java.net.http.HttpRequest.newBuilder(uri)
                    .header("content-type", "application/json").header("accept", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Response(answer.statusCode(), answer.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long writes() {
        return WRITES.stream().mapToLong(DynamoRequestMeter::total).sum();
    }

    enum Verdict { OK, REJECTED, UNNAMED, SERVER_ERROR }

    private static Verdict classify(Response response, boolean wrapped) {
        if (response.statusCode() != 200) {
            return Verdict.SERVER_ERROR; // the invocation failed: Lambda would answer an error
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.asString());
        } catch (Exception e) {
            return Verdict.SERVER_ERROR;
        }
        if (wrapped && answer.has("statusCode")) {
            int status = answer.path("statusCode").asInt();
            if (status >= 500 || status < 200) {
                return Verdict.SERVER_ERROR;
            }
            if (status < 400) {
                return Verdict.OK;
            }
            String type = answer.path("headers").path("content-type").asText("");
            if (type.startsWith("text/html")) {
                // the dashboard's error page lists the problems by field
                return answer.path("body").asText().contains("<li") ? Verdict.REJECTED : Verdict.UNNAMED;
            }
            try {
                return namesField(JSON.readTree(answer.path("body").asText())) ? Verdict.REJECTED : Verdict.UNNAMED;
            } catch (Exception e) {
                return Verdict.UNNAMED;
            }
        }
        if (answer.has("error")) {
            return namesField(answer) ? Verdict.REJECTED : Verdict.UNNAMED;
        }
        return Verdict.OK;
    }

    private static boolean namesField(JsonNode body) {
        JsonNode problems = body.path("problems");
        if (!problems.isArray() || problems.isEmpty()) {
            return false;
        }
        for (JsonNode problem : problems) {
            if (problem.path("field").asText("").isBlank()) {
                return false;
            }
        }
        return true;
    }

    private String directEvent(int i) {
        ObjectNode seed = fuzz.pick(seeds);
        int kind = fuzz.nextInt(100);
        if (i < 6) {
            // the 512 KB boundary: one byte under, at, one byte over
            int size = BOUNDARY - 1 + (i % 3);
            return Fuzz.text(Fuzz.ofSize(seed, padField, size, ApiGateway::sizeOf));
        }
        if (kind < 55) {
            return Fuzz.text(fuzz.mutate(seed));
        }
        if (kind < 70) {
            return Fuzz.text(fuzz.hostileStrings(seed));
        }
        if (kind < 75) {
            return Fuzz.text(seed);
        }
        if (kind < 83) {
            return Fuzz.text(fuzz.randomValue(2)); // not an object at all, or an unrelated one
        }
        if (kind < 90) {
            return fuzz.duplicateKeys(fuzz.mutate(seed));
        }
        ObjectNode nested = seed.deepCopy();
        nested.set(fuzz.chance(0.5) ? padField : "extra", fuzz.deep(10 + fuzz.nextInt(900)));
        return Fuzz.text(nested);
    }

    private String apiGatewayEvent(int i) {
        Route route = fuzz.pick(routes);
        ObjectNode seed = fuzz.pick(seeds);
        String body;
        boolean base64 = false;
        JsonNode base64Flag = null;
        int kind = fuzz.nextInt(100);
        if (i < 12) {
            int size = BOUNDARY - 1 + (i % 3);
            body = Fuzz.text(Fuzz.ofSize(seed, padField, size, node -> Fuzz.text(node).length()));
        } else if (kind < 45) {
            body = Fuzz.text(fuzz.mutate(seed));
        } else if (kind < 55) {
            body = Fuzz.text(fuzz.hostileStrings(seed));
        } else if (kind < 60) {
            body = Fuzz.text(seed);
        } else if (kind < 68) {
            body = fuzz.truncated(Fuzz.text(fuzz.mutate(seed)));
        } else if (kind < 73) {
            body = fuzz.duplicateKeys(fuzz.mutate(seed));
        } else if (kind < 80) {
            body = Fuzz.text(fuzz.randomValue(2));
        } else if (kind < 84) {
            body = fuzz.nastyString();
        } else {
            body = Fuzz.text(fuzz.mutate(seed));
            base64 = true;
        }
        Map<String, String> headers = new LinkedHashMap<>(route.headers().apply(body));
        ObjectNode event = HttpEvents.request(route.method(), route.path(), route.pathParameters(), headers, body);
        if (base64) {
            // a valid encoding, a body that is not base64 at all, or a flag of the wrong type
            switch (fuzz.nextInt(3)) {
                case 0 -> event.put("body", Fuzz.base64(body));
                case 1 -> event.put("body", fuzz.notBase64(body));
                default -> base64Flag = fuzz.randomValue(0);
            }
            event.put("isBase64Encoded", true);
            if (base64Flag != null) {
                event.set("isBase64Encoded", base64Flag);
            }
            // the signature (if any) covers the decoded body: sign what the function will see
            event.set("headers", headersFor(route, event));
        }
        if (!route.method().equals("POST") && !base64 && fuzz.chance(0.5)) {
            // a GET/PUT/DELETE: the filters in the query string (API Gateway sends its values as strings), no body
            ObjectNode query = event.putObject("queryStringParameters");
            fuzz.mutate(seed).fields().forEachRemaining(f -> query.put(f.getKey(),
                    f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
            event.remove("body");
        }
        if (fuzz.chance(0.08)) {
            // the request's own fields broken: headers, query and path parameters of other types, no body
            String field = fuzz.pick(List.of("headers", "queryStringParameters", "pathParameters", "body",
                    "requestContext", "rawPath", "isBase64Encoded"));
            if (field.equals("requestContext")) {
                ((ObjectNode) event.path("requestContext")).set("http", fuzz.randomValue(1));
            } else {
                event.set(field, fuzz.randomValue(1));
            }
        } else if (fuzz.chance(0.1)) {
            ObjectNode query = event.putObject("queryStringParameters");
            query.set(fuzz.pick(List.of("limit", "status", "from", "to", "cursor", "severity", "action", "id")),
                    fuzz.chance(0.5) ? NODES.textNode(fuzz.nastyString()) : fuzz.randomValue(1));
        }
        if (fuzz.chance(0.1)) {
            // the REST API (payload 1.0) shape
            event.put("httpMethod", route.method());
            event.put("path", route.path());
            event.remove("rawPath");
            event.remove("routeKey");
        }
        return Fuzz.text(event);
    }

    private static ObjectNode headersFor(Route route, ObjectNode event) {
        ObjectNode headers = event.path("headers").deepCopy();
        String decoded;
        try {
            decoded = new String(java.util.Base64.getDecoder().decode(event.path("body").asText()),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            decoded = event.path("body").asText();
        }
        route.headers().apply(decoded).forEach(headers::put);
        return headers;
    }

    private static String cut(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "…(" + text.length() + " chars)";
    }
}
