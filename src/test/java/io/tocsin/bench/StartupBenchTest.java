package io.tocsin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.aot.AotPackager;
import io.tocsin.aot.AotPackager.Invocations;
import io.tocsin.aot.AotPackager.Jdk;
import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cold start, process start to the first handled event, of the packaged {@code target/function.zip} in several
 * configurations measured side by side, interleaved, in one run (BENCHMARKS.md "Start-up"). The zip is unpacked as
 * Lambda unpacks it into {@code /var/task} (times and permissions kept); each start gets the Lambda environment, a fake
 * Runtime API on loopback serving a new {@code direct.json} alert then a second one, and a real dynalite; PagerDuty is
 * off. The main class is always AWS's runtime interface client (the managed Java runtime's poll loop).
 * <ul>
 *   <li>{@code jdk17}, {@code jdk25}: the shape of Lambda's managed Java runtime: the client on the class path, the
 *       function loaded by its CustomerClassLoader from the task root and {@code lib/}, C1 only and the serial
 *       collector (the managed runtime's defaults); JDK 17 as Tocsin ran until now, and the full JDK 25.</li>
 *   <li>{@code jdk25-aot}, {@code jdk25-aot-serial}: the function on the class path (aot/jvm.args' class path), the
 *       full JDK 25 and an AOT cache trained here with the same options; with G1, then serial GC and no perf data.</li>
 *   <li>{@code default}: {@code ./bootstrap} as packaged: the linked JDK 25 runtime, aot/jvm.args and the cache made at
 *       package time. What Lambda runs with {@code LambdaRuntime=provided.al2023} (template default).</li>
 *   <li>{@code default-jar-time-changed}: the same with {@code tocsin.jar} re-timed, as by an unpacker that does not
 *       keep the zip's times: bootstrap leaves the cache out, the runtime's default CDS archive serves the JDK.</li>
 *   <li>{@code default-cache-rejected}: the same bootstrap with a cache that the JVM rejects (one made by the full JDK,
 *       not the linked runtime): the fall-back start. Asserted to be rejected and still to answer.</li>
 * </ul>
 * Needs {@code ./mvnw -DskipTests package} on a machine with a JDK 25 first. Knobs: {@code -Dbench.startup.runs}
 * (default 5 per configuration), {@code -Dbench.jdk17}, {@code -Dbench.jdk25} (JDK homes).
 */
@Tag("bench")
class StartupBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "tocsin-startup-bench";
    private static final String PACKAGE = "./mvnw -DskipTests package";
    private static final List<String> MANAGED_RUNTIME_OPTIONS = List.of("-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true");
    private static final List<String> JDK25_OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");

    record Measurement(double initMs, double firstInvokeMs, double totalMs, double secondInvokeMs) {
    }

    /** One configuration: how to start the function, and what to check in its log. */
    record Config(String name, List<String> command, Map<String, String> extraEnv, boolean cacheMustBeUsed,
            boolean cacheMustBeRejected) {
    }

    @Test
    void coldStartConfigurations() throws Exception {
        Path root = Projects.root();
        Path zip = root.resolve("target/function.zip");
        if (!Files.isRegularFile(zip)) {
            fail("target/function.zip is missing: package first with `" + PACKAGE + "`");
        }
        Path work = Files.createTempDirectory("tocsin-startup-bench");
        try {
            measure(root, zip, work);
        } finally {
            AotPackager.deleteTree(work);
        }
    }

    private static void measure(Path root, Path zip, Path work) throws Exception {
        Path task = AotPackager.unzip(zip, work.resolve("task"));
        if (!Files.isExecutable(task.resolve("jre/bin/java")) || !Files.isRegularFile(task.resolve(AotPackager.CACHE))) {
            fail("target/function.zip carries no custom runtime (jre/, " + AotPackager.CACHE + "): package on a "
                    + "machine with a JDK 25 (`" + PACKAGE + "`, see docs/architecture.md \"Cold start\")");
        }
        Jdk jdk17 = Jdk17.find();
        Jdk jdk25 = AotPackager.findJdk(System.getProperty("bench.jdk25")).orElseThrow(
                () -> new AssertionError("no JDK 25 found (-Dbench.jdk25=<home>)"));
        Path logs = Files.createDirectories(root.resolve("target/bench-startup"));
        int runs = BenchSupport.intProperty("bench.startup.runs", 5);
        String appClassPath = classPathOf(task.resolve(AotPackager.JVM_ARGS));
        String ricClassPath = ricClassPath(task);

        String before = BenchSupport.machine();
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        try (DynaliteServer dynalite = DynaliteServer.start(root, null);
                DynamoDbClient client = DynaliteResource.client(dynalite.endpoint())) {
            TableBootstrap.ensureTable(client, TABLE);
            Map<String, String> env = AotPackager.lambdaEnvironment(task, dynalite.endpoint(), TABLE, null);

            List<String> aotG1 = new ArrayList<>(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
            aotG1.addAll(JDK25_OPENS);
            List<String> aotSerial = new ArrayList<>(aotG1);
            aotSerial.addAll(List.of("-XX:+UseSerialGC", "-XX:-UsePerfData"));
            Path g1Cache = train(root, task, env, jdk25, aotG1, appClassPath, work.resolve("jdk25-g1.aot"), logs);
            Path serialCache = train(root, task, env, jdk25, aotSerial, appClassPath,
                    work.resolve("jdk25-serial.aot"), logs);

            // a copy of the task whose cache the linked runtime rejects: one made by the full JDK 25
            Path rejecting = work.resolve("task-rejected-cache");
            copyTree(task, rejecting);
            Files.copy(serialCache, rejecting.resolve(AotPackager.CACHE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(rejecting.resolve(AotPackager.CACHE), AotPackager.FIXED_TIME);
            // and one unpacked by a tool that did not keep the zip's times: bootstrap leaves the cache out
            Path retimed = work.resolve("task-jar-time-changed");
            copyTree(task, retimed);
            Files.setLastModifiedTime(retimed.resolve(AotPackager.APP_JAR), FileTime.from(java.time.Instant.now()));

            List<Config> configs = List.of(
                    managed("jdk17", jdk17, List.of(), ricClassPath),
                    managed("jdk25", jdk25, JDK25_OPENS, ricClassPath),
                    onClassPath("jdk25-aot", jdk25, aotG1, appClassPath, g1Cache),
                    onClassPath("jdk25-aot-serial", jdk25, aotSerial, appClassPath, serialCache),
                    new Config("default", List.of("./" + AotPackager.BOOTSTRAP), Map.of(), true, false),
                    new Config("default-jar-time-changed", List.of(retimed.resolve(AotPackager.BOOTSTRAP).toString()),
                            Map.of("LAMBDA_TASK_ROOT", retimed.toString()), false, false),
                    new Config("default-cache-rejected", List.of(rejecting.resolve(AotPackager.BOOTSTRAP).toString()),
                            Map.of("LAMBDA_TASK_ROOT", rejecting.toString()), false, true));
            for (int run = 1; run <= runs; run++) { // interleaved: a change of load hits every configuration
                for (Config config : configs) {
                    Path log = logs.resolve(config.name() + "-run-" + run + ".log");
                    Map<String, String> runEnv = new LinkedHashMap<>(env);
                    runEnv.putAll(config.extraEnv());
                    Path dir = Path.of(runEnv.get("LAMBDA_TASK_ROOT"));
                    results.computeIfAbsent(config.name(), k -> new ArrayList<>())
                            .add(once(root, dir, config, runEnv, log));
                }
            }
        }
        String after = BenchSupport.machine();
        report(results, before, after, runs);
    }

    /** Lambda's managed runtime: the client on the class path, the function from the task root by its own loader. */
    private static Config managed(String name, Jdk jdk, List<String> extra, String ricClassPath) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(MANAGED_RUNTIME_OPTIONS);
        command.addAll(extra);
        command.addAll(List.of("-cp", ricClassPath, AotPackager.RIC_MAIN, AotPackager.HANDLER));
        return new Config(name, command, Map.of(), false, false);
    }

    private static Config onClassPath(String name, Jdk jdk, List<String> options, String classPath, Path cache) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.add("-XX:AOTCache=" + cache);
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, AotPackager.RIC_MAIN, AotPackager.HANDLER));
        return new Config(name, command, Map.of(), true, false);
    }

    private static Path train(Path root, Path task, Map<String, String> env, Jdk jdk, List<String> options,
            String classPath, Path cache, Path logs) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, AotPackager.RIC_MAIN, AotPackager.HANDLER));
        Map<String, String> trainingEnv = new LinkedHashMap<>(env);
        trainingEnv.put("JAVA_TOOL_OPTIONS", "-XX:AOTCacheOutput=" + cache);
        Path log = logs.resolve("training-" + cache.getFileName() + ".log");
        Invocations training = AotPackager.invoke(task, command, trainingEnv, events(root), log, Duration.ofMinutes(4));
        training.requireAllAnswered();
        assertTrue(Files.isRegularFile(cache), "the training run wrote no cache; see " + log);
        return cache;
    }

    private static Measurement once(Path root, Path dir, Config config, Map<String, String> env, Path log)
            throws Exception {
        Invocations answered = AotPackager.invoke(dir, config.command(), env, events(root), log, Duration.ofSeconds(10));
        answered.requireAllAnswered();
        for (String body : answered.bodies()) {
            JsonNode answer = JSON.readTree(body);
            assertEquals("created", answer.path("status").asText(), config.name() + ": " + body);
            assertEquals("disabled", answer.path("delivery").asText(), config.name() + ", PagerDuty off: " + body);
        }
        List<String> problems = AotPackager.aotProblems(log);
        if (config.cacheMustBeUsed()) {
            assertTrue(problems.isEmpty(), config.name() + ": the JVM rejected its cache: " + problems);
        }
        if (config.cacheMustBeRejected()) {
            assertFalse(problems.isEmpty(), config.name() + ": the cache was expected to be rejected; see " + log);
        }
        return new Measurement(answered.initMs(), answered.invokeMs(0), answered.totalMs(0), answered.invokeMs(1));
    }

    /** Two new alerts: the first handled event (cold), and a second on the same process. */
    private static List<byte[]> events(Path root) throws Exception {
        return List.of(AotPackager.uniqueDirectEvent(root), AotPackager.uniqueDirectEvent(root));
    }

    private static void report(Map<String, List<Measurement>> results, String before, String after, int runs) {
        StringBuilder report = new StringBuilder("\n=== BENCH cold start: process start to the first handled event "
                + "(function.zip unpacked as in Lambda, fake Runtime API, dynalite, PagerDuty off) ===\n");
        report.append("machine before: ").append(before).append('\n');
        report.append("machine after:  ").append(after).append('\n');
        report.append("| config | runs | total median (ms) | total min (ms) | init median (ms) | first invoke median "
                + "(ms) | second invoke median (ms) |\n|---|--:|--:|--:|--:|--:|--:|\n");
        results.forEach((name, measured) -> report.append(String.format(Locale.ROOT,
                "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.1f |%n", name, measured.size(),
                median(measured, Measurement::totalMs), min(measured, Measurement::totalMs),
                median(measured, Measurement::initMs), median(measured, Measurement::firstInvokeMs),
                median(measured, Measurement::secondInvokeMs))));
        results.forEach((name, measured) -> report.append(String.format(Locale.ROOT,
                "BENCH cold-start config=%s median_ms=%.0f min_ms=%.0f runs=%d%n", name,
                median(measured, Measurement::totalMs), min(measured, Measurement::totalMs), measured.size())));
        double jdk17 = median(results.get("jdk17"), Measurement::totalMs);
        double adopted = median(results.get("default"), Measurement::totalMs);
        report.append(String.format(Locale.ROOT, "BENCH cold-start default_over_jdk17=%.2f (goal: default <= 1000 ms "
                + "median and <= 0.40 x jdk17)%n", adopted / jdk17));
        BenchSupport.print(report.toString());
    }

    private static double median(List<Measurement> measured, java.util.function.ToDoubleFunction<Measurement> f) {
        double[] sorted = measured.stream().mapToDouble(f).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(List<Measurement> measured, java.util.function.ToDoubleFunction<Measurement> f) {
        return measured.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    /** The class path line of aot/jvm.args (the line after {@code -cp}). */
    private static String classPathOf(Path jvmArgs) throws Exception {
        List<String> lines = Files.readAllLines(jvmArgs);
        return lines.get(lines.indexOf("-cp") + 1);
    }

    /** The runtime interface client and its libraries (its pom's dependencies), as the managed runtime has them. */
    private static String ricClassPath(Path task) throws Exception {
        try (Stream<Path> jars = Files.list(task.resolve("lib"))) {
            List<String> ric = jars.map(p -> "lib/" + p.getFileName())
                    .filter(n -> n.contains("aws-lambda-java-runtime-interface-client")
                            || n.contains("aws-lambda-java-core") || n.contains("aws-lambda-java-serialization")
                            || n.contains("awssdk.utils-lite"))
                    .sorted().toList();
            assertEquals(4, ric.size(), "runtime interface client jars in lib/: " + ric);
            return String.join(File.pathSeparator, ric);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    FileTime time = Files.getLastModifiedTime(source);
                    Files.setLastModifiedTime(target, time);
                }
            }
        }
    }

    /** JDK 17: {@code -Dbench.jdk17}, else the JDK running the tests if it is 17, else the usual Debian folder. */
    private static final class Jdk17 {
        static Jdk find() {
            List<String> candidates = new ArrayList<>();
            String named = System.getProperty("bench.jdk17");
            if (named != null && !named.isBlank()) {
                candidates.add(named);
            }
            candidates.addAll(Arrays.asList(System.getProperty("java.home"), "/usr/lib/jvm/java-17-openjdk-amd64"));
            for (String home : candidates) {
                Path java = Path.of(home, "bin/java");
                if (Files.isExecutable(java) && feature(Path.of(home)) == 17) {
                    return new Jdk(Path.of(home), 17, "17", "Linux", "x86_64", "17");
                }
            }
            throw new AssertionError("no JDK 17 found (-Dbench.jdk17=<home>)");
        }

        private static int feature(Path home) {
            try {
                for (String line : Files.readAllLines(home.resolve("release"))) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        return Integer.parseInt(line.replaceAll("[^0-9.]", "").split("\\.")[0]);
                    }
                }
            } catch (Exception e) {
                return -1;
            }
            return -1;
        }
    }
}
