package org.vitspark.checkpoint;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.metrics.JsonLine;

/**
 * Where training stands between two rounds: what a checkpoint records besides the arrays. Randomness has
 * no hidden state to save: every stream derives from (run.seed, epoch, step, partition, purpose), and the
 * data order from (seed, epoch) plus each worker's data position, so seed, step and positions restore it.
 *
 * @param round        rounds completed in the whole run
 * @param epoch        0-based epoch the next round belongs to
 * @param roundInEpoch rounds of that epoch already done
 * @param step         the averaged network's iteration count
 * @param positions    each worker's next data position
 * @param configHash   SHA-256 of the resolved config the run was started with
 */
public record TrainState(int round, int epoch, int roundInEpoch, int step, List<DataPosition> positions, long seed,
                         String configHash) {

    public TrainState {
        positions = List.copyOf(positions);
    }

    /** The start of a run with {@code workers} workers. */
    public static TrainState start(int workers, long seed, String configHash) {
        List<DataPosition> p = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            p.add(DataPosition.start(0));
        }
        return new TrainState(0, 0, 0, 0, p, seed, configHash);
    }

    public int workers() {
        return positions.size();
    }

    /** A JSON object (state.json); {@code files} adds name → SHA-256 of the checkpoint's other files. */
    String toJson(java.util.Map<String, String> files) {
        List<String> pos = new ArrayList<>();
        positions.forEach(p -> pos.add(p.toString()));
        JsonLine j = new JsonLine().put("format", 1).put("round", round).put("epoch", epoch)
                .put("round_in_epoch", roundInEpoch).put("step", step).put("positions", String.join(",", pos))
                .put("seed", Long.toString(seed)).put("config_sha256", configHash)
                .put("rng", "derived: Rng.mix(run.seed, epoch, step, partition, purpose)");
        files.forEach((name, sha) -> j.put("sha256:" + name, sha));
        return j.toString() + "\n";
    }

    static TrainState fromJson(Config c) {
        List<DataPosition> pos = new ArrayList<>();
        for (String p : c.getString("positions").split(",")) {
            String[] f = p.split("/");
            pos.add(new DataPosition(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
        return new TrainState(c.getInt("round"), c.getInt("epoch"), c.getInt("round_in_epoch"), c.getInt("step"), pos,
                Long.parseLong(c.getString("seed")), c.getString("config_sha256"));
    }

    /** SHA-256 recorded for checkpoint file {@code name} in a parsed state.json. */
    static String fileSha(Config c, String name) {
        String key = "\"sha256:" + name + "\"";
        return c.hasPath(key) ? c.getString(key) : null;
    }
}
