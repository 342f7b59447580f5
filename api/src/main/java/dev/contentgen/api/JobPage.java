package dev.contentgen.api;

import java.util.List;

/** One page of the job list, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<Job> jobs, String nextCursor) {}
