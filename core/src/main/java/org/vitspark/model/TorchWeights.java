package org.vitspark.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters ↔ a timm/PyTorch state dict: same tensor names (snake_case), same shapes ([out, in]
 * linears, [D, C, p, p] patch convolution). Import checks that every tensor is present with its shape
 * and names anything missing, misshapen or unexpected.
 */
public final class TorchWeights {

    private TorchWeights() {
    }

    public static Map<String, INDArray> export(ParamLayout layout, INDArray flat) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParamLayout.Entry e : layout.entries()) {
            out.put(ParamLayout.torchName(e.name()), layout.view(flat, e.name()).dup('c'));
        }
        return out;
    }

    /** Copies a state dict into the flat vector (cast to its type); a missing, misshapen or extra tensor is an error. */
    public static void load(ParamLayout layout, INDArray flat, Map<String, INDArray> state) {
        List<String> problems = new ArrayList<>();
        for (ParamLayout.Entry e : layout.entries()) {
            String name = ParamLayout.torchName(e.name());
            INDArray t = state.get(name);
            if (t == null) {
                problems.add("missing " + name + " " + Arrays.toString(e.shape()));
            } else if (!Arrays.equals(t.shape(), e.shape())) {
                problems.add(name + " has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.shape()));
            } else {
                layout.view(flat, e.name()).assign(t.castTo(flat.dataType()));
            }
        }
        for (String name : state.keySet()) {
            boolean known = layout.entries().stream().anyMatch(e -> ParamLayout.torchName(e.name()).equals(name));
            if (!known) {
                problems.add("unexpected tensor " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("state dict does not fit the model: " + String.join("; ", problems));
        }
    }
}
