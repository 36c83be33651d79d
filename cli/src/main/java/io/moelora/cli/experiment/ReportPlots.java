package io.moelora.cli.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.GrayPaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's PNG plots, drawn with JFreeChart without a display: curves are the mean over seeds with
 * a band of ± one standard deviation; the routing heat maps show one seed (experts of different seeds
 * are not the same experts, so their histograms cannot be pooled).
 */
final class ReportPlots {

    static final String LOSS = "loss.png";
    static final String ACCURACY = "accuracy.png";
    static final String GATE_ENTROPY = "gate-entropy.png";

    private static final Paint[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    static {
        // the plots are files: never ask for a display, also on machines that have one
        System.setProperty("java.awt.headless", "true");
    }

    private ReportPlots() {}

    /** The heat map file of a routed recipe. */
    static String routingFile(String recipe) {
        return "routing-" + recipe + ".png";
    }

    static void write(ExperimentResult result, Path dir) throws IOException {
        curve(result, dir.resolve(LOSS), "LM loss (mean ± std over seeds)", "LM loss", false,
                run -> run.steps().stream().map(s -> new double[] {s.step(), s.lmLoss()}).toList());
        curve(result, dir.resolve(ACCURACY), "Average accuracy over suites (mean ± std over seeds)", "accuracy (%)", false,
                run -> run.evals().stream().map(e -> new double[] {e.step(), e.average()}).toList());
        if (result.recipes().stream().anyMatch(r -> r.run().routed())) {
            curve(result, dir.resolve(GATE_ENTROPY), "Gate entropy during training (mean ± std over seeds)",
                    "gate entropy (nats)", true,
                    run -> run.steps().stream().map(s -> new double[] {s.step(), s.gateEntropy()}).toList());
        }
        for (ExperimentResult.Recipe r : result.recipes()) {
            List<RunResult> runs = result.runsOf(r.name());
            if (r.run().routed() && !runs.isEmpty() && !runs.get(0).routing().isEmpty()) {
                heatMap(r.name(), runs.get(0), dir.resolve(routingFile(r.name())));
            }
        }
    }

    /** One series per recipe: the mean over its seeds at each x, with a ± std band. */
    private static void curve(ExperimentResult result, Path file, String title, String yLabel, boolean routedOnly,
            Function<RunResult, List<double[]>> points) throws IOException {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (ExperimentResult.Recipe r : result.recipes()) {
            if (routedOnly && !r.run().routed()) {
                continue;
            }
            List<List<double[]>> perSeed = result.runsOf(r.name()).stream().map(points).toList();
            YIntervalSeries series = new YIntervalSeries(r.name());
            for (int i = 0; i < perSeed.get(0).size(); i++) {
                int at = i;
                Stats s = Stats.of(perSeed.stream().map(p -> p.get(at)[1]).toList());
                series.add(perSeed.get(0).get(i)[0], s.mean(), s.mean() - s.std(), s.mean() + s.std());
            }
            data.addSeries(series);
        }
        NumberAxis x = new NumberAxis("optimizer step");
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        DeviationRenderer renderer = new DeviationRenderer(true, data.getSeriesCount() == 0 || maxPoints(data) < 30);
        renderer.setAlpha(0.15f);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            Paint p = COLORS[i % COLORS.length];
            renderer.setSeriesPaint(i, p);
            renderer.setSeriesFillPaint(i, p);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 450);
    }

    private static int maxPoints(YIntervalSeriesCollection data) {
        int max = 0;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            max = Math.max(max, data.getItemCount(i));
        }
        return max;
    }

    /** Rows = (module, task), columns = experts, shade = share of the task's tokens whose top-1 is that expert. */
    private static void heatMap(String recipe, RunResult run, Path file) throws IOException {
        List<String> rows = new ArrayList<>();
        List<double[]> xyz = new ArrayList<>();
        int experts = run.routing().get(0).experts();
        List<ModuleRouting> modules = new ArrayList<>(run.routing());
        Collections.reverse(modules); // first layer at the top
        for (ModuleRouting m : modules) {
            List<String> tasks = new ArrayList<>(m.top1().keySet());
            Collections.reverse(tasks);
            for (String task : tasks) {
                double[] shares = m.shares(task);
                for (int e = 0; e < experts; e++) {
                    xyz.add(new double[] {e, rows.size(), shares[e]});
                }
                rows.add(m.key() + "  " + task);
            }
        }
        double[][] series = new double[3][xyz.size()];
        for (int i = 0; i < xyz.size(); i++) {
            for (int d = 0; d < 3; d++) {
                series[d][i] = xyz.get(i)[d];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("top-1 share", series);
        String[] expertNames = new String[experts];
        for (int e = 0; e < experts; e++) {
            expertNames[e] = "expert " + e;
        }
        SymbolAxis x = new SymbolAxis("top-1 expert", expertNames);
        SymbolAxis y = new SymbolAxis(null, rows.toArray(String[]::new));
        y.setGridBandsVisible(false);
        x.setGridBandsVisible(false);
        XYBlockRenderer renderer = new XYBlockRenderer();
        // white = no tokens, black = every token of the task
        GrayPaintScale scale = new GrayPaintScale(0, 1) {
            @Override
            public Paint getPaint(double value) {
                return super.getPaint(1 - Math.max(0, Math.min(1, value)));
            }
        };
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart(recipe + ", seed " + run.seed() + ": top-1 expert share per task",
                JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis("share of the task's tokens");
        legendAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setMargin(4, 40, 4, 40);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 140 + 90 * experts + 160, 150 + 22 * rows.size());
    }
}
