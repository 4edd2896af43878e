package org.vitspark.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.vitspark.model.ModelSpec;
import org.vitspark.config.OptimSettings;
import org.vitspark.optim.Sam;
import org.vitspark.optim.WarmupDecaySchedule;

/** The ViT as a DL4J layer: DL4J's own gradient check, serialisation round trips, labels with smoothing. */
class TransformerLayerTest {

    static final ModelSpec SPEC = new ModelSpec("check", ModelSpec.Family.VIT, 8, 2, 3, 4, 8, 2, 2, 12, 0,
            ModelSpec.Pooling.CLS, 0.1, 0.2, true);

    static OptimSettings settings(double weightDecay, double clip, double smoothing) {
        return new OptimSettings(0.01, 0.0, WarmupDecaySchedule.Kind.CONSTANT, 0, 10, weightDecay, 0.9, 0.999,
                1e-8, clip, smoothing, Sam.Mode.OFF, 0.05);
    }

    static INDArray oneHot(int rows, int classes, long seed) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, r.nextInt(classes), 1.0);
        }
        return y;
    }

    @Test
    void dl4jGradientCheckPassesWithLabelSmoothingDropoutAndDropPath() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil insists
        try {
            checkGradients();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private void checkGradients() {
        ComputationGraph net = Networks.build(SPEC, settings(0, 0, 0.1), new NoOp(), 5, DataType.DOUBLE);
        // Move LayerNorm gains, biases and tokens away from 1/0 (the init is σ 0.02 and zeros/ones).
        Nd4j.getRandom().setSeed(3);
        net.params().assign(Nd4j.randn(DataType.DOUBLE, net.params().shape()).muli(0.5));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 8, 8);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {oneHot(4, 3, 1)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "DL4J gradient check of the ViT layer");
    }

    @Test
    void configurationAndModelSurviveJsonAndModelSerializer() throws Exception {
        ComputationGraph net = Networks.build(SPEC, settings(0.05, 1.0, 0.1), 9, DataType.FLOAT);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        assertEquals(net.getConfiguration(), back);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 8, 8);
        assertEquals(net.outputSingle(x), restored.outputSingle(x));
        assertEquals(net.params(), restored.params());
    }

    @Test
    void scoreIsTheSmoothedCrossEntropyOfTheBatchMean() {
        ComputationGraph net = Networks.build(SPEC, settings(0, 0, 0.2), new NoOp(), 3, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 8, 8);
        INDArray y = oneHot(2, 3, 4);
        INDArray p = net.outputSingle(false, x);
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                double target = 0.8 * y.getDouble(i, c) + 0.2 / 3;
                expected -= target * Math.log(p.getDouble(i, c)) / 2;
            }
        }
        assertEquals(expected, net.score(new org.nd4j.linalg.dataset.DataSet(x, y), false), 1e-12);
    }
}
