package org.vitspark.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.ops.Arena;

/**
 * The step arena (docs/decisions.md D16): arrays are reused in allocation order, and reusing them never
 * changes a result: the layer's gradients over consecutive steps equal passes that allocate fresh arrays.
 */
class StepArenaTest {

    @Test
    void arraysAreReusedByAllocationOrderAndOnlyInsideTheArena() {
        Arena arena = new Arena();
        INDArray a;
        INDArray b;
        try (Arena.Scope s = arena.enter()) {
            a = Arena.uninitialized(DataType.FLOAT, 3, 4);
            b = Arena.uninitialized(DataType.FLOAT, 5);
            assertNotSame(a, b);
        }
        arena.reset();
        try (Arena.Scope s = arena.enter()) {
            assertSame(a, Arena.uninitialized(DataType.FLOAT, 3, 4));
            assertNotSame(b, Arena.uninitialized(DataType.FLOAT, 6), "a different shape gets a new array");
        }
        assertEquals(3, arena.freshAllocations());
        assertNotSame(a, Arena.uninitialized(DataType.FLOAT, 3, 4), "outside the scope: a fresh array");
    }

    @Test
    void layerGradientsOverConsecutiveStepsEqualFreshlyAllocatedPasses() {
        // dropout and drop path on, float, so the host kernels and the mask paths all run through the arena
        ModelSpec spec = new ModelSpec("arena", ModelSpec.Family.VIT, 8, 2, 3, 4, 16, 2, 4, 32, 0,
                ModelSpec.Pooling.CLS, 0.1, 0.1, true);
        ComputationGraph net = Networks.build(spec, TransformerLayerTest.settings(0, 0, 0.1), new NoOp(), 5,
                DataType.FLOAT);
        TransformerLayer layer = (TransformerLayer) net.getLayer("vit");
        TransformerNet reference = new TransformerNet(spec);
        long freshAfterFirst = -1;
        for (int step = 0; step < 4; step++) {
            Nd4j.getRandom().setSeed(step);
            INDArray x = Nd4j.rand(DataType.FLOAT, 6, 2, 8, 8);
            INDArray y = TransformerLayerTest.oneHot(6, 3, step).castTo(DataType.FLOAT);
            net.setInputs(x);
            net.setLabels(y);
            net.computeGradientAndScore();
            INDArray layerGrad = net.getGradientsViewArray().dup();

            var f = reference.forward(net.params(), x, true, layer.currentDropSeed(), true);
            INDArray dLogits = org.vitspark.objective.SoftTargetCrossEntropy.gradient(f.logits(), y, 0.1);
            INDArray expected = Nd4j.zeros(DataType.FLOAT, net.params().shape());
            reference.backward(net.params(), f, dLogits, expected, false);
            assertEquals(expected.reshape(layerGrad.shape()), layerGrad, "gradient at step " + step);

            net.fit(new DataSet(x, y)); // moves the parameters and the iteration (new dropout masks)
            if (step == 0) {
                freshAfterFirst = layer.freshAllocations();
            }
        }
        assertEquals(freshAfterFirst, layer.freshAllocations(), "steady state: no new arrays after the first step");
    }
}
