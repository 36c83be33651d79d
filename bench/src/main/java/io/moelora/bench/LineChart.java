package io.moelora.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line plot written as a PNG without a display, the x-y counterpart of {@link BarChart}: one line per
 * series, points in the order added (a series over time, or a cumulative distribution).
 */
final class LineChart {

    private static final Paint[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    static {
        // the plots are files: never ask for a display, also on machines that have one
        System.setProperty("java.awt.headless", "true");
    }

    private final Map<String, XYSeries> series = new LinkedHashMap<>();
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean points;

    /** @param points mark each point (few points, e.g. a distribution over 20 samples) */
    LineChart(String title, String xLabel, String yLabel, boolean points) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.points = points;
    }

    LineChart add(String name, double x, double y) {
        series.computeIfAbsent(name, n -> new XYSeries(n, false, true)).add(x, y);
        return this;
    }

    /** Writes {@code dir/file} (the directory is created) and prints where it went. */
    void write(Path dir, String file) throws IOException {
        Files.createDirectories(dir);
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, points);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, new NumberAxis(xLabel), y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path target = dir.resolve(file);
        ChartUtils.saveChartAsPNG(target.toFile(), chart, 900, 480);
        System.out.println("plot: " + target);
    }
}
