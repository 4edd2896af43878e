package org.vitspark.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single entry point: {@code vitspark <job> [--config FILE] [--set key=value]... [--print-config] [--dry-run]}. */
@Command(name = "vitspark", mixinStandardHelpOptions = true, version = "vitspark 0.1.0",
        description = "Vision Transformer training on Apache Spark.",
        subcommands = {TrainJob.class, PretrainJob.class, NightlyJob.class, SearchJob.class, EvalJob.class, AnalyzeJob.class, PreprocessJob.class, ReportJob.class, ConfigJob.class, ModelJob.class, TrainLocalJob.class, BenchJob.class,
            CommandLine.HelpCommand.class})
public final class Vitspark implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a job is required (train, pretrain, search, train-local, eval, analyze, preprocess, report, config, model, bench)");
    }

    public static void main(String[] args) {
        exit(execute(new Vitspark(), args));
    }

    /**
     * Ends the JVM with {@code code}, except after success in YARN cluster mode: there the driver's main runs
     * in the application master, which records success only when main returns; System.exit first is
     * reported as an early exit and the application marked failed (and retried).
     */
    public static void exit(int code) {
        if (code == 0 && System.getProperty("spark.yarn.app.id") != null) {
            return;
        }
        System.exit(code);
    }

    /** Runs a command with vitspark's exit codes: 0 ok, 2 bad configuration or arguments, 1 anything else. */
    public static int execute(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof UsageException) {
                err.println("vitspark " + commandLine.getCommandName() + ": " + e.getMessage());
                return JobCommand.BAD_USAGE;
            }
            err.println("vitspark " + commandLine.getCommandName() + ": failed: " + e);
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.println(trace);
            return JobCommand.FAILED;
        });
        return cli.execute(args);
    }
}
