package org.vitspark.model;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.model.ops.Arena;
import org.vitspark.model.ops.Drop;
import org.vitspark.model.ops.Linear;
import org.vitspark.model.ops.Patches;

/** Patch embedding (ViT: plus class token and position embedding; Mixer: the stem alone), then dropout. */
final class Embedding {

    /**
     * @param patchTokens the stem's output [B·N, D] before class token and position embedding (a named
     *                    intermediate), or null when the pass did not keep it
     */
    record Cache(INDArray patches, INDArray mask, long[] imageShape, INDArray patchTokens) {
    }

    private Embedding() {
    }

    private static String stem(ModelSpec m) {
        return m.family() == ModelSpec.Family.VIT ? "patchEmbed.proj" : "stem.proj";
    }

    /**
     * images [B, C, H, W] → tokens [B·T, D]. A ViT also takes square images of another size than the
     * spec's (a multiple of the patch side; DINO's local crops): its position embedding is then resized
     * bicubically to the image's patch grid ({@link PosGrid}).
     */
    static INDArray forward(INDArray images, ModelSpec m, Map<String, INDArray> p, Pass pass, Cache[] cacheOut) {
        int b = pass.batch();
        int d = m.dim();
        int side = PosGrid.side(m, images);
        int n = side * side;
        int tokens = pass.tokens();
        INDArray patches = Patches.extract(images, m.patch());
        INDArray w = p.get(stem(m) + ".weight").reshape('c', d, m.patchInputs());
        INDArray tok = Linear.forward(patches, w, p.get(stem(m) + ".bias"));
        INDArray x = tok;
        // With a class token the tokens are copied into a new array below and tok stays as it is; without
        // one the position embedding and dropout work on tok in place, so keeping it costs a copy.
        INDArray patchTokens = cacheOut == null || !pass.keepPatchTokens() ? null
                : m.hasClassToken() ? tok : Arena.copyOf(tok);
        if (m.hasClassToken()) {
            INDArray x3 = Arena.uninitialized(tok.dataType(), b, tokens, d);
            x3.get(NDArrayIndex.all(), NDArrayIndex.interval(1, tokens), NDArrayIndex.all())
                    .assign(tok.reshape('c', b, n, d));
            x3.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                    .assign(p.get("clsToken").reshape(1, d).broadcast(b, d));
            x = x3.reshape('c', (long) b * tokens, d);
        }
        if (m.family() == ModelSpec.Family.VIT) {
            x.reshape('c', b, (long) tokens * d).addiRowVector(PosGrid.forward(m, p.get("posEmbed"), side)
                    .reshape(1, (long) tokens * d));
        }
        SplittableRandom r = pass.random(-1);
        INDArray mask = r == null ? null : Drop.elementMask(r, x.dataType(), m.dropout(), x.size(0), x.size(1));
        Drop.apply(x, mask);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(patches, mask, images.shape(), patchTokens);
        }
        return x;
    }

    /**
     * Writes the embedding's gradients; returns d images when asked, else null.
     *
     * @param dPatchExtra injected d loss / d patch tokens before class token and position embedding, [B·N, D],
     *                    or null
     */
    static INDArray backward(INDArray dx, INDArray dPatchExtra, ModelSpec m, Map<String, INDArray> p,
                             Map<String, INDArray> g, Pass pass, Cache c, boolean needInputGrad) {
        int b = pass.batch();
        int d = m.dim();
        int tokens = pass.tokens();
        int n = tokens - (m.hasClassToken() ? 1 : 0);
        INDArray dTokens = c.mask() == null ? dx : dx.mul(c.mask());
        if (m.family() == ModelSpec.Family.VIT) {
            INDArray dPos = dTokens.reshape('c', b, (long) tokens * d).sum(0).reshape('c', tokens, d);
            g.get("posEmbed").assign(PosGrid.backward(m, dPos, (int) Math.round(Math.sqrt(n)))
                    .reshape(g.get("posEmbed").shape()));
        }
        INDArray dTok = dTokens;
        if (m.hasClassToken()) {
            INDArray d3 = dTokens.reshape('c', b, tokens, d);
            g.get("clsToken").assign(d3.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).sum(0)
                    .reshape(1, 1, d));
            dTok = Arena.copyOf(d3.get(NDArrayIndex.all(), NDArrayIndex.interval(1, tokens), NDArrayIndex.all()))
                    .reshape('c', (long) b * n, d);
        }
        if (dPatchExtra != null) {
            // in place: the rows are the backward pass's own array, and the position-embedding and class-token
            // gradients above have been taken from them already (the stem output gets no position embedding)
            dTok.addi(dPatchExtra);
        }
        INDArray w = p.get(stem(m) + ".weight").reshape('c', d, m.patchInputs());
        INDArray dw = g.get(stem(m) + ".weight").reshape('c', d, m.patchInputs());
        INDArray dPatches = Linear.backward(dTok, c.patches(), w, dw, g.get(stem(m) + ".bias"), needInputGrad);
        if (!needInputGrad) {
            return null;
        }
        long[] s = c.imageShape();
        return Patches.assemble(dPatches, s[0], s[1], s[2], s[3], m.patch());
    }
}
