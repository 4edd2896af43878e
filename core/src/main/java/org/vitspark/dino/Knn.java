package org.vitspark.dino;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DINO's weighted k-NN classifier ({@code eval_knn.knn_classifier}, after Wu et al. 2018): features
 * L2-normalised, cosine similarity to every bank image, the k most similar vote for their labels with
 * weight exp(similarity / T), top-1 and top-5 of the summed votes. A health metric of frozen features:
 * no training, so it shows what the backbone has learned by itself.
 */
public final class Knn {

    /** Test images compared per matrix product (bounds the similarity block's memory). */
    private static final int CHUNK = 512;

    public record Result(long images, double top1, double top5) {
    }

    private Knn() {
    }

    /**
     * @param bank [N, D] features of the labelled images, {@code bankLabels} their classes
     * @param test [M, D] features of the images to classify, {@code testLabels} their classes
     */
    public static Result classify(INDArray bank, int[] bankLabels, INDArray test, int[] testLabels, int classes, int k,
                                  double temperature) {
        if (bank.size(0) != bankLabels.length || test.size(0) != testLabels.length) {
            throw new IllegalArgumentException("features and labels disagree: bank " + bank.size(0) + "/"
                    + bankLabels.length + ", test " + test.size(0) + "/" + testLabels.length);
        }
        int kk = Math.min(k, bankLabels.length);
        INDArray b = normalised(bank);
        INDArray t = normalised(test);
        long top1 = 0;
        long top5 = 0;
        int m = testLabels.length;
        int n = bankLabels.length;
        for (int from = 0; from < m; from += CHUNK) {
            int to = Math.min(m, from + CHUNK);
            float[] sims = t.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).mmul(b.transpose())
                    .castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int row = 0; row < to - from; row++) {
                double[] votes = vote(sims, row * n, n, bankLabels, classes, kk, temperature);
                int label = testLabels[from + row];
                int better = 0; // classes with more votes than the true one (ties: lower index first, as argsort)
                for (int c = 0; c < classes; c++) {
                    if (votes[c] > votes[label] || (votes[c] == votes[label] && c < label)) {
                        better++;
                    }
                }
                top1 += better == 0 ? 1 : 0;
                top5 += better < 5 ? 1 : 0;
            }
        }
        return new Result(m, (double) top1 / m, (double) top5 / m);
    }

    /** The summed weights per class of the k nearest bank images to one test row. */
    private static double[] vote(float[] sims, int offset, int n, int[] labels, int classes, int k, double temperature) {
        int[] best = new int[k];
        int size = 0;
        // insertion into a small sorted array (k = 20 of thousands): descending similarity
        for (int j = 0; j < n; j++) {
            float s = sims[offset + j];
            if (size == k && s <= sims[offset + best[k - 1]]) {
                continue;
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && sims[offset + best[pos - 1]] < s) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = j;
        }
        double[] votes = new double[classes];
        for (int i = 0; i < size; i++) {
            votes[labels[best[i]]] += Math.exp(sims[offset + best[i]] / temperature);
        }
        return votes;
    }

    private static INDArray normalised(INDArray x) {
        INDArray norms = x.norm2(1).reshape(x.size(0), 1);
        return x.divColumnVector(org.nd4j.linalg.ops.transforms.Transforms.max(norms, 1e-12));
    }
}
