package io.tocsin.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tocsin.support.Projects;

/**
 * The package rule of docs/architecture.md, checked on the compiled production classes with the JDK's {@code jdeps}
 * ({@code -verbose:package}): no package cycle (no strongly connected component of more than one package), and every
 * dependency points to the package's own layer or one below it.
 */
class PackageLayersTest {

    private static final String ROOT = "io.tocsin.";

    /** docs/architecture.md, top to bottom. A new package is added to the layer it belongs to. */
    static final List<Set<String>> LAYERS = List.of(
            // entry points and adapters: the Lambda handler (src/lambda), Funqy functions and the sources they translate
            Set.of("lambda", "entry", "alertmanager", "grafana", "cloudwatch", "rules", "heartbeat", "sweep", "dashboard",
                    "summary", "snapstart", "oncall.function"),
            // domain services over incidents
            Set.of("ingest", "metrics", "redelivery", "handoff"),
            // incidents: state, lifecycle, outbox
            Set.of("incident"),
            // stores of their own items, the senders, and the on-call domain (people, schedules, policies: pure
            // values and rules over foundation types only, so that every layer above may use them)
            Set.of("maintenance", "dedup", "token", "pagerduty", "notify", "oncall", "oncall.policy",
                    "oncall.document", "oncall.ical", "oncall.importer", "oncall.store", "oncall.feed",
                    "oncall.runtime"),
            // foundation: configuration, table, metrics writer, the audit trail, values
            Set.of("config", "store", "emf", "api", "alert", "delivery", "time", "fault", "audit"));

    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readDependencies() {
        Path classes = Projects.root().resolve("target/classes");
        assertTrue(Files.isDirectory(classes.resolve("io/tocsin")), "compile first: " + classes);
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-e", "io\\.tocsin\\..*",
                classes.toString());
        assertEquals(0, status, err.toString());
        graph = parse(out.toString());
        assertTrue(graph.size() > 20, "jdeps found too few packages: " + graph.keySet());
    }

    /** Lines such as {@code    io.tocsin.ingest    -> io.tocsin.incident    classes}. */
    static Map<String, Set<String>> parse(String jdepsOutput) {
        Map<String, Set<String>> edges = new TreeMap<>();
        Matcher m = Pattern.compile("^\\s+(io\\.tocsin\\.[\\w.]+)\\s+->\\s+(io\\.tocsin\\.[\\w.]+)\\s", Pattern.MULTILINE)
                .matcher(jdepsOutput);
        while (m.find()) {
            String from = m.group(1).substring(ROOT.length());
            String to = m.group(2).substring(ROOT.length());
            edges.computeIfAbsent(from, k -> new TreeSet<>());
            edges.computeIfAbsent(to, k -> new TreeSet<>());
            if (!from.equals(to)) {
                edges.get(from).add(to);
            }
        }
        return edges;
    }

    /** Tarjan's strongly connected components; a component of more than one package is a cycle. */
    static List<Set<String>> cycles(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> cycles = new ArrayList<>();
        int[] counter = {0};
        for (String node : edges.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, edges, index, low, stack, onStack, cycles, counter);
            }
        }
        return cycles;
    }

    private static void connect(String node, Map<String, Set<String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> cycles,
            int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]++);
        stack.push(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, edges, index, low, stack, onStack, cycles, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }

    @Test
    void noPackageCycle() {
        assertEquals(List.of(), cycles(graph), "package cycles (jdeps -verbose:package on target/classes)");
    }

    @Test
    void theCycleCheckSeesACycle() {
        Map<String, Set<String>> edges = parse("""
                   io.tocsin.a    -> io.tocsin.b    classes
                   io.tocsin.b    -> io.tocsin.c    classes
                   io.tocsin.c    -> io.tocsin.a    classes
                   io.tocsin.c    -> io.tocsin.d    classes
                   io.tocsin.d    -> io.tocsin.e    classes
                   io.tocsin.e    -> io.tocsin.d    classes
                """);
        assertEquals(List.of(Set.of("d", "e"), Set.of("a", "b", "c")), cycles(edges));
    }

    /** The on-call domain is pure: it depends on the foundation layer and on itself only (issue 21). */
    @Test
    void onCallDependsOnFoundationOnly() {
        Set<String> allowed = new TreeSet<>(LAYERS.get(LAYERS.size() - 1));
        List<String> wrong = new ArrayList<>();
        graph.forEach((from, targets) -> targets.stream()
                .filter(to -> from.startsWith("oncall") && !to.startsWith("oncall") && !allowed.contains(to))
                .forEach(to -> wrong.add(from + " -> " + to)));
        assertTrue(graph.containsKey("oncall"), "compile first: no io.tocsin.oncall classes");
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyPackageHasALayer() {
        Set<String> unplaced = new TreeSet<>(graph.keySet());
        LAYERS.forEach(unplaced::removeAll);
        assertEquals(Set.of(), unplaced, "packages missing from PackageLayersTest.LAYERS and docs/architecture.md");
    }

    @Test
    void dependenciesPointDown() {
        List<String> upward = new ArrayList<>();
        graph.forEach((from, targets) -> targets.forEach(to -> {
            if (layer(to) < layer(from)) {
                upward.add(from + " -> " + to);
            }
        }));
        assertEquals(List.of(), upward, "dependencies on a higher layer");
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }
}
