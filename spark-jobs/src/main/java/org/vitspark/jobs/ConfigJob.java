package org.vitspark.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.vitspark.config.VitsparkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitspark config}: validate a configuration and print it resolved, or print the documented reference. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Validate the configuration and print it resolved (secrets hidden) with its hash.",
            "With --reference, print reference.conf: every key, its default and its meaning."})
public final class ConfigJob extends JobCommand {

    @Option(names = "--reference", description = "Print the documented reference configuration and exit.")
    boolean reference;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new ConfigJob(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (reference) {
            try (InputStream in = ConfigJob.class.getClassLoader().getResourceAsStream("reference.conf")) {
                if (in == null) {
                    throw new IOException("reference.conf is missing from the classpath");
                }
                spec.commandLine().getOut().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                spec.commandLine().getOut().flush();
            }
            return OK;
        }
        return super.call();
    }

    @Override
    protected String plan(VitsparkConfig config) {
        return "configuration is valid (sha256 " + config.hash() + ")";
    }

    @Override
    protected int run(VitsparkConfig config) {
        spec.commandLine().getOut().print(config.renderForRunDirectory());
        spec.commandLine().getOut().flush();
        return OK;
    }
}
