package org.vitspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.objective.SoftTargetCrossEntropy;

/**
 * Equivalence with an independent implementation: fixtures made by PyTorch from modules written from
 * the papers (src/test/resources/fixtures/make_torch_fixture.py) hold weights, inputs, logits, the
 * smoothed cross-entropy and every gradient. Imported through {@link TorchWeights}, vitspark must match
 * within 1e-4 relative (it matches to ~1e-12 in double).
 */
class TorchEquivalenceTest {

    static SafeTensors.Contents fixture(String name) throws Exception {
        try (InputStream in = TorchEquivalenceTest.class.getResourceAsStream("/fixtures/" + name)) {
            return SafeTensors.read(in, name);
        }
    }

    static Map<String, INDArray> only(Map<String, INDArray> all, boolean params, String prefix) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            boolean isParam = !k.startsWith("fixture.") && !k.startsWith("grad.");
            if (params ? isParam : k.startsWith(prefix)) {
                out.put(params ? k : k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** Largest difference relative to the tensor's largest entry (floored at 1e-6: some gradients are exactly 0). */
    static double maxRelative(INDArray actual, INDArray expected) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-6);
        return actual.sub(expected).amaxNumber().doubleValue() / scale;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit_fixture.safetensors", "vit_gap_fixture.safetensors", "mixer_fixture.safetensors"})
    void logitsLossAndGradientsMatchPyTorch(String file) throws Exception {
        SafeTensors.Contents c = fixture(file);
        ModelSpec m = ModelSpec.decode(c.metadata().get("spec"));
        double smoothing = Double.parseDouble(c.metadata().get("label_smoothing"));
        TransformerNet net = new TransformerNet(m);
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 1, net.layout().total());
        TorchWeights.load(net.layout(), params, only(c.tensors(), true, null));

        INDArray images = c.tensors().get("fixture.images");
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, images.size(0), m.classes());
        INDArray idx = c.tensors().get("fixture.labels");
        for (int i = 0; i < idx.length(); i++) {
            labels.putScalar(i, idx.getInt(i), 1.0);
        }
        Forward f = net.forward(params, images, false, 0, true);
        assertTrue(maxRelative(f.logits(), c.tensors().get("fixture.logits")) < 1e-4, "logits");
        double loss = SoftTargetCrossEntropy.mean(f.logits(), labels, smoothing);
        assertEquals(c.tensors().get("fixture.loss").getDouble(0), loss, 1e-4 * loss);

        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, net.layout().total());
        INDArray dImages = net.backward(params, f, SoftTargetCrossEntropy.gradient(f.logits(), labels, smoothing),
                grads, true);
        Map<String, INDArray> ours = TorchWeights.export(net.layout(), grads);
        Map<String, INDArray> theirs = only(c.tensors(), false, "grad.");
        assertEquals(theirs.keySet(), ours.keySet());
        double worst = 0;
        for (String name : theirs.keySet()) {
            double err = maxRelative(ours.get(name), theirs.get(name));
            assertTrue(err < 1e-4, name + " relative error " + err);
            worst = Math.max(worst, err);
        }
        assertTrue(maxRelative(dImages, c.tensors().get("fixture.images.grad")) < 1e-4, "input gradient");
        System.out.printf("%s: logits %.2e, gradients %.2e (max relative)%n", file,
                maxRelative(f.logits(), c.tensors().get("fixture.logits")), worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit_fixture.safetensors"})
    void exportImportRoundTripsAndMismatchesAreNamed(String file) throws Exception {
        SafeTensors.Contents c = fixture(file);
        ModelSpec m = ModelSpec.decode(c.metadata().get("spec"));
        ParamLayout layout = ParamLayout.of(m);
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 1, layout.total());
        TorchWeights.load(layout, params, only(c.tensors(), true, null));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SafeTensors.write(bytes, TorchWeights.export(layout, params), Map.of("spec", m.encode()));
        SafeTensors.Contents back = SafeTensors.read(new ByteArrayInputStream(bytes.toByteArray()), "round trip");
        INDArray again = Nd4j.zeros(DataType.DOUBLE, 1, layout.total());
        TorchWeights.load(layout, again, back.tensors());
        assertEquals(params, again);
        assertEquals(m.encode(), back.metadata().get("spec"));

        Map<String, INDArray> broken = new LinkedHashMap<>(back.tensors());
        broken.remove("head.bias");
        broken.put("blocks.0.attn.qkv.weight", Nd4j.zeros(DataType.DOUBLE, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchWeights.load(layout, again, broken));
        assertTrue(e.getMessage().contains("missing head.bias") && e.getMessage().contains("blocks.0.attn.qkv.weight has shape"),
                e.getMessage());
    }
}
