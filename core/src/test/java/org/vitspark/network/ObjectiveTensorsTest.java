package org.vitspark.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.vitspark.model.ModelSize;
import org.vitspark.objective.ObjectiveSpec;
import org.vitspark.objective.PooledProbe;

/**
 * An objective that owns tensors, through the DL4J layer as training uses it: its tensors follow the
 * model's in the one flat parameter vector, DL4J's own gradient check passes over all of them, the updater
 * keeps state for them and moves them, and model serialisation keeps them with the objective.
 */
class ObjectiveTensorsTest {

    static final ObjectiveSpec WITH_PROBE = ObjectiveSpec.decode("ce:1.0:smoothing=0.1;" + PooledProbe.class.getName()
            + ":0.7:");
    /** The probe's weight [classes, dim] and bias [classes]. */
    static final long EXTRA = 3L * 8 + 3;

    @Test
    void dl4jGradientCheckCoversTheObjectivesTensors() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil insists
        try {
            ComputationGraph net = Networks.build(TransformerLayerTest.SPEC, WITH_PROBE,
                    TransformerLayerTest.settings(0, 0, 0.1), new NoOp(), 5, DataType.DOUBLE);
            assertEquals(ModelSize.params(TransformerLayerTest.SPEC) + EXTRA, net.numParams());
            Nd4j.getRandom().setSeed(3);
            net.params().assign(Nd4j.randn(DataType.DOUBLE, net.params().shape()).muli(0.5));
            INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 8, 8);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(new INDArray[] {x}).labels(new INDArray[] {TransformerLayerTest.oneHot(4, 3, 1)})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "DL4J gradient check of the layer with an objective that owns tensors");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void theUpdaterMovesThemAndSerialisationKeepsThem() throws Exception {
        ComputationGraph net = Networks.build(TransformerLayerTest.SPEC, WITH_PROBE,
                TransformerLayerTest.settings(0.05, 1.0, 0.1), new Adam(1e-2), 9, DataType.FLOAT);
        long model = ModelSize.params(TransformerLayerTest.SPEC);
        assertEquals(2 * net.numParams(), net.getUpdater().getStateViewArray().length(), "Adam's m and v for all");
        INDArray probeBefore = extra(net, model).dup();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 8, 8);
        net.fit(new DataSet(x, TransformerLayerTest.oneHot(4, 3, 2).castTo(DataType.FLOAT)));
        assertTrue(extra(net, model).sub(probeBefore).norm2Number().doubleValue() > 0, "the probe's tensors moved");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.params(), back.params());
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertEquals(WITH_PROBE, ((TransformerLayer) back.getOutputLayer(0)).layerConf().objectiveSpec());
    }

    private static INDArray extra(ComputationGraph net, long modelParams) {
        INDArray flat = net.params().reshape(net.numParams());
        return flat.get(NDArrayIndex.interval(modelParams, net.numParams()));
    }
}
