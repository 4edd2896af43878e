package org.vitspark.jobs;

import java.io.PrintWriter;
import java.util.List;
import org.vitspark.bench.TrainStepBench;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.metrics.JsonLine;
import org.vitspark.runtime.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitspark bench}: training-step speed in the PyTorch peer's output format. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time the training step (one JSON line per config, batch and optimiser, with the fields of",
            "the PyTorch peer benchmark (docs/benchmarks.md) plus GFLOP/s) and print this machine's sgemm peak first."})
public final class BenchJob extends JobCommand {

    @Option(names = "--configs", split = ",", defaultValue = "tiny,small", description = "Variants (default: ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--batches", split = ",", defaultValue = "64,128", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--sam", description = "Also time the two-pass SAM step.")
    boolean sam;

    @Option(names = "--warmup", defaultValue = "10", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "30", description = "Timed steps (median reported; default: ${DEFAULT-VALUE}).")
    int iters;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new BenchJob(), args));
    }

    @Override
    protected String plan(VitsparkConfig config) {
        return "bench " + configs + " x batches " + batches + (sam ? " x {adamw, sam}" : " (adamw)");
    }

    @Override
    protected int run(VitsparkConfig config) {
        PrintWriter out = spec.commandLine().getOut();
        String backend = Backend.start(config.settings().backend());
        int threads = org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads();
        out.println(new JsonLine().put("backend", backend).put("sgemm_peak_gflops", TrainStepBench.sgemmPeak(3, 10)));
        out.flush();
        TrainStepBench.run(configs, batches, sam, warmup, iters, threads, line -> {
            out.println(line);
            out.flush();
        });
        return OK;
    }
}
