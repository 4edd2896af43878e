package org.vitspark.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DINO's multi-crop (Caron et al. 2021): two global views and N local views of one image, each a random
 * resized crop (aspect 3/4–4/3) of its own scale range, resampled to its own size, randomly flipped. DINO's
 * ImageNet defaults are global scale 0.4–1 at 224 px and local 0.05–0.4 at 96 px; the small-dataset recipe
 * (Gani et al. 2022) scales the sizes to the dataset's resolution.
 */
public final class MultiCrop {

    private MultiCrop() {
    }

    /** Scale range (fraction of the image area) and output side of one kind of view. */
    public record View(double minScale, double maxScale, int size) implements java.io.Serializable {
    }

    /** The global views first, then the local ones. */
    public static List<Pixels> views(Pixels img, View global, int globals, View local, int locals,
                                     SplittableRandom r) {
        List<Pixels> out = new ArrayList<>(globals + locals);
        for (int i = 0; i < globals + locals; i++) {
            View v = i < globals ? global : local;
            Geometry.Box box = Geometry.randomResizedCrop(img.height(), img.width(), v.minScale(), v.maxScale(),
                    3.0 / 4, 4.0 / 3, r);
            out.add(Geometry.flip(Geometry.resample(img, box, v.size(), v.size()), 0.5, r));
        }
        return out;
    }
}
