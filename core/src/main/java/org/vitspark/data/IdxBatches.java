package org.vitspark.data;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Turns idx images into ND4J minibatches: NCHW float pixels in [0, 1] and one-hot labels. */
public final class IdxBatches {

    private IdxBatches() {
    }

    public static List<DataSet> minibatches(IdxImages data, int classes, int batchSize) {
        List<DataSet> out = new ArrayList<>();
        for (int start = 0; start < data.size(); start += batchSize) {
            out.add(batch(data, classes, start, Math.min(data.size(), start + batchSize)));
        }
        return out;
    }

    static DataSet batch(IdxImages data, int classes, int from, int to) {
        int n = to - from;
        int pixels = data.rows() * data.cols();
        float[] x = new float[n * pixels];
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            byte[] img = data.pixels()[from + i];
            for (int p = 0; p < pixels; p++) {
                x[i * pixels + p] = (img[p] & 0xFF) / 255f;
            }
            y[i * classes + data.labels()[from + i]] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[] {n, 1, data.rows(), data.cols()}, DataType.FLOAT);
        INDArray labels = Nd4j.create(y, new long[] {n, classes}, DataType.FLOAT);
        return new DataSet(features, labels);
    }
}
