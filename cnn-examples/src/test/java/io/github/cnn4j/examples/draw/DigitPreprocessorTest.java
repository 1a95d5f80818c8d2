package io.github.cnn4j.examples.draw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The drawing program's preprocessing, tested headlessly on synthetic strokes. */
class DigitPreprocessorTest {
    private static final int W = 280;

    /** A small vertical bar drawn in the top-left corner of a 280x280 canvas. */
    private static float[] smallBarTopLeft() {
        BufferedImage img = new BufferedImage(W, W, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, W);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(12f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(40, 20, 40, 100);
        g.dispose();
        return DigitPreprocessor.ink(img);
    }

    private static int[] bbox(float[] img) {
        int x0 = 28, y0 = 28, x1 = -1, y1 = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (img[y * 28 + x] > 0.05f) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x0, y0, x1, y1};
    }

    private static double[] centreOfMass(float[] img) {
        double m = 0, cx = 0, cy = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                m += img[y * 28 + x];
                cx += img[y * 28 + x] * (x + 0.5);
                cy += img[y * 28 + x] * (y + 0.5);
            }
        }
        return new double[] {cx / m, cy / m};
    }

    @Test
    void inkIsHighWhereTheCanvasIsDark() {
        float[] ink = smallBarTopLeft();
        assertEquals(1f, ink[60 * W + 40], 1e-6f);
        assertEquals(0f, ink[200 * W + 200], 1e-6f);
    }

    @Test
    void plainDownscaleKeepsThePosition() {
        float[] img = DigitPreprocessor.plain(smallBarTopLeft(), W, W);
        assertEquals(784, img.length);
        int[] b = bbox(img);
        assertTrue(b[0] <= 5 && b[2] <= 5, "stays at the left: " + java.util.Arrays.toString(b));
        assertTrue(b[3] <= 11, "stays at the top: " + java.util.Arrays.toString(b));
    }

    @Test
    void mnistStyleScalesTheStrokeIntoTwentyPixelsAndCentresItsMass() {
        float[] img = DigitPreprocessor.mnist(smallBarTopLeft(), W, W);
        int[] b = bbox(img);
        int height = b[3] - b[1] + 1;
        assertTrue(height >= 19 && height <= 21, "tallest side scaled to 20 px, got " + height);
        double[] c = centreOfMass(img);
        assertEquals(14.0, c[0], 0.75);
        assertEquals(14.0, c[1], 0.75);
        for (float v : img) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void emptyCanvasGivesABlankImage() {
        float[] img = DigitPreprocessor.mnist(new float[W * W], W, W);
        assertArrayEquals(new float[784], img);
    }
}
