package org.vitspark.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.network.Networks;
import org.vitspark.config.OptimSettings;
import org.vitspark.optim.Sam;
import org.vitspark.optim.WarmupDecaySchedule;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;

/**
 * Compares ND4J native binaries: median ms of a training step (baseline network, tiny shape, batch 64)
 * and of a ViT-sized GEMM. Run once per binary (see docs/benchmarks.md for the command).
 * Args: [batch=64] [warmup=10] [steps=30].
 */
public final class BackendBench {

    private BackendBench() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        ModelSpec tiny = Variants.find("tiny").orElseThrow();
        OptimSettings o = new OptimSettings(1e-3, 1e-5, WarmupDecaySchedule.Kind.CONSTANT, 0, 1000, 0.05, 0.9,
                0.999, 1e-8, 1.0, 0.1, Sam.Mode.OFF, 0.05);
        ComputationGraph net = Networks.build(tiny, o, 1, DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        DataSet ds = new DataSet(x, y);
        double step = TrainStepBench.median(warmup, steps, () -> net.fit(ds));
        // ViT-tiny block GEMM at batch 64: [64*50, 64] x [64, 192] (the fused qkv projection)
        INDArray a = Nd4j.rand(DataType.FLOAT, batch * 50, 64);
        INDArray b = Nd4j.rand(DataType.FLOAT, 64, 192);
        INDArray c = Nd4j.create(DataType.FLOAT, batch * 50, 192);
        double gemm = TrainStepBench.median(warmup * 10, steps * 10, () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0));
        INDArray s = Nd4j.rand(DataType.FLOAT, batch * 4, 50, 50);
        double softmax = TrainStepBench.median(warmup * 10, steps * 10,
                () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax(s, s.ulike(), 2)));
        System.out.printf("{\"binary\":\"%s\",\"batch\":%d,\"train_step_ms\":%.2f,\"gemm_qkv_ms\":%.3f,\"softmax_ms\":%.3f}%n",
                System.getProperty("org.bytedeco.javacpp.platform.extension", "(default)"), batch, step, gemm, softmax);
    }
}
