package io.tocsin.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Turns Quarkus' {@code target/function.zip} into Tocsin's Lambda custom runtime (README "Cold start"): next to the
 * unchanged JVM package it adds
 * <ul>
 *   <li>{@code jre/}: a JDK 25 runtime linked ({@code jlink}) from the JDK 25 found on the build machine;</li>
 *   <li>{@code tocsin.jar} (the runner jar: the AOT cache accepts only jars on the class path, no class folder) and
 *       {@code aot/jvm.args}: the JVM options and the class path, as one file that the training run and Lambda share;</li>
 *   <li>{@code aot/tocsin.aot}: the AOT cache (JEP 483/514/515) written by a training run of that same runtime over
 *       real invocations: dynalite, a fake Lambda Runtime API, a fake PagerDuty, the {@code ingest} samples;</li>
 *   <li>{@code bootstrap} ({@code src/aot/bootstrap}): what Lambda's {@code provided.al2023} runtime starts.</li>
 * </ul>
 * Then it starts the result once more with the cache and fails the build if the JVM rejected the cache or the function
 * did not answer. Every file gets one fixed modification time, at training and in the zip, because the JVM checks the
 * jars' times against the cache's record.
 *
 * <p>No JDK 25 on the machine: it says so, adds only {@code bootstrap} (which then explains at init that there is no
 * runtime) and leaves the JVM package as it was, deployable with {@code LambdaRuntime=java25}.
 *
 * <p>Run by Maven at {@code package} with the source launcher, compiled against the packaged application (pom.xml,
 * profile {@code lambda}); also compiled with the tests, which reuse its pieces ({@code StartupBenchTest},
 * {@code FunctionZipIT}).
 */
public final class AotPackager {

    /** Lambda quota: deployment package, unzipped, 250 MB (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
    public static final long LAMBDA_UNZIPPED_LIMIT_BYTES = 262_144_000L;
    /** The JDK feature release whose AOT cache (JEP 514 {@code -XX:AOTCacheOutput}) this build uses. */
    public static final int MIN_JDK_FEATURE = 25;
    /** Lambda's x86_64 architecture (template.yaml Architectures); the linked runtime must be built for it. */
    public static final String LAMBDA_ARCH = "x86_64";

    public static final String BOOTSTRAP = "bootstrap";
    public static final String APP_JAR = "tocsin.jar";
    public static final String JRE = "jre";
    public static final String CACHE = "aot/tocsin.aot";
    public static final String JVM_ARGS = "aot/jvm.args";
    public static final String HANDLER = "io.tocsin.lambda.TocsinStreamHandler::handleRequest";
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /**
     * Modules of the linked runtime: {@code jdeps --print-module-deps} over the packaged jars (2026-12-01: java.base,
     * java.desktop, java.management, java.naming, java.rmi, java.sql, jdk.compiler, jdk.unsupported), less jdk.compiler
     * (javac, used by no runtime path), plus modules reached only by service loading or reflection (jdk.zipfs,
     * jdk.management).
     */
    public static final List<String> JRE_MODULES = List.of("java.base", "java.desktop", "java.management",
            "java.naming", "java.rmi", "java.sql", "jdk.unsupported", "jdk.zipfs", "jdk.management");

    /**
     * The JVM options of training and of every start in Lambda (one list, written to {@code aot/jvm.args}). Measured in
     * BENCHMARKS.md: C1 only (the managed runtime's default for cold starts), the serial collector and no perf-data
     * file. {@code --add-opens}: the runner manifest's Add-Opens applies only to {@code java -jar}; jboss-threads needs
     * it. Native access: the runtime interface client loads its JNI library. Heap: 75% of the function's memory.
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=75", "-XX:+ErrorFileToStderr",
            "-Djava.net.preferIPv4Stack=true", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED");

    /**
     * Modification time of every file of the package, at training and in the zip (even seconds: DOS time); bootstrap
     * compares tocsin.jar's time with it (as epoch seconds) before it passes the cache to the JVM.
     */
    public static final FileTime FIXED_TIME = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    /** The table name of training and verification runs (a fresh in-memory dynalite each time). */
    public static final String TRAINING_TABLE = "tocsin-aot-training";
    /** A syntactically valid Events API v2 routing key (32 characters), for the fake PagerDuty only. */
    public static final String TRAINING_ROUTING_KEY = "TRAININGKEY0123456789ABCDEFGHIJK";

    private static final Duration INVOCATIONS_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CACHE_WRITE_TIMEOUT = Duration.ofMinutes(4);
    private static final String LOG_PREFIX = "[tocsin-aot] ";

    private AotPackager() {
    }

    /** {@code --project=<dir> --runner=<runner.jar> --zip=<function.zip> [--jdk=<home>] [--skip=true]}. */
    public static void main(String[] args) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC")); // zip entries carry DOS times: UTC, as in Lambda
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        Path project = Path.of(options.getOrDefault("project", ".")).toAbsolutePath();
        Path zip = project.resolve(options.getOrDefault("zip", "target/function.zip"));
        Path runner = project.resolve(options.get("runner"));
        if (!Files.isRegularFile(zip) || !Files.isRegularFile(runner)) {
            throw new IllegalStateException("nothing to package: " + zip + " or " + runner + " is missing");
        }
        if (Boolean.parseBoolean(options.getOrDefault("skip", "false"))) {
            log("SKIPPED (-Daot.skip=true): " + zip + " stays the JVM package for LambdaRuntime=java25/java21");
            addBootstrapOnly(project, zip);
            return;
        }
        Optional<Jdk> jdk = findJdk(options.get("jdk"));
        if (jdk.isEmpty()) {
            log("SKIPPED: no JDK " + MIN_JDK_FEATURE + "+ for Linux " + LAMBDA_ARCH + " found (looked at -Daot.jdk, "
                    + "JAVA_HOME, the running JDK and " + String.join(", ", JDK_FOLDERS) + "). " + zip.getFileName()
                    + " is the JVM package without the custom runtime: deploy it with LambdaRuntime=java25, or "
                    + "install a JDK 25 and package again (README \"Cold start\").");
            addBootstrapOnly(project, zip);
            return;
        }
        log("JDK " + jdk.get().runtimeVersion() + " at " + jdk.get().home());
        String pinned = JdkPin.read(project).problem(jdk.get());
        if (pinned != null) {
            throw new IllegalStateException(pinned);
        }
        log("JDK matches " + JdkPin.FILE + " (version and SHA-256 of lib/modules)");
        long started = System.nanoTime();
        Path staging = project.resolve("target/aot-task");
        deleteTree(staging);
        List<Path> files = stage(project, zip, runner, jdk.get(), staging);
        Path trainingLog = project.resolve("target/aot-training.log");
        Path verificationLog = project.resolve("target/aot-verification.log");
        try (DynaliteServer dynalite = DynaliteServer.start(project, null);
                FakePagerDuty pagerDuty = FakePagerDuty.start()) {
            createTable(dynalite.endpoint(), TRAINING_TABLE);
            List<byte[]> events = trainingEvents(project);
            log("training run: " + events.size() + " ingest events through bootstrap; log " + trainingLog);
            Map<String, String> env = lambdaEnvironment(staging, dynalite.endpoint(), TRAINING_TABLE,
                    pagerDuty.url());
            env.put("JAVA_TOOL_OPTIONS", "-XX:AOTCacheOutput=" + CACHE);
            Invocations training = invoke(staging, List.of("./" + BOOTSTRAP), env, events, trainingLog,
                    CACHE_WRITE_TIMEOUT);
            training.requireAllAnswered();
            if (!Files.isRegularFile(staging.resolve(CACHE))) {
                throw new IllegalStateException("the training run wrote no AOT cache; see " + trainingLog);
            }
            log("AOT cache: " + megabytes(Files.size(staging.resolve(CACHE))) + " MB; PagerDuty fake got "
                    + pagerDuty.requests() + " events");

            Map<String, String> check = lambdaEnvironment(staging, dynalite.endpoint(), TRAINING_TABLE,
                    pagerDuty.url());
            Invocations verification = invoke(staging, List.of("./" + BOOTSTRAP), check,
                    List.of(uniqueDirectEvent(project)), verificationLog, Duration.ofSeconds(30));
            verification.requireAllAnswered();
            List<String> rejected = aotProblems(verificationLog);
            if (!rejected.isEmpty()) {
                throw new IllegalStateException("the JVM did not use the AOT cache in the verification run: "
                        + String.join(" | ", rejected) + "; see " + verificationLog);
            }
            log(String.format(java.util.Locale.ROOT, "verification run with the cache: first event answered in %.0f ms "
                    + "from process start", verification.totalMs(0)));
        }
        files.add(staging.resolve(CACHE));
        long unzipped = 0;
        for (Path file : files) {
            unzipped += Files.size(file);
        }
        if (unzipped > LAMBDA_UNZIPPED_LIMIT_BYTES) {
            throw new IllegalStateException("function.zip would unzip to " + megabytes(unzipped)
                    + " MB, over Lambda's 250 MB limit");
        }
        writeZip(staging, files, zip);
        log(String.format(java.util.Locale.ROOT, "%s: %s MB zipped, %s MB unzipped (Lambda's limit: 250 MB); "
                + "%.0f s", zip.getFileName(), megabytes(Files.size(zip)), megabytes(unzipped),
                (System.nanoTime() - started) / 1e9));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Finding a JDK 25
    // ---------------------------------------------------------------------------------------------------------------

    /** A JDK home, from its {@code release} file. */
    public record Jdk(Path home, int feature, String version, String os, String arch, String runtimeVersion) {

        /** Newest first by the numeric version (25.0.10 after 25.0.9; a string compare had it the other way). */
        static final Comparator<Jdk> BY_VERSION = Comparator.comparing(Jdk::parsedVersion);

        public Path java() {
            return home.resolve("bin/java");
        }

        /** JAVA_VERSION as numbers ({@link Runtime.Version}); a version that does not parse counts as its feature. */
        Runtime.Version parsedVersion() {
            try {
                return Runtime.Version.parse(version);
            } catch (IllegalArgumentException e) {
                return Runtime.Version.parse(Integer.toString(feature));
            }
        }

        static Optional<Jdk> at(Path home) {
            Path release = home.resolve("release");
            if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/jlink"))) {
                return Optional.empty();
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(release)) {
                p.load(in);
            } catch (IOException e) {
                return Optional.empty();
            }
            String version = unquote(p.getProperty("JAVA_VERSION", ""));
            try {
                int feature = Integer.parseInt(version.split("[.+-]")[0]);
                return Optional.of(new Jdk(home.toAbsolutePath().normalize(), feature, version,
                        unquote(p.getProperty("OS_NAME", "")), unquote(p.getProperty("OS_ARCH", "")),
                        unquote(p.getProperty("JAVA_RUNTIME_VERSION", version))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean fitsLambda() {
            return feature >= MIN_JDK_FEATURE && os.equals("Linux") && (arch.equals(LAMBDA_ARCH)
                    || arch.equals("amd64"));
        }

        private static String unquote(String s) {
            return s.replace("\"", "").trim();
        }
    }

    private static final List<String> JDK_FOLDERS = List.of("/usr/lib/jvm", "/usr/java", "/opt/java",
            System.getProperty("user.home") + "/.sdkman/candidates/java", System.getProperty("user.home") + "/.jdks");

    /**
     * The JDK to link the runtime from: the one named ({@code -Daot.jdk}), else JAVA_HOME or the running JDK if they are
     * 25+, else the newest 25+ in the usual folders.
     */
    public static Optional<Jdk> findJdk(String named) {
        if (named != null && !named.isBlank()) {
            Jdk jdk = Jdk.at(Path.of(named)).orElseThrow(() -> new IllegalStateException("-Daot.jdk=" + named
                    + " is not a JDK (no release file or bin/jlink)"));
            if (!jdk.fitsLambda()) {
                throw new IllegalStateException("-Daot.jdk=" + named + " is " + jdk.version() + " for " + jdk.os()
                        + " " + jdk.arch() + "; the custom runtime needs JDK " + MIN_JDK_FEATURE + "+ for Linux "
                        + LAMBDA_ARCH);
            }
            return Optional.of(jdk);
        }
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of(System.getProperty("java.home")));
        for (String folder : JDK_FOLDERS) {
            Path dir = Path.of(folder);
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> homes = Files.newDirectoryStream(dir)) {
                    homes.forEach(candidates::add);
                } catch (IOException ignored) {
                    // an unreadable folder holds no usable JDK
                }
            }
        }
        return newest(candidates.stream().map(Jdk::at).flatMap(Optional::stream).toList());
    }

    /** The newest of {@code jdks} that fits Lambda, by numeric version. */
    static Optional<Jdk> newest(List<Jdk> jdks) {
        return jdks.stream().filter(Jdk::fitsLambda).max(Jdk.BY_VERSION);
    }

    /**
     * The JDK build the runtime must be linked from (issue 23): {@value #FILE} records its
     * {@code JAVA_RUNTIME_VERSION} and the SHA-256 of its {@code lib/modules} (every class of the JDK), so that a
     * package is never made from an unknown or tampered JDK, and a JDK update is a reviewed change of that file.
     */
    record JdkPin(String runtimeVersion, String modulesSha256) {

        static final String FILE = "infra/jdk/jdk.properties";

        static JdkPin read(Path project) throws IOException {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(project.resolve(FILE))) {
                p.load(in);
            }
            return new JdkPin(p.getProperty("runtime.version", "").trim(),
                    p.getProperty("modules.sha256", "").trim().toLowerCase(java.util.Locale.ROOT));
        }

        /** Null when {@code jdk} is the pinned build; otherwise what differs and how to pin another build. */
        String problem(Jdk jdk) throws IOException {
            String sha = sha256(jdk.home().resolve("lib/modules"));
            if (jdk.runtimeVersion().equals(runtimeVersion) && sha.equals(modulesSha256)) {
                return null;
            }
            return "the JDK at " + jdk.home() + " (" + jdk.runtimeVersion() + ", lib/modules SHA-256 " + sha
                    + ") is not the one " + FILE + " pins (" + runtimeVersion + ", " + modulesSha256 + "). Install "
                    + "that build, name it with -Daot.jdk, or, to move to this one after checking it (its vendor's "
                    + "published checksum, its security fixes), set runtime.version=" + jdk.runtimeVersion()
                    + " and modules.sha256=" + sha + " in " + FILE + " (or package with -Daot.skip=true and "
                    + "deploy LambdaRuntime=java25)";
        }

        static String sha256(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0;) {
                    digest.update(buffer, 0, n);
                }
                return java.util.HexFormat.of().formatHex(digest.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The layout
    // ---------------------------------------------------------------------------------------------------------------

    /** Unpacks function.zip into {@code staging} and adds the custom runtime; returns the files to zip. */
    static List<Path> stage(Path project, Path zip, Path runner, Jdk jdk, Path staging) throws Exception {
        unzip(zip, staging);
        Files.copy(runner, staging.resolve(APP_JAR));
        Path jre = staging.resolve(JRE);
        long linking = System.nanoTime();
        run(List.of(jdk.home().resolve("bin/jlink").toString(), "--add-modules", String.join(",", JRE_MODULES),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--generate-cds-archive",
                "--output", jre.toString()),
                project.resolve("target/aot-jlink.log"));
        // --generate-cds-archive: the default CDS archive, for a start without the AOT cache (bootstrap). Only the one
        // for compressed object pointers: a Lambda function has at most 10,240 MB, the other is for heaps over 32 GB.
        Files.deleteIfExists(jre.resolve("lib/server/classes_nocoops.jsa"));
        log(String.format(java.util.Locale.ROOT, "jlink: %s MB runtime in %.0f s", megabytes(treeSize(jre)),
                (System.nanoTime() - linking) / 1e9));
        Files.createDirectories(staging.resolve(CACHE).getParent());
        List<String> lines = new ArrayList<>(JVM_OPTIONS);
        lines.add("-cp");
        lines.add(String.join(":", classPath(staging.resolve(APP_JAR))));
        Files.write(staging.resolve(JVM_ARGS), lines, StandardCharsets.UTF_8);
        Files.copy(project.resolve("src/aot/" + BOOTSTRAP), staging.resolve(BOOTSTRAP));
        List<Path> files;
        try (Stream<Path> all = Files.walk(staging)) {
            files = all.filter(Files::isRegularFile).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
        for (Path file : files) {
            Files.setPosixFilePermissions(file, executable(staging, file) ? EXECUTABLE : READABLE);
            Files.setLastModifiedTime(file, FIXED_TIME);
        }
        return files;
    }

    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private static boolean executable(Path root, Path file) {
        String rel = root.relativize(file).toString();
        return rel.equals(BOOTSTRAP) || rel.startsWith(JRE + "/bin/") || rel.equals(JRE + "/lib/jspawnhelper")
                || rel.equals(JRE + "/lib/jexec");
    }

    /** The application jar, then the jars of its manifest's Class-Path, as paths relative to the task root. */
    public static List<String> classPath(Path appJar) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(appJar.getFileName().toString());
        try (JarFile jar = new JarFile(appJar.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /** Adds only {@code bootstrap} to a JVM-only function.zip (it explains at init that there is no runtime). */
    static void addBootstrapOnly(Path project, Path zip) throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"))) {
            Path target = fs.getPath(BOOTSTRAP);
            Files.copy(project.resolve("src/aot/" + BOOTSTRAP), target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, EXECUTABLE);
        }
        addUnixFileTypes(zip);
    }

    static void writeZip(Path root, List<Path> files, Path zip) throws IOException {
        Path partial = zip.resolveSibling(zip.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try (FileSystem fs = FileSystems.newFileSystem(partial,
                Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            for (Path file : files) {
                Path target = fs.getPath(root.relativize(file).toString());
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                Files.copy(file, target);
                Files.setPosixFilePermissions(target, executable(root, file) ? EXECUTABLE : READABLE);
                Files.setLastModifiedTime(target, FIXED_TIME);
            }
            try (Stream<Path> all = Files.walk(fs.getPath("/"))) {
                for (Path dir : all.filter(Files::isDirectory).filter(d -> d.getNameCount() > 0).toList()) {
                    Files.setPosixFilePermissions(dir, EXECUTABLE);
                    Files.setLastModifiedTime(dir, FIXED_TIME);
                }
            }
        }
        addUnixFileTypes(partial);
        Files.move(partial, zip, StandardCopyOption.REPLACE_EXISTING);
    }

    private static final int CEN_SIGNATURE = 0x02014b50;
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    /**
     * The JDK's zip file system stores Unix permissions without the file-type bits; {@code zip} and the usual tools write
     * {@code S_IFREG}/{@code S_IFDIR} with them. Adds them to every Unix entry of the central directory (PKWARE APPNOTE
     * 4.3.12, 4.3.16), so that an extractor reading the full mode sees an executable regular file.
     */
    static void addUnixFileTypes(Path zip) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(zip,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            long size = channel.size();
            int tailLength = (int) Math.min(size, 22 + 65_535);
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(tailLength).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, size - tailLength);
            int end = -1;
            for (int i = tailLength - 22; i >= 0; i--) {
                if (tail.getInt(i) == END_SIGNATURE) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                throw new IOException("no end of central directory in " + zip);
            }
            int entries = Short.toUnsignedInt(tail.getShort(end + 10));
            long cenSize = Integer.toUnsignedLong(tail.getInt(end + 12));
            long cenOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
            java.nio.ByteBuffer cen = java.nio.ByteBuffer.allocate((int) cenSize).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(cen, cenOffset);
            int at = 0;
            for (int n = 0; n < entries; n++) {
                if (cen.getInt(at) != CEN_SIGNATURE) {
                    throw new IOException("bad central directory entry " + n + " in " + zip);
                }
                int madeBy = Short.toUnsignedInt(cen.getShort(at + 4));
                int nameLength = Short.toUnsignedInt(cen.getShort(at + 28));
                int extraLength = Short.toUnsignedInt(cen.getShort(at + 30));
                int commentLength = Short.toUnsignedInt(cen.getShort(at + 32));
                int attributes = cen.getInt(at + 38);
                int mode = attributes >>> 16;
                if (madeBy >> 8 == 3 && (mode & S_IFMT) == 0) {
                    boolean directory = cen.get(at + 46 + nameLength - 1) == '/';
                    cen.putInt(at + 38, ((mode | (directory ? S_IFDIR : S_IFREG)) << 16) | (attributes & 0xFFFF));
                }
                at += 46 + nameLength + extraLength + commentLength;
            }
            cen.rewind();
            channel.write(cen, cenOffset);
        }
    }

    /**
     * Unpacks a zip as Lambda does into {@code /var/task}: entries' modification times and Unix permissions kept (the
     * AOT cache depends on the jar times; bootstrap and the runtime's binaries must stay executable).
     */
    public static Path unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"));
                Stream<Path> entries = Files.walk(fs.getPath("/"))) {
            for (Path entry : entries.filter(Files::isRegularFile).toList()) {
                Path target = into.resolve(entry.toString().substring(1)).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the folder: " + entry);
                }
                Files.createDirectories(target.getParent());
                Files.copy(entry, target, StandardCopyOption.REPLACE_EXISTING);
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(entry);
                Files.setPosixFilePermissions(target, permissions.isEmpty() ? READABLE : permissions);
                Files.setLastModifiedTime(target, Files.getLastModifiedTime(entry));
            }
        }
        return into;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Runs of the function: the Lambda environment, the Runtime API, PagerDuty
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The environment Lambda gives the function (reserved variables, credentials from the environment as in Lambda),
     * plus what points it at dynalite and the fake PagerDuty. {@code AWS_LAMBDA_RUNTIME_API} is set by
     * {@link #invoke}.
     */
    public static Map<String, String> lambdaEnvironment(Path task, String dynamoEndpoint, String table,
            String pagerDutyUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", task.toString());
        env.put("_HANDLER", HANDLER);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "tocsin-ingest");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/tocsin-ingest");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_ACCESS_KEY_ID", "AKIDLOCALTRAINING");
        env.put("AWS_SECRET_ACCESS_KEY", "local-training-secret");
        env.put("AWS_SESSION_TOKEN", "local-training-token");
        env.put("QUARKUS_FUNQY_EXPORT", "ingest");
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamoEndpoint);
        env.put("TOCSIN_TABLE_NAME", table);
        if (pagerDutyUrl == null) {
            env.put("PAGERDUTY_ENABLED", "false");
        } else {
            env.put("PAGERDUTY_ENABLED", "true");
            env.put("PAGERDUTY_INTEGRATION_KEY", TRAINING_ROUTING_KEY);
            env.put("QUARKUS_REST_CLIENT_PAGERDUTY_EVENTS_URL", pagerDutyUrl);
        }
        return env;
    }

    /** The training events: every {@code events/ingest} sample once, and the direct alert a second time (a duplicate). */
    static List<byte[]> trainingEvents(Path project) throws IOException {
        List<byte[]> events = new ArrayList<>();
        byte[] direct = uniqueDirectEvent(project);
        events.add(direct);
        events.add(direct);
        try (Stream<Path> samples = Files.list(project.resolve("events/ingest"))) {
            for (Path sample : samples.sorted().toList()) {
                if (!sample.getFileName().toString().equals("direct.json")) {
                    events.add(Files.readAllBytes(sample));
                }
            }
        }
        return events;
    }

    /** {@code events/ingest/direct.json} with a dedup key of its own: a new alert each time. */
    public static byte[] uniqueDirectEvent(Path project) throws IOException {
        String direct = Files.readString(project.resolve("events/ingest/direct.json"));
        String unique = direct.replace("\"checkout-api/healthz\"", "\"checkout-api/healthz/" + UUID.randomUUID() + "\"");
        if (unique.equals(direct)) {
            throw new IllegalStateException("events/ingest/direct.json no longer has dedup_key checkout-api/healthz");
        }
        return unique.getBytes(StandardCharsets.UTF_8);
    }

    static void createTable(String endpoint, String table) {
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            TableBootstrap.ensureTable(client, table);
        }
    }

    /** The answers of one function process to a list of events, with when each was asked for and answered. */
    public record Invocations(long startNanos, long[] nextAtNanos, long[] respondedAtNanos, List<String> bodies,
            List<String> errors, Path log) {

        public void requireAllAnswered() throws IOException {
            if (!errors.isEmpty()) {
                throw new IllegalStateException("the function reported an error: " + errors + "\n" + tail(log));
            }
            for (int i = 0; i < bodies.size(); i++) {
                if (bodies.get(i) == null) {
                    throw new IllegalStateException("event " + (i + 1) + " got no answer\n" + tail(log));
                }
            }
        }

        /** Process start to the answer of event i. */
        public double totalMs(int i) {
            return (respondedAtNanos[i] - startNanos) / 1e6;
        }

        /** Process start to the first poll of the Runtime API (JVM start and handler construction). */
        public double initMs() {
            return (nextAtNanos[0] - startNanos) / 1e6;
        }

        /** From the poll that received event i to its answer. */
        public double invokeMs(int i) {
            return (respondedAtNanos[i] - nextAtNanos[i]) / 1e6;
        }
    }

    /**
     * Starts {@code command} in {@code task} with {@code env} and a fake Runtime API serving {@code events}, waits for
     * every answer, then stops the process (SIGTERM; the JVM writes a requested AOT cache while it exits) and waits up
     * to {@code exitTimeout} for it to end.
     */
    public static Invocations invoke(Path task, List<String> command, Map<String, String> env, List<byte[]> events,
            Path log, Duration exitTimeout) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi(events)) {
            ProcessBuilder builder = new ProcessBuilder(command).directory(task.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            builder.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port());
            long start = System.nanoTime();
            Process process = builder.start();
            Thread reaper = new Thread(process::destroyForcibly, "aot-child-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            try {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    bodies.add(api.awaitResponse(i, process, start));
                    if (!api.errors.isEmpty()) {
                        break;
                    }
                }
                while (bodies.size() < events.size()) {
                    bodies.add(null);
                }
                return new Invocations(start, api.nextAt.clone(), api.respondedAt.clone(), bodies,
                        List.copyOf(api.errors), log);
            } finally {
                process.destroy();
                if (!process.waitFor(exitTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Runtime.getRuntime().removeShutdownHook(reaper);
            }
        }
    }

    /** The JVM's complaints about the AOT cache in a run's log ({@code [aot]} warnings and errors). */
    public static List<String> aotProblems(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(l -> l.contains("][aot") && (l.contains("warning") || l.contains("error")))
                .filter(l -> !l.contains("Skipping ")) // training-time notes on classes left out of the cache
                .toList();
    }

    /**
     * The Lambda Runtime API (2018-06-01) as far as a few invocations need it, on a free loopback port: serves the
     * given events one per {@code GET .../invocation/next}, then holds further polls as Lambda does between events.
     */
    public static final class FakeRuntimeApi implements AutoCloseable {

        private static final String PREFIX = "/2018-06-01/runtime/";

        private final List<byte[]> events;
        private final List<String> requestIds = new ArrayList<>();
        private final List<CompletableFuture<String>> responses = new ArrayList<>();
        private final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
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

        public FakeRuntimeApi(List<byte[]> events) throws IOException {
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

        public int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            long at = System.nanoTime();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
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
                    headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
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
                String rest = path.startsWith("invocation/") ? path.substring("invocation/".length()) : "";
                int i = method.equals("POST") ? requestIds.indexOf(rest.replaceFirst("/.*", "")) : -1;
                String text = new String(body, StandardCharsets.UTF_8);
                if (i >= 0 && rest.endsWith("/response")) {
                    respondedAt[i] = at;
                    exchange.sendResponseHeaders(202, -1);
                    responses.get(i).complete(text);
                } else if (method.equals("POST") && path.endsWith("/error")) {
                    exchange.sendResponseHeaders(202, -1);
                    errors.add(path + ": " + text);
                    responses.forEach(r -> r.complete(null));
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The i-th response body (null after a reported error); fails if the process dies or takes too long. */
        String awaitResponse(int i, Process process, long start) throws InterruptedException {
            while (true) {
                try {
                    return responses.get(i).get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the function's process exited with " + process.exitValue()
                                + " before answering event " + (i + 1));
                    }
                    if (System.nanoTime() - start > INVOCATIONS_TIMEOUT.toNanos()) {
                        throw new IllegalStateException("no answer to event " + (i + 1) + " within "
                                + INVOCATIONS_TIMEOUT);
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }

        @Override
        public void close() {
            closing.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** PagerDuty's Events API v2 enqueue endpoint, answering 202 to every event (training only). */
    static final class FakePagerDuty implements AutoCloseable {

        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();

        private FakePagerDuty(HttpServer server) {
            this.server = server;
        }

        static FakePagerDuty start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            FakePagerDuty fake = new FakePagerDuty(server);
            server.createContext("/v2/enqueue", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    fake.requests.incrementAndGet();
                    byte[] body = ("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                            + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(202, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.start();
            return fake;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Small helpers
    // ---------------------------------------------------------------------------------------------------------------

    private static void run(List<String> command, Path log) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log + "\n" + tail(log));
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private static void log(String message) {
        System.out.println(LOG_PREFIX + message);
    }
}
