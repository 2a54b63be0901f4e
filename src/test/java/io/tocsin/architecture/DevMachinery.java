package io.tocsin.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.tocsin.support.Projects;

/**
 * The classes of the dev and test machinery's own source roots, which must never reach the Lambda bundle:
 * {@code src/devtools/java} (dynalite launcher, table bootstrap, DynamoDB request meter) and {@code src/local/java}
 * (the local run). Read from the folders, so a class added there is covered without naming it.
 */
public final class DevMachinery {

    public static final List<String> SOURCE_ROOTS = List.of("src/devtools/java", "src/local/java");

    private DevMachinery() {
    }

    /** Class-file paths ({@code io/tocsin/store/DynaliteServer.class}) of every top-level class in those roots. */
    public static List<String> classFiles() {
        Path project = Projects.root();
        return SOURCE_ROOTS.stream().map(project::resolve).filter(Files::isDirectory)
                .flatMap(root -> javaFiles(root).map(file -> root.relativize(file).toString()
                        .replace('\\', '/').replaceFirst("\\.java$", ".class")))
                .sorted().toList();
    }

    private static Stream<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
