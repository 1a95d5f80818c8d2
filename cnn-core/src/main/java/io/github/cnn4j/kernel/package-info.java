/**
 * Hand-written compute kernels over flat {@code float[]} buffers: convolution (stride 1 in
 * {@link io.github.cnn4j.kernel.ConvKernels}, any stride in
 * {@link io.github.cnn4j.kernel.StridedConvKernels}), max and average pooling
 * ({@link io.github.cnn4j.kernel.MaxPoolKernels}, {@link io.github.cnn4j.kernel.AvgPoolKernels}),
 * batch normalization ({@link io.github.cnn4j.kernel.BatchNormKernels}), dense layers
 * ({@link io.github.cnn4j.kernel.DenseKernels}) and element-wise activations.
 *
 * <p>Every kernel is a static method: inputs first, outputs last, offsets next to their arrays.
 * The Javadoc of each says which arrays are modified and states the math and the summation order.
 * Steady-state calls allocate nothing: scratch lives in a {@link io.github.cnn4j.kernel.ConvScratch}
 * or in arrays the caller keeps.
 *
 * <p>Layering: {@link io.github.cnn4j.kernel.Vectorization} chooses once per JVM between the scalar
 * kernels and the Java Vector API kernels; the public classes above route each call to one of the
 * package-private implementations ({@code Scalar*Kernels}, {@code Vector*Kernels}), which never
 * call each other and share only the layout and window helpers ({@code ConvLayout},
 * {@code MaxPoolWindows}). Within the vector set, {@code VectorConvKernels} also picks, from the
 * shapes only, among its convolution variants ({@code VectorRowConvKernels},
 * {@code VectorPackedConvKernels}); none of them calls a scalar kernel.
 */
package io.github.cnn4j.kernel;
