package org.vitspark.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named augmentation pipeline from config ({@code augment.pipelines.<name>}): steps separated by spaces,
 * each {@code op} or {@code op(arg,...)}, applied left to right to one image with its own generator.
 * <pre>
 *   rrc(min,max)      Inception random-resized crop to the output size: area min..max, aspect 3/4..4/3
 *   resize(f)         shorter side to f × the output size (eval: f = 1/0.875 = 1.143 before center-crop)
 *   center-crop       the output size from the centre (resizing up first when the image is smaller)
 *   pad-crop(p)       resize to the output size, zero-pad p pixels, random crop (the CIFAR recipe)
 *   flip              horizontal flip with probability 1/2
 *   randaugment(n,m)  n RandAugment ops at magnitude m (0..10)
 *   normalize(kind)   imagenet (timm mean/std), half ([-1, 1], the SAM-ViT checkpoints), unit ([0, 1])
 * </pre>
 * The result always has the output size (a final resize is implied when the steps leave another size).
 */
public final class Pipeline implements Serializable {

    private static final Pattern STEP = Pattern.compile("([a-z-]+)(?:\\(([^()]*)\\))?");

    private final String spec;
    private final List<Step> steps;

    private Pipeline(String spec, List<Step> steps) {
        this.spec = spec;
        this.steps = steps;
    }

    /** One parsed step. */
    private record Step(String op, double[] args) implements Serializable {
    }

    /**
     * @throws IllegalArgumentException naming the bad step when the spec does not parse
     */
    public static Pipeline parse(String spec) {
        List<Step> steps = new ArrayList<>();
        for (String token : spec.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            Matcher m = STEP.matcher(token.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("step '" + token + "' is not op or op(args)");
            }
            String op = m.group(1);
            String[] raw = m.group(2) == null || m.group(2).isBlank() ? new String[0] : m.group(2).split(",");
            if (op.equals("normalize")) {
                String kind = raw.length == 1 ? raw[0].trim() : "";
                int k = List.of("imagenet", "half", "unit").indexOf(kind);
                if (k < 0) {
                    throw new IllegalArgumentException("normalize needs imagenet, half or unit, got '" + token + "'");
                }
                steps.add(new Step(op, new double[] {k}));
                continue;
            }
            double[] args = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                try {
                    args[i] = Double.parseDouble(raw[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("step '" + token + "': '" + raw[i] + "' is not a number");
                }
            }
            checkArgs(token, op, args);
            steps.add(new Step(op, args));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("empty pipeline");
        }
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i).op().equals("normalize")) { // every other step works on 0..255 pixels
                throw new IllegalArgumentException("normalize must be the last step");
            }
        }
        return new Pipeline(spec, List.copyOf(steps));
    }

    private static void checkArgs(String token, String op, double[] a) {
        int want = switch (op) {
            case "rrc", "randaugment" -> 2;
            case "resize", "pad-crop" -> 1;
            case "center-crop", "flip" -> 0;
            default -> throw new IllegalArgumentException("unknown step '" + op + "' (known: rrc, resize, "
                    + "center-crop, pad-crop, flip, randaugment, normalize)");
        };
        if (a.length != want) {
            throw new IllegalArgumentException("step '" + token + "' takes " + want + " argument(s)");
        }
        boolean ok = switch (op) {
            case "rrc" -> a[0] > 0 && a[0] <= a[1] && a[1] <= 1;
            case "resize" -> a[0] >= 1 && a[0] <= 8;
            case "pad-crop" -> a[0] >= 0 && a[0] == Math.rint(a[0]);
            case "randaugment" -> a[0] >= 0 && a[0] <= 10 && a[0] == Math.rint(a[0]) && a[1] >= 0 && a[1] <= 10;
            default -> true;
        };
        if (!ok) {
            throw new IllegalArgumentException("step '" + token + "': argument out of range (rrc 0<min<=max<=1, "
                    + "resize 1..8, pad-crop whole pixels, randaugment n 0..10 whole, m 0..10)");
        }
    }

    /** The image augmented and brought to {@code size}×{@code size}. */
    public Pixels apply(Pixels in, int size, SplittableRandom r) {
        Pixels p = in;
        for (Step s : steps) {
            double[] a = s.args();
            p = switch (s.op()) {
                case "rrc" -> Geometry.resample(p, Geometry.randomResizedCrop(p.height(), p.width(), a[0], a[1],
                        3.0 / 4, 4.0 / 3, r), size, size);
                case "resize" -> shorterSide(p, (int) Math.round(size * a[0]));
                case "center-crop" -> centerCrop(p, size);
                case "pad-crop" -> Geometry.padCrop(toSize(p, size), (int) a[0], r);
                case "flip" -> Geometry.flip(p, 0.5, r);
                case "randaugment" -> RandAugment.apply(p, (int) a[0], a[1], r);
                case "normalize" -> normalize(toSize(p, size), (int) a[0]);
                default -> throw new IllegalStateException(s.op());
            };
        }
        return toSize(p, size);
    }

    private static Pixels normalize(Pixels p, int kind) {
        return switch (kind) {
            case 0 -> Normalize.apply(p, Normalize.IMAGENET_MEAN, Normalize.IMAGENET_STD);
            case 1 -> Normalize.apply(p, Normalize.HALF, Normalize.HALF);
            default -> Normalize.apply(p, new float[] {0f}, new float[] {1f});
        };
    }

    private static Pixels shorterSide(Pixels p, int side) {
        double s = (double) side / Math.min(p.height(), p.width());
        int h = Math.max(1, (int) Math.round(p.height() * s));
        int w = Math.max(1, (int) Math.round(p.width() * s));
        return h == p.height() && w == p.width() ? p
                : Geometry.resample(p, new Geometry.Box(0, 0, p.height(), p.width()), h, w);
    }

    private static Pixels centerCrop(Pixels p, int size) {
        Pixels big = Math.min(p.height(), p.width()) < size ? shorterSide(p, size) : p;
        return Geometry.resample(big, Geometry.center(big.height(), big.width(), size, size), size, size);
    }

    private static Pixels toSize(Pixels p, int size) {
        return p.height() == size && p.width() == size ? p
                : Geometry.resample(p, new Geometry.Box(0, 0, p.height(), p.width()), size, size);
    }

    /** The normalisation the pipeline ends with: imagenet, half or unit, or "none". */
    public String normalization() {
        Step last = steps.get(steps.size() - 1);
        return last.op().equals("normalize") ? List.of("imagenet", "half", "unit").get((int) last.args()[0]) : "none";
    }

    @Override
    public String toString() {
        return spec;
    }
}
