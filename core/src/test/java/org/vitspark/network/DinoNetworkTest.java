package org.vitspark.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.vitspark.dino.DinoLayout;
import org.vitspark.dino.DinoSpec;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNetGradientTest;

/**
 * The DINO network as DL4J trains it: the whole step's gradient against finite differences, no gradient
 * and no optimiser update for the teacher and the centre, the teacher's EMA, the last layer's freeze
 * (no moment update, no decay), per-tensor clipping, and the averaging identity for teacher and centre.
 */
public class DinoNetworkTest {

    /** 8 px images, patch 4 (2×2 grid); local views of 4 px (1×1 grid). */
    static ModelSpec model(double dropPath) {
        return new ModelSpec("check", ModelSpec.Family.VIT, 8, 1, 3, 4, 8, 1, 2, 12, 0, ModelSpec.Pooling.CLS, 0,
                dropPath, true);
    }

    static DinoSpec dino(long totalSteps) {
        return new DinoSpec(6, 4, 7, 2, 2, 8, 4, 0.1, 0.04, 0.07, 3, 0.9, 0.996, totalSteps);
    }

    static ComputationGraph net(IUpdater updater, double wd, long freeze, double clip, DataType dtype) {
        return Networks.dino(model(0), dino(10), updater, wd, wd * 10, freeze, clip, 7, dtype);
    }

    static DataSet batch(int b, long seed, DataType dtype) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(dtype, b, dino(10).packedLength(1)).subi(0.5);
        INDArray y = Nd4j.zeros(dtype, b, 3);
        for (int i = 0; i < b; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return new DataSet(x, y);
    }

    private static ParamLayout layout() {
        return DinoLayout.of(model(0), dino(10));
    }

    private static INDArray range(INDArray flat, ParamLayout l, String from, String toExclusive) {
        long a = l.entry(from).offset();
        long b = toExclusive == null ? l.total() : l.entry(toExclusive).offset();
        return flat.reshape(flat.length()).get(NDArrayIndex.interval(a, b));
    }

    @Test
    void stepGradientMatchesFiniteDifferencesAndTeacherGetsNone() {
        ComputationGraph net = net(new Sgd(0.1), 0, 0, 0, DataType.DOUBLE);
        DataSet ds = batch(3, 1, DataType.DOUBLE);
        ParamLayout l = layout();
        INDArray params = net.params();
        // a trained-looking state: teacher and centre away from the student's initial values
        range(params, l, DinoLayout.TEACHER + "patchEmbed.proj.weight", DinoLayout.CENTER).addi(
                Nd4j.randn(DataType.DOUBLE, range(params, l, DinoLayout.TEACHER + "patchEmbed.proj.weight",
                        DinoLayout.CENTER).shape()).muli(0.05));
        l.view(params, DinoLayout.CENTER).assign(Nd4j.randn(DataType.DOUBLE, 1, 7).muli(0.1));
        // DINO's 0.02-σ head on these tiny widths leaves the bottleneck output near 0, where the L2
        // normalisation makes the loss too curved for finite differences: a larger head is well-conditioned
        range(params, l, DinoLayout.PROJECTOR + "mlp.0.weight", DinoLayout.PROJECTOR + "lastLayer.weightV").muli(30);
        INDArray center = l.view(params, DinoLayout.CENTER).dup();
        net.setInput(0, ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        INDArray grads = net.gradient().gradient().dup();
        double loss = net.score();
        assertNotEquals(0, l.view(params, DinoLayout.CENTER).sub(center).amaxNumber().doubleValue(),
                "the centre moved after the loss");
        l.view(params, DinoLayout.CENTER).assign(center);
        assertEquals(loss, net.score(ds, true), 1e-12, "the score is the loss at the centre before its update");
        Map<String, INDArray> g = l.views(grads);
        for (ParamLayout.Entry e : l.entries()) {
            if (!DinoLayout.trained(e.name())) {
                assertEquals(0, g.get(e.name()).amaxNumber().doubleValue(), 0, e.name() + " gets no gradient");
            }
        }
        double worst = 0;
        java.util.Map<String, Double> perTensor = new java.util.LinkedHashMap<>();
        for (ParamLayout.Entry e : l.entries()) {
            if (!DinoLayout.trained(e.name())) {
                continue;
            }
            for (long i = e.offset(); i < e.offset() + e.length(); i += 11) {
                double numeric = TransformerNetGradientTest.centralDifference(p -> net.score(ds, true), params, i, 1e-5);
                double analytic = grads.getDouble(i);
                double err = Math.abs(numeric - analytic) / Math.max(1e-6, Math.max(Math.abs(numeric), Math.abs(analytic)));
                if (Math.abs(numeric - analytic) > 1e-9) {
                    worst = Math.max(worst, err);
                    perTensor.merge(e.name(), err, Math::max);
                }
            }
        }
        assertTrue(worst < 1e-5, "largest relative error " + worst + " " + perTensor);
    }

    @Test
    void sgdStepMovesStudentThenTeacherByEma() {
        ComputationGraph net = net(new Sgd(0.5), 0, 0, 0, DataType.DOUBLE);
        DataSet ds = batch(3, 2, DataType.DOUBLE);
        ParamLayout l = layout();
        long s = DinoLayout.studentLength(model(0), dino(10));
        INDArray before = net.params().dup();
        net.setInput(0, ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        INDArray grads = net.gradient().gradient().dup();
        net.params().assign(before);
        net.fit(ds);
        INDArray after = net.params();
        INDArray studentAfter = before.reshape(before.length()).get(NDArrayIndex.interval(0, s))
                .sub(grads.reshape(grads.length()).get(NDArrayIndex.interval(0, s)).mul(0.5));
        INDArray studentGot = after.reshape(after.length()).get(NDArrayIndex.interval(0, s));
        assertEquals(0, studentGot.sub(studentAfter).amaxNumber().doubleValue(), 1e-14);
        double m = dino(10).teacherMomentumSchedule().at(0);
        INDArray teacherWant = before.reshape(before.length()).get(NDArrayIndex.interval(s, 2 * s)).mul(m)
                .add(studentAfter.mul(1 - m));
        assertEquals(0, after.reshape(after.length()).get(NDArrayIndex.interval(s, 2 * s)).sub(teacherWant)
                .amaxNumber().doubleValue(), 1e-14);
        assertEquals(0.996, m, 0);
        INDArray head = l.view(after, "head.weight");
        assertEquals(0, head.sub(l.view(before, "head.weight")).amaxNumber().doubleValue(), 0,
                "the unused classifier stays as it was");
    }

    @Test
    void frozenLastLayerSkipsMomentsAndDecay() {
        ComputationGraph net = net(new Adam(1e-2), 0.04, 2, 0, DataType.DOUBLE);
        ParamLayout l = layout();
        String last = DinoLayout.head(model(0), dino(10), "").lastLayer();
        INDArray v0 = l.view(net.params(), last).dup();
        INDArray mlp0 = l.view(net.params(), DinoLayout.PROJECTOR + "mlp.0.weight").dup();
        net.fit(batch(3, 3, DataType.DOUBLE));
        net.fit(batch(3, 4, DataType.DOUBLE));
        assertEquals(0, l.view(net.params(), last).sub(v0).amaxNumber().doubleValue(), 0, "frozen for 2 steps");
        assertNotEquals(0, l.view(net.params(), DinoLayout.PROJECTOR + "mlp.0.weight").sub(mlp0).amaxNumber()
                .doubleValue(), "the rest trains");
        INDArray state = net.getUpdater().getStateViewArray();
        assertEquals(0, frozenState(net).amaxNumber().doubleValue(), 0, "no moment update while frozen");
        assertTrue(state.amaxNumber().doubleValue() > 0);
        INDArray v2 = l.view(net.params(), last).dup();
        net.fit(batch(3, 5, DataType.DOUBLE));
        INDArray dv = l.view(net.params(), last).sub(v2);
        // first unfrozen step is Adam's first step (bias correction from 1): |Δ + lr·wd·v| ≈ lr per element
        double wd = ((DinoConf) net.getOutputLayer(0).conf().getLayer()).weightDecaySchedule().at(2);
        INDArray adamPart = dv.add(v2.mul(1e-2 * wd)).dup();
        double mean = org.nd4j.linalg.ops.transforms.Transforms.abs(adamPart).meanNumber().doubleValue();
        assertEquals(1e-2, mean, 1e-4, "unit-size first Adam step");
        assertTrue(frozenState(net).amaxNumber().doubleValue() > 0);
    }

    /** The updater state of the prototype layer's block. */
    private static INDArray frozenState(ComputationGraph net) {
        for (org.deeplearning4j.nn.updater.UpdaterBlock b
                : ((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks()) {
            if (b.getGradientUpdater().getConfig() instanceof org.vitspark.optim.DelayedAdam) {
                return b.getUpdaterView();
            }
        }
        throw new AssertionError("no DelayedAdam block");
    }

    @Test
    void clippingIsPerTensor() {
        double clip = 1e-3;
        ComputationGraph net = net(new Sgd(1.0), 0, 0, clip, DataType.DOUBLE);
        ParamLayout l = layout();
        DataSet ds = batch(3, 6, DataType.DOUBLE);
        INDArray before = net.params().dup();
        net.setInput(0, ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        INDArray raw = net.gradient().gradient().dup();
        net.params().assign(before);
        net.fit(ds);
        int clipped = 0;
        for (ParamLayout.Entry e : l.entries()) {
            if (!DinoLayout.trained(e.name())) {
                continue;
            }
            double rawNorm = l.view(raw, e.name()).norm2Number().doubleValue();
            double step = l.view(before, e.name()).sub(l.view(net.params(), e.name())).norm2Number().doubleValue();
            assertEquals(Math.min(rawNorm, clip), step, 1e-12, e.name());
            clipped += rawNorm > clip ? 1 : 0;
        }
        assertTrue(clipped > 3, "several tensors were clipped, each to its own norm");
    }

    /**
     * Steps reuse their arrays (step arena and workspace) without changing a bit: at every step the
     * long-lived network's gradient, loss and centre move equal those of a new network (all arrays fresh)
     * at the same parameters and iteration, and after the first step no new arrays are allocated.
     * Float and drop path on, so the host kernels and the mask paths all run through the arena.
     */
    @Test
    void consecutiveStepsReuseTheirArraysAndEqualFreshOnes() {
        DataType f = DataType.FLOAT;
        ComputationGraph net = Networks.dino(model(0.1), dino(10), new Adam(1e-2), 0.04, 0.4, 0, 0, 7, f);
        DinoLayer layer = (DinoLayer) net.getLayer(Networks.LAYER);
        long freshAfterFirst = -1;
        for (int step = 0; step < 4; step++) {
            DataSet ds = batch(3, 20 + step, f);
            INDArray before = net.params().dup();
            ComputationGraph fresh = Networks.dino(model(0.1), dino(10), new Adam(1e-2), 0.04, 0.4, 0, 0, 7, f);
            fresh.params().assign(before);
            // the graph hands its counters to the layer on every call (teacher temperature, drop-path masks)
            fresh.getConfiguration().setIterationCount(net.getConfiguration().getIterationCount());
            fresh.getConfiguration().setEpochCount(net.getConfiguration().getEpochCount());
            fresh.setInput(0, ds.getFeatures());
            fresh.setLabels(ds.getLabels());
            fresh.computeGradientAndScore();

            net.setInput(0, ds.getFeatures());
            net.setLabels(ds.getLabels());
            net.computeGradientAndScore();
            assertEquals(fresh.gradient().gradient(), net.gradient().gradient(), "gradient at step " + step);
            assertEquals(fresh.score(), net.score(), 0, "loss at step " + step);
            assertEquals(fresh.params(), net.params(), "centre's move at step " + step);

            net.params().assign(before);
            net.fit(ds); // moves the parameters and the iteration (new drop-path masks, teacher temperature)
            if (step == 0) {
                freshAfterFirst = layer.freshAllocations();
            }
        }
        assertTrue(freshAfterFirst > 0, "the arena served the first step");
        assertEquals(freshAfterFirst, layer.freshAllocations(), "steady state: no new arrays after the first step");
    }

    /**
     * Two workers that average every step hold the same teacher and centre as one worker on the
     * concatenated batch (SGD without clipping, so their student updates are identical too): both updates
     * are linear, so averaging them is DINO's EMA of the averaged trajectory.
     */
    @Test
    void averagingTwoWorkersEqualsOneWorkerOnTheUnion() {
        ComputationGraph a = net(new Sgd(0.3), 0, 0, 0, DataType.DOUBLE);
        ComputationGraph b = net(new Sgd(0.3), 0, 0, 0, DataType.DOUBLE);
        ComputationGraph one = net(new Sgd(0.3), 0, 0, 0, DataType.DOUBLE);
        ParamLayout l = layout();
        for (int step = 0; step < 3; step++) {
            DataSet ds = batch(4, 10 + step, DataType.DOUBLE);
            a.fit(new DataSet(ds.getFeatures().get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()),
                    ds.getLabels().get(NDArrayIndex.interval(0, 2), NDArrayIndex.all())));
            b.fit(new DataSet(ds.getFeatures().get(NDArrayIndex.interval(2, 4), NDArrayIndex.all()),
                    ds.getLabels().get(NDArrayIndex.interval(2, 4), NDArrayIndex.all())));
            INDArray avg = a.params().add(b.params()).divi(2);
            a.params().assign(avg);
            b.params().assign(avg);
            one.fit(ds);
        }
        INDArray diff = a.params().sub(one.params());
        assertEquals(0, range(diff, l, DinoLayout.TEACHER + "patchEmbed.proj.weight", DinoLayout.CENTER)
                .amaxNumber().doubleValue(), 1e-10, "teacher");
        assertEquals(0, l.view(diff, DinoLayout.CENTER).amaxNumber().doubleValue(), 1e-10, "centre");
        assertEquals(0, diff.amaxNumber().doubleValue(), 1e-10, "student too");
        assertNotEquals(0, l.view(one.params(), DinoLayout.CENTER).amaxNumber().doubleValue(), "the centre moved");
    }
}
