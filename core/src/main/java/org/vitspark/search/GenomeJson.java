package org.vitspark.search;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vitspark.model.ModelSpec;

/**
 * The JSON files of a search: scored genomes (genes, readable form, MACs, parameters and the explicit
 * architecture), the evolution's state for resume, and reading an architecture back as a model spec
 * ({@code model.genome}), which needs only the explicit architecture, not the space it was found in.
 */
public final class GenomeJson {

    private GenomeJson() {
    }

    /** {"patch":4,"dim":96,"blocks":[{"heads":4,"attn":96,"mlp":192},...]} of the canonical genome. */
    public static String architecture(SearchSpace s, Genome g) {
        ModelSpec m = g.toSpec(s, "genome");
        StringBuilder b = new StringBuilder("{\"patch\":").append(m.patch()).append(",\"dim\":").append(m.dim())
                .append(",\"blocks\":[");
        for (int i = 0; i < m.depth(); i++) {
            ModelSpec.Block k = m.block(i);
            b.append(i == 0 ? "" : ",").append("{\"heads\":").append(k.heads()).append(",\"attn\":")
                    .append(k.attnDim()).append(",\"mlp\":").append(k.mlpDim()).append('}');
        }
        return b.append("]}").toString();
    }

    /** One scored genome as a JSON object. */
    public static String scored(SearchSpace s, Evolution.Scored x) {
        return String.format(Locale.ROOT, "{\"genes\":%s,\"genome\":\"%s\",\"score\":%s,\"macs\":%d,\"params\":%d,"
                        + "\"architecture\":%s}", genes(x.genome()), x.genome().describe(s), number(x.score()),
                x.macs(), GenomeSize.params(s, x.genome()), architecture(s, x.genome()));
    }

    /** A list of scored genomes under {@code key}, with extra top-level fields already formatted as JSON members. */
    public static String list(SearchSpace s, String key, List<Evolution.Scored> xs, String extraMembers) {
        StringBuilder b = new StringBuilder("{");
        if (!extraMembers.isEmpty()) {
            b.append(extraMembers).append(',');
        }
        b.append('"').append(key).append("\":[\n");
        for (int i = 0; i < xs.size(); i++) {
            b.append("  ").append(scored(s, xs.get(i))).append(i + 1 < xs.size() ? ",\n" : "\n");
        }
        return b.append("]}\n").toString();
    }

    /**
     * The evolution's state after a generation, with {@code settings}: a line naming what the search was run
     * with, which a resumed search must match.
     */
    public static String state(SearchSpace s, Evolution.State st, String settings) {
        return list(s, "evaluated", st.evaluated(), "\"settings\":\"" + settings.replace("\"", "'")
                + "\",\"generation\":" + st.generation() + ",\"population\":" + keys(st.population()));
    }

    public static Evolution.State readState(SearchSpace s, String json) {
        Config c = ConfigFactory.parseString(json);
        List<Evolution.Scored> evaluated = readScored(s, c, "evaluated");
        List<Evolution.Scored> population = new ArrayList<>();
        for (List<Integer> genes : intLists(c, "population")) {
            Genome g = Genome.of(s, toArray(genes));
            population.add(evaluated.stream().filter(x -> x.genome().equals(g)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("search state: population genome " + g + " was never scored")));
        }
        population.sort(Evolution.RANKING);
        return new Evolution.State(c.getInt("generation"), population, evaluated);
    }

    /** Scored genomes under {@code key} of a file this class wrote (checked against the space). */
    public static List<Evolution.Scored> readScored(SearchSpace s, Config c, String key) {
        List<Evolution.Scored> out = new ArrayList<>();
        for (Config x : c.getConfigList(key)) {
            Genome g = Genome.of(s, toArray(x.getIntList("genes")));
            out.add(new Evolution.Scored(g, x.getDouble("score"), GenomeSize.macs(s, g)));
        }
        return out;
    }

    /**
     * The architecture of a genome file as a spec over {@code base} (image size, channels, classes, dropout
     * and the rest stay the base's): the file's top-level {@code architecture}, else the first entry of its
     * {@code genomes} list (the best of a search). Errors name the file and the field.
     */
    public static ModelSpec spec(String json, String file, ModelSpec base) {
        try {
            Config c = ConfigFactory.parseString(json);
            Config a = c.hasPath("architecture") ? c.getConfig("architecture")
                    : c.getConfigList("genomes").get(0).getConfig("architecture");
            List<ModelSpec.Block> blocks = new ArrayList<>();
            for (Config k : a.getConfigList("blocks")) {
                blocks.add(new ModelSpec.Block(k.getInt("heads"), k.getInt("attn"), k.getInt("mlp")));
            }
            if (blocks.isEmpty()) {
                throw new IllegalArgumentException("architecture.blocks is empty");
            }
            int patch = a.getInt("patch");
            if (patch < 1 || base.imageSize() % patch != 0) {
                throw new IllegalArgumentException("architecture.patch " + patch + " does not divide the image size "
                        + base.imageSize());
            }
            return base.toBuilder().family(ModelSpec.Family.VIT).pooling(ModelSpec.Pooling.CLS).patch(patch)
                    .dim(a.getInt("dim")).heads(blocks.get(0).heads()).mlpDim(blocks.get(0).mlpDim()).blocks(blocks)
                    .build();
        } catch (ConfigException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("model.genome: " + file + " is not a genome file: " + e.getMessage(), e);
        }
    }

    private static String genes(Genome g) {
        return "[" + g.key().replace('-', ',') + "]";
    }

    private static String keys(List<Evolution.Scored> xs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < xs.size(); i++) {
            b.append(i == 0 ? "" : ",").append(genes(xs.get(i).genome()));
        }
        return b.append(']').toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    @SuppressWarnings("unchecked")
    private static List<List<Integer>> intLists(Config c, String key) {
        List<List<Integer>> out = new ArrayList<>();
        for (Object o : c.getList(key).unwrapped()) {
            List<Integer> genes = new ArrayList<>();
            for (Object v : (List<Object>) o) {
                genes.add(((Number) v).intValue());
            }
            out.add(genes);
        }
        return out;
    }

    private static int[] toArray(List<Integer> v) {
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
