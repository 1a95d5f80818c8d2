/**
 * {@link io.github.cnn4j.model.Sequential}: a built stack of layers with inferred shapes, plus the
 * per-thread {@link io.github.cnn4j.model.Workspace} that a forward and backward pass run in.
 */
package io.github.cnn4j.model;
