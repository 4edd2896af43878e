package org.vitspark.preprocess;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Which input layout a folder holds, for {@code preprocess} without {@code --layout}. */
public final class LayoutDetector {

    public static final String IDX = "idx";
    public static final String IMAGENET = "imagenet";
    public static final String FOLDERS = "folders";

    private LayoutDetector() {
    }

    /** idx when the Fashion-MNIST/MNIST train images file is there, imagenet for ILSVRC2012's layout, else folders. */
    public static String detect(FileSystem fs, Path root) throws IOException {
        if (fs.exists(new Path(root, "train-images-idx3-ubyte.gz")) || fs.exists(new Path(root, "train-images-idx3-ubyte"))) {
            return IDX;
        }
        return ImageNetLayout.detect(fs, root) ? IMAGENET : FOLDERS;
    }
}
