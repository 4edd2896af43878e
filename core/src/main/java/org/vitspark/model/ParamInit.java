package org.vitspark.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.rng.Rng;

/**
 * timm's ViT/Mixer initialisation: linears and the position embedding truncated normal (σ 0.02, cut at
 * ±2σ), the patch embedding Xavier-uniform over its flattened [D, C·p·p] (as big_vision/timm 'jax' do),
 * biases and the class token zero, LayerNorm gains one. Each tensor draws from its own generator derived
 * from (seed, tensor name), so adding a tensor does not reshuffle the others.
 */
public final class ParamInit {

    static final double STD = 0.02;

    private ParamInit() {
    }

    public static void initialize(ParamLayout layout, INDArray flat, long seed) {
        for (ParamLayout.Entry e : layout.entries()) {
            INDArray view = layout.view(flat, e.name());
            switch (e.init()) {
                case ZEROS -> view.assign(0);
                case ONES -> view.assign(1);
                case TRUNC_NORMAL -> view.assign(values(e, seed, STD, true));
                case XAVIER_UNIFORM -> {
                    long fanOut = e.shape()[0];
                    long fanIn = e.length() / fanOut;
                    view.assign(values(e, seed, Math.sqrt(6.0 / (fanIn + fanOut)), false));
                }
            }
        }
    }

    private static INDArray values(ParamLayout.Entry e, long seed, double scale, boolean normal) {
        SplittableRandom r = Rng.of(seed, e.name().hashCode());
        double[] v = new double[Math.toIntExact(e.length())];
        for (int i = 0; i < v.length; i++) {
            v[i] = normal ? truncatedNormal(r) * scale : (2 * r.nextDouble() - 1) * scale;
        }
        return Nd4j.createFromArray(v).reshape('c', e.shape());
    }

    /** Standard normal conditioned on |x| ≤ 2 (rejection sampling; accepts 95% of draws). */
    private static double truncatedNormal(SplittableRandom r) {
        while (true) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            double x = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
            if (Math.abs(x) <= 2) {
                return x;
            }
        }
    }
}
