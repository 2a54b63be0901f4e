package io.tocsin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.support.Chromium;
import io.tocsin.support.Projects;

/**
 * What DashboardBrowserTest checks of the layout with hostile data (issue 25): no sideways scrolling at any width,
 * title cells wide enough to read on a desktop, a phone laid out at its own width, chart text legible, and axe-core
 * finding no serious or critical violation, light and dark. Screenshots go to {@code target/dashboard-*.png}.
 */
final class DashboardLayout {

    /** A device: CSS pixels, and whether it is a phone (honours the viewport declaration). */
    record Screen(String name, int width, int height, boolean phone) {
    }

    static final Screen PHONE = new Screen("phone-390", 390, 844, true);
    static final Screen DESKTOP = new Screen("desktop-1400", 1400, 900, false);
    static final List<Screen> SPOT_CHECKS = List.of(new Screen("phone-360", 360, 780, true),
            new Screen("wide-2560", 2560, 1440, false));

    /** Issue 25: "every title cell ≥ 160 px wide on the desktop". */
    static final double MIN_TITLE_PX = 160;
    /** Issue 25: "charts stay legible (axis labels ≥ 11 px)". */
    static final double MIN_CHART_TEXT_PX = 11;
    /** Touch targets on a phone: the incident links (WCAG 2.5.5's 44 px). */
    static final double MIN_TOUCH_PX = 44;
    /** The axe-core rules run: WCAG 2.0/2.1 A and AA, and axe's best practices. */
    static final String[] AXE_TAGS = { "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice" };

    private static final String MEASURE = """
            (() => {
              const visible = el => el.getBoundingClientRect().width > 0 && getComputedStyle(el).display !== 'none';
              const chartText = [...document.querySelectorAll('svg.chart')].flatMap(svg => {
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return [...svg.querySelectorAll('text.tick, text.label')].filter(visible)
                  .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
              });
              return {
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: window.innerWidth,
                clientWidth: document.documentElement.clientWidth,
                screenWidth: screen.width,
                titleWidths: [...document.querySelectorAll('td.title')].map(td => td.getBoundingClientRect().width),
                openLinkHeights: [...document.querySelectorAll('#open-incidents td.title a')]
                  .map(a => a.getBoundingClientRect().height),
                rowDisplay: (() => { const tr = document.querySelector('#open-incidents tbody tr');
                  return tr ? getComputedStyle(tr).display : null; })(),
                chartText: chartText,
                firstOpen: (document.querySelector('#open-incidents tbody tr') || {}).dataset?.id || null
              };
            })()
            """;

    private DashboardLayout() {
    }

    /** Lays the loaded page out on {@code screen}, checks it, and writes its screenshot; returns the measures. */
    static JsonNode check(Chromium.Page page, String url, String what, Screen screen) throws Exception {
        page.emulate(screen.width(), screen.height(), screen.phone());
        page.navigate(url);
        JsonNode m = page.evaluate(MEASURE);
        String where = what + " at " + screen + ": " + m;
        assertTrue(m.path("scrollWidth").asInt() <= m.path("innerWidth").asInt(), "scrolls sideways: " + where);
        assertEquals(screen.width(), m.path("innerWidth").asInt(), "laid out at the screen's width: " + where);
        if (screen.phone()) {
            assertEquals(m.path("screenWidth").asInt(), m.path("clientWidth").asInt(),
                    "the phone layout is as wide as the screen: " + where);
            assertTrue(m.path("rowDisplay").isNull() || m.path("rowDisplay").asText().equals("flex"),
                    "open incidents are cards on a phone: " + where);
            m.path("openLinkHeights").forEach(h -> assertTrue(h.asDouble() >= MIN_TOUCH_PX,
                    "an incident link is a small touch target: " + where));
        } else {
            m.path("titleWidths").forEach(w -> assertTrue(w.asDouble() >= MIN_TITLE_PX,
                    "a title cell is narrower than " + MIN_TITLE_PX + " px: " + where));
        }
        m.path("chartText").forEach(px -> assertTrue(px.asDouble() >= MIN_CHART_TEXT_PX - 0.05,
                "chart text below " + MIN_CHART_TEXT_PX + " px: " + where));
        screenshot(page, "target/dashboard-" + what + "-" + screen.name() + ".png");
        if (screen.phone()) {
            // what a person sees on a phone: the first screen, and one screen from each card on
            Files.write(Projects.root().resolve("target/dashboard-" + what + "-" + screen.name() + "-first-screen.png"),
                    page.viewportScreenshot());
            for (String card : List.of("open-card", "history-title", "timeline-card", "deliveries-card")) {
                if (page.evaluate("(e => e ? (e.scrollIntoView(), true) : false)(document.getElementById('" + card
                        + "'))").asBoolean()) {
                    Files.write(Projects.root().resolve("target/dashboard-" + what + "-" + screen.name() + "-" + card
                            + ".png"), page.viewportScreenshot());
                }
            }
        }
        return m;
    }

    /** axe-core on the loaded page, light and dark: no serious or critical violation. */
    static void assertAccessible(Chromium.Page page, String what) throws Exception {
        String axe = Files.readString(Projects.root().resolve("infra/axe-core/node_modules/axe-core/axe.min.js"));
        for (String scheme : List.of("light", "dark")) {
            page.colorScheme(scheme);
            JsonNode violations = page.axe(axe, AXE_TAGS);
            List<JsonNode> serious = new ArrayList<>();
            violations.forEach(v -> {
                if (List.of("serious", "critical").contains(v.path("impact").asText())) {
                    serious.add(v);
                }
            });
            System.out.printf("axe-core on the %s, %s: %d violations (%d serious or critical) %s%n", what, scheme,
                    violations.size(), serious.size(), violations);
            assertEquals(List.of(), serious, "axe-core: serious or critical violations on the " + what + ", " + scheme);
            if (scheme.equals("dark")) {
                screenshot(page, "target/dashboard-" + what + "-dark.png");
            }
        }
        page.colorScheme("light");
    }

    static void screenshot(Chromium.Page page, String path) throws Exception {
        Path file = Projects.root().resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, page.screenshot());
    }
}
