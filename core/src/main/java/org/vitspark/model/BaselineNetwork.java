package org.vitspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A patch-MLP network from stock DL4J layers: the ViT's patch embedding (a stride-p convolution), then
 * {@code depth} residual per-token MLP blocks, global average pooling and a softmax head. It is the
 * interim model the train job runs until the ViT/Mixer layers (hand-written forward/backward) land;
 * it shares the variant's patch, dim, depth and MLP width.
 */
public final class BaselineNetwork {

    private BaselineNetwork() {
    }

    public static ComputationGraph build(ModelSpec m, IUpdater updater, double weightDecay, long seed, DataType dtype) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .updater(updater)
                .weightDecay(weightDecay)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(m.imageSize(), m.imageSize(), m.channels()));
        g.addLayer("patch", new ConvolutionLayer.Builder(m.patch(), m.patch()).stride(m.patch(), m.patch())
                .nOut(m.dim()).activation(Activation.IDENTITY).build(), "image");
        String previous = "patch";
        for (int i = 0; i < m.depth(); i++) {
            g.addLayer("fc1b" + i, new ConvolutionLayer.Builder(1, 1).nOut(m.mlpDim()).activation(new SigmoidGelu()).build(),
                    previous);
            g.addLayer("fc2b" + i, new ConvolutionLayer.Builder(1, 1).nOut(m.dim()).activation(Activation.IDENTITY).build(),
                    "fc1b" + i);
            g.addVertex("res" + i, new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, "fc2b" + i);
            previous = "res" + i;
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
        g.addLayer("head", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(m.classes())
                .activation(Activation.SOFTMAX).build(), "pool");
        g.setOutputs("head");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }
}
