package org.vitspark.preprocess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.data.shard.SourceImage;

/**
 * A class-per-folder image tree on any Hadoop filesystem ({@code ROOT/<class>/**}): every regular file
 * under a class folder is a candidate (the decoder, not the name, decides what is an image); hidden files
 * and folders (names starting with "." or "_") are left out. Symbolic links are not followed, on any
 * filesystem: a link may point into another class's folder (its files would be labelled by a folder they do
 * not sit in) or up the tree (a cycle); each one is counted instead.
 */
public final class FolderListing {

    private FolderListing() {
    }

    /**
     * The candidate files and their total size, taken from the listing itself (no request per file), and the
     * symbolic links left out.
     */
    public record Listing(List<SourceImage> images, long bytes, List<String> links) {
    }

    public static Listing list(FileSystem fs, Path root) throws IOException {
        if (!fs.getFileStatus(root).isDirectory()) {
            throw new IOException(root + " is not a folder");
        }
        List<SourceImage> out = new ArrayList<>();
        List<String> links = new ArrayList<>();
        long[] bytes = {0};
        for (FileStatus cls : fs.listStatus(root)) {
            String name = cls.getPath().getName();
            if (hidden(name)) {
                continue;
            }
            if (isLink(cls)) {
                links.add(relative(root, cls.getPath()));
            } else if (cls.isDirectory()) {
                walk(fs, root, cls.getPath(), name, out, links, bytes);
            }
        }
        return new Listing(out, bytes[0], links);
    }

    /** Files under {@code dir}, depth first in name order, links counted and not followed. */
    private static void walk(FileSystem fs, Path root, Path dir, String className, List<SourceImage> out,
                             List<String> links, long[] bytes) throws IOException {
        FileStatus[] entries = fs.listStatus(dir);
        java.util.Arrays.sort(entries, java.util.Comparator.comparing(f -> f.getPath().getName()));
        for (FileStatus f : entries) {
            String rel = relative(root, f.getPath());
            if (hidden(f.getPath().getName())) {
                continue;
            }
            if (isLink(f)) {
                links.add(rel);
            } else if (f.isDirectory()) {
                walk(fs, root, f.getPath(), className, out, links, bytes);
            } else if (f.isFile()) {
                out.add(new SourceImage(f.getPath().toString(), rel, className));
                bytes[0] += f.getLen();
            }
        }
    }

    /**
     * Whether a listed entry is a symbolic link. HDFS lists links as links; Hadoop's local filesystem resolves
     * them in its listing and in getFileLinkStatus (3.3.4), so there the operating system is asked; object
     * stores have no links.
     */
    static boolean isLink(FileStatus f) {
        if (f.isSymlink()) {
            return true;
        }
        return "file".equals(f.getPath().toUri().getScheme())
                && java.nio.file.Files.isSymbolicLink(java.nio.file.Path.of(f.getPath().toUri()));
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    private static String relative(Path root, Path file) {
        String r = root.toUri().getPath();
        String f = file.toUri().getPath();
        String rel = f.startsWith(r) ? f.substring(r.length()) : f;
        return rel.startsWith("/") ? rel.substring(1) : rel;
    }
}
