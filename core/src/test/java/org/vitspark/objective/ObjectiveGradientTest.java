package org.vitspark.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.TransformerNetGradientTest;

/**
 * Central-difference gradient checks, in double precision, of objectives whose gradients enter the
 * backward pass at intermediates: one on intermediate tokens only (patch embedding, embedded tokens,
 * every block's output, attention, final-norm tokens, pooled features; no logits), one on logits plus
 * tokens (cross-entropy with label smoothing + the token probe at weight 0.5), and one that owns tensors
 * (a second classifier on the pooled features, appended to the flat parameter vector). Every tensor, the
 * model's and the objective's, is checked ({@link #checked}: all of a small one, 18 elements of a larger
 * one), with dropout and drop path active.
 */
class ObjectiveGradientTest {

    private static final double EPS = 1e-5;
    private static final double MAX_REL = 1e-5;
    private static final double MIN_ABS = 1e-9;
    private static final int EDGE = 3;
    private static final int SAMPLED = 12;

    /** The gradient check's small models: ViT with class token, ViT with GAP (no qkv bias), Mixer. */
    static ModelSpec spec(String kind) {
        return TransformerNetGradientTest.spec(kind);
    }

    static Objective objective(String kind, ModelSpec m) {
        String probe = TokenProbe.class.getName() + ":0.5:seed=3";
        String spec = switch (kind) {
            case "tokens-only" -> TokenProbe.class.getName() + ":1.0:seed=3";
            case "logits+tokens" -> "ce:1.0:smoothing=0.1;" + probe;
            case "own-params" -> "ce:1.0:smoothing=0.1;" + PooledProbe.class.getName() + ":0.7:";
            default -> throw new IllegalArgumentException(kind);
        };
        return Objectives.build(ObjectiveSpec.decode(spec), m);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"tokens-only,vit-cls", "tokens-only,vit-gap-nobias", "tokens-only,mixer", "logits+tokens,vit-cls",
        "logits+tokens,mixer", "own-params,vit-gap-nobias"})
    void injectedGradientsMatchFiniteDifferences(String kind, String model) {
        Nd4j.getRandom().setSeed(7);
        ModelSpec m = spec(model);
        Objective obj = objective(kind, m);
        TransformerNet net = new TransformerNet(m);
        ParamLayout layout = ParamLayout.of(m, obj.params());
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, layout.total()).muli(0.5);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 3, m.channels(), m.imageSize(), m.imageSize());
        INDArray targets = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 0.3, 0.7}, {0, 1, 0}});
        long dropSeed = 11;
        Function<INDArray, Double> loss = p -> obj.evaluate(net.forward(p, images, true, dropSeed, true, true),
                targets, own(layout, obj, p), null, null, 1.0).loss();

        Forward f = net.forward(params, images, true, dropSeed, true, true);
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, layout.total());
        IntermediateGradients d = new IntermediateGradients(m.depth());
        ObjectiveValue v = obj.evaluate(f, targets, own(layout, obj, params), own(layout, obj, grads), d, 1.0);
        assertEquals(loss.apply(params), v.loss(), 1e-12, "loss with and without gradients");
        if (kind.equals("tokens-only")) {
            assertEquals(null, d.get(IntermediateGradients.Site.LOGITS), "the probe puts no gradient on the logits");
        }
        net.backward(params, f, d, grads, false);

        Map<String, Double> worst = new LinkedHashMap<>();
        List<String> failures = compare(layout, grads, params, loss, worst, 0);
        System.out.println(kind + " on " + model + ": largest relative error per tensor " + worst);
        assertEquals(List.of(), failures, kind + " " + model);
        if (kind.equals("own-params")) {
            assertTrue(worst.containsKey("objective"), "the objective's own tensors were checked");
        }
    }

    /**
     * Central differences against {@code grads} at the {@link #checked} elements of every tensor: returns the
     * failures and records in {@code worst} the largest relative error per tensor group (block indices as
     * {@code *}, the objective's own tensors as "objective"), over elements whose numeric gradient exceeds
     * {@code floor} in magnitude.
     */
    private static List<String> compare(ParamLayout layout, INDArray grads, INDArray params,
                                        Function<INDArray, Double> loss, Map<String, Double> worst, double floor) {
        List<String> failures = new java.util.ArrayList<>();
        for (ParamLayout.Entry e : layout.entries()) {
            String group = e.name().startsWith("objective.") ? "objective" : e.name().replaceAll("\\.\\d+\\.", ".*.");
            for (long i : checked(e)) {
                double analytic = grads.getDouble(0, i);
                double numeric = TransformerNetGradientTest.centralDifference(loss, params, i, EPS);
                double diff = Math.abs(analytic - numeric);
                double rel = diff == 0 ? 0 : diff / Math.max(Math.abs(analytic), Math.abs(numeric));
                worst.merge(group, Math.abs(numeric) > floor ? rel : 0, Math::max);
                // DL4J GradientCheckUtil's rule: a relative error, or an absolute difference below 1e-9 (central
                // differences carry ~1e-10 of round-off, a large relative error only for gradients near zero:
                // seen 1.03487e-5 vs 1.03486e-5 on a qkv weight, and the k bias, whose gradient is exactly 0)
                if (rel > MAX_REL && diff >= MIN_ABS) {
                    failures.add(e.name() + "[" + (i - e.offset()) + "]: " + analytic + " vs " + numeric);
                }
            }
        }
        return failures;
    }

    /**
     * The flat indices checked in one tensor: all of a small one; of a larger one its first and last
     * {@value #EDGE} elements and {@value #SAMPLED} more drawn without repeats (seeded by its offset). Every
     * tensor is reached, so a wrong injection site or a missing term still shows; checking every element of
     * every tensor took over 5 minutes on a 2 GHz machine, and the model's own backward pass is checked
     * element by element in TransformerNetGradientTest.
     */
    static long[] checked(ParamLayout.Entry e) {
        if (e.length() <= 2 * EDGE + SAMPLED) {
            return java.util.stream.LongStream.range(e.offset(), e.offset() + e.length()).toArray();
        }
        java.util.TreeSet<Long> picked = new java.util.TreeSet<>();
        for (long i = 0; i < EDGE; i++) {
            picked.add(e.offset() + i);
            picked.add(e.offset() + e.length() - 1 - i);
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(e.offset());
        while (picked.size() < 2 * EDGE + SAMPLED) {
            picked.add(e.offset() + random.nextLong(e.length()));
        }
        return picked.stream().mapToLong(Long::longValue).toArray();
    }

    private static Map<String, INDArray> own(ParamLayout layout, Objective obj, INDArray flat) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        for (ParamLayout.Extra e : obj.params()) {
            views.put(e.name(), layout.view(flat, e.name()));
        }
        return views;
    }

    /** Packed targets of 3 images with 4 patches and 3 classes: own labels 0, 1, 2, partners reversed, CutMix masks. */
    static INDArray packedTargets() {
        float[][] own = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        boolean[][] masks = {{true, false, false, false}, {false, false, false, false}, {true, true, false, true}};
        float[][] rows = new float[3][];
        for (int i = 0; i < 3; i++) {
            float[] partner = own[2 - i];
            float fromPartner = 0;
            for (boolean b : masks[i]) {
                fromPartner += b ? 0.25f : 0;
            }
            float[] mixed = new float[3];
            for (int c = 0; c < 3; c++) {
                mixed[c] = (1 - fromPartner) * own[i][c] + fromPartner * partner[c];
            }
            rows[i] = org.vitspark.augment.MixedTargets.pack(mixed, own[i], partner, masks[i]);
        }
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE);
    }

    /**
     * The three patch losses alone and combined with cross-entropy, through the whole network. The
     * contrastive anchor is detached, so the finite differences hold it at the unperturbed pass's value
     * (perturbing a weight would otherwise move the anchor too, which the loss's gradient rightly ignores).
     */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"patch_cosine:1.0:,vit-cls", "patch_cosine:1.0:,mixer", "patch_contrastive:1.0:anchor=embed,vit-cls",
        "patch_contrastive:1.0:anchor=embed+pos,vit-gap-nobias", "patch_contrastive:1.0:anchor=block1,vit-cls",
        "patch_mixing:1.0:smoothing=0.1,vit-cls", "patch_mixing:1.0:smoothing=0.1,mixer",
        "'ce:1.0:smoothing=0.1;patch_cosine:0.5:;patch_contrastive:0.7:anchor=embed+pos;patch_mixing:1.3:smoothing=0.1',vit-cls"})
    void patchLossesMatchFiniteDifferences(String objective, String model) {
        Nd4j.getRandom().setSeed(9);
        ModelSpec m = spec(model);
        ObjectiveSpec spec = ObjectiveSpec.decode(objective);
        Objective obj = Objectives.build(spec, m);
        ObjectiveSpec.Term contrastive = spec.terms().stream().filter(t -> t.name().equals(PatchContrastive.NAME))
                .findFirst().orElse(null);
        List<ObjectiveSpec.Term> others = spec.terms().stream().filter(t -> t != contrastive).toList();
        Objective rest = others.isEmpty() ? null : Objectives.build(new ObjectiveSpec(others), m);
        TransformerNet net = new TransformerNet(m);
        ParamLayout layout = ParamLayout.of(m, obj.params());
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, layout.total()).muli(0.5);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 3, m.channels(), m.imageSize(), m.imageSize());
        INDArray targets = packedTargets();
        long dropSeed = 13;
        Forward f0 = net.forward(params, images, true, dropSeed, true, true);
        INDArray anchor0 = contrastive == null ? null
                : ((PatchContrastive) Objectives.build(new ObjectiveSpec(List.of(new ObjectiveSpec.Term(
                        contrastive.name(), 1.0, contrastive.options()))), m)).anchor(f0).dup();
        Function<INDArray, Double> loss = p -> {
            Forward f = net.forward(p, images, true, dropSeed, true, true);
            double l = rest == null ? 0 : rest.evaluate(f, targets, own(layout, obj, p), null, null, 1.0).loss();
            if (contrastive != null) {
                l += contrastive.weight() * PatchContrastive.of(anchor0, PatchTokens.of(f.finalNorm(), m), false, 1).loss();
            }
            return l;
        };
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, layout.total());
        IntermediateGradients d = new IntermediateGradients(m.depth());
        obj.evaluate(f0, targets, own(layout, obj, params), own(layout, obj, grads), d, 1.0);
        if (contrastive != null) {
            assertEquals(null, d.get(IntermediateGradients.Site.EMBEDDED), "no gradient into the anchor");
            assertEquals(null, d.get(IntermediateGradients.Site.PATCH_EMBED), "no gradient into the anchor");
            assertEquals(null, d.blockTokens(0), "no gradient into the anchor");
        }
        net.backward(params, f0, d, grads, false);
        Map<String, Double> worstByTensor = new LinkedHashMap<>();
        List<String> failures = compare(layout, grads, params, loss, worstByTensor, 1e-6);
        double worst = worstByTensor.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        System.out.println(objective + " on " + model + ": largest relative error where |gradient| > 1e-6: " + worst
                + ", gradient norm " + grads.norm2Number());
        assertTrue(grads.norm2Number().doubleValue() > 1e-3, "the loss reaches the parameters");
        assertEquals(List.of(), failures.size() > 10 ? failures.subList(0, 10) : failures, objective + " " + model);
    }

    @org.junit.jupiter.api.Test
    void specRoundTripsAndNamesUnknownObjectives() {
        ObjectiveSpec s = ObjectiveSpec.decode("ce:1.0:smoothing=0.1;" + TokenProbe.class.getName() + ":0.5:seed=3");
        assertEquals(s, ObjectiveSpec.decode(s.encode()));
        assertEquals(List.of("ce", TokenProbe.class.getName()), s.terms().stream().map(ObjectiveSpec.Term::name).toList());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Objectives.build(ObjectiveSpec.decode("cosine:1.0:"), spec("vit-cls")));
        assertTrue(e.getMessage().contains("unknown objective \"cosine\""), e.getMessage());
        assertTrue(Objectives.build(ObjectiveSpec.crossEntropy(0.1), spec("vit-cls")) instanceof CrossEntropy,
                "a lone weight-1 term is used as is");
    }
}
