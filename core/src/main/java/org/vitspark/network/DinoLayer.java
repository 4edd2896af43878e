package org.vitspark.network;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.dino.DinoLayout;
import org.vitspark.dino.DinoLoss;
import org.vitspark.dino.DinoSpec;
import org.vitspark.dino.PackedViews;
import org.vitspark.dino.ProjectionHead;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.ops.Arena;
import org.vitspark.rng.Rng;

/**
 * Runtime side of {@link DinoConf}: one DINO step per minibatch of packed views. The student sees every
 * view (the global views in one pass, the local ones in another, at their own size), the teacher only
 * the global views, without dropout or drop path and without gradient; the loss is {@link DinoLoss} at
 * the scheduled teacher temperature; after it the centre moves (in the parameter vector, which the
 * optimiser leaves alone there) and, once DL4J has applied the update, {@link TeacherEma} moves the
 * teacher. The collapse monitors of the last step are kept for the step listener.
 *
 * <p>A step's arrays live in the step arena and the step's ND4J workspace ({@link Arena}, {@link StepMemory};
 * the same lifetime rule as {@link TransformerLayer}): the next step reuses them, so steady-state steps take
 * no fresh native memory. Left to the collector, a pretraining step's ten views filled the resident-set
 * limit between collections, JavaCPP's trim there gave the memory back to the kernel, and the next steps
 * faulted it in again: 2.2x slower (docs/decisions.md D40).
 */
public class DinoLayer extends FlatOutputLayer<DinoConf> {

    /** One step's passes and loss. */
    private record Step(INDArray input, Forward globals, Forward locals, ProjectionHead.Cache head,
                        INDArray[] teacher, DinoLoss.Value value) {
    }

    private transient TransformerNet student;
    private transient TransformerNet teacher;
    private transient ProjectionHead studentHead;
    private transient ProjectionHead teacherHead;
    private transient Step last;
    private transient DinoLoss.Value lastValue;
    private transient double lastTeacherTemp;
    private transient long backboneLength;
    private transient long studentLength;
    private transient ModelSpec model;
    private transient DinoSpec dino;
    private transient long lastBatch;
    private transient Arena arena;
    private transient StepMemory memory;

    public DinoLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    // decoded once: the configuration stores them as text
    private ModelSpec model() {
        if (model == null) {
            model = layerConf().modelSpec();
        }
        return model;
    }

    private DinoSpec dino() {
        if (dino == null) {
            dino = layerConf().dinoSpec();
        }
        return dino;
    }

    private void nets() {
        if (student == null) {
            student = new TransformerNet(model());
            teacher = new TransformerNet(model());
            studentHead = DinoLayout.head(model(), dino(), "");
            teacherHead = DinoLayout.head(model(), dino(), DinoLayout.TEACHER);
        }
    }

    /** No labels in self-distillation: no correct count, the batch size only. */
    @Override
    public long[] lastCorrectOf() {
        return new long[] {0, lastBatch};
    }

    @Override
    public org.vitspark.objective.ObjectiveValue lastObjectiveValue() {
        return null;
    }

    /** DINO's collapse monitors: teacher entropy, KL(teacher‖student), and the teacher temperature used. */
    @Override
    public Map<String, Double> lastMonitors() {
        if (lastValue == null) {
            return Map.of();
        }
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("teacher_entropy", lastValue.teacherEntropy());
        m.put("kl_teacher_student", lastValue.klTeacherStudent());
        m.put("teacher_temp", lastTeacherTemp);
        return m;
    }

    private long backboneLength() {
        if (backboneLength == 0) {
            backboneLength = ParamLayout.of(model()).total();
        }
        return backboneLength;
    }

    private long studentLength() {
        if (studentLength == 0) {
            studentLength = DinoLayout.studentLength(model(), dino());
        }
        return studentLength;
    }

    private INDArray range(INDArray flat, long from, long length) {
        return flat.reshape(flat.length()).get(NDArrayIndex.interval(from, from + length));
    }

    /** The student's backbone as a flat vector in the model's own layout (a view). */
    public INDArray studentBackbone() {
        return range(params(), 0, backboneLength());
    }

    /** The teacher's backbone as a flat vector in the model's own layout (a view). */
    public INDArray teacherBackbone() {
        return range(params(), studentLength(), backboneLength());
    }

    /**
     * The teacher backbone's class token after the final LayerNorm for {@code images} [B, C, H, W]: the
     * features DINO's k-NN evaluation reads (not yet L2-normalised).
     */
    public INDArray teacherFeatures(INDArray images) {
        nets();
        return teacher.forward(teacherBackbone(), images, false, 0, true).pooled();
    }

    private Arena arena() {
        if (arena == null) {
            arena = new Arena();
        }
        return arena;
    }

    private StepMemory memory() {
        if (memory == null) {
            memory = new StepMemory();
        }
        return memory;
    }

    /** Arrays this layer's steps allocated from the backend rather than reused (flat in steady state). */
    public long freshAllocations() {
        return arena().freshAllocations();
    }

    private long dropSeed(int pass) {
        return Rng.mix(layerConf().getDropSeed(), getIterationCount(), getEpochCount(), partition, pass);
    }

    private Step step() {
        assertInputSet(false);
        if (last != null && last.input() == input && memory().valid()) {
            return last;
        }
        // The previous step is dropped here, so its arrays may be reused (Arena's and StepMemory's lifetime rule).
        last = null;
        arena().reset();
        memory().restart();
        try (Arena.Scope s = arena.enter(); StepMemory.Use u = memory.use()) {
            last = computeStep();
        }
        return last;
    }

    private Step computeStep() {
        nets();
        ModelSpec m = model();
        DinoSpec d = dino();
        Map<String, INDArray> p = layerConf().layout().views(params());
        PackedViews.Views v = PackedViews.unpack(input, m.channels(), d);
        int b = (int) input.size(0);
        INDArray sp = studentBackbone();
        Forward g = student.forward(sp, v.globals(), true, dropSeed(0), true);
        Forward l = d.localViews() > 0 ? student.forward(sp, v.locals(), true, dropSeed(1), true) : null;
        INDArray features = l == null ? g.pooled() : Nd4j.concat(0, g.pooled(), l.pooled());
        ProjectionHead.Cache[] hc = new ProjectionHead.Cache[1];
        INDArray logits = studentHead.forward(features, p, hc);
        INDArray teacherFeatures = teacher.forward(teacherBackbone(), v.globals(), false, 0, true).pooled();
        INDArray teacherLogits = teacherHead.forward(teacherFeatures, p, null);
        int views = d.globalViews() + d.localViews();
        INDArray[] s = new INDArray[views];
        for (int i = 0; i < views; i++) {
            s[i] = logits.get(NDArrayIndex.interval((long) i * b, (long) (i + 1) * b), NDArrayIndex.all());
        }
        INDArray[] t = new INDArray[d.globalViews()];
        for (int i = 0; i < t.length; i++) {
            t[i] = teacherLogits.get(NDArrayIndex.interval((long) i * b, (long) (i + 1) * b), NDArrayIndex.all());
        }
        lastTeacherTemp = d.teacherTempSchedule().at(getIterationCount());
        DinoLoss.Value value = DinoLoss.evaluate(s, t, p.get(DinoLayout.CENTER), d.studentTemp(), lastTeacherTemp,
                true);
        return new Step(input, g, l, hc[0], t, value);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        // the student's logits of the first global view: what a caller of output() could look at
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, studentFirstViewLogits(step()));
    }

    private INDArray studentFirstViewLogits(Step st) {
        return studentHead.forward(st.globals().pooled().get(NDArrayIndex.interval(0, input.size(0)),
                NDArrayIndex.all()), layerConf().layout().views(params()), null);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return studentFirstViewLogits(step());
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        score = step().value().loss();
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the DINO loss is defined per batch (it pairs views and centres)");
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Step st = step();
        try (Arena.Scope s = arena.enter(); StepMemory.Use u = memory.use()) {
            backprop(st);
        }
        lastValue = st.value();
        lastBatch = input.size(0);
        return new Pair<>(publish(gradientsFlattened), null);
    }

    /** The step's gradient into {@link #gradientsFlattened}, and the centre's move. */
    private void backprop(Step st) {
        ModelSpec m = model();
        DinoSpec d = dino();
        ParamLayout layout = layerConf().layout();
        INDArray grads = gradientsFlattened;
        // teacher, centre: no gradient (the updater passes them through unchanged: they must be exactly 0)
        grads.assign(0);
        Map<String, INDArray> p = layout.views(params());
        Map<String, INDArray> gv = layout.views(grads);
        INDArray dLogits = Nd4j.concat(0, st.value().dStudent());
        INDArray dFeatures = studentHead.backward(dLogits, st.head(), p, gv);
        int b = (int) input.size(0);
        long globalRows = (long) d.globalViews() * b;
        INDArray backbone = range(grads, 0, backboneLength());
        INDArray sp = studentBackbone();
        student.backward(sp, st.globals(), pooledGradient(m, dFeatures.get(NDArrayIndex.interval(0, globalRows),
                NDArrayIndex.all())), backbone, false);
        if (st.locals() != null) {
            INDArray localGrads = Nd4j.zeros(grads.dataType(), 1, backbone.length());
            student.backward(sp, st.locals(), pooledGradient(m, dFeatures.get(NDArrayIndex.interval(globalRows,
                    dFeatures.size(0)), NDArrayIndex.all())), localGrads, false);
            backbone.addi(localGrads.reshape(backbone.shape()));
        }
        // the classifier is not part of DINO's backbone: its zero gradient stays zero (NoOp updater)
        gv.get("head.weight").assign(0);
        gv.get("head.bias").assign(0);
        // after the loss: the centre moves towards this batch's teacher outputs (DINO's update_center)
        DinoLoss.updateCenter(p.get(DinoLayout.CENTER), st.teacher(), d.centerMomentum());
    }

    private static IntermediateGradients pooledGradient(ModelSpec m, INDArray dPooled) {
        IntermediateGradients g = new IntermediateGradients(m.depth());
        g.add(IntermediateGradients.Site.POOLED, dPooled);
        return g;
    }

    /**
     * DINO's teacher update after the optimiser step of {@code iteration}: θ_t ← m·θ_t + (1 − m)·θ_s with
     * m on its cosine schedule, over the whole student range (backbone and head) at once.
     */
    public void updateTeacher(int iteration) {
        double mom = dino().teacherMomentumSchedule().at(iteration);
        long s = studentLength();
        INDArray t = range(params(), s, s);
        t.muli(mom).addi(range(params(), 0, s).mul(1 - mom));
    }

    @Override
    protected void dropPass() {
        last = null;
    }

    @Override
    public void clear() {
        super.clear();
        last = null;
        if (memory != null) {
            memory.close();
        }
    }
}
