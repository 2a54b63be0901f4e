package io.tocsin.oncall.document;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Loops in the "hands over to" graph between policies, each reported once, starting at its first policy. */
final class PolicyLoops {

    private PolicyLoops() {
    }

    static List<List<String>> find(Map<String, List<String>> handsOver) {
        List<List<String>> loops = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : handsOver.keySet()) {
            walk(start, handsOver, new ArrayList<>(), done, loops);
        }
        return loops;
    }

    private static void walk(String node, Map<String, List<String>> handsOver, List<String> trail, Set<String> done,
            List<List<String>> loops) {
        int seen = trail.indexOf(node);
        if (seen >= 0) {
            List<String> loop = new ArrayList<>(trail.subList(seen, trail.size()));
            loop.add(node);
            loops.add(loop);
            return;
        }
        if (done.contains(node)) {
            return;
        }
        trail.add(node);
        for (String next : handsOver.getOrDefault(node, List.of())) {
            walk(next, handsOver, trail, done, loops);
        }
        trail.remove(trail.size() - 1);
        done.add(node);
    }
}
