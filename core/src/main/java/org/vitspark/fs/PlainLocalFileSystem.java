package org.vitspark.fs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Hadoop's local filesystem without its {@code .crc} side files. Run directories and shard folders on
 * {@code file://} are read by people and by tools such as TensorBoard, whose loader takes any file with
 * "tfevents" in its name (so also {@code .events.out.tfevents….crc}) for an event file. Integrity is
 * kept where it matters by SHA-256 digests in checkpoints and shard manifests, which also cover
 * filesystems that have no side files at all (S3). It stays a {@link LocalFileSystem} so code that asks for
 * {@code FileSystem.getLocal} (Hadoop, Spark) still gets one; an existing side file is still verified on
 * read and removed when its file is rewritten.
 */
public class PlainLocalFileSystem extends LocalFileSystem {

    public PlainLocalFileSystem() {
        setWriteChecksum(false);
    }
}
