package org.vitspark.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;

/** Which config changes a resume accepts. */
class ResumeCheckTest {

    private static String rendered(String... sets) {
        return ConfigLoader.standard().load(ConfigSources.of(null, List.of(sets))).render();
    }

    @Test
    void freeKeysMayDifferOthersAreNamed() {
        assertEquals(Set.of(), ResumeCheck.differences(rendered("train.log-every=5"), rendered("train.log-every=50")));
        assertEquals(Set.of("optim.lr"), ResumeCheck.differences(rendered("optim.lr=0.001"), rendered("optim.lr=0.002")));
    }

    @Test
    void aKeyAddedLaterAtItsDefaultDoesNotBlockResumeButAChangedOneDoes() {
        // a run saved before the patch losses existed: its config has no loss section
        String saved = rendered().replaceAll("(?s)\\bloss\\s*\\{.*?\\n\\}\\n", "");
        assertEquals(false, saved.contains("contrastive-anchor"), "fixture: the section is gone");
        assertEquals(Set.of(), ResumeCheck.differences(saved, rendered()));
        assertEquals(Set.of("loss.patch.cosine"), ResumeCheck.differences(saved, rendered("loss.patch.cosine=1")));
    }
}
