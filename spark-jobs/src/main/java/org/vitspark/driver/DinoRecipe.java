package org.vitspark.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.vitspark.checkpoint.TrainState;
import org.vitspark.config.OptimSettings;
import org.vitspark.config.ReaderSettings;
import org.vitspark.config.Settings;
import org.vitspark.config.SslSettings;
import org.vitspark.dataset.DataOpener;
import org.vitspark.dataset.WorkerData;
import org.vitspark.dino.DinoSpec;
import org.vitspark.dino.Knn;
import org.vitspark.eval.FeatureExtractor;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.SafeTensors;
import org.vitspark.model.TorchWeights;
import org.vitspark.network.DinoLayer;
import org.vitspark.network.Networks;
import org.vitspark.network.TeacherEma;
import org.vitspark.optim.DinoSchedule;
import org.vitspark.run.RunDirectory;
import org.vitspark.run.RunMetrics;
import org.vitspark.train.WorkerStep;

/**
 * Self-distillation pretraining (DINO; Caron et al. 2021, with the small-dataset settings of Gani et al.
 * 2022) on the training split's images, labels unused. Schedules are laid out over the run's steps
 * (learning-rate warm-up and teacher-temperature warm-up as fractions of them, so a shorter budget keeps
 * their shape); the prototype layer is frozen for ssl.freeze-last-layer-epochs. Health: a weighted k-NN
 * classifier on the teacher's features with the labelled training images as the bank, on the eval split,
 * at the start (the random initialisation, and raw pixels once), every ssl.knn.every-epochs and at the end.
 */
final class DinoRecipe implements Recipe {

    static final Factory FACTORY = new Factory() {
        @Override
        public ReaderSettings trainReader(Settings s) {
            ModelSpec m = s.model();
            return s.reader(m, s.data().trainSplit(), true).withViews(s.ssl().views(m), s.ssl().dino(m, 1));
        }

        @Override
        public Recipe create(Context c) {
            return new DinoRecipe(c);
        }
    };

    private final Settings settings;
    private final SslSettings ssl;
    private final JavaSparkContext sc;
    private final PrintWriter out;
    private final DataOpener.Opened opened;
    private final DinoSpec dino;
    private final long stepsPerEpoch;
    private final OptimSettings optim;
    private final DinoSchedule lr;
    private final DinoSchedule weightDecay;
    private final WorkerData bank;
    private final WorkerData test;
    /** Nats below ln K within which the loss counts as sitting at it (the reference run sat 0.07 below). */
    static final double COLLAPSE_MARGIN = 0.1;
    private final double collapseLoss;

    private DinoRecipe(Context c) {
        this.settings = c.settings();
        this.ssl = settings.ssl();
        this.sc = c.sc();
        this.out = c.out();
        this.opened = c.opened();
        this.stepsPerEpoch = c.stepsPerEpoch();
        ModelSpec m = settings.model();
        long total = c.stepsPerEpoch() * settings.train().epochs();
        this.dino = ssl.dino(m, total);
        this.optim = settings.optim().forSteps(c.stepsPerEpoch(), settings.train().epochs());
        OptimSettings o = optim;
        this.lr = DinoSchedule.cosine(0, o.lr(), o.minLr(), Math.round(ssl.lrWarmup() * total), total);
        this.weightDecay = DinoSchedule.cosine(o.weightDecay(), o.weightDecay(), ssl.weightDecayEnd(), 0, total);
        this.bank = opened.split(settings.reader(m, settings.data().trainSplit(), false), c.run().path() + "#knn-bank");
        this.test = opened.split(settings.reader(m, settings.data().evalSplit(), false), c.run().path() + "#knn-test");
        this.collapseLoss = Math.log(dino.prototypes());
    }

    @Override
    public ComputationGraph network() {
        OptimSettings o = optim;
        Adam adam = Adam.builder().learningRateSchedule(lr).beta1(o.beta1()).beta2(o.beta2()).epsilon(o.eps()).build();
        return Networks.dino(settings.model(), dino, adam, o.weightDecay(), ssl.weightDecayEnd(),
                ssl.freezeLastLayerEpochs() * stepsPerEpoch, ssl.clip(), settings.run().seed(), DataType.FLOAT);
    }

    @Override
    public WorkerStep stepListener() {
        return new WorkerStep(null);
    }

    @Override
    public List<TrainingListener> workerListeners() {
        return List.of(new TeacherEma());
    }

    @Override
    public String describe() {
        return String.format("DINO self-distillation (2 global %d px + %d local %d px views, K %d) + AdamW",
                dino.globalSize(), dino.localViews(), dino.localSize(), dino.prototypes());
    }

    @Override
    public Map<String, Double> scheduleScalars(TrainState state) {
        long it = Math.max(0, state.step() - 1);
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("lr", lr.at(it));
        s.put("weight_decay", weightDecay.at(it));
        s.put("teacher_momentum", dino.teacherMomentumSchedule().at(it));
        return s;
    }

    @Override
    public String progress(Map<String, Double> s) {
        return String.format("loss %.4f H(teacher) %.3f KL %.3f tau_t %.3f lr %.3g", s.get("loss"),
                s.getOrDefault("teacher_entropy", Double.NaN), s.getOrDefault("kl_teacher_student", Double.NaN),
                s.getOrDefault("teacher_temp", Double.NaN), s.get("lr"));
    }

    /**
     * A loss within {@link #COLLAPSE_MARGIN} of ln K after the teacher-temperature warm-up: the teacher's
     * output is as good as uniform and the student follows it (uniform collapse).
     */
    @Override
    public void roundDone(TrainState state, Map<String, Double> scalars) {
        if (state.step() > dino.teacherTempWarmup() && scalars.get("loss") > collapseLoss - COLLAPSE_MARGIN) {
            out.printf("WARNING: round %d: the loss %.4f sits at ln K = %.4f (uniform collapse); teacher entropy %.4f%n",
                    state.round(), scalars.get("loss"), collapseLoss,
                    scalars.getOrDefault("teacher_entropy", Double.NaN));
            out.flush();
        }
    }

    @Override
    public void start(ComputationGraph net, TrainState state, RunMetrics metrics) {
        if (state.round() != 0) {
            return; // the baselines are in metrics.jsonl already
        }
        // raw pixels and the random initialisation (the teacher is a copy of the student at round 0)
        knn(net, state, metrics, FeatureExtractor.Kind.PIXELS, "knn_pixels");
        evaluate(net, state, metrics);
    }

    @Override
    public boolean evaluationDue(TrainState state, boolean epochEnd) {
        int every = ssl.knnEveryEpochs();
        // every few epochs, and at the end of the last one (what summary.json reports)
        return epochEnd && ((every > 0 && state.epoch() % every == 0) || state.epoch() >= settings.train().epochs());
    }

    @Override
    public Evaluation evaluate(ComputationGraph net, TrainState state, RunMetrics metrics) {
        Knn.Result r = knn(net, state, metrics, FeatureExtractor.Kind.TEACHER, "knn");
        return new Evaluation(r.top1(), r.top5(), Double.NaN);
    }

    private Knn.Result knn(ComputationGraph net, TrainState state, RunMetrics metrics, FeatureExtractor.Kind kind,
                           String metric) {
        sc.setJobDescription(String.format("k-NN (%s) after round %d", kind.name().toLowerCase(), state.round()));
        FeatureExtractor.Features b = FeatureExtractor.extract(sc, net, bank, kind, ssl.knnBankLimit());
        FeatureExtractor.Features t = FeatureExtractor.extract(sc, net, test, kind, 0);
        Knn.Result r = Knn.classify(b.features(), b.labels(), t.features(), t.labels(),
                opened.manifest().classes().size(), ssl.knnK(), ssl.knnTemperature());
        out.printf("round %d: k-NN on %s (k %d, bank %,d %s images): %s top-1 %.4f top-5 %.4f (%,d images)%n",
                state.round(), kind == FeatureExtractor.Kind.PIXELS ? "raw pixels" : "teacher features", ssl.knnK(),
                b.labels().length, bank.settings.split(), test.settings.split(), r.top1(), r.top5(), r.images());
        out.flush();
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("top1", r.top1());
        s.put("top5", r.top5());
        metrics.add(metric, new JsonLine().put("epochs_done", state.epoch()).put("round", state.round())
                .put("step", state.step()).put("bank", b.labels().length).put("images", r.images()), state.step(), s);
        return r;
    }

    /**
     * model.zip (the whole pretraining network: student, teacher, centre), teacher.safetensors (the
     * teacher's backbone with timm's names: what fine-tuning loads) and summary.json.
     */
    @Override
    public void export(RunDirectory run, ComputationGraph net, Evaluation last, double lastLoss, int rounds,
                       double seconds) throws IOException {
        HadoopFiles.writeAtomically(run.fs(), run.file("model.zip"), s -> ModelSerializer.writeModel(net, s, true));
        DinoLayer layer = (DinoLayer) net.getOutputLayer(0);
        ParamLayout backbone = ParamLayout.of(settings.model());
        HadoopFiles.writeAtomically(run.fs(), run.file("teacher.safetensors"), s -> SafeTensors.write(s,
                TorchWeights.export(backbone, layer.teacherBackbone().dup()),
                new TreeMap<>(Map.of("format", "pt", "source", "vitspark pretrain (DINO teacher)"))));
        HadoopFiles.writeString(run.fs(), run.file("summary.json"), new JsonLine()
                .put("knn_top1", last.top1()).put("knn_top5", last.top5()).put("last_loss", lastLoss)
                .put("rounds", rounds).put("seconds", seconds).put("params", net.numParams()).toString() + "\n");
    }
}
