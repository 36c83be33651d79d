package io.moelora.bench;

import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A grouped bar chart written as a PNG without a display: one group per category (x), one bar per
 * series, the value printed on each bar so the figure can be read without the table.
 */
final class BarChart {

    /**
     * Where plots go without {@code --out} (relative to the repository root): the recorded {@code bench/results}, or the directory in the
     * {@code moelora.bench.out} property ({@code bench.sh all --smoke} points it into {@code bench/target}, so
     * a smoke check leaves the recorded plots alone).
     */
    static final String DEFAULT_OUT = System.getProperty("moelora.bench.out", "bench/results");

    private static final Paint[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    static {
        // the plots are files: never ask for a display, also on machines that have one
        System.setProperty("java.awt.headless", "true");
    }

    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final String title;
    private final String xLabel;
    private final String yLabel;

    BarChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    BarChart add(String series, String category, double value) {
        data.addValue(value, series, category);
        return this;
    }

    /** Writes {@code dir/file} (the directory is created) and prints where it went. */
    void write(Path dir, String file) throws IOException {
        Files.createDirectories(dir);
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.##")));
        renderer.setDefaultItemLabelsVisible(true);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setUpperMargin(0.12); // room for the value labels above the tallest bar
        CategoryAxis x = new CategoryAxis(xLabel);
        if (data.getColumnCount() > 8) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45); // many categories: room for whole names
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path target = dir.resolve(file);
        ChartUtils.saveChartAsPNG(target.toFile(), chart, 900, 480);
        System.out.println("plot: " + target);
    }
}
