package io.tocsin.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's headless Chromium driven through the Chrome DevTools Protocol (CDP) over its WebSocket, from plain Java:
 * open a page, navigate, evaluate JavaScript, take a full-page screenshot. The build installs {@code chromium} when it
 * is missing (pom profile {@code install-chromium}, {@code infra/chromium/install.sh}); without it, {@link #launch()}
 * fails with how to install it. {@link #close()} kills Chromium and every process it started.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    /** Every wait on Chromium (start, a CDP answer, a page load) ends after this with a failure naming what hung. */
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path userDataDir;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Page> pages = new CopyOnWriteArrayList<>();

    private Chromium(Process process, Path userDataDir, int port) {
        this.process = process;
        this.userDataDir = userDataDir;
        this.port = port;
    }

    /** Starts headless Chromium with a new profile and DevTools on a free loopback port. */
    public static Chromium launch() throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: the dashboard browser test needs Debian's chromium. "
                    + "`./mvnw verify` installs it (profile install-chromium); by hand: sh infra/chromium/install.sh "
                    + "or sudo apt-get install -y chromium");
        }
        Path userDataDir = Files.createTempDirectory("tocsin-chromium-");
        Path log = userDataDir.resolve("chromium.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + userDataDir, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=1280,1800", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            return new Chromium(process, userDataDir, devToolsPort(process, userDataDir, log));
        } catch (IOException | RuntimeException | Error e) {
            kill(process);
            throw e;
        }
    }

    /** Chromium writes its DevTools port to DevToolsActivePort once it listens; wait for it, bounded. */
    private static int devToolsPort(Process process, Path userDataDir, Path log) throws IOException {
        Path file = userDataDir.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && lines.get(0).trim().matches("\\d+")) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + " before DevTools "
                        + "listened; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS); // a bounded poll for the port file, not a timing guess
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Chromium", e);
            }
        }
        throw new IllegalStateException("Chromium did not write " + file + " within " + WAIT.toSeconds() + " s; its "
                + "output:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** A new tab (blank), connected over CDP with the Page domain enabled. */
    public Page newPage() throws IOException, InterruptedException {
        // Chrome 111+ accepts only PUT for /json/new
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("DevTools /json/new answered " + response.statusCode() + ": "
                    + response.body());
        }
        String socket = JSON.readTree(response.body()).path("webSocketDebuggerUrl").asText();
        Page page = new Page();
        page.socket = await(http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(URI.create(socket), page),
                "the WebSocket to " + socket);
        pages.add(page);
        page.send("Page.enable", JSON.createObjectNode());
        return page;
    }

    @Override
    public void close() {
        pages.forEach(Page::close);
        kill(process);
        try (Stream<Path> files = Files.walk(userDataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind is harmless
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Chromium: no answer for " + what + " within " + WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new AssertionError("Chromium: " + what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** One tab: CDP commands with their answers, and one-shot waits for events. */
    public static final class Page implements WebSocket.Listener {

        private WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        private final Map<String, List<CompletableFuture<JsonNode>>> events = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        /** Sends a command and waits for its result; a CDP error fails. */
        public JsonNode send(String method, ObjectNode params) throws InterruptedException {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            answers.put(id, answer);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", params);
            socket.sendText(message.toString(), true);
            JsonNode reply = await(answer, method);
            if (reply.has("error")) {
                throw new AssertionError("Chromium: " + method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        }

        /** Loads {@code url} and waits for its load event. */
        public void navigate(String url) throws InterruptedException {
            CompletableFuture<JsonNode> loaded = nextEvent("Page.loadEventFired");
            JsonNode result = send("Page.navigate", JSON.createObjectNode().put("url", url));
            if (result.hasNonNull("errorText")) {
                throw new AssertionError("Chromium could not load " + url + ": " + result.get("errorText").asText());
            }
            await(loaded, "the load event of " + url);
        }

        /** Runs {@code script} (which makes the page navigate, e.g. submits a form) and waits for the new load. */
        public void runAndWaitForLoad(String script) throws InterruptedException {
            CompletableFuture<JsonNode> loaded = nextEvent("Page.loadEventFired");
            evaluate(script);
            await(loaded, "the load event after " + script);
        }

        /** Evaluates a JavaScript expression in the page and returns its value as JSON; a thrown error fails. */
        public JsonNode evaluate(String expression) throws InterruptedException {
            JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                    .put("returnByValue", true).put("awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new AssertionError("JavaScript failed: " + expression + "\n" + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        /** A PNG of the whole page, beyond the window's height. */
        public byte[] screenshot() throws InterruptedException {
            JsonNode size = send("Page.getLayoutMetrics", JSON.createObjectNode()).path("cssContentSize");
            // the content's own height: cssContentSize is at least the viewport, which may be taller than the page
            double height = evaluate("Math.ceil(document.body.getBoundingClientRect().height)").asDouble();
            ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
            params.putObject("clip").put("x", 0).put("y", 0).put("width", size.path("width").asDouble())
                    .put("height", height > 0 ? height : size.path("height").asDouble()).put("scale", 1);
            return Base64.getDecoder().decode(send("Page.captureScreenshot", params).path("data").asText());
        }

        private CompletableFuture<JsonNode> nextEvent(String method) {
            CompletableFuture<JsonNode> future = new CompletableFuture<>();
            events.computeIfAbsent(method, m -> new CopyOnWriteArrayList<>()).add(future);
            return future;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer = answers.remove(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    } else if (message.has("method")) {
                        List<CompletableFuture<JsonNode>> waiting = events.remove(message.get("method").asText());
                        if (waiting != null) {
                            waiting.forEach(f -> f.complete(message.path("params")));
                        }
                    }
                } catch (IOException e) {
                    answers.values().forEach(f -> f.completeExceptionally(e));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            answers.values().forEach(f -> f.completeExceptionally(error));
            events.values().forEach(list -> list.forEach(f -> f.completeExceptionally(error)));
        }

        void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
