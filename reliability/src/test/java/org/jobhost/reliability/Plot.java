package org.jobhost.reliability;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws series against time as one PNG of stacked panels (Java2D, headless), one panel per series,
 * each scaled to its own range. Stateless.
 */
final class Plot {

  private static final int WIDTH = 900;
  private static final int PANEL = 150;

  private Plot() {}

  /**
   * One series: its name with its unit, and its values, one per sample time.
   *
   * @param name the title of the panel, such as "host RSS (MB)"
   * @param values one value per entry of the time axis
   */
  record Series(String name, double[] values) {}

  static Path write(Path png, String title, double[] minutes, List<Series> series)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int height = 40 + PANEL * series.size();
    BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, 10, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    double tMax = minutes.length == 0 ? 1 : Math.max(minutes[minutes.length - 1], 1e-9);
    for (int s = 0; s < series.size(); s++) {
      Series se = series.get(s);
      int top = 40 + s * PANEL;
      int left = 70;
      int right = WIDTH - 20;
      int bottom = top + PANEL - 30;
      double min = 0;
      double max = 1;
      for (double v : se.values()) {
        max = Math.max(max, v);
      }
      max *= 1.1;
      g.setColor(new Color(0xEEEEEE));
      g.fillRect(left, top, right - left, bottom - top);
      g.setColor(Color.BLACK);
      g.drawRect(left, top, right - left, bottom - top);
      g.drawString(se.name(), left + 5, top + 14);
      g.drawString(String.format("%.0f", max), 5, top + 10);
      g.drawString(String.format("%.0f", min), 5, bottom);
      g.drawString(String.format("%.1f min", tMax), right - 50, bottom + 14);
      g.drawString("0", left, bottom + 14);
      g.setColor(new Color(0x1F77B4));
      g.setStroke(new BasicStroke(1.5f));
      int px = -1;
      int py = -1;
      for (int i = 0; i < se.values().length; i++) {
        int x = left + (int) ((right - left) * minutes[i] / tMax);
        int y = bottom - (int) ((bottom - top) * (se.values()[i] - min) / (max - min));
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.setColor(Color.BLACK);
    }
    g.dispose();
    Files.createDirectories(png.getParent());
    ImageIO.write(img, "png", png.toFile());
    return png;
  }

  /** Least-squares slope of {@code y} over {@code x}. */
  static double slope(double[] x, double[] y) {
    int n = x.length;
    if (n < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      num += (x[i] - mx) * (y[i] - my);
      den += (x[i] - mx) * (x[i] - mx);
    }
    return den == 0 ? 0 : num / den;
  }
}
