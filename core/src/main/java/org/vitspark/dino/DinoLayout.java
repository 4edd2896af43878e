package org.vitspark.dino;

import java.util.ArrayList;
import java.util.List;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;

/**
 * The flat parameter vector of self-distillation pretraining, in three contiguous ranges:
 * <ol>
 *   <li>the student: the backbone with the model's own names and offsets (so {@code TransformerNet} reads
 *       it as it is), then the projection head under {@code projector.};</li>
 *   <li>the teacher: the same tensors in the same order under {@code teacher.}, so the EMA is one
 *       operation on two equal-length ranges;</li>
 *   <li>the centre {@code dino.center} [1, K].</li>
 * </ol>
 * Keeping teacher and centre in the parameter vector makes them travel with the student wherever
 * parameters go: Spark's averaging (both updates are linear, so averaging them equals DINO's EMA of the
 * averaged trajectory; docs/decisions.md), checkpoints and resume. They get no gradient and no update
 * from the optimiser. Weight decay follows DINO's rule (every tensor except biases and 1-D tensors,
 * {@code utils.get_params_groups}); the backbone's classifier is carried but never trained.
 */
public final class DinoLayout {

    public static final String PROJECTOR = "projector.";
    public static final String TEACHER = "teacher.";
    public static final String CENTER = "dino.center";

    private DinoLayout() {
    }

    public static ProjectionHead head(ModelSpec m, DinoSpec d, String prefix) {
        return new ProjectionHead(prefix + PROJECTOR, m.dim(), d.hidden(), d.bottleneck(), d.prototypes());
    }

    public static ParamLayout of(ModelSpec m, DinoSpec d) {
        List<ParamLayout.Extra> student = new ArrayList<>();
        for (ParamLayout.Entry e : ParamLayout.of(m).entries()) {
            student.add(new ParamLayout.Extra(e.name(), e.init(), decays(e.name(), e.shape()), e.shape()));
        }
        for (ParamLayout.Extra e : head(m, d, "").params()) {
            student.add(new ParamLayout.Extra(e.name(), e.init(), decays(e.name(), e.shape()), e.shape()));
        }
        List<ParamLayout.Extra> all = new ArrayList<>(student);
        for (ParamLayout.Extra e : student) {
            all.add(new ParamLayout.Extra(TEACHER + e.name(), e.init(), false, e.shape()));
        }
        all.add(new ParamLayout.Extra(CENTER, ParamLayout.Init.ZEROS, false, 1, d.prototypes()));
        return ParamLayout.of(all);
    }

    /** Length of the student range (= that of the teacher range, which starts right after it). */
    public static long studentLength(ModelSpec m, DinoSpec d) {
        return (of(m, d).total() - d.prototypes()) / 2;
    }

    /** Whether the optimiser trains the tensor: the student's, except the backbone's (unused) classifier. */
    public static boolean trained(String name) {
        return !name.startsWith(TEACHER) && !name.equals(CENTER) && !isClassifier(name);
    }

    static boolean isClassifier(String name) {
        return name.equals("head.weight") || name.equals("head.bias");
    }

    /** DINO's rule: no decay on biases and 1-D tensors; and none on what is not trained. */
    private static boolean decays(String name, long[] shape) {
        return trained(name) && !name.endsWith(".bias") && shape.length > 1;
    }
}
