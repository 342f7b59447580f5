package dev.contentgen.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import dev.contentgen.server.pipeline.format.FormatFile;
import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Titles and the final piece follow the format file, whatever earlier steps produced. */
class AssemblyTest {
    static final FormatSpec LIST = FormatFile.read("list.yaml", """
            name: list
            label: List
            steps:
              - kind: items
                title: Items
                label: Listing
                prompt: List things about {{topic}}.
            assemble:
              kind: list
              title: "{{item:items}}"
              label: Assembling
              parts: [items]
            """, OfflineProvider.WRITERS);

    @Test
    void anAssemblyTitledByAListItemFallsBackToTheTopicWhenTheListHasNone() {
        JobRequest request = new JobRequest("Tides", LIST.format(), Tone.NEUTRAL, Length.SHORT);
        Step assembly = Plan.of(request, LIST).getLast();
        List<FinishedArtifact> none = List.of(new FinishedArtifact(0, "items", "Items", "no numbered lines here"));
        assertThat(Assembly.titleFor(assembly, request, none)).isEqualTo("Tides");
        List<FinishedArtifact> one = List.of(new FinishedArtifact(0, "items", "Items", "1. Moon — pulls"));
        assertThat(Assembly.titleFor(assembly, request, one)).isEqualTo("Moon");
        assertThat(Assembly.assemble(LIST, one)).isEqualTo("1. Moon — pulls\n");
    }
}
