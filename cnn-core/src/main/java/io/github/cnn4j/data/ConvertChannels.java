package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;

/**
 * Grayscale / RGB conversion: 1 channel to 3 copies it into each; 3 channels to 1 takes the
 * luma {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601); the same count is copied unchanged.
 */
public final class ConvertChannels implements Transform {
    private final int channels;

    /** @param channels the output channels: 1 (grayscale) or 3 (RGB) */
    public ConvertChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("ConvertChannels converts to 1 or 3 channels, got " + channels);
        }
        this.channels = channels;
    }

    @Override
    public Shape outputShape(Shape in) {
        Transform.requireImage("ConvertChannels", in);
        if (in.channels() != channels && in.channels() != 1 && in.channels() != 3) {
            throw new IllegalArgumentException("ConvertChannels converts between 1 and 3 channels, got " + in);
        }
        return Shape.of(channels, in.height(), in.width());
    }

    @Override
    public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
        outputShape(in);
        int plane = in.height() * in.width();
        if (in.channels() == channels) {
            System.arraycopy(src, srcOff, dst, dstOff, channels * plane);
        } else if (channels == 3) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(src, srcOff, dst, dstOff + c * plane, plane);
            }
        } else {
            for (int i = 0; i < plane; i++) {
                dst[dstOff + i] = 0.299f * src[srcOff + i] + 0.587f * src[srcOff + plane + i] + 0.114f * src[srcOff + 2 * plane + i];
            }
        }
    }

    @Override
    public String toString() {
        return "ConvertChannels(" + channels + ")";
    }
}
