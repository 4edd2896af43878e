package org.vitspark.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central-difference gradient check of the hand-written backward pass, in double precision, for every
 * parameter of small ViTs (class token, GAP, blocks of different shapes) and a Mixer, with dropout and drop path active (fixed
 * masks) and the input gradient included. Largest relative error per layer type must be ≤ 1e-5.
 */
public class TransformerNetGradientTest {

    // 1e-5 balances truncation (O(eps²)) against round-off (1e-16·|loss|/eps) in double precision.
    private static final double EPS = 1e-5;
    private static final double MAX_REL = 1e-5;
    private static final double MIN_ABS = 1e-9;

    public static ModelSpec spec(String kind) {
        ModelSpec vit = new ModelSpec("check", ModelSpec.Family.VIT, 8, 2, 3, 4, 8, 2, 2, 12, 0,
                ModelSpec.Pooling.CLS, 0.2, 0.3, true);
        return switch (kind) {
            case "vit-cls" -> vit;
            case "vit-gap-nobias" -> vit.toBuilder().pooling(ModelSpec.Pooling.GAP).qkvBias(false).build();
            // blocks of their own shapes (a searched architecture): q/k/v widths other than the embedding's
            case "vit-blocks" -> vit.toBuilder().blocks(java.util.List.of(new ModelSpec.Block(2, 4, 6),
                    new ModelSpec.Block(3, 12, 10))).build();
            case "mixer" -> new ModelSpec("check", ModelSpec.Family.MIXER, 8, 2, 3, 4, 8, 2, 1, 12, 6,
                    ModelSpec.Pooling.GAP, 0.2, 0.3, true);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Which layer type a parameter belongs to, for the per-type report. */
    static String group(String name) {
        if (name.startsWith("patchEmbed") || name.startsWith("stem")) return "patch embedding";
        if (name.equals("posEmbed") || name.equals("clsToken")) return "position/class token";
        if (name.contains(".attn.")) return "attention";
        if (name.contains("mlpTokens")) return "token mixing";
        if (name.contains("mlp")) return "MLP";
        if (name.contains("norm")) return "LayerNorm";
        return "head";
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit-cls", "vit-gap-nobias", "vit-blocks", "mixer"})
    void analyticGradientsMatchFiniteDifferences(String kind) {
        Nd4j.getRandom().setSeed(7);
        ModelSpec m = spec(kind);
        TransformerNet net = new TransformerNet(m);
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, net.layout().total()).muli(0.5);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 3, m.channels(), m.imageSize(), m.imageSize());
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 3, m.classes());
        long dropSeed = 11;
        // loss = Σ logits ⊙ R, so dLoss/dLogits = R
        Function<INDArray, Double> loss = p -> net.forward(p, images, true, dropSeed, false).logits().mul(weights)
                .sumNumber().doubleValue();

        Forward f = net.forward(params, images, true, dropSeed, true);
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, net.layout().total());
        INDArray dImages = net.backward(params, f, weights, grads, true);

        Map<String, Double> worst = new LinkedHashMap<>();
        for (ParamLayout.Entry e : net.layout().entries()) {
            for (long i = e.offset(); i < e.offset() + e.length(); i++) {
                double numeric = centralDifference(loss, params, i, EPS);
                worst.merge(group(e.name()), relError(grads.getDouble(0, i), numeric), Math::max);
            }
        }
        for (long i = 0; i < images.length(); i += 7) {
            double numeric = centralDifference(x -> loss.apply(params), images, i, EPS);
            worst.merge("input", relError(dImages.getDouble(i), numeric), Math::max);
        }
        System.out.println(kind + " largest relative error per layer type: " + worst);
        worst.forEach((group, err) -> assertTrue(err <= MAX_REL, kind + " " + group + ": " + err));
    }

    /** (f(x + eps·e_i) − f(x − eps·e_i)) / 2eps, changing element {@code i} of {@code x} in place and back. */
    public static double centralDifference(Function<INDArray, Double> f, INDArray x, long i, double eps) {
        double orig = x.getDouble(i);
        x.putScalar(i, orig + eps);
        double up = f.apply(x);
        x.putScalar(i, orig - eps);
        double down = f.apply(x);
        x.putScalar(i, orig);
        return (up - down) / (2 * eps);
    }

    /**
     * Relative error, as DL4J's GradientCheckUtil defines it: entries whose absolute difference is below
     * {@link #MIN_ABS} count as exact only when they are also tiny gradients (|g| < 1e-6), so the report
     * still shows the real relative error of every gradient that matters.
     */
    static double relError(double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        if (diff < MIN_ABS && scale < 1e-6) {
            return 0.0;
        }
        return diff / scale;
    }
}
