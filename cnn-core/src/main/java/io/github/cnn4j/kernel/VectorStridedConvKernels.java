package io.github.cnn4j.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Strided convolutions ({@link StridedConvKernels}, stride {@code S >= 1}) on the Java Vector API:
 * tap products register-blocked over four filters (or channels) by {@value #B} positions. Used by
 * {@link StridedConvKernels} when {@link Vectorization#enabled()}; loaded only then.
 *
 * <h2>Layout</h2>
 * A group of {@code gn} samples (about {@code ConvLayout.GROUP_POSITIONS} output positions, the same
 * grouping as the scalar kernel) is laid out channel-major and zero-padded
 * ({@link ConvLayout#padGroup}: {@code xp[c][m][PH][PW]}). Output position
 * {@code p = m * OH * OW + i * OW + j} of the group meets tap {@code k = (c, u, v)} at
 * {@code xp[pos[p] + tap[k]]} with {@code pos[p] = m * PH * PW + S*i * PW + S*j} and
 * {@code tap[k] = c * gn * PH * PW + u * PW + v}. The forward pass cuts the positions into blocks of
 * {@value #B} (two vectors); the last block is filled up with copies of position 0, whose results
 * are dropped. The groups are those of the scalar kernel ({@code ConvLayout.group} over the output
 * positions).
 *
 * <h2>Math and order</h2>
 * <ul>
 *   <li>Forward: for each block, the {@code taps x B} values it meets are gathered once into a panel
 *       ({@code col[k * B + q] = xp[tap[k] + pos[p0 + q]]}), then four filters by two vectors of
 *       positions are held in eight registers over all taps:
 *       {@code y_f[p] = fma(w[f, taps - 1], col_(taps-1)[p], ... fma(w[f, 0], col_0[p], b[f]))}, the bias
 *       and then the taps in {@code (c, u, v)} order, one fused multiply-add each: the scalar
 *       kernel's operations in its order, so the outputs are bit-identical.</li>
 *   <li>Weight gradient: {@code dW[f, k] += sum_p dz_f[p] * tap_k[p]} over the group, with the taps
 *       gathered into rows two at a time ({@code tap_k[p] = xp[tap[k] + pos[p]]}) and four filters by
 *       two taps (eight vector accumulators) per pass. Lane {@code l} of an accumulator sums
 *       positions {@code 8q + l} in order with fused multiply-adds; the lanes are added pairwise
 *       ({@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}), then the last {@code len mod 8}
 *       positions in order, and the result is added to {@code dW}.</li>
 *   <li>Bias gradient: {@code db[f] += sum_p dz_f[p]} over the group in the order of
 *       {@code VectorConvKernels.sum} (two sets of eight lanes).</li>
 *   <li>Input gradient, read rather than scattered: an element {@code dxp[c, S a + ry, S b + rx]}
 *       of the padded gradient ({@code 0 <= ry, rx < S}) receives exactly the taps
 *       {@code u = ry + S du}, {@code v = rx + S dv} at output {@code (a - du, b - dv)}. So per residue
 *       class {@code (ry, rx)} it is a stride-1 tap product over {@code dy}, laid out with row stride
 *       {@code CW = OW + (KW - 1) / S} and {@code CH = OH + (KH - 1) / S} rows per sample (zeros in the
 *       extra rows and columns and in front of the first sample, so that the shifted reads of
 *       {@code du * CW + dv} floats never mix rows or samples):
 *       {@code g_c[q] = sum_{(du, dv), f} w[f, c, u, v] * dz_f[q - du * CW - dv]} at class position
 *       {@code q = m * CH * CW + a * CW + b}, the pairs {@code ((du, dv), f)} in order
 *       ({@code du}, {@code dv}, then filters), one fused multiply-add each, from zero; four channels
 *       by two vectors of class positions in eight registers. Each result is written once, to its
 *       element of {@code dx} (class positions in the padding or beyond the input are dropped;
 *       elements that no tap reaches are zero). The class layout computes about
 *       {@code CH * CW / (OH * OW)} times the useful products (1.15 for a 14 x 14 output and a 3 x 3
 *       kernel with stride 2, 1 for 1 x 1 kernels).</li>
 * </ul>
 * The orders depend only on the shapes and {@code n} (through the group size), never on threads,
 * alignment or the CPU (the species is fixed at 256 bits).
 */
final class VectorStridedConvKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    /** Output positions per block: two vectors. */
    static final int B = 2 * L;
    /** Filters per forward and weight-gradient pass, channels per input-gradient pass. */
    private static final int BLOCK = 4;

    private VectorStridedConvKernels() {
    }

    /**
     * Forward pass; see {@link StridedConvKernels#forward} for the parameters. Bit-identical to the
     * scalar kernel.
     */
    static void forward(float[] x, int xOff, int n, int c, int h, int w,
                        float[] weight, float[] bias, int f, int kh, int kw, int pad, int s,
                        float[] y, int yOff, ConvScratch sc) {
        final int oh = StridedConvKernels.outputSize(h, kh, pad, s);
        final int ow = StridedConvKernels.outputSize(w, kw, pad, s);
        final int positions = oh * ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * positions;
        final int g = ConvLayout.group(positions, n);
        sc.col = ConvScratch.grow(sc.col, taps * B);
        final float[] col = sc.col;
        for (int s0 = 0; s0 < n; s0 += g) {
            final int gn = Math.min(g, n - s0);
            final int len = gn * positions;
            final int blocks = (len + B - 1) / B;
            final float[] xp = padded(x, xOff + s0 * inSize, gn, c, h, w, pad, sc);
            offsets(gn, c, h, w, kh, kw, pad, s, oh, ow, blocks * B, sc);
            final int[] pos = sc.positionOffsets;
            final int[] tap = sc.tapOffsets;
            sc.acc = ConvScratch.grow(sc.acc, f, blocks * B);
            final float[][] acc = sc.acc;
            for (int p0 = 0; p0 < blocks * B; p0 += B) {
                gatherPanel(xp, pos, p0, tap, taps, col);
                int fi = 0;
                for (; fi + BLOCK <= f; fi += BLOCK) {
                    forward4(col, taps, weight, fi * taps, bias, fi, acc, p0);
                }
                for (; fi < f; fi++) {
                    forward1(col, taps, weight, fi * taps, bias[fi], acc[fi], p0);
                }
            }
            for (int m = 0; m < gn; m++) {
                for (int fi = 0; fi < f; fi++) {
                    System.arraycopy(acc[fi], m * positions, y, yOff + (s0 + m) * outSize + fi * positions, positions);
                }
            }
        }
    }

    /**
     * Backward pass; see {@link StridedConvKernels#backward} for the parameters ({@code dWeight} and
     * {@code dBias} accumulated into, {@code dx} overwritten unless {@code null}).
     */
    static void backward(float[] x, int xOff, int n, int c, int h, int w,
                         float[] weight, int f, int kh, int kw, int pad, int s,
                         float[] dy, int dyOff,
                         float[] dWeight, float[] dBias, float[] dx, int dxOff, ConvScratch sc) {
        final int oh = StridedConvKernels.outputSize(h, kh, pad, s);
        final int ow = StridedConvKernels.outputSize(w, kw, pad, s);
        final int positions = oh * ow;
        final int taps = c * kh * kw;
        final int inSize = c * h * w;
        final int outSize = f * positions;
        final int g = ConvLayout.group(positions, n);
        if (dx != null) {
            classSetup(c, f, kh, kw, s, oh, ow, g, weight, sc);
        }
        for (int s0 = 0; s0 < n; s0 += g) {
            final int gn = Math.min(g, n - s0);
            final int len = gn * positions;
            final int blocks = (len + B - 1) / B;
            sc.dz = ConvScratch.grow(sc.dz, f, blocks * B);
            final float[][] dz = sc.dz;
            for (int fi = 0; fi < f; fi++) {
                for (int m = 0; m < gn; m++) {
                    System.arraycopy(dy, dyOff + (s0 + m) * outSize + fi * positions, dz[fi], m * positions, positions);
                }
                // the filled-up positions of the last block carry no gradient
                Arrays.fill(dz[fi], len, blocks * B, 0f);
                dBias[fi] += VectorConvKernels.sum(dz[fi], len);
            }
            final float[] xp = padded(x, xOff + s0 * inSize, gn, c, h, w, pad, sc);
            offsets(gn, c, h, w, kh, kw, pad, s, oh, ow, blocks * B, sc);
            weightGradient(xp, sc.positionOffsets, sc.tapOffsets, taps, f, len, dz, dWeight, sc);
            if (dx != null) {
                inputGradient(dy, dyOff + s0 * outSize, gn, c, h, w, f, kh, kw, pad, s, oh, ow, g, sc, dx, dxOff + s0 * inSize);
            }
        }
    }

    /** {@code dW[f, k] += sum_{p < len} dz_f[p] * xp[tap[k] + pos[p]]}: taps gathered into rows two at a time, four filters by two taps per pass. */
    private static void weightGradient(float[] xp, int[] pos, int[] tap, int taps, int f, int len, float[][] dz, float[] dWeight,
                                       ConvScratch sc) {
        sc.taps = ConvScratch.grow(sc.taps, 2, len);
        final float[] t0 = sc.taps[0];
        final float[] t1 = sc.taps[1];
        for (int k = 0; k < taps; k += 2) {
            gatherRow(xp, tap[k], pos, len, t0);
            if (k + 1 < taps) {
                gatherRow(xp, tap[k + 1], pos, len, t1);
                int fi = 0;
                for (; fi + BLOCK <= f; fi += BLOCK) {
                    dots4x2(dz[fi], dz[fi + 1], dz[fi + 2], dz[fi + 3], t0, t1, len, dWeight, fi * taps + k, taps);
                }
                for (; fi < f; fi++) {
                    dots1x2(dz[fi], t0, t1, len, dWeight, fi * taps + k);
                }
            } else {
                for (int fi = 0; fi < f; fi++) {
                    dWeight[fi * taps + k] += VectorConvKernels.dot(dz[fi], t0, 0, len);
                }
            }
        }
    }

    /**
     * The pairs {@code ((du, dv), f)} of every residue class {@code (ry, rx)} in order (classes
     * row-major, taps {@code u = ry + S du}, {@code v = rx + S dv} row-major, then filters): their
     * offsets in {@code sc.padded2} relative to a class position ({@code sc.pairOffsets}) and the
     * weights {@code w[f, c, u, v]} for all channels {@code c} ({@code sc.rotated}); see the class comment.
     */
    private static void classSetup(int c, int f, int kh, int kw, int s, int oh, int ow, int g, float[] weight, ConvScratch sc) {
        final int area = kh * kw;
        final int cw = ow + (kw - 1) / s;
        final int front = (kh - 1) / s * cw + (kw - 1) / s;
        final int stride = front + roundUpToBlock(g * (oh + (kh - 1) / s) * cw);
        sc.pairOffsets = ConvScratch.grow(sc.pairOffsets, area * f);
        sc.rotated = ConvScratch.grow(sc.rotated, area * f * c);
        int pair = 0;
        for (int ry = 0; ry < s; ry++) {
            for (int rx = 0; rx < s; rx++) {
                for (int u = ry; u < kh; u += s) {
                    for (int v = rx; v < kw; v += s) {
                        for (int fi = 0; fi < f; fi++, pair++) {
                            sc.pairOffsets[pair] = fi * stride + front - (u / s) * cw - v / s;
                            for (int ci = 0; ci < c; ci++) {
                                sc.rotated[pair * c + ci] = weight[((fi * c + ci) * kh + u) * kw + v];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The input gradient of a group (sample 0 at {@code dy[dyOff]} and {@code dx[dxOff]}) as a tap
     * product per residue class of the padded input (see the class comment): {@code dy} in the class
     * layout, then per class, block of {@value #B} class positions and four channels the sums in
     * registers ({@link #classTile4}), each written once to its element of {@code dx}.
     */
    private static void inputGradient(float[] dy, int dyOff, int gn, int c, int h, int w, int f, int kh, int kw, int pad, int s,
                                      int oh, int ow, int g, ConvScratch sc, float[] dx, int dxOff) {
        final int positions = oh * ow;
        final int inSize = c * h * w;
        final int du = (kh - 1) / s;
        final int dv = (kw - 1) / s;
        final int cw = ow + dv;
        final int ch = oh + du;
        final int cp = ch * cw;
        final int front = du * cw + dv;
        final int stride = front + roundUpToBlock(g * cp);
        final int len = roundUpToBlock(gn * cp);
        // dy in the class layout: dz_f[front + m * CP + i * CW + j], zeros elsewhere
        sc.padded2 = ConvScratch.grow(sc.padded2, f * stride);
        final float[] z = sc.padded2;
        Arrays.fill(z, 0, f * stride, 0f);
        for (int fi = 0; fi < f; fi++) {
            for (int m = 0; m < gn; m++) {
                for (int i = 0; i < oh; i++) {
                    System.arraycopy(dy, dyOff + (m * f + fi) * positions + i * ow, z, fi * stride + front + m * cp + i * cw, ow);
                }
            }
        }
        // elements that no tap reaches stay zero
        Arrays.fill(dx, dxOff, dxOff + gn * inSize, 0f);
        sc.lanes = ConvScratch.grow(sc.lanes, BLOCK * B);
        sc.targets = ConvScratch.grow(sc.targets, len);
        final float[] t = sc.lanes;
        final int[] target = sc.targets;
        final int[] pairOff = sc.pairOffsets;
        final float[] wc = sc.rotated;
        int pairStart = 0;
        for (int ry = 0; ry < s; ry++) {
            for (int rx = 0; rx < s; rx++) {
                if (ry >= kh || rx >= kw) {
                    continue; // no tap reaches this class
                }
                final int pairs = ((kh - 1 - ry) / s + 1) * ((kw - 1 - rx) / s + 1) * f;
                // class position q = m * CP + a * CW + b is padded input (S a + ry, S b + rx): its offset in a sample's dx, or -1
                int filled = 0;
                for (int m = 0; m < gn; m++) {
                    for (int a = 0; a < ch; a++) {
                        final int y = s * a + ry - pad;
                        final boolean row = y >= 0 && y < h;
                        for (int b = 0, x = rx - pad; b < cw; b++, x += s) {
                            target[filled++] = row && x >= 0 && x < w ? m * inSize + y * w + x : -1;
                        }
                    }
                }
                Arrays.fill(target, filled, len, -1);
                for (int q0 = 0; q0 < len; q0 += B) {
                    for (int c0 = 0; c0 < c; c0 += BLOCK) {
                        final int cnt = Math.min(BLOCK, c - c0);
                        final int last = c0 + cnt - 1;
                        // a pass of fewer than four channels repeats its last channel and drops the copies
                        classTile4(z, pairOff, pairStart, pairs, wc, c, c0, Math.min(c0 + 1, last), Math.min(c0 + 2, last), last, q0, t);
                        for (int j = 0; j < cnt; j++) {
                            final int base = dxOff + (c0 + j) * h * w;
                            for (int q = 0; q < B; q++) {
                                int o = target[q0 + q];
                                if (o >= 0) {
                                    dx[base + o] = t[j * B + q];
                                }
                            }
                        }
                    }
                }
                pairStart += pairs;
            }
        }
    }

    /** {@code n} rounded up to a multiple of {@link #B}. */
    private static int roundUpToBlock(int n) {
        return (n + B - 1) / B * B;
    }

    /** {@link ConvLayout#padGroup} into {@code sc.padded}. */
    private static float[] padded(float[] x, int xOff, int gn, int c, int h, int w, int pad, ConvScratch sc) {
        sc.padded = ConvScratch.grow(sc.padded, gn * c * (h + 2 * pad) * (w + 2 * pad));
        ConvLayout.padGroup(x, xOff, gn, c, h, w, pad, sc.padded);
        return sc.padded;
    }

    /**
     * Fills {@code sc.positionOffsets} ({@code count} entries: the group's positions, then copies of
     * position 0) and {@code sc.tapOffsets} (one per tap) for a group of {@code gn} samples; see the
     * class comment.
     */
    private static void offsets(int gn, int c, int h, int w, int kh, int kw, int pad, int s, int oh, int ow, int count,
                                ConvScratch sc) {
        final int pw = w + 2 * pad;
        final int plane = (h + 2 * pad) * pw;
        sc.positionOffsets = ConvScratch.grow(sc.positionOffsets, count);
        sc.tapOffsets = ConvScratch.grow(sc.tapOffsets, c * kh * kw);
        final int[] pos = sc.positionOffsets;
        int p = 0;
        for (int m = 0; m < gn; m++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    pos[p++] = m * plane + s * i * pw + s * j;
                }
            }
        }
        Arrays.fill(pos, p, count, 0);
        final int[] tap = sc.tapOffsets;
        for (int ci = 0, k = 0; ci < c; ci++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, k++) {
                    tap[k] = ci * gn * plane + u * pw + v;
                }
            }
        }
    }

    /** {@code col[k * B + q] = xp[tap[k] + pos[p0 + q]]} for every tap and {@code q < B} (vector gathers). */
    private static void gatherPanel(float[] xp, int[] pos, int p0, int[] tap, int taps, float[] col) {
        for (int k = 0; k < taps; k++) {
            final int o = tap[k];
            final int r = k * B;
            FloatVector.fromArray(S, xp, o, pos, p0).intoArray(col, r);
            FloatVector.fromArray(S, xp, o, pos, p0 + L).intoArray(col, r + L);
        }
    }

    /** {@code t[p] = xp[o + pos[p]]} for {@code p < len}. */
    private static void gatherRow(float[] xp, int o, int[] pos, int len, float[] t) {
        final int end = len - len % L;
        for (int p = 0; p < end; p += L) {
            FloatVector.fromArray(S, xp, o, pos, p).intoArray(t, p);
        }
        for (int p = end; p < len; p++) {
            t[p] = xp[o + pos[p]];
        }
    }

    /**
     * Four filters ({@code fi..fi + 3}, weights from {@code wo}) by one block: eight accumulators,
     * each the bias and then one fused multiply-add per tap in order; written to {@code acc[fi + r][p0 ..]}.
     */
    private static void forward4(float[] col, int taps, float[] weight, int wo, float[] bias, int fi, float[][] acc, int p0) {
        FloatVector a0 = FloatVector.broadcast(S, bias[fi]);
        FloatVector a1 = a0;
        FloatVector b0 = FloatVector.broadcast(S, bias[fi + 1]);
        FloatVector b1 = b0;
        FloatVector c0 = FloatVector.broadcast(S, bias[fi + 2]);
        FloatVector c1 = c0;
        FloatVector d0 = FloatVector.broadcast(S, bias[fi + 3]);
        FloatVector d1 = d0;
        for (int k = 0; k < taps; k++) {
            FloatVector x0 = FloatVector.fromArray(S, col, k * B);
            FloatVector x1 = FloatVector.fromArray(S, col, k * B + L);
            FloatVector wv = FloatVector.broadcast(S, weight[wo + k]);
            a0 = x0.fma(wv, a0);
            a1 = x1.fma(wv, a1);
            wv = FloatVector.broadcast(S, weight[wo + taps + k]);
            b0 = x0.fma(wv, b0);
            b1 = x1.fma(wv, b1);
            wv = FloatVector.broadcast(S, weight[wo + 2 * taps + k]);
            c0 = x0.fma(wv, c0);
            c1 = x1.fma(wv, c1);
            wv = FloatVector.broadcast(S, weight[wo + 3 * taps + k]);
            d0 = x0.fma(wv, d0);
            d1 = x1.fma(wv, d1);
        }
        a0.intoArray(acc[fi], p0);
        a1.intoArray(acc[fi], p0 + L);
        b0.intoArray(acc[fi + 1], p0);
        b1.intoArray(acc[fi + 1], p0 + L);
        c0.intoArray(acc[fi + 2], p0);
        c1.intoArray(acc[fi + 2], p0 + L);
        d0.intoArray(acc[fi + 3], p0);
        d1.intoArray(acc[fi + 3], p0 + L);
    }

    /** {@link #forward4} for one filter (weights from {@code wo}, bias {@code b}), written to {@code a[p0 ..]}. */
    private static void forward1(float[] col, int taps, float[] weight, int wo, float b, float[] a, int p0) {
        FloatVector a0 = FloatVector.broadcast(S, b);
        FloatVector a1 = a0;
        for (int k = 0; k < taps; k++) {
            FloatVector wv = FloatVector.broadcast(S, weight[wo + k]);
            a0 = FloatVector.fromArray(S, col, k * B).fma(wv, a0);
            a1 = FloatVector.fromArray(S, col, k * B + L).fma(wv, a1);
        }
        a0.intoArray(a, p0);
        a1.intoArray(a, p0 + L);
    }

    /**
     * {@code out[o + r * stride + j] += sum_{p < len} g_r[p] * t_j[p]} for four filters' gradients
     * {@code g0..g3} and two tap rows {@code t0, t1}, in the order of the class comment.
     */
    private static void dots4x2(float[] g0, float[] g1, float[] g2, float[] g3, float[] t0, float[] t1, int len,
                                float[] out, int o, int stride) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector x0 = FloatVector.fromArray(S, t0, i);
            FloatVector x1 = FloatVector.fromArray(S, t1, i);
            FloatVector e = FloatVector.fromArray(S, g0, i);
            a0 = e.fma(x0, a0);
            a1 = e.fma(x1, a1);
            e = FloatVector.fromArray(S, g1, i);
            b0 = e.fma(x0, b0);
            b1 = e.fma(x1, b1);
            e = FloatVector.fromArray(S, g2, i);
            c0 = e.fma(x0, c0);
            c1 = e.fma(x1, c1);
            e = FloatVector.fromArray(S, g3, i);
            d0 = e.fma(x0, d0);
            d1 = e.fma(x1, d1);
        }
        float ra0 = VectorConvKernels.lanes(a0);
        float ra1 = VectorConvKernels.lanes(a1);
        float rb0 = VectorConvKernels.lanes(b0);
        float rb1 = VectorConvKernels.lanes(b1);
        float rc0 = VectorConvKernels.lanes(c0);
        float rc1 = VectorConvKernels.lanes(c1);
        float rd0 = VectorConvKernels.lanes(d0);
        float rd1 = VectorConvKernels.lanes(d1);
        for (int i = end; i < len; i++) {
            ra0 = Math.fma(g0[i], t0[i], ra0);
            ra1 = Math.fma(g0[i], t1[i], ra1);
            rb0 = Math.fma(g1[i], t0[i], rb0);
            rb1 = Math.fma(g1[i], t1[i], rb1);
            rc0 = Math.fma(g2[i], t0[i], rc0);
            rc1 = Math.fma(g2[i], t1[i], rc1);
            rd0 = Math.fma(g3[i], t0[i], rd0);
            rd1 = Math.fma(g3[i], t1[i], rd1);
        }
        out[o] += ra0;
        out[o + 1] += ra1;
        out[o + stride] += rb0;
        out[o + stride + 1] += rb1;
        out[o + 2 * stride] += rc0;
        out[o + 2 * stride + 1] += rc1;
        out[o + 3 * stride] += rd0;
        out[o + 3 * stride + 1] += rd1;
    }

    /** {@link #dots4x2} for one filter: {@code out[o + j] += sum_p g[p] * t_j[p]}. */
    private static void dots1x2(float[] g, float[] t0, float[] t1, int len, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        final int end = len - len % L;
        for (int i = 0; i < end; i += L) {
            FloatVector e = FloatVector.fromArray(S, g, i);
            a0 = e.fma(FloatVector.fromArray(S, t0, i), a0);
            a1 = e.fma(FloatVector.fromArray(S, t1, i), a1);
        }
        float ra0 = VectorConvKernels.lanes(a0);
        float ra1 = VectorConvKernels.lanes(a1);
        for (int i = end; i < len; i++) {
            ra0 = Math.fma(g[i], t0[i], ra0);
            ra1 = Math.fma(g[i], t1[i], ra1);
        }
        out[o] += ra0;
        out[o + 1] += ra1;
    }

    /**
     * {@code t[r * B + q] = sum_{i < pairs} wc[(pairStart + i) * C + c_r] * z[pairOff[pairStart + i] + q0 + q]} for
     * four channels {@code c_0..c_3} and one block of class positions: eight accumulators, the pairs
     * in order, one fused multiply-add each, from zero.
     */
    private static void classTile4(float[] z, int[] pairOff, int pairStart, int pairs, float[] wc, int c, int c0, int c1, int c2,
                                   int c3, int q0, float[] t) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        for (int i = pairStart; i < pairStart + pairs; i++) {
            final int o = pairOff[i] + q0;
            final int wb = i * c;
            FloatVector z0 = FloatVector.fromArray(S, z, o);
            FloatVector z1 = FloatVector.fromArray(S, z, o + L);
            FloatVector wv = FloatVector.broadcast(S, wc[wb + c0]);
            a0 = z0.fma(wv, a0);
            a1 = z1.fma(wv, a1);
            wv = FloatVector.broadcast(S, wc[wb + c1]);
            b0 = z0.fma(wv, b0);
            b1 = z1.fma(wv, b1);
            wv = FloatVector.broadcast(S, wc[wb + c2]);
            d0 = z0.fma(wv, d0);
            d1 = z1.fma(wv, d1);
            wv = FloatVector.broadcast(S, wc[wb + c3]);
            e0 = z0.fma(wv, e0);
            e1 = z1.fma(wv, e1);
        }
        a0.intoArray(t, 0);
        a1.intoArray(t, L);
        b0.intoArray(t, B);
        b1.intoArray(t, B + L);
        d0.intoArray(t, 2 * B);
        d1.intoArray(t, 2 * B + L);
        e0.intoArray(t, 3 * B);
        e1.intoArray(t, 3 * B + L);
    }
}
