package org.vitspark.preprocess;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local filesystem under the scheme {@code faulty://}, where opening a file whose name contains
 * "unreadable" fails with an I/O error: the fault a permission-denied or failing disk gives, which tests
 * running as root cannot produce with file modes.
 */
public class FaultyLocalFileSystem extends RawLocalFileSystem {

    @Override
    public URI getUri() {
        return URI.create("faulty:///");
    }

    @Override
    public String getScheme() {
        return "faulty";
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (f.getName().contains("unreadable")) {
            throw new IOException("Input/output error: " + f);
        }
        return super.open(f, bufferSize);
    }
}
