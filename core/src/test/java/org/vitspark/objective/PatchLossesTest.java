package org.vitspark.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.augment.MixedTargets;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.TransformerNetGradientTest;

/** The patch losses on hand-computed cases. */
class PatchLossesTest {

    private static INDArray tokens(double[][]... images) {
        return Nd4j.createFromArray(images).castTo(DataType.DOUBLE);
    }

    @Test
    void cosineIsOneForIdenticalTokensAndZeroForOrthogonalOnesWithNoDiagonal() {
        PatchTokens.Value same = PatchCosine.of(tokens(new double[][] {{1, 2, 2}, {1, 2, 2}, {2, 4, 4}}), true, 1);
        assertEquals(1.0, same.loss(), 1e-12);
        // two orthogonal tokens: 0 (with the diagonal counted it would be 0.5), and |x|'s subgradient at 0 is 0
        PatchTokens.Value orthogonal = PatchCosine.of(tokens(new double[][] {{1, 0, 0}, {0, 3, 0}}), true, 1);
        assertEquals(0.0, orthogonal.loss(), 1e-12);
        assertEquals(0.0, orthogonal.dTokens().norm2Number().doubleValue(), 1e-12);
        // opposite tokens: |cos| = 1
        assertEquals(1.0, PatchCosine.of(tokens(new double[][] {{1, 1, 0}, {-2, -2, 0}}), false, 1).loss(), 1e-12);
        // mean over the batch: an identical pair and an orthogonal pair give 0.5
        assertEquals(0.5, PatchCosine.of(tokens(new double[][] {{1, 0}, {1, 0}}, new double[][] {{1, 0}, {0, 1}}),
                false, 1).loss(), 1e-12);
    }

    @Test
    void aZeroTokenGivesFiniteLossAndGradient() {
        PatchTokens.Value v = PatchCosine.of(tokens(new double[][] {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}}), true, 1);
        // only the pair (1,0,0)·(1,1,0) counts: |cos| = 1/√2 twice over 6 ordered pairs
        assertEquals(2 / Math.sqrt(2) / 6, v.loss(), 1e-12);
        assertTrue(Double.isFinite(v.dTokens().norm2Number().doubleValue()));
        PatchTokens.Value c = PatchContrastive.of(tokens(new double[][] {{0, 0, 0}, {1, 0, 0}}),
                tokens(new double[][] {{0, 0, 0}, {0, 1, 0}}), true, 1);
        assertTrue(Double.isFinite(c.loss()) && Double.isFinite(c.dTokens().norm2Number().doubleValue()));
    }

    @Test
    void contrastiveIsSoftplusOfNegativeMinusPositiveCosine() {
        // anchors e1, e2; tokens e1 (positive cos 1, other mean e2 → negative cos 0) and e1+e2
        INDArray anchors = tokens(new double[][] {{1, 0}, {0, 1}});
        INDArray h = tokens(new double[][] {{1, 0}, {1, 1}});
        double p0 = 1;
        double q0 = 1 / Math.sqrt(2);      // cos(e1, e1+e2)
        double p1 = 1 / Math.sqrt(2);      // cos(e2, e1+e2)
        double q1 = 0;                     // cos(e2, e1)
        double expected = (Math.log1p(Math.exp(q0 - p0)) + Math.log1p(Math.exp(q1 - p1))) / 2;
        assertEquals(expected, PatchContrastive.of(anchors, h, false, 1).loss(), 1e-12);
    }

    @Test
    void mixingWithAnAllOwnOrAllPartnerMaskIsPlainCrossEntropyOnThePatchHead() {
        ModelSpec m = TransformerNetGradientTest.spec("vit-cls");     // 4 patches, 3 classes, dim 8
        PatchMixing mixing = new PatchMixing(m, 0.1);
        ParamLayout layout = ParamLayout.of(m, mixing.params());
        Nd4j.getRandom().setSeed(2);
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, layout.total()).muli(0.5);
        Map<String, INDArray> own = new LinkedHashMap<>();
        mixing.params().forEach(e -> own.put(e.name(), layout.view(params, e.name())));
        Forward f = new TransformerNet(m).forward(params, Nd4j.rand(DataType.DOUBLE, 2, 2, 8, 8), false, 0, true);
        INDArray h = PatchTokens.of(f.finalNorm(), m).reshape('c', 8, 8);
        INDArray logits = h.mmul(own.get(PatchMixing.WEIGHT).transpose()).addiRowVector(own.get(PatchMixing.BIAS));
        float[][] labels = {{1, 0, 0}, {0, 0, 1}};
        for (boolean fromPartner : new boolean[] {false, true}) {
            boolean[] mask = {fromPartner, fromPartner, fromPartner, fromPartner};
            INDArray targets = Nd4j.createFromArray(new float[][] {
                MixedTargets.pack(labels[fromPartner ? 1 : 0], labels[0], labels[1], mask),
                MixedTargets.pack(labels[fromPartner ? 0 : 1], labels[1], labels[0], mask)}).castTo(DataType.DOUBLE);
            INDArray perPatch = Nd4j.create(DataType.DOUBLE, 8, 3);
            for (int i = 0; i < 8; i++) {
                int image = i / 4;
                perPatch.putRow(i, Nd4j.createFromArray(labels[fromPartner ? 1 - image : image]).castTo(DataType.DOUBLE));
            }
            double expected = SoftTargetCrossEntropy.mean(logits, perPatch, 0.1);
            assertEquals(expected, mixing.evaluate(f, targets, own, null, null, 1).loss(), 1e-12,
                    fromPartner ? "all patches from the partner" : "all patches own");
        }
    }

    @Test
    void patchLossesPutTheirGradientAtTheFinalNormTokensOnly() {
        ModelSpec m = TransformerNetGradientTest.spec("vit-cls");
        Forward f = new TransformerNet(m).forward(Nd4j.randn(DataType.DOUBLE, 1, ParamLayout.of(m).total()),
                Nd4j.rand(DataType.DOUBLE, 2, 2, 8, 8), true, 3, true, true);
        for (PatchContrastive.Anchor a : PatchContrastive.Anchor.values()) {
            IntermediateGradients d = new IntermediateGradients(m.depth());
            new PatchContrastive(m, a).evaluate(f, null, Map.of(), Map.of(), d, 1);
            assertTrue(d.get(IntermediateGradients.Site.FINAL_NORM) != null, a.key);
            assertEquals(null, d.get(IntermediateGradients.Site.EMBEDDED), a.key + ": nothing into the anchor");
            assertEquals(null, d.get(IntermediateGradients.Site.PATCH_EMBED), a.key + ": nothing into the anchor");
            assertEquals(null, d.blockTokens(0), a.key + ": nothing into the anchor");
            INDArray atClassToken = d.get(IntermediateGradients.Site.FINAL_NORM)
                    .get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0));
            assertEquals(0.0, atClassToken.norm2Number().doubleValue(), 0.0, a.key + ": the class token is no patch");
        }
    }
}
