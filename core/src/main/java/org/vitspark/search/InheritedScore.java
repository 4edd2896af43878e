package org.vitspark.search;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.model.TransformerNet;

/**
 * A candidate's score with inherited weights (ViTAS's search metric): its sub-network cut from the trained
 * supernet, run in inference mode on held-out images, top-1 for each alignment of the channel policy, and the
 * mean of the alignments' top-1 (left and right under BCNet; left alone under the left policy). Nothing is
 * retrained or recalibrated (LayerNorm has no batch statistics).
 */
public final class InheritedScore {

    private InheritedScore() {
    }

    /**
     * @param images [N, C, H, W], labels the class index of each image; evaluated {@code batch} images at a time
     * @return the mean over alignments of the fraction classified correctly
     */
    public static double score(SupernetSlicer slicer, INDArray supernetParams, Genome genome, INDArray images,
                               int[] labels, int batch) {
        double sum = 0;
        for (Window.Side side : slicer.policy().sides()) {
            SupernetSlicer.Subnet n = slicer.subnet(genome, side);
            INDArray p = slicer.gather(n, supernetParams);
            TransformerNet net = new TransformerNet(n.spec());
            long correct = 0;
            long total = images.size(0);
            for (long from = 0; from < total; from += batch) {
                long to = Math.min(total, from + batch);
                INDArray x = images.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all());
                INDArray predicted = Nd4j.argMax(net.forward(p, x, false, 0, false).logits(), 1);
                for (long i = from; i < to; i++) {
                    correct += predicted.getInt((int) (i - from)) == labels[(int) i] ? 1 : 0;
                }
            }
            sum += (double) correct / total;
        }
        return sum / slicer.policy().sides().size();
    }
}
