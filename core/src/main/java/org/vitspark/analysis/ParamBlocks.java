package org.vitspark.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.model.ParamLayout;

/**
 * The model's components for per-component λmax, as in the SAM-ViT paper's Table 3: the patch embedding
 * (with class token and position embedding), each block's attention (token MLP for Mixer) with the
 * LayerNorm in front of it, each block's MLP (channel MLP) with its LayerNorm, and the head with the
 * final LayerNorm.
 */
public final class ParamBlocks {

    private ParamBlocks() {
    }

    /** Component name → the layout entries it holds, in model order. */
    public static Map<String, List<ParamLayout.Entry>> of(ParamLayout layout) {
        Map<String, List<ParamLayout.Entry>> out = new LinkedHashMap<>();
        boolean mixer = layout.has("stem.proj.weight");
        for (ParamLayout.Entry e : layout.entries()) {
            out.computeIfAbsent(component(e.name(), mixer), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    static String component(String name, boolean mixer) {
        if (name.startsWith("patchEmbed") || name.startsWith("stem") || name.equals("posEmbed")
                || name.equals("clsToken")) {
            return "patch_embedding";
        }
        if (name.startsWith("blocks.")) {
            String[] parts = name.split("\\.");
            String block = "block" + parts[1] + ".";
            return switch (parts[2]) {
                case "norm1" -> block + (mixer ? "token_mlp" : "attention");
                case "attn" -> block + "attention";
                case "mlpTokens" -> block + "token_mlp";
                default -> block + "mlp";
            };
        }
        return "head";
    }

    /** 1 on the component's coordinates, 0 elsewhere, shaped like the flat parameters [1, P]. */
    public static INDArray mask(ParamLayout layout, List<ParamLayout.Entry> entries, DataType type) {
        INDArray m = Nd4j.zeros(type, 1, layout.total());
        for (ParamLayout.Entry e : entries) {
            m.get(NDArrayIndex.point(0), NDArrayIndex.interval(e.offset(), e.offset() + e.length())).assign(1);
        }
        return m;
    }
}
