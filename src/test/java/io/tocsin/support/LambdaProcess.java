package io.tocsin.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * One packaged Tocsin function ({@code target/function.zip}) running in its own JVM, as Lambda's managed Java runtime
 * runs it: the zip unpacked as the task root, AWS's runtime interface client (in the zip's {@code lib/}) loading the
 * Funqy stream handler from it, against a Lambda Runtime API served here. Events are handed to it one at a time; it can
 * be killed with SIGKILL ({@link Process#destroyForcibly()}) at any moment, as Lambda kills a function that times out.
 */
public final class LambdaProcess implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final String HANDLER = io.tocsin.aot.AotPackager.HANDLER;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<String[]> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    private final Process process;
    private final Path log;

    /** Unpacks {@code zip} once into {@code into} (the task root). */
    public static Path unpack(Path root, Path zip, Path into) throws IOException {
        Path task = Files.createDirectories(into.resolve("task"));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = task.resolve(entry.getName()).normalize();
                if (!target.startsWith(task)) {
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

    /** The runtime interface client's jars in the package's {@code lib/} (the managed runtime's own class path). */
    private static String ricClassPath(Path task) throws IOException {
        try (Stream<Path> jars = Files.list(task.resolve("lib"))) {
            return String.join(java.io.File.pathSeparator, jars.map(p -> "lib/" + p.getFileName())
                    .filter(n -> n.contains("aws-lambda-java-runtime-interface-client")
                            || n.contains("aws-lambda-java-core") || n.contains("aws-lambda-java-serialization")
                            || n.contains("awssdk.utils-lite"))
                    .sorted().toList());
        }
    }

    /** Starts the function {@code export} from the unpacked folder with {@code environment} (Tocsin's variables). */
    public LambdaProcess(Path unpacked, String export, Map<String, String> environment, Path log) throws IOException {
        this.log = log;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
        Path task = unpacked.resolve("task");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-cp", ricClassPath(task),
                io.tocsin.aot.AotPackager.RIC_MAIN, HANDLER));
        ProcessBuilder builder = new ProcessBuilder(command).directory(task.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("PAGERDUTY_")
                || k.startsWith("TOCSIN_") || k.startsWith("ALERT_") || k.startsWith("MAINTENANCE_")
                || k.equals("JAVA_TOOL_OPTIONS"));
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getAddress().getPort(),
                "_HANDLER", HANDLER,
                "LAMBDA_TASK_ROOT", task.toString(),
                "AWS_LAMBDA_FUNCTION_NAME", "tocsin-" + export,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512",
                "AWS_REGION", "us-east-1",
                "QUARKUS_FUNQY_EXPORT", export));
        env.putAll(environment);
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** Hands {@code event} to the function; the answer completes when it responds (or fails if it reports an error). */
    public CompletableFuture<String> invoke(String event) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(id, answer);
        pending.add(new String[] { id, event });
        return answer;
    }

    /** The answer to {@code event}, waiting at most {@code seconds} while the process lives. */
    public String call(String event, int seconds) throws Exception {
        CompletableFuture<String> answer = invoke(event);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                return answer.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                if (!process.isAlive()) {
                    throw new AssertionError("the function exited before answering:\n" + tail());
                }
            }
        }
        throw new AssertionError("no answer within " + seconds + " s:\n" + tail());
    }

    /** SIGKILL: the JVM ends at once, wherever it is (a Lambda killed at its timeout). */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    public String tail() {
        try {
            String text = Files.readString(log);
            return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        try (exchange) {
            if (method.equals("GET") && path.equals("invocation/next")) {
                String[] next = pending.poll(120, TimeUnit.SECONDS);
                if (next == null) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                byte[] body = next[1].getBytes(StandardCharsets.UTF_8);
                var headers = exchange.getResponseHeaders();
                headers.add("Content-Type", "application/json");
                headers.add("Lambda-Runtime-Aws-Request-Id", next[0]);
                headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 120_000));
                headers.add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:tocsin");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            String id = path.startsWith("invocation/") ? path.substring("invocation/".length()).replaceFirst("/.*", "")
                    : "";
            String body = read(exchange.getRequestBody());
            exchange.sendResponseHeaders(202, -1);
            CompletableFuture<String> answer = answers.get(id);
            if (answer != null && path.endsWith("/response")) {
                answer.complete(body);
            } else if (answer != null) {
                answer.completeExceptionally(new AssertionError("the function reported " + path + ": " + body));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
