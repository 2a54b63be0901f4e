package io.tocsin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void aDayWithoutDataBreaksTheLine() {
        String svg = SvgChart.line("c", "chart", "min", List.of(new SvgChart.Point("d1", 1.0, "t1"),
                new SvgChart.Point("d2", null, "t2"), new SvgChart.Point("d3", 3.0, "t3"),
                new SvgChart.Point("d4", 4.5, "t4")));
        Matcher path = Pattern.compile("<path class=\"series\" fill=\"none\" d=\"([^\"]*)\"").matcher(svg);
        assertTrue(path.find(), svg);
        List<String> commands = Arrays.stream(path.group(1).split(" ")).filter(t -> t.matches("[ML].*"))
                .map(t -> t.substring(0, 1)).toList();
        assertEquals(List.of("M", "M", "L"), commands, "two segments: d1 alone, then d3 to d4");
        assertEquals(3, svg.split("<g class=\"point\"", -1).length - 1, "a marker per day with data");
        assertTrue(svg.contains(">4.5</text>"), svg);
        assertEquals(4, svg.split("class=\"label", -1).length - 1, "every day is labelled, gaps included");
        assertEquals(2, svg.split("class=\"label alt\"", -1).length - 1,
                "every other label may be hidden where 14 would not fit (the point's title still names its day)");
    }

    @Test
    void noDataSaysSoAndDrawsNoLine() {
        String svg = SvgChart.line("c", "chart", "min", List.of(new SvgChart.Point("d1", null, "t1")));
        assertFalse(svg.contains("class=\"series\""), svg);
        assertTrue(svg.contains("no data in this window"), svg);
    }

    @Test
    void textIsEscaped() {
        String svg = SvgChart.bars("c\"", "<chart>", "a&b", List.of(new SvgChart.Bar("<b>", 2, "x\"><script>",
                "sev-low")));
        assertFalse(svg.contains("<script>") || svg.contains("<b>") || svg.contains("<chart>"), svg);
        assertTrue(svg.contains("&lt;b&gt;") && svg.contains("x&quot;&gt;&lt;script&gt;") && svg.contains("a&amp;b"),
                svg);
    }

    @Test
    void theValueAxisEndsOnRoundGridSteps() {
        assertEquals(4, SvgChart.niceMax(0));
        assertEquals(4, SvgChart.niceMax(3));
        assertEquals(20, SvgChart.niceMax(10.8));
        assertEquals(40, SvgChart.niceMax(30));
        assertEquals(200, SvgChart.niceMax(120));
        assertEquals("3.5", SvgChart.format(3.5));
        assertEquals("12", SvgChart.format(12.0));
        assertEquals("10.8", SvgChart.format(10.833));
    }
}
