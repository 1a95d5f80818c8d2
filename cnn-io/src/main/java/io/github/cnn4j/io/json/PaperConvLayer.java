package io.github.cnn4j.io.json;

/**
 * One convolutional block of the paper's architecture: zero-pad {@code padding} on all sides,
 * {@code kernelCount} kernels of {@code kernelDim x kernelDim}, stride 1, plus bias, ReLU, then max
 * pooling with window and stride {@code poolingDim}.
 *
 * @param kernelCount number of kernels (output channels), &gt;= 1
 * @param kernelDim   kernel side, &gt;= 1
 * @param padding     zero padding on each side, &gt;= 0
 * @param poolingDim  pooling window and stride, &gt;= 1
 */
public record PaperConvLayer(int kernelCount, int kernelDim, int padding, int poolingDim) {
    /** Validates the fields. */
    public PaperConvLayer {
        if (kernelCount < 1 || kernelDim < 1 || padding < 0 || poolingDim < 1) {
            throw new IllegalArgumentException("a conv layer needs kernel_count, kernel_dim, pooling_dim >= 1 and padding >= 0, got "
                    + kernelCount + ", " + kernelDim + ", " + poolingDim + ", " + padding);
        }
    }
}
