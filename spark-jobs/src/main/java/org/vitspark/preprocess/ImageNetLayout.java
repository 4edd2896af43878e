package org.vitspark.preprocess;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.data.shard.ImageNetDevkit;
import org.vitspark.data.shard.SourceImage;
import org.vitspark.data.shard.Vocabulary;

/**
 * The ILSVRC2012 layout (docs/shard-format.md, "Odd files"): {@code ROOT/train/<wnid>/*.JPEG} and
 * {@code ROOT/val/}, either flat ({@code ILSVRC2012_val_########.JPEG}, labelled through the devkit's
 * meta.mat and ground-truth file, or Kaggle's {@code LOC_val_solution.csv}) or already sorted into
 * {@code val/<wnid>/} folders. Class indices are the sorted WNIDs (meta.mat's 1,000 leaves when the
 * devkit is there, else the train folders).
 */
public final class ImageNetLayout {

    public static final String DEVKIT = "ILSVRC2012_devkit_t12";
    public static final String META = "data/meta.mat";
    public static final String GROUND_TRUTH = "data/ILSVRC2012_validation_ground_truth.txt";
    public static final String KAGGLE_SOLUTION = "LOC_val_solution.csv";

    private ImageNetLayout() {
    }

    /** True when ROOT has a {@code train/} holding WNID folders, or a {@code val/} beside a devkit. */
    public static boolean detect(FileSystem fs, Path root) throws IOException {
        Path train = new Path(root, "train");
        if (fs.exists(train) && fs.getFileStatus(train).isDirectory()) {
            for (FileStatus s : fs.listStatus(train)) {
                if (s.isDirectory() && ImageNetDevkit.isWnid(s.getPath().getName())) {
                    return true;
                }
            }
        }
        return fs.exists(new Path(root, "val")) && (fs.exists(new Path(root, DEVKIT))
                || fs.exists(new Path(root, KAGGLE_SOLUTION)));
    }

    /** @param devkit the devkit folder; null = {@code ROOT/ILSVRC2012_devkit_t12} */
    public static DatasetListing list(FileSystem fs, Path root, Path devkit) throws IOException {
        Path kit = devkit != null ? devkit : new Path(root, DEVKIT);
        Path meta = new Path(kit, META);
        Map<Integer, String> idToWnid = fs.exists(meta) ? readMeta(fs, meta) : null;
        List<SplitFiles> splits = new ArrayList<>();
        TreeSet<String> folderClasses = new TreeSet<>();
        List<String> links = new ArrayList<>();
        Path train = new Path(root, "train");
        if (fs.exists(train)) {
            FolderListing.Listing l = FolderListing.list(fs, train);
            links.addAll(l.links().stream().map(x -> "train/" + x).toList());
            splits.add(new SplitFiles("train", l.images(), l.bytes()));
            l.images().forEach(s -> folderClasses.add(s.className()));
        }
        Path val = new Path(root, "val");
        String labels = "folders";
        if (fs.exists(val)) {
            if (hasClassFolders(fs, val)) {
                FolderListing.Listing l = FolderListing.list(fs, val);
                links.addAll(l.links().stream().map(x -> "val/" + x).toList());
                splits.add(new SplitFiles("val", l.images(), l.bytes()));
                l.images().forEach(s -> folderClasses.add(s.className()));
            } else {
                Path kaggle = new Path(root, KAGGLE_SOLUTION);
                Map<Integer, String> truth;
                if (idToWnid != null && fs.exists(new Path(kit, GROUND_TRUTH))) {
                    Path gt = new Path(kit, GROUND_TRUTH);
                    try (InputStream in = fs.open(gt)) {
                        truth = ImageNetDevkit.readGroundTruth(in, idToWnid, gt.toString());
                    }
                    labels = gt.toString() + " via " + meta;
                } else if (fs.exists(kaggle)) {
                    try (InputStream in = fs.open(kaggle)) {
                        truth = ImageNetDevkit.readKaggleSolution(in, kaggle.toString());
                    }
                    labels = kaggle.toString();
                } else {
                    throw new IOException("flat " + val + " needs labels: " + new Path(kit, GROUND_TRUTH) + " with "
                            + meta + " (ILSVRC2012 devkit; --devkit DIR) or " + kaggle);
                }
                splits.add(flatVal(fs, val, truth, links));
            }
        }
        if (splits.isEmpty()) {
            throw new IOException(root + " has neither train/ nor val/");
        }
        Vocabulary vocab = Vocabulary.of(idToWnid != null ? ImageNetDevkit.classes(idToWnid)
                : classesOf(splits));
        for (String c : folderClasses) {
            if (!ImageNetDevkit.isWnid(c) || (idToWnid != null && !idToWnid.containsValue(c))) {
                throw new IOException("class folder " + c + " is not " + (idToWnid != null
                        ? "one of meta.mat's " + idToWnid.size() + " classes" : "a WordNet id (n########)"));
            }
        }
        return new DatasetListing(vocab, splits, labels, links);
    }

    private static Map<Integer, String> readMeta(FileSystem fs, Path meta) throws IOException {
        try (InputStream in = fs.open(meta)) {
            return ImageNetDevkit.readMeta(in, meta.toString());
        }
    }

    private static boolean hasClassFolders(FileSystem fs, Path dir) throws IOException {
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory() && ImageNetDevkit.isWnid(s.getPath().getName())) {
                return true;
            }
        }
        return false;
    }

    /** The flat val/ folder's images labelled by the ground truth; links are counted into {@code links}, not followed. */
    private static SplitFiles flatVal(FileSystem fs, Path val, Map<Integer, String> truth, List<String> links)
            throws IOException {
        List<SourceImage> images = new ArrayList<>();
        long bytes = 0;
        for (FileStatus f : fs.listStatus(val)) {
            String name = f.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            if (FolderListing.isLink(f)) {
                links.add("val/" + name);
                continue;
            }
            if (!f.isFile()) {
                continue;
            }
            int n = ImageNetDevkit.valNumber(name);
            if (n < 0) {
                throw new IOException(f.getPath() + ": not an ILSVRC2012_val_########.JPEG name, so it has no label");
            }
            String wnid = truth.get(n);
            if (wnid == null) {
                throw new IOException(f.getPath() + ": image " + n + " has no line in the ground truth ("
                        + truth.size() + " lines)");
            }
            images.add(new SourceImage(f.getPath().toString(), name, wnid));
            bytes += f.getLen();
        }
        return new SplitFiles("val", images, bytes);
    }

    private static List<String> classesOf(List<SplitFiles> splits) {
        TreeSet<String> names = new TreeSet<>();
        for (SplitFiles s : splits) {
            s.images().forEach(i -> names.add(i.className()));
        }
        return new ArrayList<>(names);
    }
}
