/**
 * The {@link io.github.cnn4j.layer.Layer} contract and the built-in layers.
 *
 * <p>A layer is immutable configuration plus explicit {@link io.github.cnn4j.layer.Parameter}s.
 * Configured layers ({@code new Conv(5, 5, 6)}) know nothing of their input; {@code build} binds
 * them to an input shape and creates their parameters. Anything a forward pass must remember for
 * the backward pass lives in a {@link io.github.cnn4j.layer.LayerContext} owned by one thread,
 * never in the layer, so one model can serve many threads at once.
 */
package io.github.cnn4j.layer;
