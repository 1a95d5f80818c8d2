package io.github.cnn4j.layer;

import io.github.cnn4j.tensor.Shape;
import io.github.cnn4j.tensor.Tensor;

/**
 * Global average pooling: the mean of each channel over all its positions, {@code (C, H, W) -> (C)}.
 * It ends the convolutional part of residual networks in place of {@code Flatten} and replaces large
 * dense layers: the classifier sees one value per channel whatever the image size.
 *
 * <h2>Shapes</h2>
 * input: {@code (C, H, W)}; output: {@code (C)}
 *
 * <h2>Backward</h2>
 * Every position of channel {@code c} receives {@code dy_c / (H W)}.
 */
public final class GlobalAvgPool implements Layer {
    @Override
    public String name() {
        return "GlobalAvgPool()";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("expects a (channels, height, width) input, got " + in);
        }
        return Shape.of(in.channels());
    }

    @Override
    public void forward(Tensor in, Tensor out, LayerContext ctx) {
        Shape s = in.shape();
        int c = s.channels();
        int spatial = s.size() / c;
        float inv = 1f / spatial;
        float[] x = in.data();
        float[] y = out.data();
        for (int n = 0; n < in.batch(); n++) {
            for (int ch = 0; ch < c; ch++) {
                int off = n * s.size() + ch * spatial;
                float sum = 0;
                for (int i = 0; i < spatial; i++) {
                    sum += x[off + i];
                }
                y[n * c + ch] = sum * inv;
            }
        }
    }

    @Override
    public void backward(Tensor in, Tensor out, Tensor gradOut, Tensor gradIn, LayerContext ctx) {
        if (gradIn == null) {
            return;
        }
        Shape s = in.shape();
        int c = s.channels();
        int spatial = s.size() / c;
        float inv = 1f / spatial;
        float[] dy = gradOut.data();
        float[] dx = gradIn.data();
        for (int n = 0; n < in.batch(); n++) {
            for (int ch = 0; ch < c; ch++) {
                int off = n * s.size() + ch * spatial;
                float g = dy[n * c + ch] * inv;
                for (int i = 0; i < spatial; i++) {
                    dx[off + i] = g;
                }
            }
        }
    }

    @Override
    public long flops(Shape in) {
        return in.size();
    }
}
