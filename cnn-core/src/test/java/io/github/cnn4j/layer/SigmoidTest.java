package io.github.cnn4j.layer;

class SigmoidTest extends ElementwiseActivationTest {

    @Override
    Layer layer() {
        return new Sigmoid();
    }

    @Override
    double f(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    float valueAtHalf() {
        return 0.62245933f;
    }
}
