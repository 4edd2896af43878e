package org.vitspark.driver;

/** The recipes jobs choose from (their classes stay package-private). */
public final class Recipes {

    /** Supervised training of the classifier ({@code train}). */
    public static final Recipe.Factory SUPERVISED = SupervisedRecipe.FACTORY;

    /** DINO self-distillation pretraining ({@code pretrain}). */
    public static final Recipe.Factory DINO = DinoRecipe.FACTORY;

    private Recipes() {
    }
}
