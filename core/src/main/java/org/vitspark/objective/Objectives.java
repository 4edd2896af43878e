package org.vitspark.objective;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vitspark.model.ModelSpec;

/** Builds the {@link Objective} an {@link ObjectiveSpec} describes, for a model of the given shape. */
public final class Objectives {

    private Objectives() {
    }

    /** A lone term of weight 1 is returned as itself (no sum around it: the same arithmetic as calling it). */
    public static Objective build(ObjectiveSpec spec, ModelSpec model) {
        List<ObjectiveSpec.Term> terms = spec.terms();
        if (terms.size() == 1 && terms.get(0).weight() == 1.0) {
            return term(terms.get(0), model);
        }
        List<WeightedSum.Part> parts = new ArrayList<>();
        for (ObjectiveSpec.Term t : terms) {
            parts.add(new WeightedSum.Part(term(t, model), t.weight()));
        }
        return new WeightedSum(parts);
    }

    private static Objective term(ObjectiveSpec.Term t, ModelSpec model) {
        double smoothing = Double.parseDouble(t.options().getOrDefault("smoothing", "0"));
        switch (t.name()) {
            case CrossEntropy.NAME:
                return new CrossEntropy(smoothing);
            case PatchCosine.NAME:
                return new PatchCosine(model);
            case PatchContrastive.NAME:
                return new PatchContrastive(model, PatchContrastive.Anchor.parse(t.options().getOrDefault("anchor",
                        PatchContrastive.Anchor.EMBED_POS.key)));
            case PatchMixing.NAME:
                return new PatchMixing(model, smoothing);
            default:
                break;
        }
        if (t.name().contains(".")) {
            return plugin(t.name(), model, t.options());
        }
        throw new IllegalArgumentException("unknown objective \"" + t.name() + "\" (built in: " + String.join(", ",
                CrossEntropy.NAME, PatchCosine.NAME, PatchContrastive.NAME, PatchMixing.NAME)
                + "; or the class name of an Objective)");
    }

    /** An objective class from the classpath (executors load it with the task's class loader). */
    private static Objective plugin(String className, ModelSpec model, Map<String, String> options) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> c = Class.forName(className, true, loader == null ? Objectives.class.getClassLoader() : loader);
            return (Objective) c.getConstructor(ModelSpec.class, Map.class).newInstance(model, options);
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | ClassCastException e) {
            throw new IllegalArgumentException("objective " + className + " is not an Objective with a public "
                    + "constructor (ModelSpec, Map<String, String>): " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("objective " + className + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
