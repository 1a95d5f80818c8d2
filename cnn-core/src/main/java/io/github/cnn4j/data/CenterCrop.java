package io.github.cnn4j.data;

import io.github.cnn4j.tensor.Shape;

/** Cuts the central {@code height x width} window out of every channel (the input must be at least that large). */
public final class CenterCrop implements Transform {
    private final int height;
    private final int width;

    /**
     * @param height output height, at least 1
     * @param width  output width, at least 1
     */
    public CenterCrop(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("CenterCrop needs a size of at least 1 x 1, got " + height + " x " + width);
        }
        this.height = height;
        this.width = width;
    }

    @Override
    public Shape outputShape(Shape in) {
        Transform.requireImage("CenterCrop", in);
        if (in.height() < height || in.width() < width) {
            throw new IllegalArgumentException("CenterCrop(" + height + "x" + width + ") needs an input at least that large, got " + in);
        }
        return Shape.of(in.channels(), height, width);
    }

    @Override
    public void apply(float[] src, int srcOff, Shape in, float[] dst, int dstOff, long seed) {
        outputShape(in);
        RandomCrop.crop(src, srcOff, in, 0, (in.height() - height) / 2, (in.width() - width) / 2, height, width, dst, dstOff);
    }

    @Override
    public String toString() {
        return "CenterCrop(" + height + "x" + width + ")";
    }
}
