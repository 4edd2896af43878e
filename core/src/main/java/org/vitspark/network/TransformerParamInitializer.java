package org.vitspark.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.ParamLayout;

/**
 * Tells DL4J the layout of a {@link LayoutConf}'s parameters ({@link TransformerConf}, {@link DinoConf}):
 * views into its flat vector, and which ones are "weights" (decayed) or "biases" (not decayed; DL4J
 * applies regularizationBias to those).
 */
public final class TransformerParamInitializer implements ParamInitializer {

    static final TransformerParamInitializer INSTANCE = new TransformerParamInitializer();

    private static ParamLayout layout(Layer layer) {
        return ((LayoutConf) layer).layout();
    }

    private static ParamLayout layout(NeuralNetConfiguration conf) {
        return layout(conf.getLayer());
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return layout(conf).total();
    }

    @Override
    public long numParams(Layer layer) {
        return layout(layer).total();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        layout(layer).entries().forEach(e -> keys.add(e.name()));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        layout(layer).entries().stream().filter(ParamLayout.Entry::decay).forEach(e -> keys.add(e.name()));
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        layout(layer).entries().stream().filter(e -> !e.decay()).forEach(e -> keys.add(e.name()));
        return keys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return layout(layer).entry(key).decay();
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return !layout(layer).entry(key).decay();
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        LayoutConf c = (LayoutConf) conf.getLayer();
        if (initializeParams) {
            c.initialize(paramsView);
        }
        return c.layout().views(paramsView);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return layout(conf).views(gradientView);
    }
}
