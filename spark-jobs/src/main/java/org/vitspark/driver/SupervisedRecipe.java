package org.vitspark.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.vitspark.checkpoint.TrainState;
import org.vitspark.config.ReaderSettings;
import org.vitspark.config.Settings;
import org.vitspark.config.TrainSettings;
import org.vitspark.dataset.DataOpener;
import org.vitspark.dataset.WorkerData;
import org.vitspark.eval.ShardEvaluator;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.ModelSpec;
import org.vitspark.optim.Sam;
import org.vitspark.run.Export;
import org.vitspark.run.RunDirectory;
import org.vitspark.run.RunMetrics;
import org.vitspark.train.TrainSetup;
import org.vitspark.train.WorkerStep;

/**
 * Supervised training of the classifier (cross-entropy and the configured objective, SAM inside the
 * step when on): evaluated on the eval split (and the training split with train.eval-train) at every
 * epoch end and every train.eval-every-rounds; exported as model.zip, weights.safetensors, summary.json.
 * The supernet variant trains ViTAS's weight-sharing supernet the same way; its evaluations run the baseline's
 * genome.
 */
final class SupervisedRecipe implements Recipe {

    static final Factory FACTORY = factory(false);

    /** ViTAS supernet training: the same recipe over the supernet ({@link TrainSetup#supernet}). */
    static final Factory SUPERNET = factory(true);

    private static Factory factory(boolean supernet) {
        return new Factory() {
            @Override
            public ReaderSettings trainReader(Settings s) {
                return s.reader(s.model(), s.data().trainSplit(), true);
            }

            @Override
            public Recipe create(Context c) {
                return new SupervisedRecipe(c, supernet);
            }
        };
    }

    private final Settings settings;
    private final JavaSparkContext sc;
    private final TrainSetup setup;
    private final DataOpener.Opened opened;
    private final WorkerData eval;
    private final WorkerData trainEval;
    private final PrintWriter out;

    private SupervisedRecipe(Context c, boolean supernet) {
        this.settings = c.settings();
        this.sc = c.sc();
        this.out = c.out();
        this.opened = c.opened();
        ModelSpec m = settings.model();
        this.setup = supernet ? TrainSetup.supernet(settings, c.stepsPerEpoch())
                : TrainSetup.from(settings, c.stepsPerEpoch());
        this.eval = opened.split(settings.reader(m, settings.data().evalSplit(), false), c.run().path() + "#eval");
        this.trainEval = settings.train().evalTrain()
                ? opened.split(settings.reader(m, settings.data().trainSplit(), false), c.run().path() + "#train-eval")
                : null;
    }

    @Override
    public ComputationGraph network() {
        return setup.network();
    }

    @Override
    public WorkerStep stepListener() {
        return setup.listener();
    }

    @Override
    public String describe() {
        return setup.describe();
    }

    @Override
    public Map<String, Double> scheduleScalars(TrainState state) {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("lr", setup.optim().lrSchedule().valueAt(Math.max(0, state.step() - 1), state.epoch()));
        s.put("rho", setup.optim().samMode() == Sam.Mode.OFF ? 0 : setup.optim().rho());
        return s;
    }

    @Override
    public String progress(Map<String, Double> s) {
        return String.format("loss %.4f clean %.4f acc %.3f lr %.3g", s.get("loss"), s.get("clean_loss"),
                s.get("accuracy"), s.get("lr"));
    }

    @Override
    public boolean evaluationDue(TrainState state, boolean epochEnd) {
        TrainSettings t = settings.train();
        return epochEnd || (t.evalEveryRounds() > 0 && state.round() % t.evalEveryRounds() == 0);
    }

    /** The eval split (metrics kind "eval"), and the training split too with train.eval-train ("eval_train"). */
    @Override
    public Evaluation evaluate(ComputationGraph net, TrainState state, RunMetrics metrics) {
        if (trainEval != null) {
            evaluate(net, trainEval, "eval_train", state, metrics);
        }
        ShardEvaluator.Result r = evaluate(net, eval, "eval", state, metrics);
        return new Evaluation(r.top1(), r.top5(), r.loss());
    }

    private ShardEvaluator.Result evaluate(ComputationGraph net, WorkerData on, String kind, TrainState state,
                                           RunMetrics metrics) {
        String split = on.settings.split();
        sc.setJobDescription(String.format("evaluate after round %d on %,d %s images", state.round(),
                opened.manifest().images(split), split));
        ShardEvaluator.Result r = ShardEvaluator.evaluate(sc, net, on, opened.manifest().classes());
        out.printf("round %d: %s loss %.4f top-1 %.4f top-5 %.4f (%,d images)%n", state.round(), split, r.loss(),
                r.top1(), r.top5(), r.images());
        out.flush();
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("loss", r.loss());
        s.put("top1", r.top1());
        s.put("top5", r.top5());
        metrics.add(kind, new JsonLine().put("epochs_done", state.epoch()).put("round", state.round())
                .put("step", state.step()).put("images", r.images()), state.step(), s);
        return r;
    }

    @Override
    public void export(RunDirectory run, ComputationGraph net, Evaluation last, double lastLoss, int rounds,
                       double seconds) throws IOException {
        Export.write(run, net, new Export.Final(last.top1(), last.top5(), last.loss(), lastLoss, rounds, seconds));
    }
}
