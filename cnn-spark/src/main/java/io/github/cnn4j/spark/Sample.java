package io.github.cnn4j.spark;

import java.io.Serializable;

/** One labelled sample in the shuffle that places an epoch's samples. */
final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;

    final int label;
    final float[] pixels;

    Sample(int label, float[] pixels) {
        this.label = label;
        this.pixels = pixels;
    }
}
