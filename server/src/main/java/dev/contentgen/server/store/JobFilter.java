package dev.contentgen.server.store;

import dev.contentgen.api.JobStatus;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which of an owner's jobs a list shows: any of {@code statuses} (empty: every status) whose topic
 * contains {@code topicContains}, ignoring case (null: any topic).
 */
public record JobFilter(Set<JobStatus> statuses, String topicContains) {
    public JobFilter {
        statuses = Set.copyOf(statuses);
        topicContains = topicContains == null || topicContains.isBlank() ? null : topicContains.strip();
    }

    public static JobFilter none() {
        return new JobFilter(Set.of(), null);
    }

    /** The SQL conditions, binding {@code :statuses} and {@code :topicPattern}. */
    String sql() {
        return (statuses.isEmpty() ? "" : " AND status IN (<statuses>)")
                + (topicContains == null ? "" : " AND LOWER(topic) LIKE :topicPattern ESCAPE '\\'");
    }

    List<String> statusNames() {
        return statuses.stream().map(JobStatus::wireName).sorted().toList();
    }

    /** A LIKE pattern matching the text anywhere; the text's own % _ and \ match only themselves. */
    String topicPattern() {
        if (topicContains == null) {
            return null;
        }
        String escaped = topicContains.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
