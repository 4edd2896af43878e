package org.vitspark.preprocess;

import java.util.List;
import org.vitspark.data.shard.SourceImage;

/** The input files of one split (train, val, ...) and their total size, as listed. */
public record SplitFiles(String split, List<SourceImage> images, long bytes) {
}
