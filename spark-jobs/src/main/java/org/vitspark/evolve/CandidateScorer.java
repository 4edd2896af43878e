package org.vitspark.evolve;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.search.ChannelPolicy;
import org.vitspark.search.Evolution;
import org.vitspark.search.Genome;
import org.vitspark.search.InheritedScore;
import org.vitspark.search.SearchSpace;
import org.vitspark.search.SupernetSlicer;
import org.vitspark.spark.GpuBinding;
import org.vitspark.spark.WorkerThreads;

/**
 * Scores candidates with inherited weights as Spark tasks: the supernet's parameters and the held-out images
 * are broadcast once, each generation's genomes are spread over the cluster's task slots, and every task cuts
 * and runs its genomes' sub-networks ({@link InheritedScore}). Scores come back in the genomes' order.
 */
public final class CandidateScorer implements Evolution.Scorer, AutoCloseable {

    /** What every task needs: the space and policy, the supernet's parameters, the images (a class: Kryo cannot write records). */
    static final class Payload implements Serializable {
        final String space;
        final ChannelPolicy policy;
        final float[] params;
        final HeldOutImages images;

        Payload(String space, ChannelPolicy policy, float[] params, HeldOutImages images) {
            this.space = space;
            this.policy = policy;
            this.params = params;
            this.images = images;
        }
    }

    /** Images per forward pass when scoring (memory, not results, depends on it). */
    static final int BATCH = 250;

    private final JavaSparkContext sc;
    private final Broadcast<Payload> payload;
    private final SearchSpace space;

    public CandidateScorer(JavaSparkContext sc, SearchSpace space, ChannelPolicy policy, INDArray supernetParams,
                           HeldOutImages images) {
        this.sc = sc;
        this.space = space;
        this.payload = sc.broadcast(new Payload(space.encode(), policy, supernetParams.dup().data().asFloat(), images));
    }

    @Override
    public double[] score(List<Genome> genomes) {
        List<String> keys = new ArrayList<>();
        for (Genome g : genomes) {
            keys.add(g.key());
        }
        int slices = Math.max(1, Math.min(keys.size(), sc.defaultParallelism()));
        Broadcast<Payload> bc = payload;
        sc.setJobDescription(String.format("score %d genomes with inherited weights on %,d held-out images",
                keys.size(), bc.value().images.size()));
        List<Double> scores = sc.parallelize(keys, slices).mapPartitions(it -> {
            GpuBinding.bind();
            WorkerThreads.apply();
            Payload p = bc.value();
            SearchSpace s = SearchSpace.decode(p.space);
            SupernetSlicer slicer = new SupernetSlicer(s, p.policy);
            INDArray params = Nd4j.createFromArray(p.params).reshape(1, p.params.length);
            INDArray images = p.images.images();
            List<Double> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(InheritedScore.score(slicer, params, s.genome(it.next()), images, p.images.labels(), BATCH));
            }
            return out.iterator();
        }).collect();
        double[] f = new double[scores.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = scores.get(i);
        }
        return f;
    }

    public SearchSpace space() {
        return space;
    }

    @Override
    public void close() {
        payload.destroy(false);
    }
}
