package io.github.cnn4j.examples.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Builds the charts cnn4j's tools write: confusion matrices (heat maps with counts), training error
 * by block (lines), class distributions (bars), and composes several charts into one image.
 */
public final class Charts {
    private Charts() {
    }

    /**
     * @param confusion  counts, {@code [true][predicted]}
     * @param title      chart title
     * @param classNames axis labels, one per class
     * @param width      pixels
     * @param height     pixels
     * @return a heat map with the count printed in each cell (predicted on x, true on y)
     */
    public static HeatMapChart confusionMatrix(int[][] confusion, String title, String[] classNames, int width, int height) {
        int k = confusion.length;
        HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("Predicted").yAxisTitle("True").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)});
        chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(11f));
        chart.getStyler().setAnnotationTextFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(9f));
        List<String> xs = new ArrayList<>();
        List<String> ys = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            xs.add(classNames[i]);
        }
        // Row 0 (true class 0) at the top, as confusion matrices are usually read.
        for (int i = k - 1; i >= 0; i--) {
            ys.add(classNames[i]);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - t, confusion[t][p]});
            }
        }
        chart.addSeries("confusion", xs, ys, cells);
        return chart;
    }

    /**
     * @param title  chart title
     * @param xTitle x axis title
     * @param yTitle y axis title
     * @param series named curves, each {@code {x[], y[]}}, drawn in map order
     * @param width  pixels
     * @param height pixels
     * @return a line chart
     */
    public static XYChart lines(String title, String xTitle, String yTitle, Map<String, double[][]> series, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * A strip plot: one marker per value, with horizontal reference levels drawn as lines across.
     *
     * @param title  chart title
     * @param xTitle x axis title
     * @param yTitle y axis title
     * @param x      the values' x positions (e.g. seed numbers)
     * @param y      the values
     * @param levels named reference levels (e.g. a published figure, the mean), drawn in map order
     * @param width  pixels
     * @param height pixels
     * @return a scatter chart with the levels as lines
     */
    public static XYChart strip(String title, String xTitle, String yTitle, double[] x, double[] y, Map<String, Double> levels,
                                int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            ymin = Math.min(ymin, v);
            ymax = Math.max(ymax, v);
        }
        for (double v : levels.values()) {
            ymin = Math.min(ymin, v);
            ymax = Math.max(ymax, v);
        }
        double pad = Math.max(0.05, (ymax - ymin) * 0.1);
        chart.getStyler().setYAxisMin(ymin - pad);
        chart.getStyler().setYAxisMax(ymax + pad);
        chart.getStyler().setXAxisMin(lo - 1);
        chart.getStyler().setXAxisMax(hi + 1);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        XYSeries points = chart.addSeries("seeds", x, y);
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(new Color(31, 119, 180));
        Color[] levelColors = {new Color(214, 39, 40), Color.GRAY, new Color(44, 160, 44)};
        int i = 0;
        for (Map.Entry<String, Double> e : levels.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), new double[] {lo - 1, hi + 1}, new double[] {e.getValue(), e.getValue()});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(levelColors[i++ % levelColors.length]);
        }
        return chart;
    }

    /**
     * @param title      chart title
     * @param classNames one label per bar
     * @param counts     named count series, one value per class
     * @param width      pixels
     * @param height     pixels
     * @return a bar chart of counts per class
     */
    public static CategoryChart histogram(String title, String[] classNames, Map<String, int[]> counts, int width, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title).xAxisTitle("Class").yAxisTitle("Samples").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendVisible(counts.size() > 1);
        chart.getStyler().setLabelsVisible(true);
        List<String> xs = List.of(classNames);
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            List<Integer> ys = new ArrayList<>();
            for (int c : e.getValue()) {
                ys.add(c);
            }
            chart.addSeries(e.getKey(), xs, ys);
        }
        return chart;
    }

    /**
     * Renders one chart.
     *
     * @param chart the chart
     * @return an image of the chart at its own size
     */
    public static BufferedImage render(Chart<?, ?> chart) {
        return grid(List.of(chart), 1);
    }

    /**
     * Renders charts side by side, {@code columns} per row, each at its own size (all charts should
     * have the same size).
     *
     * @param charts  the charts
     * @param columns charts per row
     * @return one image holding all charts
     */
    public static BufferedImage grid(List<? extends Chart<?, ?>> charts, int columns) {
        int w = charts.get(0).getWidth();
        int h = charts.get(0).getHeight();
        int rows = (charts.size() + columns - 1) / columns;
        int cols = Math.min(columns, charts.size());
        BufferedImage img = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                Graphics2D cg = (Graphics2D) g.create((i % columns) * w, (i / columns) * h, w, h);
                try {
                    charts.get(i).paint(cg, w, h);
                } finally {
                    cg.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
