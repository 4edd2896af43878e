package org.vitspark.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.vitspark.augment.Pipeline;
import org.vitspark.data.image.CvDecoder;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.config.ReaderSettings;

/** Shared check of the storage round-trip tests: the reader's labels and pixels equal a local decode. */
public final class RoundTrip {

    private RoundTrip() {
    }

    /**
     * Reads every image of {@code split} under {@code root} through the shard reader (fixed size, no random
     * steps) and compares each with the source file {@code local/<key>} decoded and resized the same way.
     *
     * @return images checked
     */
    public static int assertReaderMatchesLocalDecode(String root, Configuration conf, String split, Path local,
                                                     List<String> classes, int size) throws Exception {
        org.apache.hadoop.fs.Path r = new org.apache.hadoop.fs.Path(root);
        FileSystem fs = r.getFileSystem(conf);
        ShardManifest m = ShardManifest.read(fs, r);
        assertEquals(classes, m.classes());
        Pipeline unit = Pipeline.parse("normalize(unit)");
        ReaderSettings s = new ReaderSettings(split, ShardReader.share(m.shards(split).size(), 0, 1), 1, 4, size, 3,
                classes.size(), unit, true, false, 0, 0, 1, 2, 2, false, null, null, 1);
        Set<String> seen = new HashSet<>();
        try (ShardReader reader = new ShardReader(m, s, conf)) {
            Iterator<ShardBatch> it = reader.epoch(DataPosition.start(0));
            while (it.hasNext()) {
                ShardBatch b = it.next();
                float[] features = b.data().getFeatures().data().asFloat();
                int per = 3 * size * size;
                for (int i = 0; i < b.keys().size(); i++) {
                    String key = b.keys().get(i);
                    float[] expected = unit.apply(CvDecoder.decode(Files.readAllBytes(local.resolve(key)), 3), size,
                            new SplittableRandom(0)).data();
                    float[] got = java.util.Arrays.copyOfRange(features, i * per, (i + 1) * per);
                    assertArrayEquals(expected, got, key + ": same pixels as a local decode");
                    int label = b.data().getLabels().getRow(i).argMax().getInt(0);
                    assertEquals(classes.indexOf(key.substring(0, key.indexOf('/'))), label, key + ": label");
                    seen.add(key);
                }
            }
        }
        assertEquals(m.images(split), seen.size(), "every image once");
        return seen.size();
    }
}
