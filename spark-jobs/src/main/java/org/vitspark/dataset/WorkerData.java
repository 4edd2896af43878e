package org.vitspark.dataset;

import java.io.Serializable;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.config.ReaderSettings;
import org.vitspark.shard.ShardManifest;
import org.vitspark.shard.ShardReader;

/**
 * How a worker finds its data on an executor: the manifest (read once by the driver), the reader settings
 * shared by all workers, the Hadoop properties for the filesystem, and the worker count that decides each
 * worker's share of the shards. {@code streamKey} names this run's readers in the executor's cache.
 */
public final class WorkerData implements Serializable {

    private static final long serialVersionUID = 1L;

    public final ShardManifest manifest;
    public final ReaderSettings settings;
    final Map<String, String> hadoop;
    public final int workers;
    final String streamKey;

    public WorkerData(ShardManifest manifest, ReaderSettings settings, Map<String, String> hadoop, int workers,
               String streamKey) {
        this.manifest = manifest;
        this.settings = settings;
        this.hadoop = hadoop;
        this.workers = workers;
        this.streamKey = streamKey;
    }

    /** Worker {@code worker}'s reader settings: its share of the split's shards. */
    public ReaderSettings settingsFor(int worker) {
        return settings.withShards(ShardReader.share(manifest.shards(settings.split()).size(), worker, workers));
    }

    public ShardReader open(int worker) {
        Configuration conf = HadoopFiles.configuration(hadoop);
        return new ShardReader(manifest, settingsFor(worker), conf);
    }
}
