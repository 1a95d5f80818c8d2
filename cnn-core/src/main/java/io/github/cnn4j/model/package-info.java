/**
 * {@link io.github.cnn4j.model.Sequential}: a built stack of layers with inferred shapes, plus the
 * per-thread {@link io.github.cnn4j.model.Workspace} that a forward and backward pass run in.
 * {@link io.github.cnn4j.model.MemoryCost} says what a model and its workspaces will cost before
 * they exist, and {@link io.github.cnn4j.model.MemoryBudget} refuses what would not fit in memory.
 */
package io.github.cnn4j.model;
