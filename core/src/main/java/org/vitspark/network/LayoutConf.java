package org.vitspark.network;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.ParamLayout;

/** A layer configuration whose parameters are one {@link ParamLayout} ({@link TransformerParamInitializer} reads it). */
public interface LayoutConf {

    ParamLayout layout();

    /** Fills a fresh flat parameter vector with the layer's initial values. */
    void initialize(INDArray paramsView);
}
