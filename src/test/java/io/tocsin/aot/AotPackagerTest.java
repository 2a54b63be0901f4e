package io.tocsin.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tocsin.support.Projects;

/** The pieces of the custom-runtime packaging that need no JDK 25: the zip, the class path, the JDK search, bootstrap. */
class AotPackagerTest {

    @TempDir
    Path dir;

    @Test
    void theZipKeepsExecutableBitsFileTypesAndOneFixedTime() throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Path bootstrap = write(staging.resolve("bootstrap"), "#!/bin/sh\n");
        Path java = write(staging.resolve("jre/bin/java"), "binary");
        Path jar = write(staging.resolve("lib/a.jar"), "jar");
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path zip = dir.resolve("function.zip");

        AotPackager.writeZip(staging, List.of(bootstrap, java, jar), zip);
        Path unpacked = AotPackager.unzip(zip, dir.resolve("unpacked"));

        assertTrue(Files.isExecutable(unpacked.resolve("bootstrap")));
        assertTrue(Files.isExecutable(unpacked.resolve("jre/bin/java")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(unpacked.resolve("lib/a.jar"))));
        for (String file : List.of("bootstrap", "jre/bin/java", "lib/a.jar")) {
            assertEquals(AotPackager.FIXED_TIME, Files.getLastModifiedTime(unpacked.resolve(file)), file);
        }
        Path unzipTool = Path.of("/usr/bin/unzip");
        assumeTrue(Files.isExecutable(unzipTool), "Info-ZIP unzip shows the full Unix mode; not installed");
        Process listing = new ProcessBuilder(unzipTool.toString(), "-Z", zip.toString()).redirectErrorStream(true)
                .start();
        String out = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        listing.waitFor(10, TimeUnit.SECONDS);
        // "-" = regular file (S_IFREG set), "d" = directory; the JDK's zip file system alone writes "?"
        assertTrue(out.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" bootstrap")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("-rw-r--r--") && l.endsWith(" lib/a.jar")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("drwxr-xr-x") && l.endsWith(" jre/bin/")), out);
        assertFalse(out.lines().anyMatch(l -> l.startsWith("?")), out);
    }

    @Test
    void withoutAJdk25TheJvmPackageGetsOnlyTheExplainingBootstrap() throws Exception {
        Path zip = dir.resolve("function.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("lib/a.jar"));
            out.write("jar".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }

        AotPackager.addBootstrapOnly(Projects.root(), zip);
        Path unpacked = AotPackager.unzip(zip, dir.resolve("unpacked"));

        assertTrue(Files.isExecutable(unpacked.resolve("bootstrap")));
        assertEquals("jar", Files.readString(unpacked.resolve("lib/a.jar")));
        assertFalse(Files.exists(unpacked.resolve("jre")));
        Path unzipTool = Path.of("/usr/bin/unzip");
        assumeTrue(Files.isExecutable(unzipTool), "Info-ZIP unzip shows the full Unix mode; not installed");
        Process listing = new ProcessBuilder(unzipTool.toString(), "-Z", zip.toString()).redirectErrorStream(true)
                .start();
        String out = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        listing.waitFor(10, TimeUnit.SECONDS);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" bootstrap")), out);
    }

    @Test
    void theClassPathIsTheAppJarThenItsManifestClassPath() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/b.jar lib/a.jar");
        Path jar = dir.resolve("tocsin.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // a manifest is all this jar needs
        }
        assertEquals(List.of("tocsin.jar", "lib/b.jar", "lib/a.jar"), AotPackager.classPath(jar));
    }

    @Test
    void aJdkIsReadFromItsReleaseFileAndMustBe25ForLinuxX64() throws Exception {
        Path jdk25 = fakeJdk("jdk25", "25.0.3", "x86_64");
        Path arm = fakeJdk("arm", "25.0.3", "aarch64");
        Path jdk21 = fakeJdk("jdk21", "21.0.9", "x86_64");

        AotPackager.Jdk found = AotPackager.Jdk.at(jdk25).orElseThrow();
        assertEquals(25, found.feature());
        assertTrue(found.fitsLambda());
        assertFalse(AotPackager.Jdk.at(arm).orElseThrow().fitsLambda());
        assertFalse(AotPackager.Jdk.at(jdk21).orElseThrow().fitsLambda());
        assertTrue(AotPackager.Jdk.at(dir.resolve("nothing")).isEmpty());
        assertEquals(jdk25.toAbsolutePath(), AotPackager.findJdk(jdk25.toString()).orElseThrow().home());
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> AotPackager.findJdk(jdk21.toString()));
        assertTrue(wrong.getMessage().contains("21.0.9"), wrong.getMessage());
    }

    /** Issue 23: the newest JDK by number (a string compare took 25.0.9 over 25.0.10). */
    @Test
    void theNewestJdkIsPickedByNumericVersion() throws Exception {
        List<AotPackager.Jdk> jdks = List.of(AotPackager.Jdk.at(fakeJdk("a", "25.0.9", "x86_64")).orElseThrow(),
                AotPackager.Jdk.at(fakeJdk("b", "25.0.10", "x86_64")).orElseThrow(),
                AotPackager.Jdk.at(fakeJdk("c", "25.0.2", "x86_64")).orElseThrow(),
                AotPackager.Jdk.at(fakeJdk("d", "25.0.11", "aarch64")).orElseThrow());
        assertEquals("25.0.10", AotPackager.newest(jdks).orElseThrow().version());
        assertEquals("26", AotPackager.newest(List.of(jdks.get(1),
                AotPackager.Jdk.at(fakeJdk("e", "26", "x86_64")).orElseThrow())).orElseThrow().version());
    }

    /** Issue 23: the packaging takes only the JDK build infra/jdk/jdk.properties pins, by version and checksum. */
    @Test
    void onlyThePinnedJdkBuildIsLinked() throws Exception {
        Path home = fakeJdk("pinned", "25.0.3", "x86_64");
        Files.writeString(home.resolve("release"), Files.readString(home.resolve("release"))
                + "JAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n");
        write(home.resolve("lib/modules"), "the classes");
        AotPackager.Jdk jdk = AotPackager.Jdk.at(home).orElseThrow();
        assertEquals("25.0.3+9-LTS", jdk.runtimeVersion());
        String sha = AotPackager.JdkPin.sha256(home.resolve("lib/modules"));
        assertEquals(null, new AotPackager.JdkPin("25.0.3+9-LTS", sha).problem(jdk));
        String otherBuild = new AotPackager.JdkPin("25.0.3+8-LTS", sha).problem(jdk);
        assertTrue(otherBuild.contains("runtime.version=25.0.3+9-LTS"), otherBuild);
        write(home.resolve("lib/modules"), "the classes, changed");
        String tampered = new AotPackager.JdkPin("25.0.3+9-LTS", sha).problem(jdk);
        assertTrue(tampered != null && tampered.contains("modules.sha256="), tampered);

        // the pin in the repository names a version and a full SHA-256
        AotPackager.JdkPin pin = AotPackager.JdkPin.read(Projects.root());
        assertTrue(pin.runtimeVersion().startsWith("25."), pin.toString());
        assertTrue(pin.modulesSha256().matches("[0-9a-f]{64}"), pin.toString());
    }

    @Test
    void withoutAJreTheBootstrapSaysWhatToDoAndFails() throws Exception {
        Path bootstrap = Projects.root().resolve("src/aot/bootstrap");
        ProcessBuilder builder = new ProcessBuilder("sh", bootstrap.toString()).redirectErrorStream(true);
        builder.environment().put("LAMBDA_TASK_ROOT", dir.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue());
        assertTrue(out.contains("carries no jre/") && out.contains("LambdaRuntime=java25"), out);
    }

    @Test
    void bootstrapKnowsTheJarTimeOfThePackage() throws Exception {
        String bootstrap = Files.readString(Projects.root().resolve("src/aot/" + AotPackager.BOOTSTRAP));
        long seconds = AotPackager.FIXED_TIME.to(TimeUnit.SECONDS);
        assertEquals(3, bootstrap.split(Long.toString(seconds), -1).length - 1,
                "bootstrap must compare tocsin.jar's time with " + seconds + " (AotPackager.FIXED_TIME)");
        assertEquals(0, seconds % 2, "DOS times have two-second steps");
    }

    private Path fakeJdk(String name, String version, String arch) throws Exception {
        Path home = dir.resolve(name);
        write(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\nOS_ARCH=\"" + arch + "\"\n");
        Path jlink = write(home.resolve("bin/jlink"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(jlink, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static Path write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
