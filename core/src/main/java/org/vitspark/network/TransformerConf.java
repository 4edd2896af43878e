package org.vitspark.network;

import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamInit;
import org.vitspark.model.ParamLayout;
import org.vitspark.objective.Objective;
import org.vitspark.objective.ObjectiveSpec;
import org.vitspark.objective.Objectives;

/**
 * The whole ViT/Mixer as one DL4J output layer: images in, class probabilities out, and a training
 * objective ({@link ObjectiveSpec}: cross-entropy with label smoothing, or any sum of objectives on the
 * pass's intermediates) as its loss. One layer means DL4J's flat parameter and updater vectors, its
 * serialisation and its Spark training master all work unchanged, while the forward and backward passes
 * are ours ({@link org.vitspark.model.TransformerNet}); per-layer gradient clipping of a single layer is
 * global-norm clipping. The flat vector holds the model's tensors, then the objective's (if it owns any).
 */
public class TransformerConf extends FlatLayerConf {

    private String spec;
    private String objective;
    private long initSeed;
    private long dropSeed;
    private transient ParamLayout layout;

    /** For Jackson. */
    public TransformerConf() {
    }

    private TransformerConf(Builder b) {
        super(b);
        this.spec = b.spec.encode();
        this.objective = b.objective.encode();
        this.initSeed = b.initSeed;
        this.dropSeed = b.dropSeed;
        initializeConstraints(b);
    }

    public ModelSpec modelSpec() {
        return ModelSpec.decode(spec);
    }

    public ObjectiveSpec objectiveSpec() {
        return objective == null ? ObjectiveSpec.crossEntropy(0) : ObjectiveSpec.decode(objective);
    }

    /** A new instance of the configured objective. */
    public Objective buildObjective() {
        return Objectives.build(objectiveSpec(), modelSpec());
    }

    @Override
    public void initialize(INDArray paramsView) {
        ParamInit.initialize(layout(), paramsView, initSeed);
    }

    /** The model's tensors followed by the objective's. */
    @Override
    public ParamLayout layout() {
        if (layout == null) {
            layout = ParamLayout.of(modelSpec(), buildObjective().params());
        }
        return layout;
    }

    @Override
    protected org.deeplearning4j.nn.layers.BaseOutputLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new TransformerLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(modelSpec().classes());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        ModelSpec m = modelSpec();
        nIn = (long) m.channels() * m.imageSize() * m.imageSize();
        nOut = m.classes();
    }

    public String getSpec() {
        return spec;
    }

    public void setSpec(String spec) {
        this.spec = spec;
        this.layout = null;
    }

    public String getObjective() {
        return objective;
    }

    public void setObjective(String objective) {
        this.objective = objective;
        this.layout = null;
    }

    /** Reads configurations saved before objectives existed (their loss was cross-entropy with this smoothing). */
    public void setLabelSmoothing(double labelSmoothing) {
        if (objective == null) {
            setObjective(ObjectiveSpec.crossEntropy(labelSmoothing).encode());
        }
    }

    public long getInitSeed() {
        return initSeed;
    }

    public void setInitSeed(long initSeed) {
        this.initSeed = initSeed;
    }

    public long getDropSeed() {
        return dropSeed;
    }

    public void setDropSeed(long dropSeed) {
        this.dropSeed = dropSeed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerConf t && super.equals(o) && Objects.equals(spec, t.spec)
                && Objects.equals(objective, t.objective) && initSeed == t.initSeed && dropSeed == t.dropSeed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), spec, objective, initSeed, dropSeed);
    }

    public static final class Builder extends BaseOutputLayer.Builder<Builder> {
        private final ModelSpec spec;
        private ObjectiveSpec objective = ObjectiveSpec.crossEntropy(0);
        private long initSeed;
        private long dropSeed;

        public Builder(ModelSpec spec) {
            this.spec = spec;
            // What the layer computes, stated for DL4J's output-layer validation and evaluation.
            activation(Activation.SOFTMAX);
            lossFunction(new LossMCXENT());
            nIn((long) spec.channels() * spec.imageSize() * spec.imageSize());
            nOut(spec.classes());
        }

        public Builder objective(ObjectiveSpec v) {
            objective = v;
            return this;
        }

        public Builder initSeed(long v) {
            initSeed = v;
            return this;
        }

        public Builder dropSeed(long v) {
            dropSeed = v;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public TransformerConf build() {
            return new TransformerConf(this);
        }
    }
}
