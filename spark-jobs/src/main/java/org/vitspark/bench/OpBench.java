package org.vitspark.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;
import org.vitspark.model.ops.Arena;
import org.vitspark.model.ops.Attention;
import org.vitspark.model.ops.Gelu;
import org.vitspark.model.ops.HostKernels;
import org.vitspark.model.ops.LayerNorm;
import org.vitspark.model.ops.Linear;

/**
 * Where a ViT block's time goes: each op of one block (forward and backward) timed alone at a variant's
 * shapes, median of many calls, inside a step arena like the training layer's. The sum × depth, set against
 * the whole step ({@code vitspark bench}), shows what the ops cost and what the rest (embedding, head,
 * loss, updater, DL4J) does.
 * Usage: OpBench [variant=tiny] [batch=64] [iters=200] [kernels=auto|nd4j]; one JSON line per op, then the total.
 */
public final class OpBench {

    private OpBench() {
    }

    public static void main(String[] args) {
        ModelSpec m = Variants.find(args.length > 0 ? args[0] : "tiny").orElseThrow();
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int iters = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        HostKernels.select(args.length > 3 ? args[3] : "auto");
        int t = (m.imageSize() / m.patch()) * (m.imageSize() / m.patch()) + 1;
        int d = m.dim();
        int h = m.heads();
        int hidden = m.mlpDim();
        long rows = (long) batch * t;
        DataType f = DataType.FLOAT;
        INDArray x = Nd4j.randn(f, rows, d);
        INDArray g = Nd4j.ones(f, d);
        INDArray b = Nd4j.zeros(f, d);
        INDArray dg = Nd4j.zeros(f, d);
        INDArray db = Nd4j.zeros(f, d);
        INDArray wqkv = Nd4j.randn(f, 3L * d, d).muli(0.05);
        INDArray bqkv = Nd4j.zeros(f, 3L * d);
        INDArray dwqkv = Nd4j.zeros(f, 3L * d, d);
        INDArray dbqkv = Nd4j.zeros(f, 3L * d);
        INDArray wproj = Nd4j.randn(f, d, d).muli(0.05);
        INDArray dwproj = Nd4j.zeros(f, d, d);
        INDArray w1 = Nd4j.randn(f, hidden, d).muli(0.05);
        INDArray dw1 = Nd4j.zeros(f, hidden, d);
        INDArray b1 = Nd4j.zeros(f, hidden);
        INDArray db1 = Nd4j.zeros(f, hidden);
        INDArray w2 = Nd4j.randn(f, d, hidden).muli(0.05);
        INDArray dw2 = Nd4j.zeros(f, d, hidden);
        INDArray qkv = Nd4j.randn(f, rows, 3L * d);
        INDArray pre = Nd4j.randn(f, rows, hidden);
        INDArray dctx = Nd4j.randn(f, rows, d);
        INDArray dhid = Nd4j.randn(f, rows, hidden);
        INDArray dqkv = Nd4j.randn(f, rows, 3L * d);
        INDArray residual = Nd4j.zeros(f, rows, d);

        LayerNorm.Cache[] ln = new LayerNorm.Cache[1];
        Attention.Cache[] att = new Attention.Cache[1];
        INDArray[] slope = new INDArray[1];
        Arena arena = new Arena();
        try (Arena.Scope s = arena.enter()) {
            LayerNorm.forward(x, g, b, ln);
            Attention.forward(qkv, batch, t, h, att);
            Gelu.forward(pre, slope);
        }
        LayerNorm.Cache lnCache = ln[0];
        Attention.Cache attCache = att[0];
        INDArray gslope = slope[0];

        Map<String, Runnable> ops = new LinkedHashMap<>();
        ops.put("ln_fwd", () -> LayerNorm.forward(x, g, b, new LayerNorm.Cache[1]));
        ops.put("ln_bwd", () -> LayerNorm.backward(dctx, lnCache, g, dg, db));
        ops.put("qkv_fwd", () -> Linear.forward(x, wqkv, bqkv));
        ops.put("qkv_bwd", () -> Linear.backward(dqkv, x, wqkv, dwqkv, dbqkv, true));
        ops.put("attn_fwd", () -> Attention.forward(qkv, batch, t, h, new Attention.Cache[1]));
        ops.put("attn_bwd", () -> Attention.backward(dctx, attCache, batch, t, h));
        ops.put("proj_fwd", () -> Linear.forward(x, wproj, b));
        ops.put("proj_bwd", () -> Linear.backward(dctx, x, wproj, dwproj, db, true));
        ops.put("fc1_fwd", () -> Linear.forward(x, w1, b1));
        ops.put("fc1_bwd", () -> Linear.backward(dhid, x, w1, dw1, db1, true));
        ops.put("gelu_fwd", () -> Gelu.forward(pre, new INDArray[1]));
        ops.put("gelu_bwd", () -> Gelu.backward(dhid, pre, gslope));
        ops.put("fc2_fwd", () -> Linear.forward(pre, w2, b));
        ops.put("fc2_bwd", () -> Linear.backward(dctx, pre, w2, dw2, db, true));
        ops.put("residual_add", () -> residual.addi(dctx));

        double total = 0;
        for (Map.Entry<String, Runnable> e : ops.entrySet()) {
            double ms = TrainStepBench.median(iters / 4, iters, () -> {
                arena.reset();
                try (Arena.Scope s = arena.enter()) {
                    e.getValue().run();
                }
            });
            total += ms;
            System.out.println(new JsonLine().put("op", e.getKey()).put("config", m.name()).put("batch", batch)
                    .put("median_ms", ms));
        }
        System.out.println(new JsonLine().put("op", "block_total").put("config", m.name()).put("batch", batch)
                .put("median_ms", Math.round(total * 1000) / 1000.0)
                .put("times_depth_ms", Math.round(total * m.depth() * 1000) / 1000.0));
    }
}
