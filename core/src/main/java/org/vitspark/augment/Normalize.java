package org.vitspark.augment;

/** Per-channel (x/255 − mean)/std, e.g. ImageNet's statistics, or the [−1, 1] scaling of the SAM-ViT checkpoints. */
public final class Normalize {

    /** torchvision/timm ImageNet mean and std (RGB). */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** mean = std = 0.5 maps [0, 1] to [−1, 1]: the "inception" normalisation big_vision's ViT/SAM checkpoints expect. */
    public static final float[] HALF = {0.5f, 0.5f, 0.5f};

    private Normalize() {
    }

    public static Pixels apply(Pixels in, float[] mean, float[] std) {
        int plane = in.height() * in.width();
        float[] out = new float[in.data().length];
        for (int c = 0; c < in.channels(); c++) {
            float m = mean[c % mean.length];
            float s = std[c % std.length];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                out[i] = (in.data()[i] / 255f - m) / s;
            }
        }
        return new Pixels(in.channels(), in.height(), in.width(), out);
    }
}
