package io.github.cnn4j.layer;

class TanhTest extends ElementwiseActivationTest {

    @Override
    Layer layer() {
        return new Tanh();
    }

    @Override
    double f(double x) {
        return Math.tanh(x);
    }

    @Override
    float valueAtHalf() {
        return 0.46211716f;
    }
}
