package org.vitspark.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Proves the dependency mix (DL4J/ND4J 1.0.0-M2.1 core with the M2 Spark module on the classpath)
 * computes exact gradients: a double-precision finite-difference check of the baseline network.
 */
class BaselineNetworkGradientTest {

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(7);
        ModelSpec tiny = new ModelSpec("check", ModelSpec.Family.VIT, 8, 1, 3, 4, 6, 2, 2, 8, 0, ModelSpec.Pooling.CLS, 0, 0, true);
        ComputationGraph net = BaselineNetwork.build(tiny, new NoOp(), 0.0, 7, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 1, 8, 8);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
        assertTrue(ok, "gradient check failed (see log for the parameters that differ)");
    }
}
