package io.tocsin.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.aot.AotPackager.Invocations;
import io.tocsin.store.DynaliteServer;
import io.tocsin.support.Projects;

/**
 * The packaged {@code target/function.zip} started as Lambda's {@code provided.al2023} runtime starts it: unpacked with
 * its times and permissions, {@code ./bootstrap} with the Lambda environment, a fake Runtime API, dynalite. The cache
 * made at package time is used; a corrupt cache, or one whose jars' times no longer match (an unpacker that does not
 * keep times), is rejected by the JVM, which says why and starts without it: the function answers either way.
 * Skipped when the zip was packaged without a JDK 25 (no {@code jre/}).
 */
class FunctionZipIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "tocsin-function-zip-it";
    private static Path root;
    private static Path work;
    private static Path task;
    private static DynaliteServer dynalite;

    @BeforeAll
    static void unpack() throws Exception {
        root = Projects.root();
        Path zip = root.resolve("target/function.zip");
        assumeTrue(Files.isRegularFile(zip), "no target/function.zip (the lambda profile packages it)");
        work = Files.createTempDirectory("tocsin-function-zip-it");
        task = AotPackager.unzip(zip, work.resolve("task"));
        assumeTrue(Files.isExecutable(task.resolve("jre/bin/java")),
                "function.zip was packaged without a JDK 25: no custom runtime to start");
        dynalite = DynaliteServer.start(root, null);
        AotPackager.createTable(dynalite.endpoint(), TABLE);
    }

    @AfterAll
    static void clean() throws Exception {
        if (dynalite != null) {
            dynalite.close();
        }
        if (work != null) {
            AotPackager.deleteTree(work);
        }
    }

    @Test
    void startsWithTheCacheMadeAtPackageTimeAndHandlesEvents() throws Exception {
        Path copy = copyOf("with-cache");
        Path log = work.resolve("with-cache.log");
        // -Xlog:class+load names where each class came from: "shared objects file" is the AOT cache
        Invocations answered = start(copy, "-Xlog:class+load=info", log);

        assertAnswers(answered);
        assertEquals(List.of(), AotPackager.aotProblems(log), "the JVM rejected the packaged cache");
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("io.tocsin.entry.IngestFunction source: shared objects file"),
                "Tocsin's ingest function was not loaded from the AOT cache; see " + log);
        assertTrue(loaded.contains("io.quarkus.funqy.lambda.FunqyStreamHandler source: shared objects file"),
                "the handler was not loaded from the AOT cache; see " + log);
    }

    @Test
    void aCorruptCacheIsRejectedAndTheFunctionStillAnswers() throws Exception {
        Path copy = copyOf("corrupt");
        byte[] garbage = new byte[1 << 20];
        new Random(14).nextBytes(garbage);
        Files.write(copy.resolve(AotPackager.CACHE), garbage);
        Path log = work.resolve("corrupt.log");

        assertAnswers(start(copy, null, log));
        List<String> problems = AotPackager.aotProblems(log);
        assertFalse(problems.isEmpty(), "the corrupt cache was not reported; see " + log);
        assertTrue(String.join("\n", problems).contains("bad magic number"), String.join("\n", problems));
    }

    @Test
    void withJarTimesOtherThanThePackagesTheBootstrapLeavesTheCacheOutAndTheFunctionStillAnswers() throws Exception {
        Path copy = copyOf("jar-time");
        FileTime unpackedNow = FileTime.from(Instant.parse("2026-12-01T00:00:00Z"));
        Files.setLastModifiedTime(copy.resolve(AotPackager.APP_JAR), unpackedNow);
        Path log = work.resolve("jar-time.log");

        assertAnswers(start(copy, "-Xlog:cds=info", log));
        String output = Files.readString(log);
        assertTrue(output.contains("starting without the AOT cache"), "bootstrap said nothing; see " + log);
        assertEquals(List.of(), AotPackager.aotProblems(log), "the cache must not even be tried");
        // the linked runtime's default CDS archive (jlink --generate-cds-archive) serves the JDK's classes instead
        assertTrue(output.lines().anyMatch(l -> l.contains("Opened shared archive file")
                && l.contains("jre/lib/server/classes.jsa")), "the default CDS archive was not opened; see " + log);
    }

    @Test
    void aCacheOfAnotherJarIsRejectedByTheJvmAndTheFunctionStillAnswers() throws Exception {
        Path copy = copyOf("other-jar");
        Path jar = copy.resolve("lib").resolve(AotPackager.classPath(copy.resolve(AotPackager.APP_JAR)).get(1)
                .substring("lib/".length()));
        FileTime time = Files.getLastModifiedTime(jar);
        Path replaced = jar.resolveSibling(jar.getFileName() + ".tmp");
        Files.copy(jar, replaced);
        try (java.nio.file.FileSystem rebuilt = java.nio.file.FileSystems.newFileSystem(replaced)) {
            Files.writeString(rebuilt.getPath("META-INF/tocsin-it.txt"), "another build of this jar");
        }
        Files.move(replaced, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // own copy: the link is cut
        Files.setLastModifiedTime(jar, time); // same time, another size
        Path log = work.resolve("other-jar.log");

        assertAnswers(start(copy, null, log));
        String problems = String.join("\n", AotPackager.aotProblems(log));
        assertTrue(problems.contains(jar.getFileName().toString()) && problems.contains("size has changed"), problems);
    }

    private static Invocations start(Path dir, String javaToolOptions, Path log) throws Exception {
        Map<String, String> env = AotPackager.lambdaEnvironment(dir, dynalite.endpoint(), TABLE, null);
        if (javaToolOptions != null) {
            env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        List<byte[]> events = List.of(AotPackager.uniqueDirectEvent(root), AotPackager.uniqueDirectEvent(root));
        Invocations answered = AotPackager.invoke(dir, List.of("./" + AotPackager.BOOTSTRAP), env, events, log,
                Duration.ofSeconds(10));
        answered.requireAllAnswered();
        return answered;
    }

    private static void assertAnswers(Invocations answered) throws Exception {
        for (String body : answered.bodies()) {
            JsonNode answer = JSON.readTree(body);
            assertEquals("created", answer.path("status").asText(), body);
            assertEquals("disabled", answer.path("delivery").asText(), body);
        }
    }

    /** A copy of the unpacked task (hard links, so times stay; changed files are replaced, not written through). */
    private static Path copyOf(String name) throws Exception {
        Path copy = work.resolve(name);
        try (var files = Files.walk(task)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(task.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createLink(target, source);
                }
            }
        }
        Path cache = copy.resolve(AotPackager.CACHE);
        Path jar = copy.resolve(AotPackager.APP_JAR);
        for (Path own : List.of(cache, jar)) { // the files a test changes: own copies, same time
            FileTime time = Files.getLastModifiedTime(own);
            Path tmp = own.resolveSibling(own.getFileName() + ".tmp");
            Files.copy(own, tmp);
            Files.move(tmp, own, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(own, time);
        }
        return copy;
    }
}
