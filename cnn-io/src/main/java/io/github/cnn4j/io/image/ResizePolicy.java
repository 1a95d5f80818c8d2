package io.github.cnn4j.io.image;

/** How images of other sizes are brought to the wanted {@code height x width}. */
public enum ResizePolicy {
    /** Resize to exactly {@code height x width}; the aspect ratio may change (Keras' default). */
    STRETCH,
    /** Scale so the image covers {@code height x width} with its aspect ratio kept, then cut the centre out. */
    CENTER_CROP,
    /** Scale so the image fits inside {@code height x width} with its aspect ratio kept, then pad with zeros around it. */
    PAD,
    /** Every image must already have the wanted size; any other is a bad file. */
    EXACT
}
