package org.vitspark.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.checkpoint.Checkpoint;
import org.vitspark.checkpoint.CheckpointStore;
import org.vitspark.config.SavedConfig;
import org.vitspark.dino.DinoLayout;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.SafeTensors;

/**
 * model.init: a pretraining run's teacher backbone as the starting point of fine-tuning, loaded by
 * parameter name. The authors' fine-tuning script pairs the model's and the checkpoint's tensors by
 * position and silently keeps any that mismatch in shape; here every backbone tensor must be found
 * under its own name with its own shape, and nothing but the classifier may be left over. The classifier
 * ({@code head.*}) starts fresh.
 */
public final class PretrainedBackbone {

    /** The teacher's tensors by timm name, and where they came from. */
    public record Source(String description, Map<String, INDArray> tensors) {
    }

    private PretrainedBackbone() {
    }

    /**
     * Reads {@code location}: a pretraining run directory (its teacher.safetensors, or its latest checkpoint
     * when the run is unfinished) or one of its checkpoint directories.
     */
    public static Source read(String location, Configuration conf) throws IOException {
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new IllegalArgumentException("model.init: " + location + " does not exist");
        }
        Path teacher = new Path(p, "teacher.safetensors");
        if (fs.exists(teacher)) {
            try (InputStream in = fs.open(teacher)) {
                return new Source(teacher.toString(), SafeTensors.read(in, teacher.toString()).tensors());
            }
        }
        Checkpoint cp;
        if (fs.exists(new Path(p, "state.json"))) {
            cp = new CheckpointStore(fs, p.getParent(), Integer.MAX_VALUE, warnings()).loadNamed(p.getName());
        } else if (fs.exists(new Path(p, "checkpoints/" + CheckpointStore.LATEST))) {
            cp = new CheckpointStore(fs, new Path(p, "checkpoints"), Integer.MAX_VALUE, warnings()).loadLatest()
                    .orElseThrow(() -> new IllegalArgumentException("model.init: no published checkpoint in " + p));
        } else {
            throw new IllegalArgumentException("model.init: " + location + " is neither a pretraining run directory "
                    + "(teacher.safetensors or checkpoints/LATEST) nor a checkpoint directory (state.json)");
        }
        SavedConfig saved = SavedConfig.parse(cp.config());
        ParamLayout layout = DinoLayout.of(saved.model(), saved.dino());
        if (layout.total() != cp.params().length()) {
            throw new IllegalArgumentException("model.init: " + location + " holds " + cp.params().length()
                    + " parameters, not a pretraining checkpoint of " + layout.total());
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParamLayout.Entry e : ParamLayout.of(saved.model()).entries()) {
            out.put(ParamLayout.torchName(e.name()), layout.view(cp.params(), DinoLayout.TEACHER + e.name()).dup('c'));
        }
        return new Source("the teacher of checkpoint " + cp.name() + " in " + location, out);
    }

    /**
     * Copies the source's backbone into {@code flat} (laid out as {@code m}'s model, possibly followed by an
     * objective's tensors, which keep their values); the classifier keeps its fresh initialisation. Fails
     * naming every missing, unexpected or mis-shaped tensor. Returns the number of tensors loaded.
     */
    public static int load(Source source, ModelSpec m, INDArray flat) {
        ParamLayout layout = ParamLayout.of(m);
        List<String> problems = new ArrayList<>();
        int loaded = 0;
        for (ParamLayout.Entry e : layout.entries()) {
            if (isClassifier(e.name())) {
                continue;
            }
            String name = ParamLayout.torchName(e.name());
            INDArray t = source.tensors().get(name);
            if (t == null) {
                problems.add("missing " + name + " " + Arrays.toString(e.shape()));
            } else if (!Arrays.equals(t.shape(), e.shape())) {
                problems.add(name + " has shape " + Arrays.toString(t.shape()) + ", the model needs "
                        + Arrays.toString(e.shape()));
            } else {
                layout.view(flat, e.name()).assign(t.castTo(flat.dataType()));
                loaded++;
            }
        }
        for (String name : source.tensors().keySet()) {
            boolean known = layout.entries().stream().anyMatch(e -> ParamLayout.torchName(e.name()).equals(name));
            if (!known) {
                problems.add("unexpected tensor " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("model.init: " + source.description() + " does not fit the model: "
                    + String.join("; ", problems));
        }
        return loaded;
    }

    private static java.io.PrintWriter warnings() {
        return new java.io.PrintWriter(System.err, true);
    }

    private static boolean isClassifier(String name) {
        return name.startsWith("head.");
    }
}
