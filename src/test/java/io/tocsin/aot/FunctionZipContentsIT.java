package io.tocsin.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

import io.tocsin.architecture.DevMachinery;
import io.tocsin.support.Projects;

/**
 * {@code target/function.zip}, every jar in it included, holds none of the dev and test machinery of
 * {@code src/devtools/java} and {@code src/local/java} (the dynalite launcher spawns node; the table bootstrap creates
 * tables: neither belongs in a Lambda).
 */
class FunctionZipContentsIT {

    @Test
    void noDevMachineryInTheLambdaPackage() throws IOException {
        Path zip = Projects.root().resolve("target/function.zip");
        assumeTrue(Files.isRegularFile(zip), "no target/function.zip (the lambda profile packages it)");
        List<String> entries = new ArrayList<>();
        try (InputStream in = Files.newInputStream(zip)) {
            list(new ZipInputStream(in), "", entries);
        }
        assertTrue(entries.stream().anyMatch(e -> e.endsWith("!io/tocsin/entry/IngestFunction.class")
                || e.equals("io/tocsin/entry/IngestFunction.class")), "the application's classes were not found");
        List<String> machinery = DevMachinery.classFiles();
        List<String> found = entries.stream()
                .filter(e -> machinery.stream().anyMatch(c -> e.equals(c) || e.endsWith("!" + c))).toList();
        assertEquals(List.of(), found, "dev machinery in function.zip");
    }

    /** Entry names; those inside a nested jar as {@code lib/x.jar!io/...}. */
    private static void list(ZipInputStream zip, String prefix, List<String> entries) throws IOException {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            entries.add(prefix + entry.getName());
            if (entry.getName().endsWith(".jar")) {
                list(new ZipInputStream(zip), prefix + entry.getName() + "!", entries);
            }
        }
    }
}
