package org.vitspark.model;

/**
 * The shape of one model: a row of the variant table, possibly with single fields overridden.
 *
 * @param name variant name the spec started from
 * @param imageSize input side in pixels (square images)
 * @param channels input channels
 * @param classes output classes
 * @param patch patch side in pixels
 * @param dim embedding width
 * @param depth number of encoder blocks
 * @param heads attention heads
 * @param mlpDim MLP hidden width
 */
public record ModelSpec(String name, int imageSize, int channels, int classes, int patch, int dim, int depth,
                        int heads, int mlpDim) {

    /** Patch tokens per image (without a class token). */
    public int patchTokens() {
        int side = imageSize / patch;
        return side * side;
    }

    public ModelSpec withImageSize(int v) {
        return new ModelSpec(name, v, channels, classes, patch, dim, depth, heads, mlpDim);
    }

    public ModelSpec withChannels(int v) {
        return new ModelSpec(name, imageSize, v, classes, patch, dim, depth, heads, mlpDim);
    }

    public ModelSpec withClasses(int v) {
        return new ModelSpec(name, imageSize, channels, v, patch, dim, depth, heads, mlpDim);
    }

    public ModelSpec withPatch(int v) {
        return new ModelSpec(name, imageSize, channels, classes, v, dim, depth, heads, mlpDim);
    }

    public ModelSpec withDim(int v) {
        return new ModelSpec(name, imageSize, channels, classes, patch, v, depth, heads, mlpDim);
    }

    public ModelSpec withDepth(int v) {
        return new ModelSpec(name, imageSize, channels, classes, patch, dim, v, heads, mlpDim);
    }

    public ModelSpec withHeads(int v) {
        return new ModelSpec(name, imageSize, channels, classes, patch, dim, depth, v, mlpDim);
    }

    public ModelSpec withMlpDim(int v) {
        return new ModelSpec(name, imageSize, channels, classes, patch, dim, depth, heads, v);
    }
}
