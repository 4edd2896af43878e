package org.vitspark.model;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.ops.Arena;
import org.vitspark.model.ops.Drop;
import org.vitspark.model.ops.LayerNorm;
import org.vitspark.model.ops.Mlp;

/**
 * MLP-Mixer block (Tolstikhin et al. 2021, eq. 1): token mixing x + MLP_tok(LN1(x)ᵀ)ᵀ, then channel
 * mixing x + MLP_ch(LN2(x)), each with drop path.
 */
final class MixerBlock {

    record Cache(LayerNorm.Cache ln1, Mlp.Cache tokens, INDArray path, LayerNorm.Cache ln2, Mlp.Cache channels) {
    }

    private MixerBlock() {
    }

    static INDArray forward(INDArray x, int index, ModelSpec m, Map<String, INDArray> p, Pass pass, Cache[] cacheOut) {
        String b = "blocks." + index + ".";
        SplittableRandom r = pass.random(index);
        double pathRate = Pass.dropPathRate(m.dropPath(), index, m.depth());
        INDArray path = r == null ? null : Drop.sampleMask(r, x.dataType(), pathRate, pass.batch());
        int bt = pass.batch();
        int t = pass.tokens();
        int d = m.dim();

        LayerNorm.Cache[] ln1 = new LayerNorm.Cache[1];
        INDArray h1 = LayerNorm.forward(x, p.get(b + "norm1.weight"), p.get(b + "norm1.bias"), ln1);
        Mlp.Cache[] tok = new Mlp.Cache[1];
        INDArray mixed = Mlp.forward(transpose(h1, bt, t, d), p, b + "mlpTokens", m.dropout(), r, tok);
        INDArray a = transpose(mixed, bt, d, t);
        Drop.applyPerSample(a, path, bt);
        INDArray x1 = a.addi(x);

        LayerNorm.Cache[] ln2 = new LayerNorm.Cache[1];
        INDArray h2 = LayerNorm.forward(x1, p.get(b + "norm2.weight"), p.get(b + "norm2.bias"), ln2);
        Mlp.Cache[] ch = new Mlp.Cache[1];
        INDArray y = Mlp.forward(h2, p, b + "mlpChannels", m.dropout(), r, ch);
        Drop.applyPerSample(y, path, bt);
        INDArray out = y.addi(x1);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(ln1[0], tok[0], path, ln2[0], ch[0]);
        }
        return out;
    }

    static INDArray backward(INDArray dOut, int index, ModelSpec m, Map<String, INDArray> p, Map<String, INDArray> g,
                             Pass pass, Cache c) {
        String b = "blocks." + index + ".";
        int bt = pass.batch();
        int t = pass.tokens();
        int d = m.dim();
        INDArray dy = Drop.applyPerSample(Drop.copyIf(c.path() != null, dOut), c.path(), bt);
        INDArray dh2 = Mlp.backward(dy, c.channels(), p, g, b + "mlpChannels");
        INDArray dx1 = LayerNorm.backward(dh2, c.ln2(), p.get(b + "norm2.weight"), g.get(b + "norm2.weight"),
                g.get(b + "norm2.bias")).addi(dOut);

        INDArray da = Drop.applyPerSample(Drop.copyIf(c.path() != null, dx1), c.path(), bt);
        INDArray dMixed = Mlp.backward(transpose(da, bt, t, d), c.tokens(), p, g, b + "mlpTokens");
        INDArray dh1 = transpose(dMixed, bt, d, t);
        return LayerNorm.backward(dh1, c.ln1(), p.get(b + "norm1.weight"), g.get(b + "norm1.weight"),
                g.get(b + "norm1.bias")).addi(dx1);
    }

    /** Rows [B·r, c] → [B·c, r]: swaps the token and channel axes per sample. */
    private static INDArray transpose(INDArray x, int batch, int rows, int cols) {
        return Arena.copyOf(x.reshape('c', batch, rows, cols).permute(0, 2, 1)).reshape('c', (long) batch * cols, rows);
    }
}
