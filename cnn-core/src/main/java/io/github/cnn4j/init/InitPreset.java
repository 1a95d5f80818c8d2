package io.github.cnn4j.init;

/**
 * Chooses initializers per layer kind for every layer that does not set its own.
 */
public enum InitPreset {
    /**
     * The paper's scheme: conv weights He-normal, conv biases 0; dense weights uniform in
     * [-0.25, 0.25) with |w| &gt;= 0.001, dense biases uniform in [0.001, 0.25).
     */
    PAPER(new HeNormal(), Constant.zeros(), UniformRange.paperWeights(), UniformRange.paperBiases()),
    /** Common modern defaults: He-normal conv weights, Glorot-uniform dense weights, zero biases. */
    MODERN(new HeNormal(), Constant.zeros(), new GlorotUniform(), Constant.zeros());

    private final Initializer convWeights;
    private final Initializer convBiases;
    private final Initializer denseWeights;
    private final Initializer denseBiases;

    InitPreset(Initializer convWeights, Initializer convBiases, Initializer denseWeights, Initializer denseBiases) {
        this.convWeights = convWeights;
        this.convBiases = convBiases;
        this.denseWeights = denseWeights;
        this.denseBiases = denseBiases;
    }

    /** @return initializer for convolution weights */
    public Initializer convWeights() {
        return convWeights;
    }

    /** @return initializer for convolution biases */
    public Initializer convBiases() {
        return convBiases;
    }

    /** @return initializer for dense weights */
    public Initializer denseWeights() {
        return denseWeights;
    }

    /** @return initializer for dense biases */
    public Initializer denseBiases() {
        return denseBiases;
    }
}
