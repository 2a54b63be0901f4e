package io.tocsin.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's files are, whichever folder the tests were started from. */
public final class Projects {

    private Projects() {
    }

    public static Path root() {
        String configured = System.getProperty("tocsinProjectDir");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Cannot find the project folder (pom.xml)");
        }
        return dir;
    }
}
