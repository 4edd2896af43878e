package org.vitspark.model;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.ops.Attention;
import org.vitspark.model.ops.Drop;
import org.vitspark.model.ops.LayerNorm;
import org.vitspark.model.ops.Linear;
import org.vitspark.model.ops.Mlp;

/**
 * Pre-LN transformer block: x + DropPath(Drop(Proj(MHSA(LN1(x))))), then x + DropPath(MLP(LN2(x))). The
 * block's own shape ({@link ModelSpec#block}) sets its heads and its q/k/v and MLP widths; the attention
 * scale is the true per-head width's (q/k/v width ÷ heads).
 */
final class VitBlock {

    record Cache(LayerNorm.Cache ln1, INDArray h1, Attention.Cache attn, INDArray ctx, INDArray projMask,
                 INDArray path, LayerNorm.Cache ln2, Mlp.Cache mlp) {
    }

    private VitBlock() {
    }

    static INDArray forward(INDArray x, int index, ModelSpec m, Map<String, INDArray> p, Pass pass, Cache[] cacheOut) {
        String b = "blocks." + index + ".";
        SplittableRandom r = pass.random(index);
        double pathRate = Pass.dropPathRate(m.dropPath(), index, m.depth());
        INDArray path = r == null ? null : Drop.sampleMask(r, x.dataType(), pathRate, pass.batch());

        LayerNorm.Cache[] ln1 = new LayerNorm.Cache[1];
        INDArray h1 = LayerNorm.forward(x, p.get(b + "norm1.weight"), p.get(b + "norm1.bias"), ln1);
        INDArray qkv = Linear.forward(h1, p.get(b + "attn.qkv.weight"), p.get(b + "attn.qkv.bias"));
        Attention.Cache[] attn = new Attention.Cache[1];
        INDArray ctx = Attention.forward(qkv, pass.batch(), pass.tokens(), m.block(index).heads(), attn);
        INDArray a = Linear.forward(ctx, p.get(b + "attn.proj.weight"), p.get(b + "attn.proj.bias"));
        INDArray projMask = r == null ? null : Drop.elementMask(r, x.dataType(), m.dropout(), a.size(0), a.size(1));
        Drop.applyPerSample(Drop.apply(a, projMask), path, pass.batch());
        INDArray x1 = a.addi(x);

        LayerNorm.Cache[] ln2 = new LayerNorm.Cache[1];
        INDArray h2 = LayerNorm.forward(x1, p.get(b + "norm2.weight"), p.get(b + "norm2.bias"), ln2);
        Mlp.Cache[] mlp = new Mlp.Cache[1];
        INDArray y = Mlp.forward(h2, p, b + "mlp", m.dropout(), r, mlp);
        Drop.applyPerSample(y, path, pass.batch());
        INDArray out = y.addi(x1);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(ln1[0], h1, attn[0], ctx, projMask, path, ln2[0], mlp[0]);
        }
        return out;
    }

    /** @param dProbsExtra injected d loss / d attention probabilities [B, H, T, T], or null */
    static INDArray backward(INDArray dOut, INDArray dProbsExtra, int index, ModelSpec m, Map<String, INDArray> p, Map<String, INDArray> g,
                             Pass pass, Cache c) {
        String b = "blocks." + index + ".";
        INDArray dy = Drop.applyPerSample(Drop.copyIf(c.path() != null, dOut), c.path(), pass.batch());
        INDArray dh2 = Mlp.backward(dy, c.mlp(), p, g, b + "mlp");
        INDArray dx1 = LayerNorm.backward(dh2, c.ln2(), p.get(b + "norm2.weight"), g.get(b + "norm2.weight"),
                g.get(b + "norm2.bias")).addi(dOut);

        INDArray da = Drop.apply(Drop.applyPerSample(Drop.copyIf(c.path() != null || c.projMask() != null, dx1),
                c.path(), pass.batch()), c.projMask());
        INDArray dctx = Linear.backward(da, c.ctx(), p.get(b + "attn.proj.weight"), g.get(b + "attn.proj.weight"),
                g.get(b + "attn.proj.bias"), true);
        INDArray dqkv = Attention.backward(dctx, dProbsExtra, c.attn(), pass.batch(), pass.tokens(),
                m.block(index).heads());
        INDArray dh1 = Linear.backward(dqkv, c.h1(), p.get(b + "attn.qkv.weight"), g.get(b + "attn.qkv.weight"),
                g.get(b + "attn.qkv.bias"), true);
        return LayerNorm.backward(dh1, c.ln1(), p.get(b + "norm1.weight"), g.get(b + "norm1.weight"),
                g.get(b + "norm1.bias")).addi(dx1);
    }
}
