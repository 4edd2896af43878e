package org.vitspark.network;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.vitspark.model.ModelSpec;
import org.vitspark.objective.ObjectiveSpec;
import org.vitspark.config.OptimSettings;
import org.vitspark.rng.Rng;
import org.vitspark.rng.Purpose;

/**
 * Builds the DL4J network for a spec: input "image" (NCHW) → layer "vit" ({@link TransformerConf}).
 * The optimiser is AdamW: DL4J's Adam with the learning-rate schedule, plus {@link WeightDecay} with
 * applyLR, which DL4J applies after the Adam update (decoupled, Loshchilov and Hutter 2019) and only
 * to the "weight" parameters (matrices), not to biases, LayerNorm, position embedding or class token.
 * DL4J's Adam puts ε outside the bias correction (Kingma and Ba's efficient form), which differs from
 * PyTorch's AdamW only in the size of ε. Gradient clipping: ClipL2PerLayer over the one layer = global
 * norm.
 */
public final class Networks {

    public static final String INPUT = "image";
    public static final String LAYER = "vit";

    private Networks() {
    }

    public static ComputationGraph build(ModelSpec m, OptimSettings o, long seed, DataType dtype) {
        return build(m, o, updater("adamw", o), seed, dtype);
    }

    /**
     * The updater optim.optimizer names: adamw (Adam with the schedule; decoupled decay is the layer's
     * WeightDecay) or sgd (plain SGD with the schedule, no momentum: the averaging equivalence tests use it,
     * since the mean of SGD steps equals one step on the union of the batches).
     */
    public static IUpdater updater(String optimizer, OptimSettings o) {
        return switch (optimizer) {
            case "adamw" -> Adam.builder().learningRateSchedule(o.lrSchedule()).beta1(o.beta1()).beta2(o.beta2())
                    .epsilon(o.eps()).build();
            case "sgd" -> new org.nd4j.linalg.learning.config.Sgd(o.lrSchedule());
            default -> throw new IllegalArgumentException("optim.optimizer: unknown optimizer " + optimizer);
        };
    }

    /** As {@link #build(ModelSpec, OptimSettings, long, DataType)} with another updater (tests use Sgd/NoOp). */
    public static ComputationGraph build(ModelSpec m, OptimSettings o, IUpdater updater, long seed, DataType dtype) {
        return build(m, ObjectiveSpec.crossEntropy(o.labelSmoothing()), o, updater, seed, dtype);
    }

    /**
     * The self-distillation pretraining network ({@link DinoConf}): input "views" (packed multi-crop rows),
     * the student trained by {@code updater} (Adam with DINO's learning-rate schedule, or SGD in tests),
     * weight decay on DINO's cosine schedule, per-tensor clipping at {@code clip} (0 = off), the prototype
     * layer frozen for {@code freezeSteps}; the {@link TeacherEma} listener attached.
     */
    public static ComputationGraph dino(ModelSpec m, org.vitspark.dino.DinoSpec d, IUpdater updater,
                                        double weightDecayStart, double weightDecayEnd, long freezeSteps,
                                        double clip, long seed, DataType dtype) {
        DinoConf.Builder layer = new DinoConf.Builder(m, d)
                .initSeed(Rng.mix(seed, Purpose.PARAM_INIT.code))
                .dropSeed(Rng.mix(seed, Purpose.DROPOUT.code))
                .freezeSteps(freezeSteps)
                .weightDecay(weightDecayStart, weightDecayEnd);
        if (clip > 0) {
            layer.gradientNormalization(GradientNormalization.ClipL2PerParamType);
            layer.gradientNormalizationThreshold(clip);
        }
        ComputationGraph net = graph(layer.build(), InputType.feedForward(d.packedLength(m.channels())), updater, seed,
                dtype);
        net.addListeners(new TeacherEma());
        return net;
    }

    /**
     * ViTAS's supernet ({@link SupernetConf}) over {@code space} with the channel {@code policy}, the identity
     * probability already calibrated, genomes drawn from {@code seed}, soft cross-entropy with label smoothing;
     * evaluations run the baseline's genome (the space's base spec) when the space holds it, else the widest;
     * AdamW with decoupled decay on the weight matrices and global-norm clipping as {@link #build}.
     */
    public static ComputationGraph supernet(org.vitspark.search.SearchSpace space,
                                            org.vitspark.search.ChannelPolicy policy, double identityProb,
                                            OptimSettings o, IUpdater updater, long seed, DataType dtype) {
        SupernetConf.Builder layer = new SupernetConf.Builder(space, policy)
                .evalGenome(space.genomeOf(space.base()).map(org.vitspark.search.Genome::key).orElse(""))
                .identityProb(identityProb)
                .genomeSeed(seed)
                .labelSmoothing(o.labelSmoothing())
                .initSeed(Rng.mix(seed, Purpose.PARAM_INIT.code))
                .dropSeed(Rng.mix(seed, Purpose.DROPOUT.code));
        decayAndClip(layer, o);
        ModelSpec m = space.base();
        return graph(layer.build(), InputType.convolutional(m.imageSize(), m.imageSize(), m.channels()), updater, seed,
                dtype);
    }

    /** As above, training {@code objective} (the model's parameters are followed by the objective's own). */
    public static ComputationGraph build(ModelSpec m, ObjectiveSpec objective, OptimSettings o, IUpdater updater,
                                         long seed, DataType dtype) {
        TransformerConf.Builder layer = new TransformerConf.Builder(m)
                .objective(objective)
                .initSeed(Rng.mix(seed, Purpose.PARAM_INIT.code))
                .dropSeed(Rng.mix(seed, Purpose.DROPOUT.code));
        decayAndClip(layer, o);
        return graph(layer.build(), InputType.convolutional(m.imageSize(), m.imageSize(), m.channels()), updater, seed,
                dtype);
    }

    /**
     * AdamW's decoupled decay on the weight matrices only (DL4J applies it after the Adam update), and
     * global-norm clipping (ClipL2PerLayer over the one layer) when optim.clip-norm is set.
     */
    private static void decayAndClip(BaseOutputLayer.Builder<?> layer, OptimSettings o) {
        // Mutable lists: Kryo rebuilds them on executors by adding elements (List.of would throw there).
        layer.regularization(new ArrayList<>(List.<Regularization>of(new WeightDecay(o.weightDecay(), true))));
        layer.regularizationBias(new ArrayList<>());
        if (o.clipNorm() > 0) {
            layer.gradientNormalization(GradientNormalization.ClipL2PerLayer);
            layer.gradientNormalizationThreshold(o.clipNorm());
        }
    }

    /** Input "image" → the one layer "vit" (its output), no workspaces (our passes manage their arrays), initialised. */
    private static ComputationGraph graph(org.deeplearning4j.nn.conf.layers.Layer layer, InputType input,
                                          IUpdater updater, long seed, DataType dtype) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(input)
                .addLayer(LAYER, layer, INPUT)
                .setOutputs(LAYER)
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
