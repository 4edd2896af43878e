package org.vitspark.network;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Moves a {@link DinoLayer}'s teacher after every optimiser step (DL4J calls iterationDone once the
 * update is applied, with the iteration that step used). Stateless: one per network, anywhere.
 */
public final class TeacherEma extends BaseTrainingListener implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (((ComputationGraph) model).getOutputLayer(0) instanceof DinoLayer layer) {
            layer.updateTeacher(iteration);
        }
    }
}
