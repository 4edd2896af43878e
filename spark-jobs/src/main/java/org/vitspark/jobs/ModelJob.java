package org.vitspark.jobs;

import java.io.PrintWriter;
import java.util.List;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.model.ModelSize;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitspark model}: a variant's shape, parameter count and MACs (with any model.* overrides). */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Print a model variant's shape, parameter count and multiply-accumulates per image.",
            "Fields can be overridden with --set model.KEY=VALUE; --list prints every variant."})
public final class ModelJob extends JobCommand {

    @Option(names = "--variant", paramLabel = "NAME", description = "Variant to describe (default: model.variant).")
    String variant;

    @Option(names = "--list", description = "Describe every variant in the table (without overrides).")
    boolean list;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new ModelJob(), args));
    }

    @Override
    protected List<String> extraSets() {
        return variant == null ? List.of() : List.of("model.variant=\"" + variant + "\"");
    }

    @Override
    protected String plan(VitsparkConfig config) {
        return "describe model " + config.model().name();
    }

    @Override
    protected int run(VitsparkConfig config) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format("%-11s %-6s %5s %5s %6s %5s %5s %5s %6s %7s %14s %9s", "variant", "family", "image",
                "patch", "tokens", "dim", "depth", "heads", "mlp", "pooling", "params", "GMACs"));
        if (list) {
            for (String name : Variants.names()) {
                out.println(row(Variants.find(name).orElseThrow()));
            }
        } else {
            out.println(row(config.model()));
        }
        out.flush();
        return OK;
    }

    private static String row(ModelSpec m) {
        boolean vit = m.family() == ModelSpec.Family.VIT;
        return String.format("%-11s %-6s %5d %5d %6d %5d %5d %5s %6s %7s %,14d %9.3f", m.name(),
                m.family().name().toLowerCase(), m.imageSize(), m.patch(), m.tokens(), m.dim(), m.depth(),
                vit ? Integer.toString(m.heads()) : "-", vit ? Integer.toString(m.mlpDim())
                        : m.tokenMlpDim() + "/" + m.mlpDim(), m.pooling().name().toLowerCase(),
                ModelSize.params(m), ModelSize.macs(m) / 1e9);
    }
}
