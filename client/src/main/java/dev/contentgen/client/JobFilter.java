package dev.contentgen.client;

import dev.contentgen.api.JobStatus;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which jobs {@link Jobs#list(JobFilter, String, int)} returns: any of {@code statuses} (empty: every status)
 * whose topic contains {@code topicContains}, ignoring case (null or blank: any topic). The server applies it,
 * so every page is full and the cursor pages through the filtered list.
 */
public record JobFilter(Set<JobStatus> statuses, String topicContains) {
    /** Every job. */
    public static final JobFilter ALL = new JobFilter(Set.of(), null);

    public JobFilter {
        Objects.requireNonNull(statuses, "statuses");
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    }

    /** The jobs in any of these statuses, e.g. {@code JobFilter.statuses(RUNNING, PENDING)}. */
    public static JobFilter statuses(JobStatus... statuses) {
        return new JobFilter(Set.of(statuses), null);
    }

    /** The jobs whose topic contains {@code text}, ignoring case. */
    public static JobFilter topicContains(String text) {
        return new JobFilter(Set.of(), text);
    }

    /** This filter, narrowed to topics that contain {@code text}. */
    public JobFilter withTopicContains(String text) {
        return new JobFilter(statuses, text);
    }

    /** The query parameters for {@code GET /api/jobs}, each starting with {@code &}; empty for {@link #ALL}. */
    String queryParameters() {
        StringBuilder query = new StringBuilder();
        if (!statuses.isEmpty()) {
            // Sorted by lifecycle order so the same filter always makes the same URL.
            String names = Arrays.stream(JobStatus.values()).filter(statuses::contains).map(JobStatus::wireName)
                    .collect(Collectors.joining(","));
            query.append("&status=").append(names);
        }
        if (topicContains != null && !topicContains.isBlank()) {
            query.append("&q=").append(Http.segment(topicContains));
        }
        return query.toString();
    }
}
