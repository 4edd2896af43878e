package org.vitspark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.Forward;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.TransformerNetGradientTest;

/**
 * A sub-network cut from the supernet computes what the standalone model of its genome computes with the
 * same weights copied in element by element (double, 1e-12); its gradient, carried back into the supernet,
 * passes a finite-difference check, and every supernet entry outside the slices gets exactly zero.
 */
class SupernetSlicerTest {

    private final SearchSpace s = Spaces.tiny();
    // patch 2 (17 tokens), width 5 (the cyclic window wraps), blocks (2 heads, q/k/v 4, MLP 3) in slot 1 and
    // (1 head, q/k/v 2, MLP 5) in slot 2 with slot 0 identity: canonicalised to slots 0 and 1
    private final Genome genome = Genome.of(s, 0, 1, 2, 0, 0, 1, 1, 0, 0, 0, 1);

    /** The channel of the supernet's embedding axis that sub-network channel {@code i} reads. */
    private static int embedding(ChannelPolicy policy, SearchSpace s, Window.Side side, int i) {
        return policy.embedding(s, 1, side).indices()[i];
    }

    private static int aligned(int width, int max, Window.Side side, int i) {
        return side == Window.Side.LEFT ? i : max - width + i;
    }

    /** The standalone model's parameters written element by element from the supernet's, by the rules of D29. */
    private INDArray copiedByHand(ChannelPolicy policy, Window.Side side, INDArray sup, ModelSpec m, ParamLayout sl) {
        ParamLayout st = ParamLayout.of(m);
        INDArray out = Nd4j.create(DataType.DOUBLE, 1, st.total());
        int e = m.dim();
        int[] emb = new int[e];
        for (int i = 0; i < e; i++) {
            emb[i] = embedding(policy, s, side, i);
        }
        int p = m.patch();
        INDArray stem = sl.view(sup, "patch" + p + ".proj.weight");
        INDArray myStem = st.view(out, "patchEmbed.proj.weight");
        for (int o = 0; o < e; o++) {
            for (int y = 0; y < p; y++) {
                for (int x = 0; x < p; x++) {
                    myStem.putScalar(new long[] {o, 0, y, x}, stem.getDouble(emb[o], 0, y, x));
                }
            }
            st.view(out, "patchEmbed.proj.bias").putScalar(o, sl.view(sup, "patch" + p + ".proj.bias").getDouble(emb[o]));
            st.view(out, "clsToken").putScalar(new long[] {0, 0, o}, sl.view(sup, "patch" + p + ".clsToken")
                    .getDouble(0, 0, emb[o]));
            for (int t = 0; t < m.tokens(); t++) {
                st.view(out, "posEmbed").putScalar(new long[] {0, t, o}, sl.view(sup, "patch" + p + ".posEmbed")
                        .getDouble(0, t, emb[o]));
            }
            for (String n : new String[] {"norm.weight", "norm.bias"}) {
                st.view(out, n).putScalar(o, sl.view(sup, n).getDouble(emb[o]));
            }
            for (int c = 0; c < m.classes(); c++) {
                st.view(out, "head.weight").putScalar(new long[] {c, o}, sl.view(sup, "head.weight").getDouble(c, emb[o]));
            }
        }
        st.view(out, "head.bias").assign(sl.view(sup, "head.bias"));
        for (int k = 0; k < m.depth(); k++) {
            ModelSpec.Block b = m.block(k);
            int a = b.attnDim();
            int hid = b.mlpDim();
            String d = "blocks." + k + ".";
            String sv = "slots." + k + ".";
            for (int o = 0; o < e; o++) {
                for (String n : new String[] {"norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
                    "attn.proj.bias", "mlp.fc2.bias"}) {
                    st.view(out, d + n).putScalar(o, sl.view(sup, sv + n).getDouble(emb[o]));
                }
            }
            String[] qkv = {sv + "attn.q" + b.heads(), sv + "attn.k" + b.heads(), sv + "attn.v"};
            for (int j = 0; j < 3; j++) {
                for (int r = 0; r < a; r++) {
                    int sr = aligned(a, s.maxAttnDim(), side, r);
                    st.view(out, d + "attn.qkv.bias").putScalar(j * a + r, sl.view(sup, qkv[j] + ".bias").getDouble(sr));
                    for (int o = 0; o < e; o++) {
                        st.view(out, d + "attn.qkv.weight").putScalar(new long[] {j * a + r, o},
                                sl.view(sup, qkv[j] + ".weight").getDouble(sr, emb[o]));
                        st.view(out, d + "attn.proj.weight").putScalar(new long[] {o, r},
                                sl.view(sup, sv + "attn.proj.weight").getDouble(emb[o], sr));
                    }
                }
            }
            for (int r = 0; r < hid; r++) {
                int sr = aligned(hid, s.maxMlpDim(), side, r);
                st.view(out, d + "mlp.fc1.bias").putScalar(r, sl.view(sup, sv + "mlp.fc1.bias").getDouble(sr));
                for (int o = 0; o < e; o++) {
                    st.view(out, d + "mlp.fc1.weight").putScalar(new long[] {r, o},
                            sl.view(sup, sv + "mlp.fc1.weight").getDouble(sr, emb[o]));
                    st.view(out, d + "mlp.fc2.weight").putScalar(new long[] {o, r},
                            sl.view(sup, sv + "mlp.fc2.weight").getDouble(emb[o], sr));
                }
            }
        }
        return out;
    }

    private static INDArray randomSupernet(ParamLayout l, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, 1, l.total()).muli(0.5);
    }

    @ParameterizedTest
    @EnumSource(ChannelPolicy.class)
    void slicedLogitsEqualTheStandaloneModelWithCopiedWeights(ChannelPolicy policy) {
        SupernetSlicer slicer = new SupernetSlicer(s, policy);
        INDArray sup = randomSupernet(slicer.supernet(), 3);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 4, 1, 8, 8);
        for (Window.Side side : Window.Side.values()) {
            SupernetSlicer.Subnet n = slicer.subnet(genome, side);
            assertEquals(genome.canonical(s), n.genome());
            assertEquals(2, n.spec().depth());
            // the pieces cover the standalone vector exactly once
            long covered = 0;
            for (SupernetSlicer.Piece p : n.pieces()) {
                long[] src = SupernetSlicer.shape2d(slicer.supernet().entry(p.src()));
                long rows = p.rows() == null ? src[0] : p.rows().width();
                long cols = p.cols() == null ? src[1] : p.cols().width();
                covered += rows * cols;
            }
            assertEquals(n.layout().total(), covered);
            INDArray byHand = copiedByHand(policy, side, sup, n.spec(), slicer.supernet());
            INDArray sliced = slicer.gather(n, sup);
            assertEquals(0.0, sliced.sub(byHand).amaxNumber().doubleValue(), 0.0);
            TransformerNet standalone = new TransformerNet(n.spec());
            INDArray expected = standalone.forward(byHand, images, false, 0, false).logits();
            INDArray actual = new TransformerNet(n.spec()).forward(sliced, images, false, 0, false).logits();
            assertTrue(actual.sub(expected).amaxNumber().doubleValue() <= 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelPolicy.class)
    void supernetGradientPassesAFiniteDifferenceCheckAndIsZeroOutsideTheSlices(ChannelPolicy policy) {
        SupernetSlicer slicer = new SupernetSlicer(s, policy);
        ParamLayout l = slicer.supernet();
        INDArray sup = randomSupernet(l, 5);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 3, 1, 8, 8);
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 3, 3);
        // BCNet's step: the two alignments' logits summed, one loss (here Σ logits ⊙ R)
        Function<INDArray, Double> loss = p -> {
            double total = 0;
            for (Window.Side side : policy.sides()) {
                SupernetSlicer.Subnet n = slicer.subnet(genome, side);
                total += new TransformerNet(n.spec()).forward(slicer.gather(n, p), images, false, 0, false).logits()
                        .mul(weights).sumNumber().doubleValue();
            }
            return total;
        };
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, l.total());
        boolean[] touched = new boolean[(int) l.total()];
        for (Window.Side side : policy.sides()) {
            SupernetSlicer.Subnet n = slicer.subnet(genome, side);
            TransformerNet net = new TransformerNet(n.spec());
            INDArray sub = slicer.gather(n, sup);
            Forward f = net.forward(sub, images, false, 0, true);
            INDArray subGrads = Nd4j.zeros(DataType.DOUBLE, 1, n.layout().total());
            net.backward(sub, f, weights, subGrads, false);
            slicer.scatterAdd(n, subGrads, grads);
            // which supernet entries the slices read: gather an index ramp
            INDArray ramp = Nd4j.arange(0, l.total()).castTo(DataType.DOUBLE).reshape(1, l.total());
            INDArray read = slicer.gather(n, ramp);
            for (long i = 0; i < read.length(); i++) {
                touched[(int) read.getDouble(i)] = true;
            }
        }
        SplittableRandom r = new SplittableRandom(9);
        double worst = 0;
        int zeros = 0;
        for (int i = 0; i < l.total(); i++) {
            if (!touched[i]) {
                assertEquals(0.0, grads.getDouble(i), 0.0, "untouched entry " + i + " has a gradient");
                zeros++;
            } else if (r.nextInt(4) == 0) {
                double numeric = TransformerNetGradientTest.centralDifference(loss, sup, i, 1e-5);
                double analytic = grads.getDouble(i);
                double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
                if (scale > 1e-6) {
                    worst = Math.max(worst, Math.abs(numeric - analytic) / scale);
                }
            }
        }
        System.out.printf("%s: largest relative error %.2e; %d of %d supernet entries untouched (zero gradient)%n",
                policy, worst, zeros, l.total());
        assertTrue(worst <= 1e-5, "relative error " + worst);
        assertTrue(zeros > l.total() / 3, "most of the supernet lies outside one genome's slices");
    }

    /**
     * Every element of every sub-network is written, from distinct supernet entries, for 200 genomes of the
     * experiment's space in both alignments (a regression test: ND4J's 2-D interval view of an offset view came
     * back empty for some offsets, which the tiny space did not hit).
     */
    @Test
    void everySampledGenomeOfTheExperimentsSpaceIsCutCompletely() {
        SearchSpace f = Spaces.fashion();
        for (ChannelPolicy policy : ChannelPolicy.values()) {
            SupernetSlicer slicer = new SupernetSlicer(f, policy);
            INDArray ramp = Nd4j.arange(1, slicer.supernet().total() + 1).castTo(DataType.DOUBLE)
                    .reshape(1, slicer.supernet().total());
            GenomeSampler sampler = new GenomeSampler(f, 0.4);
            for (int step = 0; step < 200; step++) {
                Genome g = sampler.atStep(1, step);
                for (Window.Side side : policy.sides()) {
                    INDArray read = slicer.gather(slicer.subnet(g, side), ramp);
                    double[] v = read.toDoubleVector();
                    // the ramp's values are the integers 1..total, exact in double: a bit set finds repeats
                    // in linear time
                    java.util.BitSet seen = new java.util.BitSet();
                    for (double x : v) {
                        // messages built only on failure: describing the genome per element cost minutes
                        if (x <= 0) {
                            fail(g.describe(f) + " " + side + ": an element was not written");
                        }
                        if (seen.get((int) x)) {
                            fail(g.describe(f) + " " + side + ": an entry read twice");
                        }
                        seen.set((int) x);
                    }
                }
            }
        }
    }
}
