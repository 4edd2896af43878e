package org.vitspark.network;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;

/**
 * What the network's one layer configurations share ({@link TransformerConf}, {@link DinoConf}): a whole
 * model as one DL4J output layer over one flat parameter vector ({@link LayoutConf}), which takes its input
 * as it is (no preprocessor) and whose parameters DL4J views through {@link TransformerParamInitializer}.
 */
public abstract class FlatLayerConf extends BaseOutputLayer implements LayoutConf {

    /** The model's shape ({@link ModelSpec#encode}) and the seeds of its initial values and dropout masks. */
    private String spec;
    private long initSeed;
    private long dropSeed;
    private transient ParamLayout layout;

    /** For Jackson. */
    protected FlatLayerConf() {
    }

    protected FlatLayerConf(BaseOutputLayer.Builder<?> b, ModelSpec spec, long initSeed, long dropSeed) {
        super(b);
        this.spec = spec.encode();
        this.initSeed = initSeed;
        this.dropSeed = dropSeed;
    }

    public ModelSpec modelSpec() {
        return ModelSpec.decode(spec);
    }

    /** The flat vector's tensors, built from the configuration on first use. */
    protected abstract ParamLayout buildLayout();

    @Override
    public ParamLayout layout() {
        if (layout == null) {
            layout = buildLayout();
        }
        return layout;
    }

    /** A field the layout depends on changed (Jackson sets them one by one). */
    protected void layoutChanged() {
        layout = null;
    }

    /** The model's initial values (ParamInit over the whole layout, from the init seed). */
    @Override
    public void initialize(INDArray paramsView) {
        org.vitspark.model.ParamInit.initialize(layout(), paramsView, getInitSeed());
    }

    /** Images in, class scores out (the classifiers); DINO's layer says otherwise. */
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

    /** The runtime layer of this configuration. */
    protected abstract org.deeplearning4j.nn.layers.BaseOutputLayer<?> newLayer(NeuralNetConfiguration conf,
                                                                              DataType dataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        org.deeplearning4j.nn.layers.BaseOutputLayer<?> layer = newLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> table = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return TransformerParamInitializer.INSTANCE;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null; // the layer takes its input as it is
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    public String getSpec() {
        return spec;
    }

    public void setSpec(String spec) {
        this.spec = spec;
        layoutChanged();
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
        return o instanceof FlatLayerConf f && super.equals(o) && Objects.equals(spec, f.spec)
                && initSeed == f.initSeed && dropSeed == f.dropSeed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), spec, initSeed, dropSeed);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(layout().total(), 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
