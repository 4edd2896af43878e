package org.vitspark.shard;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.vitspark.data.shard.DataPosition;

/**
 * One minibatch from a shard reader: features [B, C, H, W] and (soft) targets [B, classes], the keys of
 * its images, CutMix's per-image patch mask (true = patch from the partner image; null without CutMix) and
 * the position of the next batch, which a checkpoint taken after this batch records.
 */
public record ShardBatch(DataSet data, List<String> keys, boolean[][] patchFromPartner, DataPosition next) {
}
