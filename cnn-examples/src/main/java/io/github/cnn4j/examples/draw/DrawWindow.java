package io.github.cnn4j.examples.draw;

import io.github.cnn4j.model.Sequential;
import java.awt.BasicStroke;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GridBagLayout;
import java.awt.GridLayout;
import java.awt.RenderingHints;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.util.Locale;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingConstants;
import javax.swing.WindowConstants;

/**
 * A window to draw a digit with the mouse: the green check classifies it, the red X clears it. It
 * shows the predicted digit, the ten probabilities as bars, and the 28x28 image the model saw.
 * MNIST-style preprocessing (see {@link DigitPreprocessor}) is on by default and can be toggled.
 */
public final class DrawWindow extends JFrame {
    private static final long serialVersionUID = 1L;
    private static final int CANVAS = 280;

    private final transient Sequential model;
    private final Canvas canvas = new Canvas();
    private final Bars bars = new Bars();
    private final Preview preview = new Preview();
    private final JLabel answer = new JLabel(" ", SwingConstants.CENTER);
    private final JCheckBox mnistStyle = new JCheckBox("MNIST preprocessing (crop, 20x20, centre of mass)", true);

    /**
     * @param model a model taking {@code (1, 28, 28)} inputs and giving 10 probabilities
     * @param title window title
     */
    public DrawWindow(Sequential model, String title) {
        super(title);
        this.model = model;
        setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        JButton check = new JButton("\u2714");
        check.setForeground(new Color(0, 150, 0));
        check.setFont(check.getFont().deriveFont(Font.BOLD, 28f));
        check.setToolTipText("Classify the drawing");
        check.addActionListener(e -> classify());
        JButton clear = new JButton("\u2718");
        clear.setForeground(new Color(200, 0, 0));
        clear.setFont(clear.getFont().deriveFont(Font.BOLD, 28f));
        clear.setToolTipText("Clear the drawing");
        clear.addActionListener(e -> clear());
        mnistStyle.addActionListener(e -> classify());

        JPanel buttons = new JPanel(new GridLayout(1, 2, 8, 0));
        buttons.add(check);
        buttons.add(clear);
        JPanel left = new JPanel(new BorderLayout(0, 8));
        JPanel canvasHolder = new JPanel(new GridBagLayout()); // keeps the canvas at exactly its drawing size
        canvasHolder.add(canvas);
        left.add(canvasHolder, BorderLayout.CENTER);
        left.add(buttons, BorderLayout.SOUTH);
        left.add(mnistStyle, BorderLayout.NORTH);

        answer.setFont(answer.getFont().deriveFont(Font.BOLD, 48f));
        JPanel right = new JPanel(new BorderLayout(0, 8));
        JPanel top = new JPanel(new BorderLayout(8, 0));
        top.add(answer, BorderLayout.CENTER);
        top.add(preview, BorderLayout.EAST);
        right.add(top, BorderLayout.NORTH);
        right.add(bars, BorderLayout.CENTER);

        JPanel root = new JPanel(new BorderLayout(12, 0));
        root.setBorder(BorderFactory.createEmptyBorder(10, 10, 10, 10));
        root.add(left, BorderLayout.WEST);
        root.add(right, BorderLayout.CENTER);
        setContentPane(root);
        pack();
    }

    /** @return the drawing surface's image (black strokes on white), for tests and screenshots */
    public BufferedImage canvasImage() {
        return canvas.image;
    }

    /** Classifies the current drawing and updates the result panel. */
    public void classify() {
        float[] ink = DigitPreprocessor.ink(canvas.image);
        float[] input = mnistStyle.isSelected()
                ? DigitPreprocessor.mnist(ink, CANVAS, CANVAS)
                : DigitPreprocessor.plain(ink, CANVAS, CANVAS);
        float[] p = model.predict(input);
        int best = Sequential.argmax(p, 0, p.length);
        answer.setText(Integer.toString(best));
        bars.probabilities = p;
        preview.pixels = input;
        bars.repaint();
        preview.repaint();
    }

    /** Clears the drawing and the result. */
    public void clear() {
        canvas.clear();
        answer.setText(" ");
        bars.probabilities = null;
        preview.pixels = null;
        bars.repaint();
        preview.repaint();
    }

    /**
     * Draws a stroke programmatically (tests, demos).
     *
     * @param xs x coordinates of the stroke's points
     * @param ys y coordinates
     */
    public void stroke(int[] xs, int[] ys) {
        for (int i = 1; i < xs.length; i++) {
            canvas.line(xs[i - 1], ys[i - 1], xs[i], ys[i]);
        }
        canvas.repaint();
    }

    private static final class Canvas extends JPanel {
        private static final long serialVersionUID = 1L;
        private final transient BufferedImage image = new BufferedImage(CANVAS, CANVAS, BufferedImage.TYPE_INT_RGB);
        private int lastX;
        private int lastY;

        Canvas() {
            setPreferredSize(new Dimension(CANVAS, CANVAS));
            setBorder(BorderFactory.createLineBorder(Color.GRAY));
            clear();
            MouseAdapter m = new MouseAdapter() {
                @Override
                public void mousePressed(MouseEvent e) {
                    lastX = e.getX();
                    lastY = e.getY();
                    line(lastX, lastY, lastX, lastY);
                    repaint();
                }

                @Override
                public void mouseDragged(MouseEvent e) {
                    line(lastX, lastY, e.getX(), e.getY());
                    lastX = e.getX();
                    lastY = e.getY();
                    repaint();
                }
            };
            addMouseListener(m);
            addMouseMotionListener(m);
        }

        void line(int x0, int y0, int x1, int y1) {
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(20f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawLine(x0, y0, x1, y1);
            g.dispose();
        }

        void clear() {
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, CANVAS, CANVAS);
            g.dispose();
            repaint();
        }

        @Override
        protected void paintComponent(Graphics g) {
            super.paintComponent(g);
            g.drawImage(image, 0, 0, null);
        }
    }

    private static final class Bars extends JPanel {
        private static final long serialVersionUID = 1L;
        private float[] probabilities;

        Bars() {
            setPreferredSize(new Dimension(260, 220));
        }

        @Override
        protected void paintComponent(Graphics g0) {
            super.paintComponent(g0);
            Graphics2D g = (Graphics2D) g0;
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int rowH = Math.max(12, (getHeight() - 10) / 10);
            int barMax = getWidth() - 90;
            int best = probabilities == null ? -1 : Sequential.argmax(probabilities, 0, probabilities.length);
            for (int d = 0; d < 10; d++) {
                int y = 5 + d * rowH;
                g.setColor(Color.DARK_GRAY);
                g.drawString(Integer.toString(d), 5, y + rowH - 4);
                float p = probabilities == null ? 0f : probabilities[d];
                g.setColor(d == best ? new Color(0, 150, 0) : new Color(70, 130, 180));
                g.fillRect(20, y + 2, Math.round(p * barMax), rowH - 4);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%5.1f%%", 100 * p), 25 + barMax, y + rowH - 4);
            }
        }
    }

    private static final class Preview extends JPanel {
        private static final long serialVersionUID = 1L;
        private static final int SCALE = 3;
        private float[] pixels;

        Preview() {
            setPreferredSize(new Dimension(28 * SCALE + 2, 28 * SCALE + 2));
            setBorder(BorderFactory.createLineBorder(Color.GRAY));
            setToolTipText("What the model sees (28x28)");
        }

        @Override
        protected void paintComponent(Graphics g) {
            super.paintComponent(g);
            g.setColor(Color.BLACK);
            g.fillRect(1, 1, 28 * SCALE, 28 * SCALE);
            if (pixels == null) {
                return;
            }
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int v = Math.round(Math.min(1f, Math.max(0f, pixels[y * 28 + x])) * 255);
                    g.setColor(new Color(v, v, v));
                    g.fillRect(1 + x * SCALE, 1 + y * SCALE, SCALE, SCALE);
                }
            }
        }
    }
}
