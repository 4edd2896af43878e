package org.vitspark.averaging;

import org.vitspark.data.IdxImages;
import org.vitspark.runtime.UsageException;
import org.vitspark.model.ModelSpec;

/** Checks that a model's input shape and class count fit the data, naming the key to change. */
final class DataChecks {

    private DataChecks() {
    }

    static void requireCompatible(ModelSpec m, IdxImages data) {
        if (data.rows() != m.imageSize() || data.cols() != m.imageSize()) {
            throw new UsageException("model.image-size is " + m.imageSize() + " but the images are "
                    + data.rows() + "x" + data.cols());
        }
        if (m.channels() != 1) {
            throw new UsageException("model.channels is " + m.channels() + " but idx images have 1 channel");
        }
        int maxLabel = 0;
        for (int y : data.labels()) {
            maxLabel = Math.max(maxLabel, y);
        }
        if (maxLabel >= m.classes()) {
            throw new UsageException("model.classes is " + m.classes() + " but the data has label " + maxLabel);
        }
    }
}
