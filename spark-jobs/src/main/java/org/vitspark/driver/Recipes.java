package org.vitspark.driver;

/** The recipes jobs choose from (their classes stay package-private). */
public final class Recipes {

    /** Supervised training of the classifier ({@code train}). */
    public static final Recipe.Factory SUPERVISED = SupervisedRecipe.FACTORY;

    /** ViTAS supernet training ({@code search supernet}). */
    public static final Recipe.Factory SUPERNET = SupervisedRecipe.SUPERNET;

    /** DINO self-distillation pretraining ({@code pretrain}). */
    public static final Recipe.Factory DINO = DinoRecipe.FACTORY;

    private Recipes() {
    }
}
