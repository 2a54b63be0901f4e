package io.tocsin.dashboard;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the dashboard, drawn on the server: no script, no external asset. Every piece of text that
 * goes into the SVG is XML-escaped here, so the result may be inserted into the page unescaped.
 */
final class SvgChart {

    /** One day (or category) of a line chart; {@code value} null leaves a gap in the line. */
    record Point(String label, Double value, String title) {
    }

    /** One bar of a bar chart; {@code cssClass} colours it (e.g. {@code sev-critical}). */
    record Bar(String label, long value, String title, String cssClass) {
    }

    static final int WIDTH = 640;
    static final int HEIGHT = 240;
    private static final int LEFT = 48;
    private static final int RIGHT = 16;
    private static final int TOP = 22;
    private static final int BOTTOM = 34;
    /** Horizontal grid lines above the axis. */
    private static final int TICKS = 4;

    private SvgChart() {
    }

    /**
     * A line chart over evenly spaced points: a marker, a value label and a {@code <title>} per point with a value;
     * consecutive points with values are joined, a point without one breaks the line.
     */
    static String line(String id, String ariaLabel, String unit, List<Point> points) {
        double max = niceMax(points.stream().filter(p -> p.value() != null).mapToDouble(Point::value).max().orElse(0));
        StringBuilder svg = open(id, "chart line-chart", ariaLabel);
        axes(svg, max, unit);
        double step = plotWidth() / Math.max(points.size(), 1);
        StringBuilder path = new StringBuilder();
        boolean drawing = false;
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            double x = LEFT + step * (i + 0.5);
            xLabel(svg, x, point.label(), i % 2 == 1);
            if (point.value() == null) {
                drawing = false;
                continue;
            }
            double y = y(point.value(), max);
            path.append(drawing ? " L" : (path.length() == 0 ? "M" : " M")).append(num(x)).append(' ').append(num(y));
            drawing = true;
            marks.append("<g class=\"point\" data-label=\"").append(escape(point.label())).append("\" data-value=\"")
                    .append(num(point.value())).append("\">")
                    .append("<title>").append(escape(point.title())).append("</title>")
                    .append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y)).append("\" r=\"4\"/>")
                    .append("<text class=\"value\" x=\"").append(num(x)).append("\" y=\"").append(num(y - 9))
                    .append("\" text-anchor=\"middle\">").append(escape(format(point.value()))).append("</text></g>");
        }
        if (path.length() > 0) {
            svg.append("<path class=\"series\" fill=\"none\" d=\"").append(path).append("\"/>");
        }
        svg.append(marks);
        if (path.length() == 0) {
            noData(svg);
        }
        return svg.append("</svg>").toString();
    }

    /** A vertical bar chart with the count above each bar and a {@code <title>} per bar. */
    static String bars(String id, String ariaLabel, String unit, List<Bar> bars) {
        double max = niceMax(bars.stream().mapToLong(Bar::value).max().orElse(0));
        StringBuilder svg = open(id, "chart bar-chart", ariaLabel);
        axes(svg, max, unit);
        double step = plotWidth() / Math.max(bars.size(), 1);
        double width = Math.min(step * 0.6, 72);
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double x = LEFT + step * (i + 0.5);
            double y = y(bar.value(), max);
            xLabel(svg, x, bar.label(), false);
            svg.append("<g class=\"bar ").append(escape(bar.cssClass())).append("\" data-label=\"")
                    .append(escape(bar.label())).append("\" data-value=\"").append(bar.value()).append("\">")
                    .append("<title>").append(escape(bar.title())).append("</title>")
                    .append("<rect x=\"").append(num(x - width / 2)).append("\" y=\"").append(num(y))
                    .append("\" width=\"").append(num(width)).append("\" height=\"").append(num(bottom() - y))
                    .append("\"/>")
                    .append("<text class=\"value\" x=\"").append(num(x)).append("\" y=\"").append(num(y - 6))
                    .append("\" text-anchor=\"middle\">").append(bar.value()).append("</text></g>");
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String cssClass, String ariaLabel) {
        return new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"").append(cssClass)
                .append("\" id=\"").append(escape(id)).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(escape(ariaLabel)).append("\">");
    }

    private static void axes(StringBuilder svg, double max, String unit) {
        svg.append("<g class=\"grid\">");
        for (int i = 0; i <= TICKS; i++) {
            double value = max * i / TICKS;
            double y = y(value, max);
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(escape(format(value))).append("</text>");
        }
        svg.append("</g>");
        svg.append("<text class=\"unit\" x=\"4\" y=\"").append(TOP - 10).append("\">").append(escape(unit))
                .append("</text>");
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(bottom()).append("\" y2=\"").append(bottom()).append("\"/>");
    }

    /** {@code alt}: every other label, which a narrow screen hides to make room for larger text. */
    private static void xLabel(StringBuilder svg, double x, String label, boolean alt) {
        svg.append(alt ? "<text class=\"label alt\" x=\"" : "<text class=\"label\" x=\"").append(num(x)).append("\" y=\"").append(bottom() + 18)
                .append("\" text-anchor=\"middle\">").append(escape(label)).append("</text>");
    }

    private static void noData(StringBuilder svg) {
        svg.append("<text class=\"no-data\" x=\"").append(LEFT + plotWidth() / 2).append("\" y=\"")
                .append(TOP + (bottom() - TOP) / 2).append("\" text-anchor=\"middle\">no data in this window</text>");
    }

    private static double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int bottom() {
        return HEIGHT - BOTTOM;
    }

    private static double y(double value, double max) {
        return bottom() - (bottom() - TOP) * (value / max);
    }

    /**
     * The top of the value axis: {@link #TICKS} grid steps of a round size (1, 2, 2.5 or 5 × 10^k, at least 1), the
     * smallest that reaches {@code value}, so every grid line falls on a round number.
     */
    static double niceMax(double value) {
        double raw = Math.max(value / TICKS, 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] { 1, 2, 2.5, 5, 10 }) {
            if (factor * magnitude >= raw) {
                return factor * magnitude * TICKS;
            }
        }
        return 10 * magnitude * TICKS;
    }

    /** A value as shown: at most one decimal, none when whole ({@code 12}, {@code 12.5}). */
    static String format(double value) {
        double rounded = Math.round(value * 10) / 10.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded)
                : String.format(Locale.ROOT, "%.1f", rounded);
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
