package dev.contentgen.server.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.contentgen.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a compacted job's dropped deltas were and how long each was ({@code jobs.compacted_deltas}):
 * runs of consecutive seqs of one artifact. A delta's text is then the slice of its artifact's final
 * text at that offset, so a client that does not take snapshots still reads the log it would have read.
 */
public record CompactedDeltas(List<String> artifacts, List<Run> runs) {

    /** Deltas {@code firstSeq, firstSeq + 1, …} of {@code artifacts[artifact]}, with these lengths (UTF-16 units). */
    public record Run(long firstSeq, int artifact, List<Integer> lengths) {
        @JsonCreator
        public Run(@JsonProperty("firstSeq") long firstSeq, @JsonProperty("artifact") int artifact,
                   @JsonProperty("lengths") List<Integer> lengths) {
            this.firstSeq = firstSeq;
            this.artifact = artifact;
            this.lengths = List.copyOf(lengths);
        }
    }

    /** One dropped delta: its artifact and where its text lies in the artifact's final text. */
    public record Slice(String artifactId, int offset, int length) {}

    static CompactedDeltas parse(String json) {
        return Json.read(json, CompactedDeltas.class);
    }

    String json() {
        return Json.write(this);
    }

    /** Where the dropped delta {@code seq} was; empty when {@code seq} was not a dropped delta. */
    public Optional<Slice> slice(long seq) {
        int[] offsets = new int[artifacts.size()];
        for (Run run : runs) {
            for (int i = 0; i < run.lengths().size(); i++) {
                if (run.firstSeq() + i == seq) {
                    return Optional.of(new Slice(artifacts.get(run.artifact()), offsets[run.artifact()], run.lengths().get(i)));
                }
                offsets[run.artifact()] += run.lengths().get(i);
            }
        }
        return Optional.empty();
    }

    /** Collects the deltas as compaction reads them, oldest first. */
    static final class Builder {
        private record Open(long firstSeq, int artifact, List<Integer> lengths) {}

        private final List<String> artifacts = new ArrayList<>();
        private final List<Open> runs = new ArrayList<>();
        private long nextSeq = -1;
        private int current = -1;

        void add(long seq, String artifactId, int length) {
            int artifact = artifacts.indexOf(artifactId);
            if (artifact < 0) {
                artifacts.add(artifactId);
                artifact = artifacts.size() - 1;
            }
            if (seq != nextSeq || artifact != current) {
                runs.add(new Open(seq, artifact, new ArrayList<>()));
                current = artifact;
            }
            runs.getLast().lengths().add(length);
            nextSeq = seq + 1;
        }

        CompactedDeltas build() {
            return new CompactedDeltas(List.copyOf(artifacts), runs.stream().map(r -> new Run(r.firstSeq(), r.artifact(), r.lengths())).toList());
        }
    }
}
