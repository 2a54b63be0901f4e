package io.tocsin.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import io.tocsin.support.Projects;

/**
 * No production class over {@value #MAX_CLASS_LINES} lines and no method over {@value #MAX_METHOD_LINES} (BRIEF: a
 * class that long is usually two). Measured on the parse trees of src/main/java (the JDK's compiler tree API, no
 * attribution): a top-level class from its first modifier to its closing brace, a method (or constructor) likewise,
 * its lambdas and local classes included. Javadoc does not count; blank lines and comments inside do.
 *
 * <p>The exceptions are listed with their reason; one that is no longer over the limit fails too, so the list only
 * shrinks.
 */
class SizeTest {

    static final int MAX_CLASS_LINES = 300;
    static final int MAX_METHOD_LINES = 60;

    /** Top-level classes (by file, relative to src/main/java) allowed over the limit, and why. */
    static final Map<String, String> CLASS_EXCEPTIONS = Map.of();

    /** Methods ({@code <file>#<method>}) allowed over the limit, and why. */
    static final Map<String, String> METHOD_EXCEPTIONS = Map.of();

    record Measured(String name, int lines) {
    }

    @Test
    void noProductionClassOrMethodIsOverItsLimitButTheListedExceptions() throws IOException {
        List<Measured> classes = new ArrayList<>();
        List<Measured> methods = new ArrayList<>();
        measure(Projects.root().resolve("src/main/java"), classes, methods);
        assertTrue(classes.size() > 100 && methods.size() > 500, "measured " + classes.size() + " classes and "
                + methods.size() + " methods");

        Map<String, Integer> overClasses = over(classes, MAX_CLASS_LINES);
        Map<String, Integer> overMethods = over(methods, MAX_METHOD_LINES);
        assertEquals(new TreeMap<>(), without(overClasses, CLASS_EXCEPTIONS), "classes over " + MAX_CLASS_LINES
                + " lines: split them (or list one in CLASS_EXCEPTIONS with its reason)");
        assertEquals(new TreeMap<>(), without(overMethods, METHOD_EXCEPTIONS), "methods over " + MAX_METHOD_LINES
                + " lines: split them (or list one in METHOD_EXCEPTIONS with its reason)");
        assertEquals(List.of(), CLASS_EXCEPTIONS.keySet().stream().filter(c -> !overClasses.containsKey(c)).sorted()
                .toList(), "listed classes no longer over the limit: take them off CLASS_EXCEPTIONS");
        assertEquals(List.of(), METHOD_EXCEPTIONS.keySet().stream().filter(m -> !overMethods.containsKey(m)).sorted()
                .toList(), "listed methods no longer over the limit: take them off METHOD_EXCEPTIONS");
    }

    @Test
    void theMeasureCountsAMethodFromItsModifiersToItsClosingBrace() throws IOException {
        Path dir = Files.createTempDirectory("size");
        Path file = dir.resolve("p/Sample.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                package p;

                /** Javadoc is not counted. */
                public class Sample {
                    /** Nor here. */
                    @Deprecated
                    void three() {
                        Runnable r = () -> {
                        };
                    }

                    void one() { }
                }
                """);
        List<Measured> classes = new ArrayList<>();
        List<Measured> methods = new ArrayList<>();
        measure(dir, classes, methods);
        assertEquals(List.of(new Measured("p/Sample.java", 10)), classes);
        assertEquals(List.of(new Measured("p/Sample.java#three", 5), new Measured("p/Sample.java#one", 1)), methods);
    }

    private static Map<String, Integer> over(List<Measured> measured, int limit) {
        Map<String, Integer> over = new TreeMap<>();
        measured.stream().filter(m -> m.lines() > limit).forEach(m -> over.merge(m.name(), m.lines(), Math::max));
        return over;
    }

    private static Map<String, Integer> without(Map<String, Integer> over, Map<String, String> exceptions) {
        Map<String, Integer> left = new TreeMap<>(over);
        left.keySet().removeAll(exceptions.keySet());
        return left;
    }

    /** Every top-level class and every method under {@code root}, with its length in lines. */
    static void measure(Path root, List<Measured> classes, List<Measured> methods) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
            JavacTask task = (JavacTask) compiler.getTask(null, fileManager, null, List.of("-proc:none"), null, units);
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            for (CompilationUnitTree unit : task.parse()) {
                String file = root.relativize(Path.of(unit.getSourceFile().toUri())).toString().replace('\\', '/');
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitClass(ClassTree node, Void unused) {
                        if (getCurrentPath().getParentPath().getLeaf() instanceof CompilationUnitTree) {
                            classes.add(new Measured(file, lines(unit, positions, node)));
                        }
                        return super.visitClass(node, unused);
                    }

                    @Override
                    public Void visitMethod(MethodTree node, Void unused) {
                        if (node.getBody() != null) {
                            methods.add(new Measured(file + "#" + node.getName(), lines(unit, positions, node)));
                        }
                        return super.visitMethod(node, unused);
                    }
                }.scan(unit, null);
            }
        }
    }

    private static int lines(CompilationUnitTree unit, SourcePositions positions, Tree node) {
        long start = positions.getStartPosition(unit, node);
        long end = positions.getEndPosition(unit, node);
        return (int) (unit.getLineMap().getLineNumber(end) - unit.getLineMap().getLineNumber(start) + 1);
    }
}
