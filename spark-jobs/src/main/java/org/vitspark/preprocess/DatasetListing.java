package org.vitspark.preprocess;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.data.shard.SourceImage;
import org.vitspark.data.shard.Vocabulary;

/**
 * The input files of an image-file layout, split by split, with the vocabulary they share, where the
 * labels came from (folder names, or ImageNet's devkit for a flat val/), and the symbolic links left out
 * (relative paths; links are never followed).
 */
public record DatasetListing(Vocabulary vocabulary, List<SplitFiles> splits, String labels, List<String> links) {

    /**
     * @param layout {@link LayoutDetector#IMAGENET} or {@link LayoutDetector#FOLDERS}
     * @param split  the split name of the folders layout
     * @param devkit ImageNet's devkit folder; null = its default place
     */
    public static DatasetListing list(FileSystem fs, Path input, String layout, String split, Path devkit)
            throws IOException {
        if (LayoutDetector.IMAGENET.equals(layout)) {
            return ImageNetLayout.list(fs, input, devkit);
        }
        FolderListing.Listing l = FolderListing.list(fs, input);
        return new DatasetListing(Vocabulary.of(l.images().stream().map(SourceImage::className).toList()),
                List.of(new SplitFiles(split, l.images(), l.bytes())), "folders", l.links());
    }
}
