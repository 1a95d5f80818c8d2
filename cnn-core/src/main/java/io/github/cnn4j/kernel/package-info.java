/**
 * Hand-written compute kernels over flat {@code float[]} buffers: convolution (stride 1 in
 * {@link io.github.cnn4j.kernel.ConvKernels}, any stride in
 * {@link io.github.cnn4j.kernel.StridedConvKernels}), max and average pooling, and element-wise
 * activations.
 *
 * <p>Every kernel is a static method: inputs first, outputs last, offsets next to their arrays.
 * The Javadoc of each says which arrays are modified and states the math. Kernels never allocate;
 * callers pass scratch space sized by the matching {@code ...WorkSize} method. Layers call them in
 * one line per sample.
 */
package io.github.cnn4j.kernel;
