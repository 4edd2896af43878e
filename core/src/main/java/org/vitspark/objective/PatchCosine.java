package org.vitspark.objective;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ModelSpec;

/**
 * The patch-wise cosine loss of Gong et al. 2021 ("Vision Transformers with Patch Diversification"):
 * P = 1/(n(n−1)) Σ_{i≠j} |cos(h_i, h_j)| over an image's n patch tokens, averaged over the batch. The
 * authors' released code does not contain it; this is the paper's formula. The tokens are the final
 * LayerNorm's output (the tensor the released code's other two losses use), the class token and the
 * diagonal are left out, a zero-norm token has no direction (its cosines are 0, its gradient finite), and
 * |·| has subgradient 0 at 0.
 */
public final class PatchCosine implements Objective {

    public static final String NAME = "patch_cosine";

    private final ModelSpec m;

    public PatchCosine(ModelSpec m) {
        if (m.patchTokens() < 2) {
            throw new IllegalArgumentException("the patch cosine loss needs at least 2 patches, the model has "
                    + m.patchTokens());
        }
        this.m = m;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own,
                                   Map<String, INDArray> ownGrads, IntermediateGradients grads, double scale) {
        PatchTokens.Value v = of(PatchTokens.of(f.finalNorm(), m), grads != null, scale);
        if (grads != null) {
            grads.add(IntermediateGradients.Site.FINAL_NORM, PatchTokens.scatter(v.dTokens(), m));
        }
        return new ObjectiveValue(scale * v.loss(), Map.of(NAME, v.loss()));
    }

    /** The loss on patch tokens h [B, n, D], and with {@code gradient} scale · dL/dh. */
    static PatchTokens.Value of(INDArray h, boolean gradient, double scale) {
        long b = h.size(0);
        long n = h.size(1);
        INDArray norms = PatchTokens.norms(h);
        INDArray u = PatchTokens.unit(h, norms);
        INDArray s = Nd4j.matmul(u, u, false, true, false);          // [B, n, n] cosines
        INDArray offDiagonal = Nd4j.ones(h.dataType(), n, n).subi(Nd4j.eye(n).castTo(h.dataType()));
        INDArray mask = offDiagonal.reshape(1, n, n).broadcast(b, n, n);
        double pairs = (double) n * (n - 1);
        double loss = Transforms.abs(s, true).muli(mask).sumNumber().doubleValue() / (pairs * b);
        if (!gradient) {
            return new PatchTokens.Value(loss, null);
        }
        // dL/dS = sign(S)/(n(n−1)B) off the diagonal; S = U Uᵀ and dL/dS is symmetric, so dL/dU = 2 (dL/dS) U
        INDArray dS = Transforms.sign(s, true).muli(mask).muli(2 * scale / (pairs * b));
        return new PatchTokens.Value(loss, PatchTokens.throughUnit(Nd4j.matmul(dS, u), u, norms));
    }
}
