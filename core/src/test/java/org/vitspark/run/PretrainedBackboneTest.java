package org.vitspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TorchWeights;

/** Loading a pretrained backbone by name: everything but the classifier, and loud about any mismatch. */
public class PretrainedBackboneTest {

    private static final ModelSpec M = new ModelSpec("t", ModelSpec.Family.VIT, 8, 1, 3, 4, 8, 2, 2, 12, 0,
            ModelSpec.Pooling.CLS, 0, 0, true);

    private static Map<String, INDArray> source() {
        ParamLayout l = ParamLayout.of(M);
        return new LinkedHashMap<>(TorchWeights.export(l, Nd4j.rand(DataType.FLOAT, 1, l.total())));
    }

    @Test
    void loadsTheBackboneAndLeavesTheClassifier() {
        Map<String, INDArray> src = source();
        ParamLayout l = ParamLayout.of(M);
        INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, l.total());
        int n = PretrainedBackbone.load(new PretrainedBackbone.Source("test", src), M, flat);
        assertEquals(l.entries().size() - 2, n);
        assertEquals(src.get("blocks.1.attn.qkv.weight"), l.view(flat, "blocks.1.attn.qkv.weight"));
        assertEquals(0, l.view(flat, "head.weight").amaxNumber().doubleValue(), 0);
    }

    @Test
    void namesMissingUnexpectedAndMisshapenTensors() {
        Map<String, INDArray> src = source();
        src.remove("blocks.0.norm1.weight");
        src.put("blocks.0.mlp.fc1.bias", Nd4j.zeros(DataType.FLOAT, 13));
        src.put("projector.mlp.0.weight", Nd4j.zeros(DataType.FLOAT, 2, 2));
        ParamLayout l = ParamLayout.of(M);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainedBackbone.load(
                new PretrainedBackbone.Source("run x", src), M, Nd4j.zeros(DataType.FLOAT, 1, l.total())));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("model.init: run x does not fit the model: "), msg);
        assertTrue(msg.contains("missing blocks.0.norm1.weight [8]"), msg);
        assertTrue(msg.contains("blocks.0.mlp.fc1.bias has shape [13], the model needs [12]"), msg);
        assertTrue(msg.contains("unexpected tensor projector.mlp.0.weight"), msg);
    }
}
