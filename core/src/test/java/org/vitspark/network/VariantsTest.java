package org.vitspark.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.vitspark.model.Forward;
import org.vitspark.model.ModelSize;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.Variants;

/**
 * Every published variant, built the way training builds it (timm's every-model tests): the DL4J network's
 * parameter count equals {@link ModelSize}, a forward pass gives finite logits of the right shape, and a
 * backward pass gives every parameter tensor a non-zero gradient. Variants for 224-px images run at 2×2
 * patches (the blocks, widths and head are the published ones; only the position embedding shrinks).
 */
class VariantsTest {

    static Stream<String> variants() {
        return Variants.names().stream();
    }

    static ModelSpec reduced(ModelSpec m) {
        return m.imageSize() > 64 ? m.toBuilder().imageSize(2 * m.patch()).build() : m;
    }

    @ParameterizedTest
    @MethodSource("variants")
    void buildsRunsAndBackpropagatesEveryParameter(String name) {
        ModelSpec m = reduced(Variants.find(name).orElseThrow());
        ComputationGraph net = Networks.build(m, TransformerLayerTest.settings(0.05, 1.0, 0.1), new NoOp(), 3,
                DataType.FLOAT);
        assertEquals(ModelSize.params(m), net.numParams(), name + ": parameters");

        Nd4j.getRandom().setSeed(5);
        int batch = 2;
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, m.channels(), m.imageSize(), m.imageSize());
        TransformerNet model = new TransformerNet(m);
        Forward f = model.forward(net.params(), images, true, 7, true);
        assertArrayEquals(new long[] {batch, m.classes()}, f.logits().shape(), name + ": logits shape");
        assertTrue(Double.isFinite(f.logits().sumNumber().doubleValue())
                && Double.isFinite(f.logits().norm2Number().doubleValue()), name + ": finite logits");

        INDArray grads = Nd4j.zeros(DataType.FLOAT, 1, net.numParams());
        model.backward(net.params(), f, Nd4j.randn(DataType.FLOAT, batch, m.classes()), grads, false);
        for (ParamLayout.Entry e : model.layout().entries()) {
            double norm = model.layout().view(grads, e.name()).norm2Number().doubleValue();
            assertTrue(norm > 0 && Double.isFinite(norm), name + ": gradient of " + e.name() + " is " + norm);
        }
    }
}
