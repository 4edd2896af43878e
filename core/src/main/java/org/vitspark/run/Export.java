package org.vitspark.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.SafeTensors;
import org.vitspark.model.TorchWeights;
import org.vitspark.network.TransformerConf;
import org.vitspark.network.SupernetLayer;
import org.vitspark.network.TransformerLayer;

/**
 * The final model of a finished run: model.zip (DL4J, with updater state), for a supernet supernet.safetensors
 * (its shared tensors), else weights.safetensors (timm /
 * PyTorch tensor names and shapes), objective.safetensors when the objective owns tensors (the patch
 * head), and summary.json; each written atomically.
 */
public final class Export {

    /** Sorted, so the header's bytes (and the file) are the same in every JVM; Map.of iterates in a per-JVM order. */
    private static final Map<String, String> METADATA = new java.util.TreeMap<>(Map.of("format", "pt", "source", "vitspark"));

    private Export() {
    }

    /** What summary.json records: the final evaluation, the last training loss, rounds and wall time. */
    public record Final(double testTop1, double testTop5, double testLoss, double lastLoss, int rounds, double seconds) {
    }

    public static void write(RunDirectory run, ComputationGraph net, Final f) throws IOException {
        HadoopFiles.writeAtomically(run.fs(), run.file("model.zip"), s -> ModelSerializer.writeModel(net, s, true));
        if (net.getOutputLayer(0) instanceof SupernetLayer supernet) {
            // the shared tensors under their own names: no standalone model to load them into
            ParamLayout layout = supernet.layerConf().layout();
            HadoopFiles.writeAtomically(run.fs(), run.file("supernet.safetensors"), s -> SafeTensors.write(s,
                    TorchWeights.export(layout, net.params()), METADATA));
        } else {
            writeWeights(run, net);
        }
        JsonLine summary = new JsonLine()
                .put("test_top1", f.testTop1()).put("test_top5", f.testTop5()).put("test_loss", f.testLoss())
                .put("last_loss", f.lastLoss()).put("rounds", f.rounds()).put("seconds", f.seconds())
                .put("params", net.numParams());
        if (net.getOutputLayer(0) instanceof TransformerLayer t) {
            summary.put("macs", org.vitspark.model.ModelSize.macs(t.layerConf().modelSpec()));
        }
        HadoopFiles.writeString(run.fs(), run.file("summary.json"), summary.toString() + "\n");
    }

    private static void writeWeights(RunDirectory run, ComputationGraph net) throws IOException {
        TransformerConf conf = ((TransformerLayer) net.getOutputLayer(0)).layerConf();
        ParamLayout layout = ParamLayout.of(conf.modelSpec());
        HadoopFiles.writeAtomically(run.fs(), run.file("weights.safetensors"), s -> SafeTensors.write(s,
                TorchWeights.export(layout, net.params()), METADATA));
        // An objective's own tensors (a patch head) go to a file of their own: weights.safetensors stays a state
        // dict that timm loads strictly.
        Map<String, INDArray> objective = new LinkedHashMap<>();
        for (ParamLayout.Entry e : conf.layout().entries()) {
            if (!layout.has(e.name())) {
                objective.put(ParamLayout.torchName(e.name()), conf.layout().view(net.params(), e.name()).dup('c'));
            }
        }
        if (!objective.isEmpty()) {
            HadoopFiles.writeAtomically(run.fs(), run.file("objective.safetensors"),
                    s -> SafeTensors.write(s, objective, METADATA));
        }
    }
}
