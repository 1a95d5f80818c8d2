/**
 * Parameter initializers (He-normal, Glorot/Xavier uniform, the paper's dense uniform, constants)
 * and {@link io.github.cnn4j.init.InitPreset presets} that choose one per layer kind.
 */
package io.github.cnn4j.init;
