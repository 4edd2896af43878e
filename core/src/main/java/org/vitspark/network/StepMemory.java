package org.vitspark.network;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.memory.MemoryManager;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory of one training step's passes: an ND4J workspace that every array an ND4J op creates during
 * a layer's forward pass, loss and backward pass comes from, reused from step to step, so that steady-state
 * steps allocate nothing from the backend. This matters for the ND4J-op kernels (what CUDA executors run,
 * where fresh device memory is as dear as fresh host pages here) and for the ND4J ops that remain around
 * the host kernels. ND4J learns the size on the first step and then hands out slices of one block.
 *
 * <p>Lifetime: {@link #restart()} drops the previous step's arrays and opens a new generation; the arrays
 * stay valid until the next restart or {@link #close()}. The workspace is open but not the thread's current
 * one between {@link #use()} scopes, so code outside them (DL4J's updater, listeners) allocates as usual;
 * whatever leaves the layer is copied out first. ND4J refuses an op on an array of a closed generation
 * ("leaked workspace pointer"), so a stale array fails loudly rather than reading reused memory.
 * One workspace per thread, shared by the layers that run on it: {@link #valid()} says whether the
 * generation this layer opened is still the open one.
 */
final class StepMemory {

    /** Learned on the first step; a larger step later (another batch size) spills and grows it on the next one. */
    private static final WorkspaceConfiguration CONF = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.1)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();
    private static final String ID = "vitspark-step";

    /** Ends a {@link #use()} scope. */
    interface Use extends AutoCloseable {
        @Override
        void close();
    }

    private MemoryWorkspace workspace;
    private long generation = -1;

    /** Closes the previous generation (this layer's or another's on this thread) and opens a new one. */
    void restart() {
        MemoryManager mm = Nd4j.getMemoryManager();
        MemoryWorkspace current = mm.getCurrentWorkspace();
        MemoryWorkspace ws = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(CONF, ID);
        if (ws.isScopeActive()) {
            ws.close();
        }
        ws.notifyScopeEntered();
        mm.setCurrentWorkspace(current == ws ? null : current);
        workspace = ws;
        generation = ws.getGenerationId();
    }

    /** Whether this layer's generation is still open (no other layer on this thread restarted since). */
    boolean valid() {
        return workspace != null && workspace.isScopeActive() && workspace.getGenerationId() == generation;
    }

    /** Makes the open generation the thread's current workspace until the scope closes. */
    Use use() {
        if (!valid()) {
            throw new IllegalStateException("step memory used outside its generation: restart() first");
        }
        MemoryManager mm = Nd4j.getMemoryManager();
        MemoryWorkspace previous = mm.getCurrentWorkspace();
        mm.setCurrentWorkspace(workspace);
        return () -> mm.setCurrentWorkspace(previous);
    }

    /** Ends this layer's generation (its arrays become invalid); a no-op when another layer's is open. */
    void close() {
        if (valid()) {
            MemoryManager mm = Nd4j.getMemoryManager();
            MemoryWorkspace current = mm.getCurrentWorkspace();
            workspace.close();
            mm.setCurrentWorkspace(current == workspace ? null : current);
        }
        workspace = null;
        generation = -1;
    }
}
