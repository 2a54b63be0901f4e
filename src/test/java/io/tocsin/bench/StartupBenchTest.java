package io.tocsin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * JVM start-up to the first handled event, through the deployable: {@code target/function.zip} unpacked as Lambda
 * unpacks it ({@code /var/task} = the zip's root plus {@code lib/*.jar}), a fresh JVM whose main is
 * {@link LambdaRuntimeEmulator} (the managed runtime's role) with handler
 * {@code io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest}, a fake Lambda Runtime API on loopback, and a
 * real dynalite. Measures wall time from {@code ProcessBuilder.start()} to the arrival of the response POST, split
 * into init (start → first {@code GET .../invocation/next}, i.e. JVM + {@code Quarkus.manualInitialize()}) and first
 * invoke ({@code next} → response: {@code Quarkus.manualStart()}, DynamoDB client, two UpdateItems). A second,
 * different new alert follows on the same JVM, for contrast with a warm invocation. See BENCHMARKS.md.
 *
 * <p>Needs the packaged app: {@code ./mvnw -DskipTests package} first. Knobs:
 * {@code -Dbench.startup.runs} (default 5), {@code -Dbench.startup.jvm-args} (default the Lambda Java
 * 17 runtime's {@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}).
 */
@Tag("bench")
class StartupBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "tocsin-startup-bench";
    private static final String HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    private static final String PACKAGE = "./mvnw -Plambda -DskipTests package";
    private static final long RUN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final Pattern QUARKUS_STARTED = Pattern.compile("started in ([0-9.]+)s");

    record Measurement(double initMs, double firstInvokeMs, double totalMs, double secondInvokeMs, String quarkusSaid) {
    }

    @Test
    void jvmStartToFirstHandledEvent() throws Exception {
        Path root = Projects.root();
        Path zip = root.resolve("target/function.zip");
        if (!Files.isRegularFile(zip)) {
            fail("target/function.zip is missing: package the Lambda first with `" + PACKAGE
                    + "`, then run the benchmarks (`" + PACKAGE + " && ./mvnw -Plambda test -Dtocsin.bench`)");
        }
        warnIfStale(root, zip);
        Path work = Files.createTempDirectory("tocsin-startup-bench");
        try {
            measure(root, zip, work);
        } finally {
            deleteTree(work);
        }
    }

    private static void measure(Path root, Path zip, Path work) throws Exception {
        Path task = unzip(zip, work.resolve("task"));
        boolean hasFunqyLambda;
        try (Stream<Path> libs = Files.isDirectory(task.resolve("lib")) ? Files.list(task.resolve("lib")) : Stream.empty()) {
            hasFunqyLambda = libs.anyMatch(p -> p.getFileName().toString().contains("funqy-amazon-lambda"));
        }
        if (!hasFunqyLambda) {
            fail("target/function.zip holds no quarkus-funqy-amazon-lambda: repackage with `" + PACKAGE + "`");
        }
        Path emulator = emulatorClasses(root, work.resolve("emulator"));
        Path logs = Files.createDirectories(root.resolve("target/bench-startup"));
        int runs = BenchSupport.intProperty("bench.startup.runs", 5);
        List<String> jvmArgs = Arrays.stream(System.getProperty("bench.startup.jvm-args",
                "-XX:+TieredCompilation -XX:TieredStopAtLevel=1").trim().split("\\s+")).filter(s -> !s.isEmpty())
                .toList();
        JsonNode direct = JSON.readTree(root.resolve("events/ingest/direct.json").toFile());

        String before = BenchSupport.machine();
        List<Measurement> measured = new ArrayList<>();
        try (DynaliteServer dynalite = DynaliteServer.start(root, null);
                DynamoDbClient client = DynaliteResource.client(dynalite.endpoint())) {
            TableBootstrap.ensureTable(client, TABLE);
            for (int run = 1; run <= runs; run++) {
                List<byte[]> events = new ArrayList<>();
                for (int e = 0; e < 2; e++) { // the first event (cold), and a second, different new alert (warm)
                    ObjectNode event = direct.deepCopy();
                    event.put("dedup_key", "checkout-api/healthz/bench-" + UUID.randomUUID());
                    events.add(JSON.writeValueAsBytes(event));
                }
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmArgs);
                command.add("-cp");
                command.add(emulator + java.io.File.pathSeparator + task + java.io.File.pathSeparator
                        + task.resolve("lib") + java.io.File.separator + "*");
                command.add(LambdaRuntimeEmulator.class.getName());
                measured.add(once(command, task, dynalite.endpoint(), events, logs.resolve("run-" + run + ".log")));
            }
        }
        String after = BenchSupport.machine();

        double[] totals = measured.stream().mapToDouble(Measurement::totalMs).sorted().toArray();
        StringBuilder report = new StringBuilder("\n=== BENCH JVM start-up to first handled event (function.zip, "
                + "fake Runtime API, dynalite, PagerDuty off) ===\n");
        report.append("machine before: ").append(before).append('\n');
        report.append("machine after:  ").append(after).append('\n');
        report.append("jvm args: ").append(String.join(" ", jvmArgs)).append('\n');
        report.append("| run | init: start → GET next (ms) | first invoke: next → response (ms) | "
                + "total: start → first response (ms) | second invoke, warm (ms) | Quarkus log |\n"
                + "|----:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < measured.size(); i++) {
            Measurement m = measured.get(i);
            report.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.1f | %s |%n", i + 1, m.initMs(),
                    m.firstInvokeMs(), m.totalMs(), m.secondInvokeMs(), m.quarkusSaid()));
        }
        report.append(String.format(Locale.ROOT, "total: min %.0f ms, median %.0f ms, max %.0f ms (%d runs)%n",
                totals[0], median(totals), totals[totals.length - 1], totals.length));
        report.append(String.format(Locale.ROOT, "init: min %.0f ms, median %.0f ms; first invoke: min %.0f ms, "
                + "median %.0f ms; second invoke: min %.1f ms, median %.1f ms%n",
                min(measured.stream().mapToDouble(Measurement::initMs)),
                median(measured.stream().mapToDouble(Measurement::initMs).sorted().toArray()),
                min(measured.stream().mapToDouble(Measurement::firstInvokeMs)),
                median(measured.stream().mapToDouble(Measurement::firstInvokeMs).sorted().toArray()),
                min(measured.stream().mapToDouble(Measurement::secondInvokeMs)),
                median(measured.stream().mapToDouble(Measurement::secondInvokeMs).sorted().toArray())));
        BenchSupport.print(report.toString());
    }

    private static Measurement once(List<String> command, Path task, String dynamoEndpoint, List<byte[]> events,
            Path log) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi(events)) {
            ProcessBuilder builder = new ProcessBuilder(command).directory(task.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("PAGERDUTY_")
                    || k.startsWith("TOCSIN_") || k.startsWith("ALERT_") || k.startsWith("MAINTENANCE_")
                    || k.equals("JAVA_TOOL_OPTIONS"));
            builder.environment().putAll(Map.ofEntries(
                    Map.entry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port()),
                    Map.entry("_HANDLER", HANDLER),
                    Map.entry("BENCH_PARENT_PID", Long.toString(ProcessHandle.current().pid())),
                    Map.entry("LAMBDA_TASK_ROOT", task.toString()),
                    Map.entry("AWS_LAMBDA_FUNCTION_NAME", "tocsin-ingest"),
                    Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"),
                    Map.entry("AWS_REGION", "us-east-1"),
                    Map.entry("QUARKUS_FUNQY_EXPORT", "ingest"),
                    Map.entry("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamoEndpoint),
                    Map.entry("QUARKUS_DYNAMODB_AWS_REGION", "us-east-1"),
                    Map.entry("QUARKUS_DYNAMODB_AWS_CREDENTIALS_TYPE", "static"),
                    Map.entry("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", "x"),
                    Map.entry("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "x"),
                    Map.entry("TOCSIN_TABLE_NAME", TABLE),
                    Map.entry("PAGERDUTY_ENABLED", "false")));
            long start = System.nanoTime();
            Process process = builder.start();
            Thread reaper = new Thread(process::destroyForcibly, "startup-bench-child-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            try {
                for (int i = 0; i < events.size(); i++) {
                    String body = api.awaitResponse(i, process, start, log);
                    JsonNode answer = JSON.readTree(body);
                    assertEquals("created", answer.path("status").asText(), "answer to event " + (i + 1) + ": " + body);
                    assertEquals("disabled", answer.path("delivery").asText(), "PagerDuty is off: " + body);
                }
                Matcher said = QUARKUS_STARTED.matcher(Files.readString(log));
                return new Measurement(ms(api.nextAt[0] - start), ms(api.respondedAt[0] - api.nextAt[0]),
                        ms(api.respondedAt[0] - start), ms(api.respondedAt[1] - api.nextAt[1]),
                        said.find() ? "started in " + said.group(1) + "s" : "-");
            } finally {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Runtime.getRuntime().removeShutdownHook(reaper);
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /**
     * The Lambda Runtime API (2018-06-01) as far as a few invocations need it, on a free loopback port: serves the
     * given events one per {@code GET .../invocation/next}, then holds further polls as Lambda does between events.
     */
    static final class FakeRuntimeApi implements AutoCloseable {

        private static final String PREFIX = "/2018-06-01/runtime/";

        private final List<byte[]> events;
        private final List<String> requestIds = new ArrayList<>();
        private final List<CompletableFuture<String>> responses = new ArrayList<>();
        private final long[] nextAt;
        private final long[] respondedAt;
        private final AtomicInteger served = new AtomicInteger();
        private final CountDownLatch closing = new CountDownLatch(1);
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-lambda-runtime-api");
            t.setDaemon(true);
            return t;
        });

        FakeRuntimeApi(List<byte[]> events) throws IOException {
            this.events = events;
            for (int i = 0; i < events.size(); i++) {
                requestIds.add(UUID.randomUUID().toString());
                responses.add(new CompletableFuture<>());
            }
            nextAt = new long[events.size()];
            respondedAt = new long[events.size()];
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setExecutor(threads);
            server.createContext(PREFIX, this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            long at = System.nanoTime();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            try (exchange) {
                if (method.equals("GET") && path.equals("invocation/next")) {
                    int i = served.getAndIncrement();
                    if (i >= events.size()) {
                        closing.await(60, TimeUnit.SECONDS);
                        exchange.sendResponseHeaders(500, -1);
                        return;
                    }
                    nextAt[i] = at;
                    var headers = exchange.getResponseHeaders();
                    headers.add("Content-Type", "application/json");
                    headers.add("Lambda-Runtime-Aws-Request-Id", requestIds.get(i));
                    headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 15_000));
                    headers.add("Lambda-Runtime-Invoked-Function-Arn",
                            "arn:aws:lambda:us-east-1:123456789012:function:tocsin-ingest");
                    headers.add("Lambda-Runtime-Trace-Id",
                            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
                    exchange.sendResponseHeaders(200, events.get(i).length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(events.get(i));
                    }
                    return;
                }
                int i = method.equals("POST") && path.startsWith("invocation/")
                        ? requestIds.indexOf(path.substring("invocation/".length()).replaceFirst("/.*", ""))
                        : -1;
                if (i >= 0 && path.endsWith("/response")) {
                    respondedAt[i] = at;
                    String body = read(exchange.getRequestBody());
                    exchange.sendResponseHeaders(202, -1);
                    responses.get(i).complete(body);
                } else if (path.endsWith("/error")) {
                    String body = read(exchange.getRequestBody());
                    exchange.sendResponseHeaders(202, -1);
                    AssertionError reported = new AssertionError("the function reported " + path + ": " + body);
                    responses.forEach(r -> r.completeExceptionally(reported));
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The i-th response body; fails if the child dies, reports an error, or takes longer than two minutes. */
        String awaitResponse(int i, Process process, long start, Path log) throws Exception {
            while (true) {
                try {
                    return responses.get(i).get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    if (!process.isAlive()) {
                        fail("the function's JVM exited with " + process.exitValue() + " before answering; "
                                + log + ":\n" + tail(log));
                    }
                    if (System.nanoTime() - start > RUN_TIMEOUT_NANOS) {
                        fail("no answer within 120 s; " + log + ":\n" + tail(log));
                    }
                } catch (java.util.concurrent.ExecutionException reported) {
                    fail(reported.getCause().getMessage() + "\n" + tail(log));
                }
            }
        }

        @Override
        public void close() {
            closing.countDown();
            server.stop(0);
            threads.shutdownNow();
        }

        private static String read(InputStream in) throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void warnIfStale(Path root, Path zip) throws IOException {
        FileTime packaged = Files.getLastModifiedTime(zip);
        Path classes = root.resolve("target/classes");
        if (!Files.isDirectory(classes)) {
            return;
        }
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.getLastModifiedTime(p).compareTo(packaged) > 0;
                } catch (IOException e) {
                    return false;
                }
            }).findAny().ifPresent(newer -> BenchSupport.print("WARNING: " + newer + " is newer than " + zip
                    + "; the start-up bench measures the packaged app (repackage with `" + PACKAGE + "`)"));
        }
    }

    private static Path unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return into;
    }

    /** Only the emulator's own class files, so that no other test class reaches the function's class path. */
    private static Path emulatorClasses(Path root, Path into) throws IOException {
        String simple = LambdaRuntimeEmulator.class.getSimpleName();
        Path packageDir = LambdaRuntimeEmulator.class.getPackageName().replace('.', '/').transform(Path::of);
        Path from = root.resolve("target/test-classes").resolve(packageDir);
        Path to = Files.createDirectories(into.resolve(packageDir));
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(simple)
                    && p.getFileName().toString().endsWith(".class")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return into;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(java.util.stream.DoubleStream values) {
        return values.min().orElse(Double.NaN);
    }
}
