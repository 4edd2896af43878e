package org.vitspark.network;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the network's one layer configurations share ({@link TransformerConf}, {@link DinoConf}): a whole
 * model as one DL4J output layer over one flat parameter vector ({@link LayoutConf}), which takes its input
 * as it is (no preprocessor) and whose parameters DL4J views through {@link TransformerParamInitializer}.
 */
public abstract class FlatLayerConf extends BaseOutputLayer implements LayoutConf {

    /** For Jackson. */
    protected FlatLayerConf() {
    }

    protected FlatLayerConf(BaseOutputLayer.Builder<?> b) {
        super(b);
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

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(layout().total(), 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
