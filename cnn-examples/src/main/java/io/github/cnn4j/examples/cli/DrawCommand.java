package io.github.cnn4j.examples.cli;

import io.github.cnn4j.examples.draw.DrawWindow;
import io.github.cnn4j.model.Sequential;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cnn4j draw MODEL.json}: a window to draw digits and see the model's answer. */
@Command(name = "draw", mixinStandardHelpOptions = true,
        description = {"Open a window to draw a digit with the mouse and have the model classify it "
                + "(green check: classify, red X: clear).", "Needs a display (DISPLAY set, or run under Xvfb)."})
public final class DrawCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file: ONNX (.onnx), paper or cnn4j format.")
    Path modelFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (GraphicsEnvironment.isHeadless()) {
            throw new HeadlessException(); // Cnn4jCli says what to do
        }
        Sequential model = ModelLoader.trained(modelFile);
        CountDownLatch closed = new CountDownLatch(1);
        try {
            // invokeAndWait: an AWTError (no X server) reaches this thread and Cnn4jCli, instead of the event thread's log
            SwingUtilities.invokeAndWait(() -> {
                DrawWindow w = new DrawWindow(model, "cnn4j draw - " + modelFile.getFileName());
                w.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
                w.addWindowListener(new java.awt.event.WindowAdapter() {
                    @Override
                    public void windowClosed(java.awt.event.WindowEvent e) {
                        closed.countDown();
                    }
                });
                w.setLocationRelativeTo(null);
                w.setVisible(true);
            });
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(String.valueOf(cause), cause);
        }
        closed.await();
        return 0;
    }
}
