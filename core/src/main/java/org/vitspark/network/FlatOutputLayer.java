package org.vitspark.network;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the runtime layers of a {@link FlatLayerConf} share ({@link TransformerLayer}, {@link DinoLayer}):
 * a training step computes the gradient and then the score from one cached pass, whose loss is already
 * the batch mean (DL4J must not divide again), and the labels are used as they come.
 */
public abstract class FlatOutputLayer<C extends FlatLayerConf> extends org.deeplearning4j.nn.layers.BaseOutputLayer<C>
        implements TrainedLayer {

    /** The data-parallel worker's index, mixed into its dropout masks. */
    protected int partition;
    private transient long lastCorrect;
    private transient long lastExamples;

    protected FlatOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void setPartition(int partition) {
        this.partition = partition;
    }

    /**
     * Examples of the last training-mode score whose logits' arg-max equals the target's, and that batch's size
     * ({@link #countCorrect}).
     */
    @Override
    public long[] lastCorrectOf() {
        return new long[] {lastCorrect, lastExamples};
    }

    /**
     * Counts a training batch's correct examples while the loss is computed: DL4J clears the layer's labels
     * and pass before its listeners run.
     */
    protected void countCorrect(INDArray logits, INDArray classTargets) {
        lastCorrect = org.nd4j.linalg.factory.Nd4j.argMax(logits, 1).eq(org.nd4j.linalg.factory.Nd4j.argMax(
                classTargets, 1)).castTo(DataType.INT).sumNumber().longValue();
        lastExamples = classTargets.size(0);
    }

    /**
     * 0: the reported score is the objective's loss alone, and decoupled weight decay (AdamW) is no part of
     * it (the updater applies it to the parameters directly). DL4J would otherwise take an L2 norm of every
     * decayed tensor at every step only for a term the score ignores (~1 ms of a 42 ms ViT-tiny step).
     */
    @Override
    public double calcRegularizationScore(boolean backpropOnlyParams) {
        return 0;
    }

    /** Forgets the cached pass (parameters may have changed since): the next call computes a new one. */
    protected abstract void dropPass();

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        dropPass();
        backpropGradient(null, workspaceMgr);
        computeScore(0, true, workspaceMgr);
    }

    /** A new input: any cached pass is dropped before the forward pass. */
    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        dropPass();
        return activate(training, workspaceMgr);
    }

    /** The flat gradient {@code grads} as DL4J's Gradient, one view per tensor; kept as the layer's gradient. */
    protected org.deeplearning4j.nn.gradient.Gradient publish(INDArray grads) {
        org.deeplearning4j.nn.gradient.Gradient g = new org.deeplearning4j.nn.gradient.DefaultGradient(grads);
        for (org.vitspark.model.ParamLayout.Entry e : layerConf().layout().entries()) {
            g.setGradientFor(e.name(), gradientViews.get(e.name()));
        }
        gradient = g;
        return g;
    }

    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return false;
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
