package io.github.cnn4j.layer;

import io.github.cnn4j.init.InitPreset;
import java.util.random.RandomGenerator;

/**
 * What {@link Layer#build} needs to create parameters: the random source and the preset that picks
 * initializers for layers that did not choose their own.
 *
 * @param rng    random source, advanced as parameters are drawn
 * @param preset default initializers per layer kind
 */
public record InitContext(RandomGenerator rng, InitPreset preset) {
}
