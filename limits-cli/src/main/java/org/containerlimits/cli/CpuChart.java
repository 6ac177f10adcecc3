package org.containerlimits.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.containerlimits.core.usage.LimitsReading;

/**
 * Draws CPU cores used over time, per container, against its limit, with the figure
 * {@code docker stats} shows beside it (its percent of one host core, divided by 100 so that it is
 * on the same cores axis): where docker's line leaves the limit line, docker's figure says more
 * than the container can use. Plain Java2D, headless; a PNG.
 */
final class CpuChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private final Map<String, List<LimitsReading>> series = new LinkedHashMap<>();
    private Instant start;

    /**
     * Adds one reading; readings with no valid interval are skipped.
     *
     * @param name the container's name as shown
     * @param r the reading
     */
    synchronized void add(String name, LimitsReading r) {
        if (r.state() != LimitsReading.State.RUNNING) {
            return;
        }
        if (start == null) {
            start = r.time().minus(r.interval());
        }
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
    }

    /**
     * Writes the chart.
     *
     * @param file the PNG to write
     * @throws IOException if it cannot be written
     */
    synchronized void write(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxSeconds = 1;
        double maxCores = 0.5;
        for (List<LimitsReading> readings : series.values()) {
            for (LimitsReading r : readings) {
                maxSeconds = Math.max(maxSeconds, seconds(r));
                maxCores = Math.max(maxCores, Math.max(r.cpuCores(), r.cpuLimitCores().doubleValue()));
                if (r.dockerCpuPercent().isPresent()) {
                    maxCores = Math.max(maxCores, r.dockerCpuPercent().getAsDouble() / 100);
                }
            }
        }
        maxCores = Math.ceil(maxCores * 1.15 * 4) / 4;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("CPU cores used against the container's limit", LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("solid: cores used (containerlimits)   dashed: the limit   dotted: docker stats' CPU % / 100",
                LEFT, 48);

        // Grid and axes.
        double step = maxCores <= 1 ? 0.25 : maxCores <= 3 ? 0.5 : 1;
        for (double c = 0; c <= maxCores + 1e-9; c += step) {
            int y = TOP + plotH - (int) Math.round(c / maxCores * plotH);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", c), LEFT - 40, y + 4);
        }
        double tStep = Math.max(1, Math.ceil(maxSeconds / 10));
        for (double t = 0; t <= maxSeconds + 1e-9; t += tStep) {
            int x = LEFT + (int) Math.round(t / maxSeconds * plotW);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", t), x - 4, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("seconds", LEFT + plotW / 2 - 20, HEIGHT - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("CPU cores", -(TOP + plotH / 2 + 30), 25);
        rotated.dispose();

        int i = 0;
        int legendY = TOP + 10;
        for (Map.Entry<String, List<LimitsReading>> e : series.entrySet()) {
            Color color = COLORS[i++ % COLORS.length];
            List<LimitsReading> rs = e.getValue();
            BasicStroke solid = new BasicStroke(2.2f);
            BasicStroke dashed = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {9, 6}, 0);
            BasicStroke dotted = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10,
                    new float[] {2, 4}, 0);
            g.setColor(color);
            for (int k = 1; k < rs.size(); k++) {
                LimitsReading a = rs.get(k - 1);
                LimitsReading b = rs.get(k);
                int x1 = x(seconds(a), maxSeconds, plotW);
                int x2 = x(seconds(b), maxSeconds, plotW);
                g.setStroke(solid);
                g.drawLine(x1, y(a.cpuCores(), maxCores, plotH), x2, y(b.cpuCores(), maxCores, plotH));
                g.setStroke(dashed);
                g.drawLine(x1, y(a.cpuLimitCores().doubleValue(), maxCores, plotH), x2,
                        y(b.cpuLimitCores().doubleValue(), maxCores, plotH));
                if (a.dockerCpuPercent().isPresent() && b.dockerCpuPercent().isPresent()) {
                    g.setStroke(dotted);
                    g.drawLine(x1, y(a.dockerCpuPercent().getAsDouble() / 100, maxCores, plotH), x2,
                            y(b.dockerCpuPercent().getAsDouble() / 100, maxCores, plotH));
                }
            }
            g.setStroke(new BasicStroke(1));
            LimitsReading last = rs.get(rs.size() - 1);
            double meanPercent = rs.stream().mapToDouble(LimitsReading::cpuPercentOfLimit).average().orElse(0);
            double meanDocker = rs.stream().filter(r -> r.dockerCpuPercent().isPresent())
                    .mapToDouble(r -> r.dockerCpuPercent().getAsDouble()).average().orElse(Double.NaN);
            g.fillRect(LEFT + plotW + 15, legendY - 9, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), LEFT + plotW + 32, legendY + 2);
            g.drawString(String.format(Locale.ROOT, "limit %s cores", last.cpuLimitCores().toPlainString()),
                    LEFT + plotW + 32, legendY + 18);
            g.drawString(String.format(Locale.ROOT, "mean %.1f%% of limit", meanPercent), LEFT + plotW + 32,
                    legendY + 34);
            if (!Double.isNaN(meanDocker)) {
                g.drawString(String.format(Locale.ROOT, "docker stats: %.1f%%", meanDocker), LEFT + plotW + 32,
                        legendY + 50);
            }
            legendY += 75;
        }
        if (series.isEmpty()) {
            g.setColor(Color.BLACK);
            g.drawString("no readings with a valid interval", LEFT + 20, TOP + 30);
        }
    }

    private double seconds(LimitsReading r) {
        return Duration.between(start, r.time()).toNanos() / 1e9;
    }

    private static int x(double seconds, double maxSeconds, int plotW) {
        return LEFT + (int) Math.round(seconds / maxSeconds * plotW);
    }

    private static int y(double cores, double maxCores, int plotH) {
        return TOP + plotH - (int) Math.round(Math.min(cores, maxCores) / maxCores * plotH);
    }
}
