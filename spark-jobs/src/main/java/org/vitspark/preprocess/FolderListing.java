package org.vitspark.preprocess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.vitspark.data.shard.SourceImage;

/**
 * A class-per-folder image tree on any Hadoop filesystem ({@code ROOT/<class>/**}): every regular file
 * under a class folder is a candidate (the decoder, not the name, decides what is an image); hidden files
 * and folders (names starting with "." or "_") are left out.
 */
public final class FolderListing {

    private FolderListing() {
    }

    /** The candidate files and their total size, taken from the listing itself (no request per file). */
    public record Listing(List<SourceImage> images, long bytes) {
    }

    public static Listing list(FileSystem fs, Path root) throws IOException {
        if (!fs.getFileStatus(root).isDirectory()) {
            throw new IOException(root + " is not a folder");
        }
        List<SourceImage> out = new ArrayList<>();
        long bytes = 0;
        for (FileStatus cls : fs.listStatus(root)) {
            String name = cls.getPath().getName();
            if (!cls.isDirectory() || hidden(name)) {
                continue;
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(cls.getPath(), true);
            while (files.hasNext()) {
                LocatedFileStatus f = files.next();
                String rel = relative(root, f.getPath());
                if (f.isFile() && !hiddenPath(rel)) {
                    out.add(new SourceImage(f.getPath().toString(), rel, name));
                    bytes += f.getLen();
                }
            }
        }
        return new Listing(out, bytes);
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    private static boolean hiddenPath(String rel) {
        for (String part : rel.split("/")) {
            if (hidden(part)) {
                return true;
            }
        }
        return false;
    }

    private static String relative(Path root, Path file) {
        String r = root.toUri().getPath();
        String f = file.toUri().getPath();
        String rel = f.startsWith(r) ? f.substring(r.length()) : f;
        return rel.startsWith("/") ? rel.substring(1) : rel;
    }
}
