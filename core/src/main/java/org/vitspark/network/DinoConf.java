package org.vitspark.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.vitspark.dino.DinoLayout;
import org.vitspark.dino.DinoSpec;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamInit;
import org.vitspark.model.ParamLayout;
import org.vitspark.optim.DelayedAdam;
import org.vitspark.optim.DelayedWeightDecay;
import org.vitspark.optim.DinoSchedule;

/**
 * Self-distillation pretraining (DINO) as one DL4J output layer over {@link DinoLayout}'s flat vector:
 * packed multi-crop views in, the DINO loss as its score. Per tensor it tells DL4J's updater what DINO's
 * optimiser does: AdamW on the student with weight decay on DINO's cosine schedule, nothing at all for
 * the teacher, the centre and the backbone's unused classifier (no update, no decay), and the prototype
 * layer frozen for its first {@code freezeSteps} iterations ({@link DelayedAdam}, {@link DelayedWeightDecay}).
 * Gradient clipping is per tensor (ClipL2PerParamType = DINO's {@code clip_gradients}).
 */
public class DinoConf extends FlatLayerConf {

    private String dino;
    private long freezeSteps;
    private double weightDecayStart;
    private double weightDecayEnd;
    private transient Map<String, List<Regularization>> regularizations;

    /** For Jackson. */
    public DinoConf() {
    }

    private DinoConf(Builder b) {
        super(b, b.spec, b.initSeed, b.dropSeed);
        this.dino = b.dino.encode();
        this.freezeSteps = b.freezeSteps;
        this.weightDecayStart = b.weightDecayStart;
        this.weightDecayEnd = b.weightDecayEnd;
        initializeConstraints(b);
    }

    public DinoSpec dinoSpec() {
        return DinoSpec.decode(dino);
    }

    @Override
    protected ParamLayout buildLayout() {
        return DinoLayout.of(modelSpec(), dinoSpec());
    }

    /** The student from the seed (the backbone as a supervised run of that seed starts), the teacher a copy of it. */
    @Override
    public void initialize(INDArray paramsView) {
        ParamInit.initialize(layout(), paramsView, getInitSeed());
        long s = DinoLayout.studentLength(modelSpec(), dinoSpec());
        INDArray flat = paramsView.reshape(paramsView.length());
        flat.get(NDArrayIndex.interval(s, 2 * s)).assign(flat.get(NDArrayIndex.interval(0, s)));
    }

    @Override
    protected void layoutChanged() {
        super.layoutChanged();
        regularizations = null;
    }

    /** DINO's weight-decay schedule: cosine from start to end over the run, per iteration. */
    public DinoSchedule weightDecaySchedule() {
        return DinoSchedule.cosine(weightDecayStart, weightDecayStart, weightDecayEnd, 0, dinoSpec().totalSteps());
    }

    private String lastLayer() {
        return DinoLayout.head(modelSpec(), dinoSpec(), "").lastLayer();
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (!DinoLayout.trained(paramName)) {
            return new NoOp();
        }
        if (freezeSteps > 0 && paramName.equals(lastLayer())) {
            if (!(getIUpdater() instanceof Adam adam)) {
                throw new IllegalArgumentException("ssl.freeze-last-layer needs the adamw optimizer, got "
                        + getIUpdater().getClass().getSimpleName());
            }
            return new DelayedAdam(adam, freezeSteps);
        }
        return getIUpdater();
    }

    /**
     * DL4J asks for every tensor's regularisation at every step (UpdaterBlock): the answers are built once
     * per configuration, not by decoding the specs each time.
     */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (regularizations == null) {
            Map<String, List<Regularization>> all = new HashMap<>();
            String last = lastLayer();
            DinoSchedule wd = weightDecaySchedule();
            for (ParamLayout.Entry e : layout().entries()) {
                List<Regularization> out = new ArrayList<>();
                if (e.decay() && (weightDecayStart != 0 || weightDecayEnd != 0)) {
                    out.add(freezeSteps > 0 && e.name().equals(last) ? new DelayedWeightDecay(wd, freezeSteps)
                            : new WeightDecay(wd, true));
                }
                all.put(e.name(), out);
            }
            regularizations = all;
        }
        List<Regularization> out = regularizations.get(paramName);
        if (out == null) {
            throw new IllegalArgumentException("no parameter named " + paramName);
        }
        // a mutable copy, as DL4J's own lists (Kryo rebuilds them by adding elements)
        return new ArrayList<>(out);
    }

    @Override
    protected org.deeplearning4j.nn.layers.BaseOutputLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new DinoLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(dinoSpec().prototypes());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        nIn = dinoSpec().packedLength(modelSpec().channels());
        nOut = dinoSpec().prototypes();
    }

    public String getDino() {
        return dino;
    }

    public void setDino(String dino) {
        this.dino = dino;
        layoutChanged();
        regularizations = null;
    }

    public long getFreezeSteps() {
        return freezeSteps;
    }

    public void setFreezeSteps(long freezeSteps) {
        this.freezeSteps = freezeSteps;
        regularizations = null;
    }

    public double getWeightDecayStart() {
        return weightDecayStart;
    }

    public void setWeightDecayStart(double v) {
        this.weightDecayStart = v;
        regularizations = null;
    }

    public double getWeightDecayEnd() {
        return weightDecayEnd;
    }

    public void setWeightDecayEnd(double v) {
        this.weightDecayEnd = v;
        regularizations = null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DinoConf t && super.equals(o) && Objects.equals(dino, t.dino)
                && freezeSteps == t.freezeSteps && weightDecayStart == t.weightDecayStart
                && weightDecayEnd == t.weightDecayEnd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dino, freezeSteps, weightDecayStart, weightDecayEnd);
    }

    public static final class Builder extends BaseOutputLayer.Builder<Builder> {
        private final ModelSpec spec;
        private final DinoSpec dino;
        private long initSeed;
        private long dropSeed;
        private long freezeSteps;
        private double weightDecayStart;
        private double weightDecayEnd;

        public Builder(ModelSpec spec, DinoSpec dino) {
            this.spec = spec;
            this.dino = dino;
            // Stated for DL4J's output-layer validation; the score is the DINO loss.
            activation(Activation.SOFTMAX);
            lossFunction(new LossMCXENT());
            nIn(dino.packedLength(spec.channels()));
            nOut(dino.prototypes());
        }

        public Builder initSeed(long v) {
            initSeed = v;
            return this;
        }

        public Builder dropSeed(long v) {
            dropSeed = v;
            return this;
        }

        /** Iterations the prototype layer stays frozen (DINO: the first epoch). */
        public Builder freezeSteps(long v) {
            freezeSteps = v;
            return this;
        }

        /** Weight decay from {@code start} to {@code end} on a cosine over the run (DINO 0.04 → 0.4). */
        public Builder weightDecay(double start, double end) {
            weightDecayStart = start;
            weightDecayEnd = end;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public DinoConf build() {
            return new DinoConf(this);
        }
    }
}
